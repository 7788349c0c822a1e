"""`python -m tools report` turns a folder of test outputs into the markdown people read on a pull request,
including when tests failed and when inputs are missing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import invoke_tool
from tools.ci_report import MARKER, ci_report
from tools.junit import read_junit

JUNIT_DATA = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4">
  <testcase classname="tests.data.test_schema" name="test_a" time="1.5"/>
  <testcase classname="tests.data.test_schema" name="test_b" time="0.5">
    <failure message="AssertionError: column 'amount' failed in_range">details</failure>
  </testcase>
  <testcase classname="tests.data.test_schema" name="test_c" time="0.1"><skipped message="n/a"/></testcase>
  <testcase classname="tests.data.test_schema" name="test_d" time="0.0">
    <skipped message="not judged: declare SLICES in the schema module"/>
  </testcase>
</testsuite></testsuites>
"""
JUNIT_MODEL_312 = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="1">
  <testcase classname="tests.model.test_gates" name="test_gate" time="2.0"/>
</testsuite></testsuites>
"""
COVERAGE = '<?xml version="1.0" ?><coverage line-rate="0.9123" branch-rate="0.85"></coverage>\n'
GATE = {"name": "min_roc_auc", "value": 0.78, "threshold": 0.75, "passed": True, "detail": "model AUC 0.7800"}
CHECK = {"name": "min_brier_skill", "value": 0.02, "threshold": 0.05, "passed": False, "detail": "Brier score"}
MODEL = {
    "model": {"name": "adclick", "version": "4"},
    "metrics": {"roc_auc": 0.78, "log_loss": 0.42, "brier": 0.2},
    "champion": {"version": "3", "metrics": {"roc_auc": 0.781}},
    "gates": [GATE],
    "checks": [CHECK],
    "slices": [{"slice": "segment", "value": "first", "rows": 900, "roc_auc": 0.77, "too_small": False}],
}
VALIDATION = {
    "source": "data/raw/labelled.csv",
    "rows": 1000,
    "labelled": True,
    "passed": False,
    "failures": [{"column": "amount", "check": "in_range(0.5, 2000.0)", "failures": 3, "examples": ["5000.0"]}],
}


@pytest.fixture
def outputs(tmp_path: Path) -> Path:
    (tmp_path / "junit-data.xml").write_text(JUNIT_DATA)
    (tmp_path / "junit-model-py3.12.xml").write_text(JUNIT_MODEL_312)
    (tmp_path / "coverage.xml").write_text(COVERAGE)
    (tmp_path / "model-report.json").write_text(json.dumps(MODEL))
    (tmp_path / "validation.json").write_text(json.dumps(VALIDATION))
    return tmp_path


def test_tests_are_counted_per_layer_with_the_matrix_suffix(outputs: Path) -> None:
    text = ci_report(outputs)
    assert "| data | 4 | 1 | 1 | 0 | 1 | 1 | 2 s | **FAIL** |" in text
    assert "| model-py3.12 | 1 | 1 | 0 | 0 | 0 | 0 | 2 s | pass |" in text


def test_what_the_data_could_not_judge_is_listed_apart_from_skips(outputs: Path) -> None:
    assert "Not judged on this data (what it lacks):\n\n- declare SLICES in the schema module (1 test)\n" in ci_report(
        outputs
    )


def test_failed_tests_are_listed_with_their_message(outputs: Path) -> None:
    assert "- `tests.data.test_schema::test_b` (data): AssertionError: column 'amount' failed in_range" in ci_report(
        outputs
    )


def test_coverage_is_shown_against_the_floor(outputs: Path) -> None:
    assert "Lines 91.2%, branches 85.0% (floor 95%: **FAIL**)." in ci_report(outputs, coverage_floor=95)
    assert "(floor 85%: pass)" in ci_report(outputs, coverage_floor=85)


def test_model_section_shows_the_champion_and_what_failed(outputs: Path) -> None:
    text = ci_report(outputs)
    assert "### Model: adclick version 4" in text
    assert "champion (version 3) 0.7810" in text
    assert "**1 failed**: min_brier_skill" in text
    assert "| `min_roc_auc` | 0.7800 | 0.7500 | pass | model AUC 0.7800 |" in text


def test_invalid_data_is_a_table_of_failures(outputs: Path) -> None:
    assert "| `amount` | in_range(0.5, 2000.0) | 3 | 5000.0 |" in ci_report(outputs)


def test_the_title_counts_failing_sections_and_the_marker_comes_first(outputs: Path) -> None:
    text = ci_report(outputs, coverage_floor=95)
    assert text.startswith(MARKER + "\n## adclick CI report: 4 sections failing")


def test_missing_inputs_are_reported_as_not_run(tmp_path: Path) -> None:
    text = ci_report(tmp_path)
    assert "## adclick CI report: all green" in text
    for what in (
        "junit*.xml",
        "coverage.xml",
        "model-report.json",
        "validation.json",
        "benchmarks.json",
        "fork-check.json",
    ):
        assert f"no `{what}`" in text


def test_present_only_leaves_out_sections_without_inputs(tmp_path: Path) -> None:
    (tmp_path / "junit-cli.xml").write_text(JUNIT_MODEL_312.replace("tests.model", "tests.cli"))
    text = ci_report(tmp_path, present_only=True)
    assert "### Tests" in text
    assert "### Benchmarks" not in text
    assert "Not run" not in text


def test_a_fork_example_that_failed_its_layers_fails_the_report_naming_the_target(tmp_path: Path) -> None:
    forks = [
        {"name": "clinic", "files": ["params.yaml"], "drafted_lines": 40, "hand_lines": 12, "failed": [],
         "not_judged": {"declare SLICES in specs.py": 2, "declare DIRECTIONS in specs.py": 1}},
        {"name": "shop", "files": ["params.yaml"], "drafted_lines": 30, "hand_lines": 9, "failed": ["test"],
         "not_judged": {}},
    ]  # fmt: skip
    (tmp_path / "fork-check.json").write_text(json.dumps(forks))
    text = ci_report(tmp_path, present_only=True)
    assert "| clinic | 1 | 40 | 12 | pass | 3 |" in text
    assert "| shop | 1 | 30 | 9 | FAILED: test | 0 |" in text
    assert "1 section failing" in text


def test_each_python_version_of_a_matrix_job_keeps_its_row(outputs: Path) -> None:
    (outputs / "junit-model-py3.11.xml").write_text(JUNIT_MODEL_312)
    text = ci_report(outputs)
    assert "| model-py3.11 | 1 |" in text
    assert "| model-py3.12 | 1 |" in text


def test_a_test_in_two_files_counts_once(outputs: Path) -> None:
    (outputs / "junit.xml").write_text(JUNIT_DATA)  # the whole-suite run beside the layer run
    cases = read_junit(sorted(outputs.glob("junit*.xml")))
    assert len([c for c in cases if c.layer == "data"]) == 4


def test_command_writes_the_report_file(outputs: Path) -> None:
    result = invoke_tool("report", outputs, "--output", outputs / "summary.md")
    assert result.exit_code == 0, result.stderr
    assert (outputs / "summary.md").read_text().startswith(MARKER)


def test_command_names_a_missing_folder(tmp_path: Path) -> None:
    result = invoke_tool("report", tmp_path / "nowhere")
    assert result.exit_code != 0
    assert "nowhere" in result.stderr
