"""Each step runs alone from the files the previous one left on disk, as a user debugging one step would."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from adclick.config import load_settings
from adclick.data import contract
from adclick.tracking.registry import CHALLENGER, CHAMPION, connect, find
from tests.helpers.cli import CliResult, inside, invoke

STEPS: dict[str, tuple[str, ...]] = {
    "prepare": ("prepare",),
    "validate": ("validate", "data/raw/labelled.csv"),
    "train": ("train",),
    "evaluate": ("evaluate",),
    "promote": ("promote",),
    "predict": ("predict", "data/raw/to_score.csv", "--output", "scores.csv"),
}


pytestmark = pytest.mark.slow  # each step of the pipeline in turn, for real


@pytest.fixture(scope="module")
def steps_project(make_project: Callable[..., Path]) -> Path:
    return make_project("steps")


@pytest.fixture(scope="module")
def step_results(steps_project: Path) -> dict[str, CliResult]:
    """Run the steps one command at a time, in order, stopping at the first that fails."""
    results: dict[str, CliResult] = {}
    with inside(steps_project):
        for name, args in STEPS.items():
            results[name] = invoke(*args)
            if results[name].exit_code != 0:
                break
    return results


@pytest.mark.parametrize("step", list(STEPS))
def test_step_exits_zero_on_the_previous_steps_files(step_results: dict[str, CliResult], step: str) -> None:
    assert step in step_results, f"an earlier step failed: {list(step_results)}"
    result = step_results[step]
    assert result.exit_code == 0, f"`adclick {' '.join(STEPS[step])}` failed:\n{result.stderr}"


def test_train_registers_the_new_version_as_challenger(step_results: dict[str, CliResult], steps_project: Path) -> None:
    settings = load_settings(steps_project / "params.yaml", environ={})
    challenger = find(connect(settings), settings.model.registered_name, CHALLENGER)
    assert challenger is not None, "train did not set the challenger alias"
    assert f"version {challenger.version} as challenger" in step_results["train"].stdout


def test_evaluate_prints_the_gates_and_writes_the_report(
    step_results: dict[str, CliResult], steps_project: Path
) -> None:
    assert "min_auc_margin_over_logistic" in step_results["evaluate"].stdout
    report = json.loads((steps_project / "reports/evaluation.json").read_text())
    assert report["model"]["version"] == "1"


def test_promote_makes_the_evaluated_version_champion(step_results: dict[str, CliResult], steps_project: Path) -> None:
    settings = load_settings(steps_project / "params.yaml", environ={})
    champion = find(connect(settings), settings.model.registered_name, CHAMPION)
    assert champion is not None, "promote did not set the champion alias"
    assert champion.version == "1"


def test_predict_scores_every_row_of_the_given_file(step_results: dict[str, CliResult], steps_project: Path) -> None:
    scored = pd.read_csv(steps_project / "scores.csv")
    to_score = pd.read_csv(steps_project / "data/raw/to_score.csv")
    assert scored[contract.ID_COLUMN].tolist() == to_score[contract.ID_COLUMN].tolist()
    assert "version 1" in step_results["predict"].stdout
