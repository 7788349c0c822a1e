"""`adclick drift`, `adclick degradation` and `adclick monitor` as a scheduled job runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from adclick.data import contract, shifts
from adclick.data.files import write_frame
from adclick.monitoring.degradation import CLEAN
from adclick.monitoring.render import MAX_PICTURES, pictured
from adclick.pipeline import Layout
from tests.helpers.cases import NO_CATEGORY
from tests.helpers.cli import invoke
from tests.helpers.judged import needs

FRESH_ROWS = 1000


def _drift(project, current: Path):
    return invoke("drift", Layout(project.settings).train, current, "--config", project.config)


def test_drift_exits_0_on_a_fresh_sample_of_the_training_distribution(monitored_project, data_like, tmp_path) -> None:
    current = write_frame(data_like(FRESH_ROWS, 5, batch=3), tmp_path / "fresh.csv")
    result = _drift(monitored_project, current)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_drift_exits_1_and_names_the_shifted_columns(monitored_project, data_like, params, tmp_path) -> None:
    columns = shifts.drifting_columns(params)
    current = write_frame(shifts.shifted(data_like(FRESH_ROWS, 5, batch=3), columns, 1.0), tmp_path / "shifted.csv")
    result = _drift(monitored_project, current)
    assert result.exit_code == 1
    assert all(column in result.stdout for column in columns), result.stdout


def test_drift_with_exit_zero_reports_the_drift_and_exits_0(monitored_project, data_like, params, tmp_path) -> None:
    """As a pipeline stage runs it (dvc.yaml): the drift is a finding in the report, not a failure."""
    columns = shifts.drifting_columns(params)
    current = write_frame(shifts.shifted(data_like(FRESH_ROWS, 5, batch=3), columns, 1.0), tmp_path / "shifted.csv")
    result = invoke("drift", Layout(monitored_project.settings).train, current, "--config", monitored_project.config,
                    "--exit-zero")  # fmt: skip
    report = json.loads((monitored_project.settings.reports_dir / "drift.json").read_text())
    assert result.exit_code == 0, result.stdout + result.stderr
    assert report["drifted"] is True


def test_drift_writes_an_html_report_that_opens_offline(monitored_project, data_like, tmp_path) -> None:
    current = write_frame(data_like(FRESH_ROWS, 6, batch=3), tmp_path / "fresh.csv")
    _drift(monitored_project, current)
    page = (monitored_project.settings.reports_dir / "drift.html").read_text()
    report = json.loads((monitored_project.settings.reports_dir / "drift.json").read_text())
    pictures = page.count("<img ")
    assert pictures == len(pictured(report["columns"])) + 1  # the columns that moved most, and the predictions
    assert page.count("src='data:image/png;base64,") == pictures


def test_drift_of_a_missing_file_names_it_and_exits_non_zero(monitored_project, tmp_path) -> None:
    result = _drift(monitored_project, tmp_path / "absent.csv")
    assert result.exit_code not in (0, 1)
    assert "absent.csv" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.ml_test_score("model-4")
def test_degradation_measures_every_scenario_against_clean(degradation_table) -> None:
    assert degradation_table.loc[CLEAN, "roc_auc_change"] == 0.0
    assert len(degradation_table) > 1


@pytest.mark.ml_test_score("model-4")
def test_degradation_shows_concept_drift_invisible_in_the_inputs(degradation_table) -> None:
    assert degradation_table.loc["concept_drift", "drifted_columns"] == []


@needs(contract.CATEGORICAL_FEATURES, NO_CATEGORY)
def test_degradation_finds_an_unseen_level_refused_by_validation(degradation_table) -> None:
    assert degradation_table.loc["unseen_category", "validation"]["passed"] is False


@pytest.mark.ml_test_score("model-4")
def test_degradation_finds_the_covariate_shift_in_the_inputs(degradation_table) -> None:
    assert bool(degradation_table.loc["covariate_shift", "data_drifted"]) is True


def test_monitor_writes_the_tracking_table_with_the_live_services_latency(monitored_project) -> None:
    result = invoke("monitor", "--config", monitored_project.config, "--days", "2")
    assert result.exit_code == 0, result.stdout + result.stderr
    table = pd.read_csv(monitored_project.settings.reports_dir / "monitoring.csv")
    assert len(table) == 2
    assert table["p95_latency_ms"].notna().all()


def test_a_drift_page_draws_every_drifted_column_and_the_nearest_to_drifting_up_to_a_dozen() -> None:
    columns = [
        {"column": f"c{i}", "method": "ks p-value", "statistic": p, "threshold": 0.05, "drifted": p <= 0.05}
        for i, p in enumerate([0.9, 0.01, *([0.5] * MAX_PICTURES), 0.06, 0.001])
    ]
    shown = [c["column"] for c in pictured(columns)]
    assert shown[:3] == ["c15", "c1", "c14"], "drifted first, the most drifted first, then the nearest"
    assert len(shown) == MAX_PICTURES
