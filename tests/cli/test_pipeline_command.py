"""`adclick pipeline` runs every step end to end in a temp project with its own MLflow store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from adclick.config import load_settings
from adclick.data import contract
from adclick.data.schema import PREDICTION_COLUMNS, PROBABILITY
from adclick.model.metrics import slice_columns
from adclick.tracking.registry import CHAMPION, connect, find
from tests.helpers.cli import CliResult, inside, invoke

pytestmark = [pytest.mark.slow, pytest.mark.ml_test_score("infra-3")]  # the whole pipeline, end to end


@pytest.fixture(scope="module")
def pipeline_project(make_project: Callable[..., Path]) -> Path:
    return make_project("pipeline")


@pytest.fixture(scope="module")
def pipeline_run(pipeline_project: Path) -> CliResult:
    """One end-to-end run, shared by the tests below (module scope: the run costs seconds)."""
    with inside(pipeline_project):
        return invoke("pipeline")


def test_pipeline_exits_zero(pipeline_run: CliResult) -> None:
    assert pipeline_run.exit_code == 0, pipeline_run.stderr


def test_pipeline_registers_a_version_and_sets_champion(pipeline_run: CliResult, pipeline_project: Path) -> None:
    settings = load_settings(pipeline_project / "params.yaml", environ={})
    champion = find(connect(settings), settings.model.registered_name, CHAMPION)
    assert champion is not None, "no champion alias after the pipeline"
    assert champion.version == "1"
    assert f"version {champion.version}" in pipeline_run.stdout


def test_pipeline_prints_metrics_against_gates_and_output_paths(pipeline_run: CliResult) -> None:
    for text in ("min_roc_auc", "pass", "ROC AUC", "evaluation", "batch scores", "make ui"):
        assert text in pipeline_run.stdout, f"{text!r} missing from the summary"


def test_pipeline_prints_what_prepare_did_to_the_data(pipeline_run: CliResult, pipeline_project: Path) -> None:
    from adclick.data.sources import prepare

    notes = prepare(load_settings(pipeline_project / "params.yaml", environ={})).notes
    assert notes, "prepare always says where its rows came from"
    for note in notes:
        assert note in pipeline_run.stdout, f"prepare's note {note!r} hidden from the summary"


def test_pipeline_writes_every_step_output(pipeline_run: CliResult, pipeline_project: Path) -> None:
    for relative in (
        "data/raw/labelled.csv",
        "data/raw/to_score.csv",
        "data/split/train.csv",
        "data/split/test.csv",
        "data/predictions/to_score.scored.csv",
        "reports/evaluation.json",
        "reports/validation.json",
        "reports/validation.md",
    ):
        assert (pipeline_project / relative).is_file(), f"{relative} was not written"


def test_batch_scores_cover_every_input_row_with_a_probability(pipeline_run: CliResult, pipeline_project: Path) -> None:
    scored = pd.read_csv(pipeline_project / "data/predictions/to_score.scored.csv")
    to_score = pd.read_csv(pipeline_project / "data/raw/to_score.csv")
    assert list(scored.columns) == list(PREDICTION_COLUMNS)
    assert scored[contract.ID_COLUMN].tolist() == to_score[contract.ID_COLUMN].tolist()
    assert scored[PROBABILITY].between(0, 1).all()
    assert (scored["model_version"] == 1).all()


def test_evaluation_report_records_gates_and_slices(pipeline_run: CliResult, pipeline_project: Path) -> None:
    report = json.loads((pipeline_project / "reports/evaluation.json").read_text())
    assert report["passed"] is True
    assert {g["name"] for g in report["gates"]} == {
        "min_roc_auc",
        "min_auc_margin_over_dummy",
        "min_auc_margin_over_logistic",
        "max_auc_drop_vs_champion",
    }
    groupings = slice_columns(pd.read_csv(pipeline_project / "data/split/test.csv"))
    assert {s["slice"] for s in report["slices"]} == set(groupings)
