"""The steps of the ML lifecycle, each reading and writing files so it can run alone.

prepare -> validate -> train -> evaluate -> promote -> predict -> drift. The CLI exposes each step as
a subcommand; `run` chains them. Steps return plain results; presenting them is the CLI's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adclick.config import Settings
from adclick.data import demo, sources
from adclick.data.contract import ID_COLUMN, ID_GENERATED, LABEL
from adclick.data.files import read_frame, write_frame
from adclick.data.report import validation_markdown
from adclick.data.schema import DECISION
from adclick.data.split import split
from adclick.data.synthetic import generate as draw
from adclick.data.validation import validate as validate_frame
from adclick.errors import ConfigError, DataFileError, DataValidationError
from adclick.files import read_json, write_json, write_text
from adclick.model.report import model_markdown, write_reliability_png
from adclick.monitoring.days import replay_days
from adclick.monitoring.degradation import degradation as degrade
from adclick.monitoring.degradation import plot as degradation_plot
from adclick.monitoring.drift import drift_report, predictions
from adclick.monitoring.live import live_service
from adclick.monitoring.render import write_degradation_report, write_drift_report
from adclick.monitoring.replay import expected, replay
from adclick.monitoring.tracking import write_tracking
from adclick.predict import score
from adclick.tracking.evaluation import evaluate_model
from adclick.tracking.promotion import promote as move_champion
from adclick.tracking.registry import CHALLENGER, CHAMPION, alias_uri, connect, find, load_sklearn
from adclick.tracking.training import train_and_register


@dataclass(frozen=True)
class Layout:
    """Where each step reads and writes, under the configured data and reports folders."""

    settings: Settings

    @property
    def raw(self) -> Path:
        return self.settings.data_dir / "raw" / "labelled.csv"

    @property
    def to_score(self) -> Path:
        return self.settings.data_dir / "raw" / "to_score.csv"

    @property
    def train(self) -> Path:
        return self.settings.data_dir / "split" / "train.csv"

    @property
    def test(self) -> Path:
        return self.settings.data_dir / "split" / "test.csv"

    @property
    def predictions(self) -> Path:
        return self.settings.data_dir / "predictions" / "to_score.scored.csv"

    @property
    def evaluation(self) -> Path:
        return self.settings.reports_dir / "evaluation.json"

    @property
    def model_report(self) -> Path:
        return self.settings.reports_dir / "evaluation.md"

    @property
    def reliability(self) -> Path:
        return self.settings.reports_dir / "reliability.png"

    @property
    def validation(self) -> Path:
        return self.settings.reports_dir / "validation.json"

    @property
    def drift(self) -> Path:
        return self.settings.reports_dir / "drift.json"


def generate(
    settings: Settings, *, rows: int | None = None, scenario: str | None = None, output: Path | None = None
) -> dict[str, Path]:
    """Write the labelled training data and an unlabelled batch to score (batch 1 of the same seed).

    With `output`, the batch to score goes beside it (`<name>.to_score.<ext>`), so drawing a
    scenario never overwrites the pipeline's own files.
    """
    layout = Layout(settings)
    if output is None and not settings.data.synthetic:
        raise ConfigError(
            f"data.source is {settings.data.source}: `adclick prepare` writes the pipeline's data from it; "
            "`adclick generate` draws the synthetic demo, so give it --output"
        )
    labelled_path = output or layout.raw
    to_score_path = layout.to_score if output is None else output.with_name(f"{output.stem}.to_score{output.suffix}")
    labelled = draw(rows or settings.data.n_rows, settings.seed, scenario=scenario)
    to_score = draw(settings.data.scoring_rows, settings.seed, scenario=scenario, batch=1)
    return {
        "labelled": write_frame(labelled, labelled_path),
        "to_score": write_frame(to_score.drop(columns=[demo.LABEL]), to_score_path),
    }


def prepare(settings: Settings) -> dict[str, Any]:
    """Write the labelled data and the batch to score from the configured source (params.yaml
    `data.source`): drawn by the demo generator, or read from the team's file."""
    layout = Layout(settings)
    prepared = sources.prepare(settings)
    return {
        "labelled": write_frame(prepared.labelled, layout.raw),
        "to_score": write_frame(prepared.to_score, layout.to_score),
        "notes": prepared.notes,
    }


def read_data(path: Path) -> Any:
    """A data file as a frame; when the data has no id column, ids are generated as `prepare` does."""
    frame = read_frame(path)
    if ID_GENERATED and ID_COLUMN not in frame.columns:
        frame = sources.canonical(frame, source=str(path), labelled=LABEL in frame.columns)
    return frame


def validate(settings: Settings, path: Path, *, labelled: bool = True) -> dict[str, Any]:
    """Validate a data file against the raw schema; the report is written whether it passes or not."""
    frame = read_data(path)
    report: dict[str, Any] = {"source": str(path), "rows": len(frame), "labelled": labelled}
    try:
        validated(settings, frame, labelled=labelled, source=str(path))
    except DataValidationError as exc:
        write_validation_report(Layout(settings).validation, {**report, "passed": False, "failures": exc.failures})
        raise
    write_validation_report(Layout(settings).validation, {**report, "passed": True, "failures": []})
    return report


def validated(settings: Settings, frame: Any, *, labelled: bool, source: str) -> Any:
    """The frame typed by the raw schema; labelled data also meets the data-set rules of params.yaml."""
    return validate_frame(frame, labelled=labelled, limits=settings.data_checks, source=source)


def write_validation_report(path: Path, report: dict[str, Any]) -> None:
    """The validation result as JSON at `path` (for tools) and markdown beside it (for people and CI)."""
    write_json(path, report)
    write_text(path.with_suffix(".md"), validation_markdown(report))


def train(settings: Settings, path: Path | None = None) -> Any:
    """Validate, split (seeded, stratified), write the split, then fit, log and register."""
    layout = Layout(settings)
    source = path or layout.raw
    frame = validated(settings, read_data(source), labelled=True, source=str(source))
    train_part, test_part = split(frame, settings.data.test_fraction, settings.seed)
    write_frame(train_part, layout.train)
    write_frame(test_part, layout.test)
    return train_and_register(
        settings,
        train_part,
        test_part,
        description=f"trained on {source}",
        sources={"train": str(layout.train), "test": str(layout.test)},
    )


def evaluate(settings: Settings, model_uri: str | None = None, path: Path | None = None) -> dict[str, Any]:
    """Evaluate a model (default: the challenger) on labelled data (default: the test split)."""
    source = path or Layout(settings).test
    data = validate_frame(read_data(source), labelled=True, source=str(source))  # record rules: a test part is small
    report = evaluate_model(settings, model_uri or alias_uri(settings, CHALLENGER), data, data_source=str(source))
    write_model_report(Layout(settings), report)
    return report


def write_model_report(layout: Layout, report: dict[str, Any]) -> None:
    """The evaluation as JSON (read by promote), markdown and a reliability curve (for people and CI)."""
    write_json(layout.evaluation, report)
    write_reliability_png(report["calibration"], layout.reliability)
    write_text(layout.model_report, model_markdown(report, reliability_png=layout.reliability.name))


def promote(settings: Settings, evaluation_path: Path | None = None) -> Any:
    """Move the champion alias to the evaluated version if its evaluation passed every gate."""
    path = evaluation_path or Layout(settings).evaluation
    if not path.is_file():
        raise DataFileError(f"evaluation report not found: {path} (run `adclick evaluate` first)")
    return move_champion(connect(settings), read_json(path))


def predict(
    settings: Settings, path: Path | None = None, output: Path | None = None, model_uri: str | None = None
) -> dict[str, Any]:
    """Score a data file with a registered model (default: the champion)."""
    layout = Layout(settings)
    source, target = path or layout.to_score, output or layout.predictions
    frame = validated(settings, read_data(source), labelled=False, source=str(source))
    model, ref = load_sklearn(connect(settings), model_uri or alias_uri(settings, CHAMPION))
    scored = score(model, frame, ref, settings.model.decision_threshold)
    write_frame(scored, target)
    return {"output": target, "rows": len(scored), "model": ref, "positive_rate": float(scored[DECISION].mean())}


def drift(
    settings: Settings, reference: Path | None = None, current: Path | None = None, model_uri: str | None = None
) -> dict[str, Any]:
    """Compare current data (default: the batch scored) with a reference (default: the training
    split) column by column, through the model's predictions (default: the champion, when there
    is one) and all at once; write reports/drift.json, .md and .html."""
    layout = Layout(settings)
    sources = (reference or layout.train, current or layout.to_score)
    before, after = (read_data(path) for path in sources)
    client = connect(settings)
    uri = model_uri or alias_uri(settings, CHAMPION)
    scores = None
    if model_uri is not None or find(client, settings.model.registered_name, CHAMPION) is not None:
        model, _ = load_sklearn(client, uri)
        scores = predictions(model, before, after)
    report = drift_report(settings, before, after, scores, sources=(str(sources[0]), str(sources[1])))
    report["model"] = uri if scores is not None else None
    written = write_drift_report(report, settings.reports_dir, before, after, scores)
    return {"report": report, "written": written}


def degradation(settings: Settings, rows: int | None = None, model_uri: str | None = None) -> dict[str, Any]:
    """Score a model (default: the champion) on clean data and on each scenario; write
    reports/degradation.md, .csv, .json and .png."""
    layout = Layout(settings)
    if not layout.test.is_file():
        raise DataFileError(f"held-out data not found: {layout.test} (run `adclick pipeline` first)")
    model, ref = load_sklearn(connect(settings), model_uri or alias_uri(settings, CHAMPION))
    held_out = read_data(layout.test)
    table = degrade(settings, model, held_out, rows or settings.data.scoring_rows)
    written = write_degradation_report(table, settings.reports_dir, degradation_plot(table))
    return {"table": table, "written": written, "model": ref}


def monitor(
    settings: Settings, days: int | None = None, model_uri: str | None = None, *, live: bool = True
) -> dict[str, Any]:
    """Replay `days` daily batches (default: monitoring.days) through a model (default: the
    champion), in batch and, with `live`, through the service on 127.0.0.1; write
    reports/monitoring.md (the commented tracking table), .csv, .json and .png."""
    layout = Layout(settings)
    if days is not None:
        settings = settings.model_copy(update={"monitoring": settings.monitoring.model_copy(update={"days": days})})
    for path in (layout.train, layout.test):
        if not path.is_file():
            raise DataFileError(
                f"{path} not found: the replay compares with the training data (run `adclick pipeline`)"
            )
    model, ref = load_sklearn(connect(settings), model_uri or alias_uri(settings, CHAMPION))
    # record rules only, as `evaluate` checks a test part: the data-set rules (min_rows) are for whole files
    train, test = (validate_frame(read_data(p), labelled=True, source=str(p)) for p in (layout.train, layout.test))
    healthy = expected(model, train, test)
    schedule = replay_days(settings)
    if live:
        with live_service(settings, ref.uri, train) as send:
            table, seconds = replay(settings, model, schedule, healthy, send)
    else:
        table, seconds = replay(settings, model, schedule, healthy)
    written = write_tracking(table, healthy, settings.monitoring.label_delay_days, settings.reports_dir)
    return {"table": table, "seconds": seconds, "written": written, "model": ref}


@dataclass
class PipelineResult:
    """What `run` produced, for the closing summary."""

    outputs: dict[str, Any] = field(default_factory=dict)


def run(settings: Settings, on_step: Callable[[str], None] = lambda _: None) -> PipelineResult:
    """prepare -> validate -> train -> evaluate -> promote -> predict -> drift, in order; stops at
    the first failure. The drift step reports on the scored batch; it does not stop the run."""
    result = PipelineResult()
    layout = Layout(settings)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("prepare", lambda: prepare(settings)),
        ("validate", lambda: validate(settings, layout.raw)),
        ("train", lambda: train(settings)),
        ("evaluate", lambda: evaluate(settings)),
        ("promote", lambda: promote(settings)),
        ("predict", lambda: predict(settings)),
        ("drift", lambda: drift(settings)),
    ]
    for name, step in steps:
        on_step(name)
        result.outputs[name] = step()
    on_step("done")
    return result
