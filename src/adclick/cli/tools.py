"""Tools around the pipeline: drafting a schema from a file, and reports of test runs (benchmarks, CI)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from adclick.cli.options import app
from adclick.cli.output import console
from adclick.errors import DataFileError
from adclick.files import read_json, write_text


@app.command("bench-report")
def bench_report(
    run: Annotated[Path, typer.Argument(help="pytest-benchmark JSON of this run (--benchmark-json).")],
    baseline: Annotated[Path | None, typer.Option(help="JSON of a baseline run (e.g. main) to compare with.")] = None,
    output: Annotated[Path | None, typer.Option(help="Write the markdown table here as well.")] = None,
) -> None:
    """Turn benchmark JSON into a markdown table: medians, ratios against budgets, change from a baseline."""
    from adclick.tooling.benchmarks import benchmarks_markdown

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
    from adclick.tooling.ci_report import ci_report as build

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

    from adclick.tooling import ml_test_score as rubric
    from adclick.tooling.junit import read_junit

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


@app.command("init-schema")
def init_schema(
    path: Annotated[Path, typer.Argument(help="Your labelled CSV or Parquet file.")],
    label: Annotated[str, typer.Option(help="The label column.")],
    positive: Annotated[str, typer.Option(help="The label's value that counts as positive.")],
    output: Annotated[Path, typer.Option(help="Folder for the draft (specs.py, params-data.yaml).")] = Path("drafts"),
) -> None:
    """Draft the schema module and the params.yaml lines for your file, to review and commit (docs/fork.md)."""
    from adclick.data.draft import draft
    from adclick.data.files import read_frame

    drafted = draft(read_frame(path), str(path), label=label, positive=positive)
    write_text(output / "specs.py", drafted.schema_module)
    write_text(output / "params-data.yaml", drafted.params_block)
    for note in drafted.notes:
        console.print(f"note: {note}", highlight=False)
    console.print(f"wrote {output / 'specs.py'} and {output / 'params-data.yaml'}; review them, then:")
    console.print(f"  cp {output / 'specs.py'} src/adclick/data/specs.py   # the schema module", highlight=False)
    console.print(
        "  and set the params-data.yaml lines in params.yaml; then `make demo` runs on your data", highlight=False
    )
