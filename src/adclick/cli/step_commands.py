"""The pipeline's steps as commands: prepare, validate, train, evaluate, promote, predict, pipeline;
and `generate`, which draws demo data and its drift scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from adclick.cli.options import (
    DEFAULT_CONFIG,
    ConfigOption,
    ExitZeroOption,
    ModelUriOption,
    app,
    settings_from,
    writable_file,
)
from adclick.cli.output import checks_line, console, gate_table, gates_table, print_summary, shown
from adclick.errors import AdclickError, PromotionRefusedError


@app.command()
def generate(
    config: ConfigOption = DEFAULT_CONFIG,
    rows: Annotated[int | None, typer.Option(min=1, help="Rows to draw (default: data.n_rows).")] = None,
    scenario: Annotated[str | None, typer.Option(help="Drift scenario, e.g. covariate_shift.")] = None,
    output: Annotated[
        Path | None, typer.Option(callback=writable_file, help="Where to write the labelled data.")
    ] = None,
) -> None:
    """Draw the synthetic demo data (seeded, or a drift scenario) and an unlabelled batch to score."""
    from adclick import pipeline
    from adclick.data.synthetic import SCENARIOS

    if scenario is not None and scenario not in SCENARIOS:
        raise AdclickError(f"unknown scenario {scenario!r}; choose from {', '.join(SCENARIOS)}")
    paths = pipeline.generate(settings_from(config), rows=rows, scenario=scenario, output=output)
    for kind, path in paths.items():
        console.print(f"wrote {kind} data: {path}")


@app.command()
def sample(
    output: Annotated[
        Path,
        typer.Option(callback=writable_file, help="Where to write: CSV, Parquet, or .json (a POST /predict body)."),
    ],
    config: ConfigOption = DEFAULT_CONFIG,
    rows: Annotated[int | None, typer.Option(min=1, help="Rows to write (default: data.n_rows).")] = None,
    batch: Annotated[int, typer.Option(min=0, help="Another independent sample of the seed: a new period.")] = 0,
    shift: Annotated[
        float, typer.Option(min=0.0, help="Move the drifting numeric features by this many IQRs: a new population.")
    ] = 0.0,
) -> None:
    """Write labelled rows like the data source's: drawn from the demo, or resampled from your file.

    For walkthroughs and tests on any data: `--batch` draws another sample (a new period),
    `--shift` moves the features a drift would move (docs/versioning.md).
    """
    from adclick import pipeline

    result = pipeline.sample(settings_from(config), output, rows=rows, batch=batch, shift_iqrs=shift)
    moved = f"; moved by {shift} IQR: {', '.join(result['shifted'])}" if result["shifted"] else ""
    console.print(f"wrote {result['rows']} rows like the data source's to {result['output']}{moved}", highlight=False)


@app.command()
def prepare(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Write the labelled data and a batch to score from params.yaml's data.source (demo or your file)."""
    from adclick import pipeline

    result = pipeline.prepare(settings_from(config))
    for note in result["notes"]:
        console.print(note, highlight=False)
    for kind in ("labelled", "to_score"):
        console.print(f"wrote {kind} data: {result[kind]}")


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="CSV or Parquet data file.")],
    config: ConfigOption = DEFAULT_CONFIG,
    unlabelled: Annotated[bool, typer.Option(help="The file has no label column (data to score).")] = False,
) -> None:
    """Check a data file against the schema and data-set rules; list every failure, exit non-zero if any.

    The result is also written to reports/validation.json and reports/validation.md.
    """
    from adclick import pipeline

    settings = settings_from(config)
    report = pipeline.validate(settings, path, labelled=not unlabelled)
    written = shown(pipeline.Layout(settings).validation.with_suffix(".md"))
    console.print(f"[green]valid[/green]: {path} ({report['rows']} rows); report: {written}")


@app.command()
def train(
    config: ConfigOption = DEFAULT_CONFIG,
    data: Annotated[Path | None, typer.Option(help="Labelled data (default: data/raw/labelled.csv).")] = None,
) -> None:
    """Split, fit the model and baselines, log to MLflow, register a version as challenger."""
    from adclick import pipeline

    result = pipeline.train(settings_from(config), data)
    console.print(
        f"registered {result.ref.name} version {result.ref.version} as challenger "
        f"(test ROC AUC {result.metrics['roc_auc']:.4f}, run {result.ref.run_id})"
    )


@app.command()
def evaluate(
    config: ConfigOption = DEFAULT_CONFIG,
    model_uri: ModelUriOption = None,
    data: Annotated[Path | None, typer.Option(help="Labelled data (default: the test split).")] = None,
) -> None:
    """Score a model (default: challenger) against baselines, champion and gates; write the report."""
    from adclick import pipeline

    settings = settings_from(config)
    report = pipeline.evaluate(settings, model_uri, data)
    console.print(gate_table(report))
    console.print(checks_line(report))
    console.print(f"report: {shown(pipeline.Layout(settings).model_report)}")


@app.command()
def promote(
    config: ConfigOption = DEFAULT_CONFIG,
    evaluation: Annotated[
        Path | None, typer.Option(help="Evaluation report (default: reports/evaluation.json).")
    ] = None,
    exit_zero: ExitZeroOption = False,
) -> None:
    """Make the evaluated version the champion, only if it passed every gate.

    The decision is recorded in reports/promotion.json either way; a refusal exits 1 (unless --exit-zero).
    """
    from adclick import pipeline

    try:
        ref = pipeline.promote(settings_from(config), evaluation)
    except PromotionRefusedError as refused:
        if not exit_zero:
            raise
        console.print(f"[yellow]refused[/yellow]: {refused}", highlight=False, soft_wrap=True)
        console.print(gates_table("Failed gates", refused.failed_gates))
        console.print("the refusal is recorded in reports/promotion.json")
        return
    console.print(f"[green]champion[/green] is now {ref.name} version {ref.version}")


@app.command()
def rollback(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Put back the champion the current one replaced (a bad model that passed its gates).

    Then `POST /admin/reload` (or a restart) makes the service answer with it.
    """
    from adclick import pipeline

    now, rolled_back = pipeline.rollback(settings_from(config))
    console.print(
        f"[green]champion[/green] is {now.name} version {now.version} again (version {rolled_back.version} "
        "rolled back); reload the service: POST /admin/reload",
        highlight=False,
    )


@app.command()
def predict(
    path: Annotated[Path | None, typer.Argument(help="Data to score (default: data/raw/to_score.csv).")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
    output: Annotated[Path | None, typer.Option(callback=writable_file, help="Where to write the scores.")] = None,
    model_uri: ModelUriOption = None,
) -> None:
    """Batch-score a file with a registered model (default: the champion)."""
    from adclick import pipeline

    result = pipeline.predict(settings_from(config), path, output, model_uri)
    console.print(
        f"scored {result['rows']} rows with {result['model'].name} version {result['model'].version} "
        f"-> {result['output']}"
    )


@app.command("pipeline")
def run_pipeline(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Run every step in order: prepare, validate, train, evaluate, promote, predict, drift."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from adclick import pipeline

    settings = settings_from(config)
    steps = list(pipeline.STEPS)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("starting", total=len(steps))

        def on_step(name: str) -> None:
            if name in steps:
                progress.update(task, completed=steps.index(name), description=f"step: {name}")
            else:
                progress.update(task, completed=len(steps), description="done")

        result = pipeline.run(settings, on_step)
    print_summary(settings, result.outputs)
