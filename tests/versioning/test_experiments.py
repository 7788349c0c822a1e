"""`adclick experiments`: a grid of trainings as MLflow child runs under one parent, compared on
the gate metric, the best registered as challenger; only the gates move the champion."""

from __future__ import annotations

import pytest

from adclick.data.validation import validate
from adclick.errors import ConfigError
from adclick.pipeline import Layout, read_data
from adclick.tracking.experiments import RANKED_BY, run_grid
from adclick.tracking.gates import GATES
from adclick.tracking.registry import CHALLENGER, find, set_alias

pytestmark = pytest.mark.ml_test_score("model-3")


def _children(grid_project, grid) -> list:
    parent = grid["result"].parent_run_id
    experiment = grid_project.client.get_experiment_by_name(grid_project.settings.mlflow.experiment)
    return grid_project.client.search_runs(
        [experiment.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{parent}'"
    )


def test_the_grid_logs_one_child_run_per_combination_under_one_parent(grid_project, grid) -> None:
    assert len(_children(grid_project, grid)) == len(grid_project.settings.experiments.combinations())


def test_each_child_run_records_its_own_parameters(grid_project, grid) -> None:
    logged = {
        (run.data.params["hgb_learning_rate"], run.data.params["hgb_max_leaf_nodes"])
        for run in _children(grid_project, grid)
    }
    expected = {
        (str(c["model.hist_gradient_boosting.learning_rate"]), str(c["model.hist_gradient_boosting.max_leaf_nodes"]))
        for c in grid_project.settings.experiments.combinations()
    }
    assert logged == expected


def test_the_comparison_is_sorted_by_the_gate_metric_on_validation_data(grid) -> None:
    scores = [row[RANKED_BY] for row in grid["rows"]]
    assert scores == sorted(scores, reverse=True)


def test_every_child_shows_every_gates_verdict(grid_project, grid) -> None:
    gates = {f"gate {name}" for name in GATES}
    assert all(gates <= set(row) for row in grid["rows"])


def test_the_best_child_is_registered_as_challenger(grid_project, grid) -> None:
    challenger = find(grid_project.client, grid_project.settings.model.registered_name, CHALLENGER)
    assert challenger.run_id == grid["rows"][0]["run_id"]


def test_the_grid_leaves_the_champion_where_it_was(grid_project, grid) -> None:
    assert grid_project.champion_version() == grid_project.champion.version


@pytest.mark.ml_test_score("infra-1")
def test_the_same_parameters_give_identical_metrics(grid_project, grid) -> None:
    best, layout = grid["result"].best, Layout(grid_project.settings)
    again_settings = grid_project.settings.with_overrides(
        {"experiments.grid": {key: [value] for key, value in best.overrides.items()}}
    )
    train, test = (validate(read_data(path), labelled=True) for path in (layout.train, layout.test))
    again = run_grid(again_settings, train, test, read={})
    set_alias(grid_project.client, grid["result"].challenger, CHALLENGER)  # as the grid left it
    assert again.best.validation == best.validation
    assert again.best.logged.metrics == best.logged.metrics


def test_the_comparison_is_written_as_markdown_csv_json_and_a_picture(grid) -> None:
    assert all(path.stat().st_size > 0 for path in grid["written"].values())
    assert set(grid["written"]) == {"markdown", "csv", "json", "png"}


def test_a_grid_key_that_is_not_in_params_is_a_clear_error(params) -> None:
    with pytest.raises(ConfigError, match=r"'model\.hgb\.learning_rate' is not a key of params\.yaml"):
        params.with_overrides({"model.hgb.learning_rate": 0.1})
