"""What the DVC stages version beside the registry: the evaluation's flat metrics and reliability
points, the promotion decision either way, and `adclick sample`, the walkthrough's data."""

from __future__ import annotations

import json

import pandas as pd

from adclick import pipeline
from adclick.data import shifts
from adclick.data.files import write_frame
from adclick.pipeline import Layout
from tests.helpers.cli import invoke


def test_evaluate_writes_the_headline_metrics_flat_for_dvc(grid_project, grid) -> None:
    report = pipeline.evaluate(grid_project.settings)
    metrics = json.loads(Layout(grid_project.settings).metrics.read_text())
    assert metrics["roc_auc"] == report["metrics"]["roc_auc"]
    assert metrics["gates_passed"] == int(report["passed"])


def test_evaluate_writes_the_reliability_curve_as_points_for_dvc_plots(grid_project, grid) -> None:
    report = pipeline.evaluate(grid_project.settings)
    points = pd.read_csv(Layout(grid_project.settings).reliability_points)
    assert len(points) == len(report["calibration"]["bins"])
    assert list(points.columns) == ["mean_probability", "positive_rate", "rows"]


def test_a_refused_promotion_exits_1_and_is_recorded(refused_evaluation) -> None:
    config, evaluation = refused_evaluation
    result = invoke("promote", "--config", config, "--evaluation", evaluation)
    recorded = json.loads((config.parent / "reports" / "promotion.json").read_text())
    assert result.exit_code == 1, result.stdout + result.stderr
    assert recorded["promoted"] == 0
    assert recorded["champion"] is None
    assert recorded["failed_gates"] == ["min_roc_auc"]


def test_a_refused_promotion_exits_0_with_exit_zero_as_a_pipeline_stage_wants(refused_evaluation) -> None:
    config, evaluation = refused_evaluation
    result = invoke("promote", "--config", config, "--evaluation", evaluation, "--exit-zero")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "refused" in result.stdout


def test_sample_with_a_shift_moves_the_drifting_features_up_and_nothing_else(small_settings, tmp_path) -> None:
    same, moved = tmp_path / "same.csv", tmp_path / "moved.csv"
    pipeline.sample(small_settings, same, rows=500, batch=3)
    result = pipeline.sample(small_settings, moved, rows=500, batch=3, shift_iqrs=1.0)
    before, after = pd.read_csv(same), pd.read_csv(moved)
    assert result["shifted"] == shifts.drifting_columns(small_settings)
    for column in result["shifted"]:
        assert (after[column] >= before[column]).all()
        assert (after[column] > before[column]).any()
    untouched = [c for c in before.columns if c not in result["shifted"]]
    pd.testing.assert_frame_equal(before[untouched], after[untouched])


def test_sample_refuses_to_overwrite_the_data_source(make_project, small_data, tmp_path) -> None:
    source = write_frame(small_data, tmp_path / "team.csv")
    config = make_project("own_file", data={"source": str(source)}) / "params.yaml"
    result = invoke("sample", "--config", config, "--output", source, "--rows", "10")
    assert result.exit_code == 2
    assert str(source) in result.stderr
    assert "Traceback" not in result.stderr


def test_sample_to_json_writes_a_request_body_the_service_accepts(small_settings, tmp_path) -> None:
    from adclick.serve.request_contract import PredictRequest

    result = pipeline.sample(small_settings, tmp_path / "request.json", rows=2)
    request = PredictRequest.model_validate(json.loads(result["output"].read_text()))
    assert len(request.records) == result["rows"] == 2
