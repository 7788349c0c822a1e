"""`python -m tools`: the template's dev commands (reports of test runs, the load check), outside
the product's `adclick` command and its wheel. They share its exit-code contract."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from adclick.atomic import read_json, write_text
from adclick.cli import run
from adclick.cli.options import DEFAULT_CONFIG, ConfigOption, ModelUriOption, settings_from, writable_file
from adclick.cli.output import console
from adclick.errors import DataFileError

app = typer.Typer(
    name="python -m tools",
    help="The template's dev commands: CI and benchmark reports, the ML Test Score, the load check.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main(argv: list[str] | None = None) -> None:
    run(app, argv)


@app.command("bench-report")
def bench_report(
    run: Annotated[Path, typer.Argument(help="pytest-benchmark JSON of this run (--benchmark-json).")],
    baseline: Annotated[Path | None, typer.Option(help="JSON of a baseline run (e.g. main) to compare with.")] = None,
    output: Annotated[
        Path | None, typer.Option(callback=writable_file, help="Write the markdown table here as well.")
    ] = None,
) -> None:
    """Turn benchmark JSON into a markdown table: medians, ratios against budgets, change from a baseline."""
    from tools.benchmarks import benchmarks_markdown

    text = benchmarks_markdown(_benchmark_run(run), _benchmark_run(baseline) if baseline else None)
    if output is not None:
        write_text(output, text)
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _benchmark_run(path: Path) -> dict[str, Any]:
    """A pytest-benchmark JSON file, or a one-line error naming it and how to write one."""
    run = read_json(path)
    if not isinstance(run, dict) or not isinstance(run.get("benchmarks"), list):
        raise DataFileError(
            f'{path}: not pytest-benchmark JSON (no "benchmarks" list): write one with --benchmark-json'
        )
    return run


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
    from tools.ci_report import ci_report as build

    if not Path(folder).is_dir():
        raise DataFileError(f"reports folder not found: {folder}")
    floor = _coverage_floor(Path("pyproject.toml"))
    text = build(folder, baseline=baseline, coverage_floor=floor, present_only=present_only)
    if output is not None:
        write_text(output, text)
    console.print(text, markup=False, highlight=False, soft_wrap=True)


@app.command("ml-test-score")
def ml_test_score(
    folder: Annotated[Path, typer.Argument(help="Folder of JUnit XML files (every layer's).")] = Path("reports"),
    manual: Annotated[Path, typer.Option(help="Items done by hand and not yet (evidence, what it takes).")] = Path(
        "docs/ml-test-score.yaml"
    ),
    output: Annotated[Path | None, typer.Option(help="Write the scorecard as JSON here.")] = None,
) -> None:
    """The ML Test Score (Breck et al., 2017) of the test results under FOLDER: 28 items, the
    weakest of four sections, with what each item not automated would take."""
    import json

    from tools import ml_test_score as rubric
    from tools.junit import read_junit

    junit = sorted(Path(folder).glob("junit*.xml"))
    if not junit:
        raise DataFileError(f"no junit*.xml in {folder}: run the tests first (make test)")
    card = rubric.score(read_junit(junit), rubric.load_manual(manual), Path("."))
    target = output or Path(folder) / "ml-test-score.json"
    write_text(target, json.dumps(card.as_dict(), indent=2) + "\n")
    for line in rubric.summary_lines(card):
        console.print(line, highlight=False, soft_wrap=True)
    console.print(f"scorecard: {target} (from {len(junit)} JUnit files)", highlight=False)


def _coverage_floor(pyproject: Path) -> float | None:
    """`fail_under` of coverage's settings in pyproject.toml, if there is one."""
    import tomllib

    if not pyproject.is_file():
        return None
    settings = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return settings.get("tool", {}).get("coverage", {}).get("report", {}).get("fail_under")


@app.command()
def load(
    config: ConfigOption = DEFAULT_CONFIG,
    requests: Annotated[int, typer.Option(min=1, max=100_000, help="Single-record requests to send.")] = 400,
    batch_rows: Annotated[
        list[int] | None,
        typer.Option(min=1, help="Rows per batch load, repeatable (default: 100 and serve.max_batch_rows)."),
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Concurrent clients.")] = 4,
    deadline: Annotated[float, typer.Option(min=1, help="Stop each load after this many seconds.")] = 120.0,
    compare_mlflow: Annotated[
        bool, typer.Option(help="Also load `mlflow models serve`: both side by side, each goal's ratio.")
    ] = False,
    model_uri: ModelUriOption = None,
) -> None:
    """Start the server on a free 127.0.0.1 port, send a fixed load, print requests/s, rows/s and p50/p95/p99, stop.

    With --compare-mlflow, the same loads against `mlflow models serve` of the same model, then
    both side by side with start-up time and memory, each ratio against `serve.goals_vs_mlflow`.
    Exits 1 when a request failed.
    """
    from adclick.serve import bundle
    from adclick.tracking.registry import alias_uri, connect, resolve
    from tools import load as loading
    from tools import load_comparison

    settings = settings_from(config)
    batches = tuple(batch_rows) if batch_rows else (100, settings.serve.max_batch_rows)
    client = connect(settings)
    ref = resolve(client, model_uri or alias_uri(settings, settings.serve.model_alias))
    plan = loading.load_plan(settings, requests, batches)
    bundle.export(settings, ref.uri)  # the deploy step: the service starts from this bundle
    if not compare_mlflow:
        ours = loading.load_adclick(config, ref, plan, concurrency, deadline, report=console.print)
        console.print(f"adclick: ready in {ours.startup_seconds:.1f} s, {ours.memory_mib:.0f} MiB", highlight=False)
        failed = ours.failed
    else:
        both = load_comparison.side_by_side(
            settings, config, ref, plan, concurrency=concurrency, deadline=deadline, rounds=2, report=console.print,
            raw=load_comparison.raw_prediction(client, ref, plan[loading.SINGLE]),
        )  # fmt: skip
        failed = both.ours.failed + both.theirs.failed + (both.one_client.failed if both.one_client else 0)
        goals = settings.serve.goals_vs_mlflow
        comparisons = load_comparison.compare(both.ours, both.theirs, goals, both.one_client, both.raw)
        table = load_comparison.markdown(both.ours, both.theirs, comparisons, concurrency)
        console.print("\n" + table, highlight=False)
    if failed:
        console.print(f"{failed} requests failed", style="red")
        raise typer.Exit(1)
