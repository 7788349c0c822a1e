"""The ML Test Score (Breck et al., 2017) is computed from the tests' own results: an item is 1
when a passing automated test declares it, 0.5 when done by hand with evidence that exists, 0
otherwise, and the score is the weakest section's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.project import REPO_ROOT
from tools import ml_test_score
from tools.ci_report import ci_report
from tools.junit import TestCase, read_junit

NOTHING_BY_HAND: dict[str, dict] = {"manual": {}, "not_yet": {}}


def _case(items: str, outcome: str = "passed", name: str = "tests/x.py::test_x") -> TestCase:
    return TestCase("x", name, outcome, "", 0.0, {ml_test_score.PROPERTY: items})


def _item(card: ml_test_score.Scorecard, item: str) -> ml_test_score.Item:
    return next(i for i in card.items if i.id == item)


def test_an_item_a_passing_test_declares_scores_one() -> None:
    assert _item(ml_test_score.score([_case("data-1")], NOTHING_BY_HAND), "data-1").points == 1.0


def test_an_item_whose_test_fails_scores_zero_and_names_the_test() -> None:
    card = ml_test_score.score([_case("data-1"), _case("data-1", "failed", "tests/y.py::test_y")], NOTHING_BY_HAND)
    assert (_item(card, "data-1").points, _item(card, "data-1").detail) == (0.0, "failing: tests/y.py::test_y")


def test_a_skipped_test_covers_nothing() -> None:
    assert _item(ml_test_score.score([_case("data-1", "skipped")], NOTHING_BY_HAND), "data-1").points == 0.0


def test_work_done_by_hand_scores_half_only_while_its_evidence_exists(tmp_path: Path) -> None:
    manual = {"manual": {"model-1": {"evidence": "review.md", "how": "reviewed"}}, "not_yet": {}}
    before = _item(ml_test_score.score([], manual, tmp_path), "model-1").points
    (tmp_path / "review.md").write_text("how a model change is reviewed")
    after = _item(ml_test_score.score([], manual, tmp_path), "model-1").points
    assert (before, after) == (0.0, 0.5)


def test_the_score_is_the_weakest_section() -> None:
    everything_but_monitoring = [_case(item) for item in ml_test_score.RUBRIC if not item.startswith("monitor-")]
    card = ml_test_score.score([*everything_but_monitoring, _case("monitor-1")], NOTHING_BY_HAND)
    assert card.sections["Data"] == 7
    assert card.final == 1.0


@pytest.mark.parametrize(
    ("final", "starts"), [(0, "More of a research"), (1, "Not totally"), (3.5, "Strong"), (6, "Exceptional")]
)
def test_the_band_follows_the_paper(final: float, starts: str) -> None:
    assert ml_test_score.band(final).startswith(starts)


@pytest.mark.slow  # a pytest run of its own
def test_a_test_naming_an_item_the_rubric_lacks_fails_the_collection(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text(
        'import pytest\n\n@pytest.mark.ml_test_score("data-99")\ndef test_x():\n    pass\n'
    )
    command = [sys.executable, "-m", "pytest", "-p", "tests.plugins.ml_test_score", "-q", "test_x.py"]
    done = subprocess.run(command, cwd=tmp_path, env={"PYTHONPATH": str(REPO_ROOT)}, capture_output=True, text=True)
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert "data-99" in done.stderr


@pytest.mark.slow  # a pytest run of its own
def test_a_marked_test_carries_its_items_into_the_junit_xml(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text(
        'import pytest\n\n@pytest.mark.ml_test_score("infra-1")\ndef test_x():\n    pass\n'
    )
    command = [sys.executable, "-m", "pytest", "-p", "tests.plugins.ml_test_score", "-q", "--junitxml=junit.xml"]
    subprocess.run([*command, "test_x.py"], cwd=tmp_path, env={"PYTHONPATH": str(REPO_ROOT)}, capture_output=True)
    (case,) = read_junit([tmp_path / "junit.xml"])
    assert case.properties[ml_test_score.PROPERTY] == "infra-1"


def test_the_ci_report_has_the_score(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    junit.write_text(
        '<testsuites><testsuite><testcase classname="tests.data.test_x" name="test_x"><properties>'
        '<property name="ml_test_score" value="data-1" /></properties></testcase></testsuite></testsuites>'
    )
    assert "### ML Test Score: 0 (the weakest section)" in ci_report(tmp_path)


def test_the_manual_file_names_rubric_items_and_evidence_that_exists() -> None:
    manual = ml_test_score.load_manual(REPO_ROOT / ml_test_score.MANUAL_FILE)
    assert not ml_test_score.unknown_items([*manual["manual"], *manual["not_yet"]])
    assert all((REPO_ROOT / entry["evidence"]).exists() for entry in manual["manual"].values())
