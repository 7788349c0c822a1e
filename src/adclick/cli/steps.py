"""The pipeline's steps as commands: prepare, validate, train, evaluate, promote, predict, pipeline;
and `generate`, which draws demo data and its drift scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from adclick.cli.options import DEFAULT_CONFIG, ConfigOption, ModelUriOption, app, settings_from
from adclick.cli.output import checks_line, console, gate_table, print_summary, shown
from adclick.errors import AdclickError


@app.command()
def generate(
    config: ConfigOption = DEFAULT_CONFIG,
    rows: Annotated[int | None, typer.Option(min=1, help="Rows to draw (default: data.n_rows).")] = None,
    scenario: Annotated[str | None, typer.Option(help="Drift scenario, e.g. covariate_shift.")] = None,
    output: Annotated[Path | None, typer.Option(help="Where to write the labelled data.")] = None,
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
) -> None:
    """Make the evaluated version the champion, only if it passed every gate."""
    from adclick import pipeline

    ref = pipeline.promote(settings_from(config), evaluation)
    console.print(f"[green]champion[/green] is now {ref.name} version {ref.version}")


@app.command()
def predict(
    path: Annotated[Path | None, typer.Argument(help="Data to score (default: data/raw/to_score.csv).")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
    output: Annotated[Path | None, typer.Option(help="Where to write the scores.")] = None,
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
    steps = ["prepare", "validate", "train", "evaluate", "promote", "predict", "drift"]
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
