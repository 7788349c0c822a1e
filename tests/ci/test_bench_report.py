"""`python -m tools bench-report` turns pytest-benchmark JSON into the table people read on a pull request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.cli import invoke_tool
from tools.benchmarks import benchmarks_markdown


def _bench(name: str, median: float, **extra: Any) -> dict[str, Any]:
    return {"name": name, "stats": {"median": median}, "extra_info": extra}


def _ratio(name: str, ours: float, reference: float, budget: float) -> dict[str, Any]:
    ratio = ours / reference
    return _bench(
        name,
        ours * 1.1,
        our_seconds=ours,
        reference_seconds=reference,
        ratio=ratio,
        budget=budget,
        passed=ratio <= budget,
    )


RUN = {
    "machine_info": {"cpu": {"count": 2}, "python_version": "3.11.7"},
    "benchmarks": [
        _ratio("test_predict[1_rows]", ours=0.003, reference=0.001, budget=4.5),
        _ratio("test_validation[1M]", ours=0.9, reference=0.2, budget=3.0),
        _bench("test_training", 0.8),
    ],
}
BASELINE = {"benchmarks": [_bench("test_training", 1.0), _bench("test_removed", 0.1)]}


def test_each_benchmark_shows_time_reference_ratio_budget_and_result() -> None:
    text = benchmarks_markdown(RUN)
    assert "| `test_predict[1_rows]` | 3.000 ms | 1.000 ms | 3.00 | 4.50 | pass |" in text
    assert "| `test_training` | 800.000 ms | - | - | - | timed |" in text


def test_a_benchmark_over_budget_is_marked_and_counted_in_the_title() -> None:
    text = benchmarks_markdown(RUN)
    assert "| `test_validation[1M]` | 900.000 ms | 200.000 ms | 4.50 | 3.00 | **FAIL** |" in text
    assert text.startswith("## Benchmarks: **1 over budget**")


def test_a_baseline_adds_its_time_and_the_change() -> None:
    text = benchmarks_markdown(RUN, BASELINE)
    assert "| `test_training` | 800.000 ms | - | - | - | timed | 1000.000 ms | -20.0% |" in text
    assert "| 3.00 | 4.50 | pass | new | - |" in text
    assert "In the baseline only: `test_removed`" in text


def test_command_writes_the_table_and_prints_it(tmp_path: Path) -> None:
    run_json, output = tmp_path / "benchmarks.json", tmp_path / "out" / "benchmarks.md"
    run_json.write_text(json.dumps(RUN))
    result = invoke_tool("bench-report", run_json, "--output", output)
    assert result.exit_code == 0, result.stderr
    assert output.read_text() == benchmarks_markdown(RUN)
    assert "test_validation[1M]" in result.stdout


@pytest.mark.parametrize(
    "content", [None, "{not json", "[]", '{"benchmarks": {}}'], ids=["missing", "malformed", "a list", "no list"]
)
def test_a_missing_or_malformed_file_is_one_line_naming_it_and_exit_2(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "benchmarks.json"
    if content is not None:
        path.write_text(content)
    result = invoke_tool("bench-report", path)
    assert result.exit_code == 2
    assert "benchmarks.json" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
