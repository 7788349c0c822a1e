"""deepchecks suites with explicit conditions, run in their own environment (make test-deepchecks).

deepchecks 0.19.1 only runs on an older stack (numpy < 2, scikit-learn < 1.8, see
docs/dependencies.md), so these tests run in .venv-deepchecks, where the model is trained with
that environment's scikit-learn; in the main environment they are deselected, not skipped.
Every condition's threshold is in params.yaml (`deepchecks`).
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from adclick.config import DeepchecksSettings, Settings
from adclick.data import contract
from adclick.data.shifts import shift_number
from tests.helpers.cases import MODEL_NUMBERS

pytestmark = pytest.mark.deepchecks

Split = tuple[pd.DataFrame, pd.DataFrame]


def _dataset(frame: pd.DataFrame) -> Any:
    from deepchecks.tabular import Dataset

    return Dataset(
        frame, label=contract.LABEL, features=list(contract.FEATURES), cat_features=list(contract.CATEGORICAL_FEATURES)
    )


def integrity_and_drift_checks(limits: DeepchecksSettings) -> list[Any]:
    """Data integrity on each part, and train-test validation: drift and leakage."""
    from deepchecks.tabular import checks

    return [
        checks.MixedNulls().add_condition_different_nulls_less_equal_to(1),
        checks.DataDuplicates().add_condition_ratio_less_or_equal(0),
        checks.ConflictingLabels().add_condition_ratio_of_conflicting_labels_less_or_equal(0),
        checks.FeatureLabelCorrelation().add_condition_feature_pps_less_than(limits.max_feature_label_pps),
        checks.FeatureDrift().add_condition_drift_score_less_than(limits.max_feature_drift),
        checks.LabelDrift().add_condition_drift_score_less_than(limits.max_label_drift),
        checks.MultivariateDrift().add_condition_overall_drift_value_less_than(limits.max_multivariate_drift),
        checks.TrainTestSamplesMix().add_condition_duplicates_ratio_less_or_equal(0),
        # New categories in test: only where the data has categories (the check cannot run otherwise).
        *(
            [checks.NewCategoryTrainTest().add_condition_new_categories_less_or_equal(0)]
            if contract.VOCABULARIES
            else []
        ),
        checks.FeatureLabelCorrelationChange().add_condition_feature_pps_difference_less_than(limits.max_pps_change),
    ]


def model_evaluation_checks(limits: DeepchecksSettings) -> list[Any]:
    """The gain over a simple model and the train-test gap, on ROC AUC."""
    from deepchecks.tabular import checks

    auc = {"AUC": "roc_auc"}
    return [
        checks.SimpleModelComparison(scorers=auc).add_condition_gain_greater_than(limits.min_auc_gain_over_simple_model),
        checks.TrainTestPerformance(scorers=auc)
        .add_condition_train_test_relative_degradation_less_than(limits.max_train_test_auc_degradation),
    ]  # fmt: skip


def weak_segments_check(limits: DeepchecksSettings) -> Any:
    """Segments over the 5 most important features on up to 5,000 rows (1.5 s instead of 27 s).
    Run on the test part alone: on the training part a model may make too few errors for
    deepchecks to learn where they are (it cannot run on the breast cancer example's)."""
    from deepchecks.tabular import checks

    return checks.WeakSegmentsPerformance(
        n_top_features=5, n_samples=5_000
    ).add_condition_segments_relative_performance_greater_than(limits.min_weak_segment_relative_accuracy)


def _run(suite: Any, split: Split, model: Any = None, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deepchecks' own deprecation noise on the old stack
        return suite.run(train_dataset=_dataset(split[0]), test_dataset=_dataset(split[1]), model=model, **kwargs)


def _failures(result: Any) -> list[str]:
    """Every failed condition, and every check that could not run on this data (and why)."""
    not_run = [
        f"{check.get_header()}: did not run: {check.exception}"
        for check in result.results
        if hasattr(check, "exception")
    ]
    return not_run + [
        f"{check.get_header()}: {condition.details}"
        for check in result.results
        if hasattr(check, "conditions_results")
        for condition in check.conditions_results
        if not condition.is_pass()
    ]


@pytest.fixture(scope="module")
def feature_importance(small_model: Any, small_split: Split) -> pd.Series:
    """Permutation importance on 2,000 test rows (1 s), handed to deepchecks instead of its own (minutes)."""
    from sklearn.inspection import permutation_importance

    sample = small_split[1].head(2_000)
    measured = permutation_importance(
        small_model,
        sample[list(contract.FEATURES)],
        sample[contract.LABEL],
        scoring="roc_auc",
        n_repeats=3,
        random_state=0,
    )
    return pd.Series(measured.importances_mean.clip(min=0.0), index=list(contract.FEATURES))


def test_suite_of_chosen_checks_passes_and_saves_its_report(
    params: Settings,
    small_model: Any,
    small_split: Split,
    feature_importance: pd.Series,
    reports_dir: Path,
) -> None:
    from deepchecks.tabular import Suite

    limits = params.deepchecks
    suite = Suite("adclick", *integrity_and_drift_checks(limits), *model_evaluation_checks(limits))
    result = _run(suite, small_split, small_model, feature_importance=feature_importance)
    result.save_as_html(str(reports_dir / "deepchecks.html"), as_widget=False)
    assert result.passed(fail_if_warning=False, fail_if_check_not_run=True), "\n".join(_failures(result))


def test_the_drift_checks_fail_on_a_test_part_from_another_population(params: Settings, small_split: Split) -> None:
    """The suite is only worth running if it fails on drift: a covariate-shifted test part must fail it."""
    from deepchecks.tabular import Suite

    train, test = small_split
    shifted = test
    for spec in MODEL_NUMBERS[:2]:  # the most distinct-valued numbers the model sees, moved by one IQR each
        shifted = shift_number(shifted, spec.name, iqrs=1.0)
    result = _run(Suite("drift", *integrity_and_drift_checks(params.deepchecks)), (train, shifted))
    failures = _failures(result)
    assert any(f.startswith("Feature Drift") for f in failures), failures
    assert any(f.startswith("Multivariate Drift") for f in failures), failures


def test_the_weakest_segment_of_the_test_part_is_within_its_limit(
    params: Settings, small_model: Any, small_split: Split, feature_importance: pd.Series
) -> None:
    from deepchecks.tabular import Suite

    suite = Suite("weak segments", weak_segments_check(params.deepchecks))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = suite.run(
            train_dataset=_dataset(small_split[1]), model=small_model, feature_importance=feature_importance
        )
    assert result.passed(fail_if_warning=False, fail_if_check_not_run=True), "\n".join(_failures(result))
