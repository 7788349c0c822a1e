"""The pipeline's steps up to the scored batch: prepare, validate, train, evaluate, promote,
predict (and `generate`, which draws demo data and its scenarios). Each reads and writes files,
so it runs alone; each returns plain results, and presenting them is the CLI's job."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adclick.atomic import read_json, write_json, write_text
from adclick.batch_scoring import score
from adclick.config import Settings
from adclick.config.layout import Layout
from adclick.data import demo, shifts, sources, synthetic, validation
from adclick.data.contract import DECISION
from adclick.data.files import write_frame
from adclick.data.records import as_records
from adclick.data.sources import read_data
from adclick.data.split import split
from adclick.data.validation_report import validation_markdown
from adclick.errors import ConfigError, DataFileError, DataValidationError, PromotionRefusedError
from adclick.model.report import model_markdown, write_reliability_png
from adclick.tracking import promotion
from adclick.tracking.evaluation import evaluate_model
from adclick.tracking.registry import CHALLENGER, CHAMPION, alias_uri, connect, decision_threshold, find, load_sklearn
from adclick.tracking.training import train_and_register


def generate(
    settings: Settings, *, rows: int | None = None, scenario: str | None = None, output: Path | None = None
) -> dict[str, Path]:
    """Write the labelled training data and an unlabelled batch to score (batch 1 of the same seed).

    With `output`, the batch to score goes beside it (`<name>.to_score.<ext>`), so drawing a
    scenario never overwrites the pipeline's own files.
    """
    layout = Layout(settings)
    if output is None and settings.data_file is not None:
        raise ConfigError(
            f"data.source is {settings.data.source}: `adclick prepare` writes the pipeline's data from it; "
            "`adclick generate` draws the synthetic demo, so give it --output"
        )
    labelled_path = output or layout.raw
    to_score_path = layout.to_score if output is None else output.with_name(f"{output.stem}.to_score{output.suffix}")
    labelled = synthetic.generate(rows or settings.data.n_rows, settings.seed, scenario=scenario)
    to_score = synthetic.generate(settings.data.scoring_rows, settings.seed, scenario=scenario, batch=1)
    return {
        "labelled": write_frame(labelled, labelled_path),
        "to_score": write_frame(to_score.drop(columns=[demo.LABEL]), to_score_path),
    }


def sample(
    settings: Settings, output: Path, *, rows: int | None = None, batch: int = 0, shift_iqrs: float = 0.0
) -> dict[str, Any]:
    """Write labelled rows like the data source's: drawn by the demo generator, or resampled from
    the team's file (ids made unique). `batch` draws another sample of the seed (a new period);
    `shift_iqrs` moves the features a drift would move (`shifts.drifting_columns`), a new population.
    A `.json` output is a request body for `POST /predict` (the id and feature columns, no label),
    so the docs' `curl` works on any team's data, not only on the demo's columns."""
    if settings.data_file is not None and output.resolve() == settings.data_file.resolve():
        raise ConfigError(f"{output} is data.source: write the sample elsewhere, the source stays as it is")
    frame = sources.sample(settings, rows or settings.data.n_rows, settings.seed, batch=batch)
    moved = shifts.drifting_columns(settings) if shift_iqrs > 0 else []
    if moved:
        frame = shifts.shifted(frame, moved, shift_iqrs)
    if output.suffix.lower() == ".json":
        written = write_json(output, {"records": as_records(frame)})
    else:
        written = write_frame(frame, output)
    return {"output": written, "rows": len(frame), "shifted": moved}


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
    return validation.validate(frame, labelled=labelled, limits=settings.data_checks, source=source)


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
    result = train_and_register(
        settings,
        train_part,
        test_part,
        description=f"trained on {source}",
        sources={"train": str(layout.train), "test": str(layout.test)},
        read=read_files(settings, source, layout),
    )
    write_json(layout.training, {"model": result.ref.as_dict(), "test_metrics": result.metrics})
    return result


def read_files(settings: Settings, labelled: Path, layout: Layout) -> dict[str, Path]:
    """The files a training reads, for its lineage: the team's source file (when the data is one),
    the labelled file, and the split written from it."""
    files = {} if settings.data_file is None else {"source": settings.data_file}
    return {**files, "labelled": labelled, "train": layout.train, "test": layout.test}


def evaluate(settings: Settings, model_uri: str | None = None, path: Path | None = None) -> dict[str, Any]:
    """Evaluate a model (default: the challenger) on labelled data (default: the test split)."""
    source = path or Layout(settings).test
    data = validation.validate(
        read_data(source), labelled=True, source=str(source)
    )  # record rules: a test part is small
    report = evaluate_model(settings, model_uri or alias_uri(settings, CHALLENGER), data, data_source=str(source))
    write_model_report(Layout(settings), report)
    return report


def write_model_report(layout: Layout, report: dict[str, Any]) -> None:
    """The evaluation as JSON (read by promote), markdown and a reliability curve (for people and
    CI), and flat for DVC: the headline metrics and the reliability curve's points."""
    write_json(layout.evaluation, report)
    write_reliability_png(report["calibration"], layout.reliability)
    write_text(layout.model_report, model_markdown(report, reliability_png=layout.reliability.name))
    headline = {name: report["metrics"][name] for name in ("roc_auc", "log_loss", "brier", "accuracy", "f1")}
    write_json(
        layout.metrics,
        {
            **headline,
            "ece": report["calibration"]["ece"],
            "gates_passed": int(report["passed"]),
            "checks_passed": int(report["checks_passed"]),
        },
    )
    points = ["mean_probability,positive_rate,rows"] + [
        f"{b['mean_probability']},{b['positive_rate']},{b['rows']}" for b in report["calibration"]["bins"]
    ]
    write_text(layout.reliability_points, "\n".join(points) + "\n")


def promote(settings: Settings, evaluation_path: Path | None = None) -> Any:
    """Move the champion alias to the evaluated challenger if the evidence its evaluation logged
    to MLflow passes every gate (the report only names the version).

    The decision, either way, is recorded in reports/promotion.json: the registry changes, not a
    file, so the record is what a DVC stage versions and what a later step depends on."""
    layout = Layout(settings)
    path = evaluation_path or layout.evaluation
    if not path.is_file():
        raise DataFileError(f"evaluation report not found: {path} (run `adclick evaluate` first)")
    evaluation = read_json(path)
    model = evaluation.get("model") if isinstance(evaluation, dict) else None
    if not isinstance(model, dict) or not {"name", "version"} <= model.keys():
        raise DataFileError(
            f"{path}: not an evaluation report (no model name and version): write it with `adclick evaluate`"
        )
    record = {"model": model["name"], "version": str(model["version"])}
    try:
        champion = promotion.promote(connect(settings), settings.gates, evaluation)
    except PromotionRefusedError as refused:
        failed = [gate["name"] for gate in refused.failed_gates]
        current = find(connect(settings), model["name"], CHAMPION)
        write_json(
            layout.promotion,
            {**record, "promoted": 0, "champion": current.version if current else None, "failed_gates": failed},
        )
        raise
    write_json(layout.promotion, {**record, "promoted": 1, "champion": champion.version, "failed_gates": []})
    return champion


def rollback(settings: Settings) -> tuple[Any, Any]:
    """Put back the champion the current one replaced: (new champion, rolled-back version)."""
    return promotion.rollback(connect(settings), settings.model.registered_name)


def predict(
    settings: Settings, path: Path | None = None, output: Path | None = None, model_uri: str | None = None
) -> dict[str, Any]:
    """Score a data file with a registered model (default: the champion)."""
    layout = Layout(settings)
    source, target = path or layout.to_score, output or layout.predictions
    frame = validated(settings, read_data(source), labelled=False, source=str(source))
    client = connect(settings)
    model, ref = load_sklearn(client, model_uri or alias_uri(settings, CHAMPION))
    scored = score(model, frame, ref, decision_threshold(client, settings, ref).value)
    write_frame(scored, target)
    return {"output": target, "rows": len(scored), "model": ref, "positive_rate": float(scored[DECISION].mean())}
