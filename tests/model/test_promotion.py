"""Promotion: the champion alias moves only when the challenger's evidence in MLflow passes every
gate today, and never otherwise: not on a hand-edited report, not for a version never evaluated,
not against a champion that has changed since."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from adclick.data import contract
from adclick.errors import AdclickError, PromotionRefusedError
from adclick.model.build import FittedModels
from adclick.model.metrics import auc_spread_band
from adclick.model.predict import probabilities
from adclick.tracking.evaluation import evaluate_model
from adclick.tracking.promotion import promote, rollback
from adclick.tracking.registry import CHALLENGER, CHAMPION, alias_uri, find, load_sklearn, set_alias
from adclick.tracking.training import load_baselines, schema_sample, train_and_register
from tests.helpers.model import train_and_try_to_promote
from tests.helpers.store import TrainedProject

pytestmark = pytest.mark.ml_test_score("infra-4")


def test_first_trained_model_is_registered_and_becomes_champion(registry: TrainedProject) -> None:
    assert registry.first.ref.version == "1"
    assert registry.champion_version() == "1"


def test_registered_model_loads_back_with_identical_predictions(registry: TrainedProject, small_model) -> None:
    """The champion loaded from the registry predicts exactly what the fitted model it was logged from did."""
    model, ref = load_sklearn(registry.client, alias_uri(registry.settings, CHAMPION))
    assert ref.run_id == registry.first.ref.run_id
    np.testing.assert_array_equal(probabilities(model, registry.test), probabilities(small_model, registry.test))


def test_baselines_are_stored_with_the_training_run(registry: TrainedProject) -> None:
    baselines = load_baselines(registry.first.ref.run_id)
    assert set(baselines) == {"dummy", "logistic"}


def test_training_run_records_params_data_facts_metrics_and_datasets(registry: TrainedProject) -> None:
    run = registry.client.get_run(registry.first.ref.run_id)
    assert run.data.params["seed"] == str(registry.settings.seed)
    assert run.data.metrics["train_rows"] == len(registry.train)
    assert run.data.metrics["test_roc_auc"] == pytest.approx(registry.first.metrics["roc_auc"])
    assert {"train_digest", "test_digest"} <= set(run.data.tags)
    datasets = {d.dataset.name: d.dataset.digest for d in run.inputs.dataset_inputs}
    assert datasets == {"train": run.data.tags["train_digest"], "test": run.data.tags["test_digest"]}


def test_each_logged_data_set_carries_the_schema_mlflow_infers_from_the_whole_frame(registry: TrainedProject) -> None:
    from mlflow.models import infer_signature

    run = registry.client.get_run(registry.first.ref.run_id)
    logged = {d.dataset.name: json.loads(d.dataset.schema) for d in run.inputs.dataset_inputs}
    frames = {"train": registry.train, "test": registry.test}
    assert logged == {name: {"mlflow_colspec": infer_signature(f).inputs.to_dict()} for name, f in frames.items()}


def test_a_gap_after_the_schema_sample_still_makes_its_column_optional(registry: TrainedProject) -> None:
    from mlflow.models import infer_signature

    column = contract.FEATURES[0]
    frame = registry.train.assign(
        **{column: registry.train[column].where(np.arange(len(registry.train)) < len(registry.train) - 1)}
    )
    assert infer_signature(schema_sample(frame)).inputs == infer_signature(frame).inputs


@pytest.mark.ml_test_score("monitor-7")
@pytest.mark.slow  # trains and registers another version
def test_challenger_trained_on_shuffled_labels_is_refused_and_champion_stays(
    promotion_registry: TrainedProject, shuffled_train: pd.DataFrame
) -> None:
    registry = promotion_registry
    champion_before = registry.champion_version()
    result, _, refused = train_and_try_to_promote(registry, shuffled_train)

    checks = registry.settings.model_checks
    labels = registry.test[contract.LABEL].to_numpy()
    band = auc_spread_band(0.5, labels, checks.max_shuffled_label_auc_gap, checks.noise_standard_errors)
    assert abs(result.metrics["roc_auc"] - 0.5) <= band, "shuffled labels should carry no signal"
    assert refused is not None, "a model trained on shuffled labels must not be promoted"
    failed = {gate["name"] for gate in refused.failed_gates}
    assert {"min_roc_auc", "min_auc_margin_over_dummy", "max_auc_drop_vs_champion"} <= failed
    assert registry.champion_version() == champion_before
    assert find(registry.client, registry.settings.model.registered_name, CHALLENGER).version == result.ref.version


@pytest.mark.slow  # trains and registers another version
def test_a_report_edited_to_say_every_gate_passed_does_not_promote_a_failing_challenger(
    promotion_registry: TrainedProject, shuffled_train: pd.DataFrame
) -> None:
    registry = promotion_registry
    champion_before = registry.champion_version()
    _, report, refused = train_and_try_to_promote(registry, shuffled_train)
    assert refused is not None
    edited = {**report, "passed": True, "gates": [{**gate, "passed": True} for gate in report["gates"]]}

    with pytest.raises(PromotionRefusedError) as again:
        promote(registry.client, registry.settings.gates, edited)
    assert {g["name"] for g in again.value.failed_gates} == {g["name"] for g in refused.failed_gates}
    assert registry.champion_version() == champion_before


def test_promote_after_train_without_evaluate_is_refused_naming_the_challenger(
    promotion_registry: TrainedProject, small_fitted: FittedModels
) -> None:
    registry = promotion_registry
    last_report = evaluate_model(registry.settings, registry.champion.uri, registry.test, data_source="test")
    challenger = train_and_register(registry.settings, registry.train, registry.test, fitted=small_fitted).ref

    with pytest.raises(AdclickError, match=f"the challenger is version {challenger.version}"):
        promote(registry.client, registry.settings.gates, last_report)
    assert registry.champion_version() == registry.champion.version


def test_a_report_naming_a_challenger_never_evaluated_is_refused(
    promotion_registry: TrainedProject, small_fitted: FittedModels
) -> None:
    registry = promotion_registry
    challenger = train_and_register(registry.settings, registry.train, registry.test, fitted=small_fitted).ref
    forged = {"model": {"name": challenger.name, "version": challenger.version}, "passed": True, "gates": []}

    with pytest.raises(AdclickError, match="never evaluated"):
        promote(registry.client, registry.settings.gates, forged)
    assert registry.champion_version() == registry.champion.version


def test_gates_raised_since_the_evaluation_refuse_what_they_would_have_let_through(
    promotion_registry: TrainedProject, small_fitted: FittedModels
) -> None:
    registry = promotion_registry
    train_and_register(registry.settings, registry.train, registry.test, fitted=small_fitted)
    report = evaluate_model(registry.settings, alias_uri(registry.settings, CHALLENGER), registry.test, data_source="t")
    assert report["passed"], report["gates"]
    raised = registry.settings.gates.model_copy(update={"min_roc_auc": min(1.0, report["metrics"]["roc_auc"] + 0.01)})

    with pytest.raises(PromotionRefusedError) as refused:
        promote(registry.client, raised, report)
    assert [g["name"] for g in refused.value.failed_gates] == ["min_roc_auc"]
    assert registry.champion_version() == registry.champion.version


@pytest.mark.slow  # two promotions
def test_promotion_refuses_an_evaluation_made_against_an_older_champion(
    promotion_registry: TrainedProject, small_fitted: FittedModels
) -> None:
    registry = promotion_registry
    settings, client = registry.settings, registry.client
    stale = train_and_register(settings, registry.train, registry.test, fitted=small_fitted).ref
    stale_report = evaluate_model(settings, stale.uri, registry.test, data_source="test")
    _, _, refused = train_and_try_to_promote(registry, registry.train)  # a newer version becomes champion
    assert refused is None, refused
    set_alias(client, stale, CHALLENGER)

    with pytest.raises(AdclickError, match="evaluate` again"):
        promote(client, settings.gates, stale_report)
    assert registry.champion_version() not in (stale.version, registry.champion.version)


def test_promoting_the_current_champion_again_changes_nothing(promotion_registry: TrainedProject) -> None:
    # The report of a version that has since become champion still names the champion it was
    # compared with then: promoting from it again is a no-op, not a "stale report" error.
    registry = promotion_registry
    champion_before = registry.champion_version()
    champion_uri = alias_uri(registry.settings, CHAMPION)
    report = evaluate_model(registry.settings, champion_uri, registry.test, data_source="test")

    assert promote(registry.client, registry.settings.gates, report).version == champion_before
    assert registry.champion_version() == champion_before


@pytest.mark.ml_test_score("infra-7")
@pytest.mark.slow  # trains and registers another version
def test_rollback_puts_back_the_champion_a_promotion_replaced(promotion_registry: TrainedProject) -> None:
    registry = promotion_registry
    champion_before = registry.champion_version()
    result, _, refused = train_and_try_to_promote(registry, registry.train)  # the same data: it passes
    assert refused is None, refused
    assert registry.champion_version() == result.ref.version
    now, rolled_back = rollback(registry.client, registry.settings.model.registered_name)
    assert (now.version, rolled_back.version) == (champion_before, result.ref.version)
    assert registry.champion_version() == champion_before


@pytest.mark.ml_test_score("infra-7")
def test_rollback_of_a_first_champion_says_there_is_nothing_to_go_back_to(registry: TrainedProject) -> None:
    with pytest.raises(AdclickError, match="replaced no earlier champion"):
        rollback(registry.client, registry.settings.model.registered_name)
    assert registry.champion_version() == registry.champion.version
