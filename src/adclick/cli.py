"""The `adclick` command: thin wrappers that parse arguments, call `adclick.pipeline`, and print.

Heavy libraries are imported inside the commands, so `adclick --help` stays fast. A user
error (`AdclickError`) prints one line (plus a table where one helps) and exits non-zero;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from adclick.config import DEFAULT_CONFIG

app = typer.Typer(
    name="adclick",
    help=(
        "Generate data, train, evaluate, promote and batch-score the ad-click model. "
        "Each step also runs alone from files on disk."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Logs (CI, pipes) are not terminals: rich would assume 80 columns and wrap the gate table.
_LOG_WIDTH = None if sys.stdout.isatty() else 120
console = Console(width=_LOG_WIDTH)
errors = Console(stderr=True, width=_LOG_WIDTH)

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="Settings file.", show_default=True)]
ModelUriOption = Annotated[
    str | None, typer.Option("--model-uri", help="Registry URI, e.g. models:/adclick@champion or models:/adclick/3.")
]


def _settings(config: Path) -> Any:
    from adclick.config import load_settings

    _quiet_libraries()
    return load_settings(config)


def _quiet_libraries() -> None:
    """MLflow's INFO logs and hints are for library users; ours see a progress line instead."""
    import os
    import warnings

    os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "ERROR")  # read by MLflow when it is first imported
    warnings.filterwarnings("ignore", module="mlflow")


@app.command()
def generate(
    config: ConfigOption = DEFAULT_CONFIG,
    rows: Annotated[int | None, typer.Option(min=1, help="Rows to draw (default: data.n_rows).")] = None,
    scenario: Annotated[str | None, typer.Option(help="Drift scenario, e.g. covariate_shift.")] = None,
    output: Annotated[Path | None, typer.Option(help="Where to write the labelled data.")] = None,
) -> None:
    """Draw synthetic impressions (seeded) and an unlabelled batch to score."""
    from adclick import pipeline
    from adclick.data import SCENARIOS
    from adclick.errors import AdclickError

    if scenario is not None and scenario not in SCENARIOS:
        raise AdclickError(f"unknown scenario {scenario!r}; choose from {', '.join(SCENARIOS)}")
    paths = pipeline.generate(_settings(config), rows=rows, scenario=scenario, output=output)
    for kind, path in paths.items():
        console.print(f"wrote {kind} data: {path}")


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="CSV or Parquet file of impressions.")],
    config: ConfigOption = DEFAULT_CONFIG,
    unlabelled: Annotated[bool, typer.Option(help="The file has no 'clicked' column (data to score).")] = False,
) -> None:
    """Check a data file against the schema and data-set rules; list every failure, exit non-zero if any.

    The result is also written to reports/validation.json and reports/validation.md.
    """
    from adclick import pipeline

    settings = _settings(config)
    report = pipeline.validate(settings, path, labelled=not unlabelled)
    shown = _shown(pipeline.Layout(settings).validation.with_suffix(".md"))
    console.print(f"[green]valid[/green]: {path} ({report['rows']} rows); report: {shown}")


@app.command()
def train(
    config: ConfigOption = DEFAULT_CONFIG,
    data: Annotated[Path | None, typer.Option(help="Labelled data (default: data/raw/impressions.csv).")] = None,
) -> None:
    """Split, fit the model and baselines, log to MLflow, register a version as challenger."""
    from adclick import pipeline

    result = pipeline.train(_settings(config), data)
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

    settings = _settings(config)
    report = pipeline.evaluate(settings, model_uri, data)
    console.print(gate_table(report))
    console.print(_checks_line(report))
    console.print(f"report: {_shown(pipeline.Layout(settings).model_report)}")


@app.command()
def promote(
    config: ConfigOption = DEFAULT_CONFIG,
    evaluation: Annotated[
        Path | None, typer.Option(help="Evaluation report (default: reports/evaluation.json).")
    ] = None,
) -> None:
    """Make the evaluated version the champion, only if it passed every gate."""
    from adclick import pipeline

    ref = pipeline.promote(_settings(config), evaluation)
    console.print(f"[green]champion[/green] is now {ref.name} version {ref.version}")


@app.command()
def predict(
    path: Annotated[Path | None, typer.Argument(help="Impressions to score (default: data/raw/to_score.csv).")] = None,
    config: ConfigOption = DEFAULT_CONFIG,
    output: Annotated[Path | None, typer.Option(help="Where to write the scores.")] = None,
    model_uri: ModelUriOption = None,
) -> None:
    """Batch-score a file with a registered model (default: the champion)."""
    from adclick import pipeline

    result = pipeline.predict(_settings(config), path, output, model_uri)
    console.print(
        f"scored {result['rows']} rows with {result['model'].name} version {result['model'].version} "
        f"-> {result['output']}"
    )


@app.command("pipeline")
def run_pipeline(config: ConfigOption = DEFAULT_CONFIG) -> None:
    """Run every step in order: generate, validate, train, evaluate, promote, predict."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from adclick import pipeline

    settings = _settings(config)
    steps = ["generate", "validate", "train", "evaluate", "promote", "predict"]
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
    _print_summary(settings, result.outputs)


@app.command()
def serve(
    config: ConfigOption = DEFAULT_CONFIG,
    host: Annotated[str | None, typer.Option(help="Interface (default: serve.host, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: serve.port, 8000).")] = None,
    model_uri: ModelUriOption = None,
) -> None:
    """Serve POST /predict (+ /health, /ready, /model, /metrics) with the champion, until stopped."""
    import os

    # Requests run concurrently; OpenMP threads inside each prediction would only fight them
    # for the cores (measured: 28 requests/s with them, see docs/serving.md). Set before sklearn loads.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import uvicorn

    from adclick.serve import create_app

    settings = _settings(config)
    host, port = host or settings.serve.host, port or settings.serve.port
    console.print(f"serving {model_uri or settings.serve.model_alias} on http://{host}:{port} (docs: /docs)")
    uvicorn.run(create_app(settings, model_uri), host=host, port=port, log_level="warning")


@app.command()
def load(
    config: ConfigOption = DEFAULT_CONFIG,
    requests: Annotated[int, typer.Option(min=1, max=100_000, help="Single-record requests to send.")] = 400,
    batch_rows: Annotated[int, typer.Option(min=1, help="Rows per batch request (a tenth as many).")] = 100,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Concurrent clients.")] = 4,
    deadline: Annotated[float, typer.Option(min=1, help="Stop sending after this many seconds.")] = 120.0,
    compare_mlflow: Annotated[bool, typer.Option(help="Also load `mlflow models serve` and print the ratio.")] = False,
    model_uri: ModelUriOption = None,
) -> None:
    """Start the server on a free 127.0.0.1 port, send a fixed load, print requests/s and p50/p95/p99, stop."""
    from adclick import load as loading
    from adclick.registry import alias_uri, connect, resolve

    settings = _settings(config)
    ref = resolve(connect(settings), model_uri or alias_uri(settings, settings.serve.model_alias))
    plan = loading.load_plan(requests, batch_rows, settings.seed)
    port = loading.free_port()
    command = loading.adclick_server_command(config, port, ref.uri)
    results = {}
    ready = f"http://127.0.0.1:{port}/ready"
    with loading.serve_in_background(command, ready), loading.adclick_sender(f"http://127.0.0.1:{port}") as send:
        for name, payloads in plan.items():
            results[name] = loading.run_load(f"adclick {name}", send, payloads, concurrency, deadline)
            console.print(results[name].line(), highlight=False)
    if compare_mlflow:
        import os

        port = loading.free_port()
        mlflow = [sys.executable, "-m", "mlflow", "models", "serve", "-m", f"models:/{ref.name}/{ref.version}"]
        mlflow += ["--env-manager", "local", "--host", "127.0.0.1", "--port", str(port)]
        os.environ["MLFLOW_TRACKING_URI"] = settings.tracking_uri
        ping = f"http://127.0.0.1:{port}/ping"
        with (
            loading.serve_in_background(mlflow, ping, timeout=180),
            loading.mlflow_sender(f"http://127.0.0.1:{port}") as send,
        ):
            for name, payloads in plan.items():
                theirs = loading.run_load(f"mlflow models serve {name}", send, payloads, concurrency, deadline)
                console.print(theirs.line(), highlight=False)
                ratio = results[name].per_second / theirs.per_second if theirs.per_second else float("inf")
                console.print(f"  adclick / mlflow requests per second, {name}: {ratio:.2f}x", highlight=False)


@app.command("bench-report")
def bench_report(
    run: Annotated[Path, typer.Argument(help="pytest-benchmark JSON of this run (--benchmark-json).")],
    baseline: Annotated[Path | None, typer.Option(help="JSON of a baseline run (e.g. main) to compare with.")] = None,
    output: Annotated[Path | None, typer.Option(help="Write the markdown table here as well.")] = None,
) -> None:
    """Turn benchmark JSON into a markdown table: medians, ratios against budgets, change from a baseline."""
    from adclick.files import read_json, write_text
    from adclick.reports import benchmarks_markdown

    text = benchmarks_markdown(read_json(run), read_json(baseline) if baseline else None)
    if output is not None:
        write_text(output, text)
    console.print(text, markup=False, highlight=False, soft_wrap=True)


@app.command("report")
def ci_report(
    folder: Annotated[
        Path, typer.Argument(help="Folder of test outputs (JUnit XML, coverage, model, benchmarks).")
    ] = Path("reports"),
    output: Annotated[Path | None, typer.Option(help="Write the markdown here as well.")] = None,
    baseline: Annotated[Path | None, typer.Option(help="Benchmark JSON of a baseline run (e.g. main).")] = None,
    present_only: Annotated[bool, typer.Option(help="Leave out sections whose inputs are missing.")] = False,
) -> None:
    """One markdown report of a test run: tests per layer, coverage, model gates, validation, benchmarks."""
    from adclick.ci_report import ci_report as build
    from adclick.errors import DataFileError
    from adclick.files import write_text

    if not Path(folder).is_dir():
        raise DataFileError(f"reports folder not found: {folder}")
    floor = _coverage_floor(Path("pyproject.toml"))
    text = build(folder, baseline=baseline, coverage_floor=floor, present_only=present_only)
    if output is not None:
        write_text(output, text)
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _coverage_floor(pyproject: Path) -> float | None:
    """`fail_under` of coverage's settings in pyproject.toml, if there is one."""
    import tomllib

    if not pyproject.is_file():
        return None
    settings = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return settings.get("tool", {}).get("coverage", {}).get("report", {}).get("fail_under")


def gate_table(report: dict[str, Any]) -> Table:
    """The gates of an evaluation: value against threshold, pass or fail."""
    model = report["model"]
    return _gates_table(f"Gates for {model['name']} version {model['version']}", report["gates"])


def _checks_line(report: dict[str, Any]) -> str:
    """One line for the model checks (slices, calibration, behaviour): they inform, the gates decide."""
    failed = [check["name"] for check in report["checks"] if not check["passed"]]
    if not failed:
        return f"model checks: all {len(report['checks'])} pass (slices, calibration, behaviour)"
    return f"[yellow]model checks: {len(failed)} of {len(report['checks'])} fail[/yellow]: {', '.join(failed)}"


def _gates_table(title: str, gates: list[dict[str, Any]]) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column("gate", no_wrap=True)
    for column in ("value", "threshold", "result"):
        table.add_column(column, justify="right")
    table.add_column("detail")
    for gate in gates:
        value = "-" if gate["value"] is None else f"{gate['value']:.4f}"
        result = "[green]pass[/green]" if gate["passed"] else "[red]FAIL[/red]"
        table.add_row(gate["name"], value, f"{gate['threshold']:.4f}", result, gate["detail"])
    return table


def _print_summary(settings: Any, outputs: dict[str, Any]) -> None:
    from adclick.pipeline import Layout

    layout = Layout(settings)
    report, champion, scored = outputs["evaluate"], outputs["promote"], outputs["predict"]
    metrics = report["metrics"]
    console.print(gate_table(report))
    console.print(_checks_line(report))
    console.print(
        f"[bold green]champion[/bold green]: {champion.name} version {champion.version} "
        f"(ROC AUC {metrics['roc_auc']:.4f}, log loss {metrics['log_loss']:.4f}, Brier {metrics['brier']:.4f}, "
        f"F1@{settings.model.decision_threshold} {metrics['f1']:.4f})",
        soft_wrap=True,
    )
    console.print(f"MLflow run     : {champion.run_id} (store: {settings.tracking_uri})", soft_wrap=True)
    console.print(f"validation     : {_shown(layout.validation.with_suffix('.md'))}")
    console.print(f"model report   : {_shown(layout.model_report)} (+ {layout.reliability.name}, evaluation.json)")
    console.print(f"training data  : {_shown(layout.raw)} (split in {_shown(layout.train.parent)})")
    console.print(f"batch scores   : {_shown(scored['output'])} ({scored['rows']} rows)")
    console.print("look further   : `make serve` answers POST /predict on http://127.0.0.1:8000 (docs at /docs);")
    console.print("                 `make ui` opens the MLflow UI on http://127.0.0.1:5000")


def _shown(path: Path) -> str:
    """A path relative to the working directory when it is below it: shorter to read."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _print_error(exc: Exception) -> None:
    from adclick.errors import DataValidationError, PromotionRefusedError

    errors.print(f"[bold red]error:[/bold red] {exc}", highlight=False, soft_wrap=True)
    if isinstance(exc, DataValidationError) and exc.failures:
        table = Table(title="Validation failures")
        for column in ("column", "check", "failures", "examples"):
            table.add_column(column)
        for f in exc.failures:
            table.add_row(str(f["column"]), str(f["check"]), str(f["failures"]), ", ".join(f["examples"]))
        errors.print(table)
    if isinstance(exc, PromotionRefusedError):
        errors.print(_gates_table("Failed gates", exc.failed_gates))


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors become one clear message and a non-zero exit, not a traceback."""
    from adclick.errors import AdclickError

    try:
        app(args=argv, standalone_mode=False)
    except AdclickError as exc:
        _print_error(exc)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        errors.print("aborted")
        sys.exit(130)
    except Exception as exc:  # click's usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
