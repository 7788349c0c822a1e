"""Integrity and leakage checks on the train/test split of the data under test.

Each check is shown to pass on the data and, with a planted fault, to fail: a check that
cannot fail proves nothing. Tolerances come from `data_checks` in params.yaml.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from adclick.config import Settings
from adclick.data import contract, integrity
from adclick.data.shifts import shift_number
from tests.helpers.cases import BOUNDED, CATEGORICAL, MODEL_NUMBERS, NO_BOUNDS, NO_CATEGORY
from tests.helpers.judged import each

Split = tuple[pd.DataFrame, pd.DataFrame]


def test_no_id_is_in_both_train_and_test(split_under_test: Split) -> None:
    shared = integrity.shared_ids(*split_under_test)
    assert not shared, f"{len(shared)} ids in both train and test, e.g. {shared[:5]}"


def test_no_row_is_in_both_train_and_test(split_under_test: Split, valid_data: pd.DataFrame) -> None:
    duplicated = integrity.rows_in_both(*split_under_test)
    repeated = integrity.repeated_rows(valid_data)
    assert duplicated == 0, (
        f"{duplicated} test rows (features and label) also appear in train; the data itself repeats {repeated} "
        "rows: drop the copies from the file, or let `adclick prepare` keep them once (data.drop_duplicate_rows)"
    )


def test_positive_rates_of_train_and_test_agree(split_under_test: Split, params: Settings) -> None:
    gap = integrity.positive_rate_gap(*split_under_test)
    tolerance = params.data_checks.max_positive_rate_gap_between_splits
    assert gap <= tolerance, f"positive rate differs by {gap:.4f} between train and test (tolerance {tolerance})"


def test_no_single_feature_gives_the_label_away(split_under_test: Split, params: Settings) -> None:
    ceiling = params.data_checks.max_single_feature_auc
    leaky = {c: round(auc, 4) for c, auc in integrity.single_feature_auc(*split_under_test).items() if auc > ceiling}
    assert not leaky, f"features that predict the label alone with ROC AUC above {ceiling}: {leaky}"


def test_train_and_test_come_from_the_same_distribution(split_under_test: Split, params: Settings) -> None:
    alpha = params.data_checks.split_drift_alpha
    drifted = integrity.drifted_columns(integrity.split_drift_pvalues(*split_under_test), alpha)
    assert not drifted, f"columns whose train and test distributions differ (alpha {alpha}, Bonferroni): {drifted}"


# -- the checks catch what they guard against ------------------------------------------------


@pytest.fixture(scope="module")
def clean_split(small_split: Split) -> Split:
    return small_split


def test_shared_ids_are_found(clean_split: Split) -> None:
    train, test = clean_split
    leaked = pd.concat([test, train.head(3)], ignore_index=True)
    assert integrity.shared_ids(train, leaked) == sorted(train[contract.ID_COLUMN].head(3))


def test_a_row_copied_under_a_new_id_is_found(clean_split: Split) -> None:
    train, test = clean_split
    copied = train.head(4).assign(**{contract.ID_COLUMN: lambda f: "copy-" + f[contract.ID_COLUMN]})
    assert integrity.rows_in_both(train, pd.concat([test, copied], ignore_index=True)) == 4


def test_a_feature_derived_from_the_label_is_flagged_as_a_leak(clean_split: Split, params: Settings) -> None:
    train, test = (part.copy() for part in clean_split)
    leaky = BOUNDED[0]
    low, high = leaky.bounds  # type: ignore[misc]
    for part in (train, test):  # a value recorded after the outcome: a classic leak
        part[leaky.name] = np.where(part[contract.LABEL] == 1, high, low)
    auc = integrity.single_feature_auc(train, test)
    assert auc[leaky.name] > params.data_checks.max_single_feature_auc
    assert max(v for c, v in auc.items() if c != leaky.name) < params.data_checks.max_single_feature_auc


@pytest.mark.parametrize("leaky", each(CATEGORICAL[:1], NO_CATEGORY, ids=lambda s: s.name))
def test_a_category_that_encodes_the_label_is_flagged_as_a_leak(
    clean_split: Split, params: Settings, leaky: contract.FieldSpec
) -> None:
    train, test = (part.copy() for part in clean_split)
    levels = leaky.vocabulary  # type: ignore[misc]
    for part in (train, test):
        part[leaky.name] = np.where(part[contract.LABEL] == 1, levels[0], levels[1])
    assert integrity.single_feature_auc(train, test)[leaky.name] > params.data_checks.max_single_feature_auc


def test_an_unbalanced_split_is_found(clean_split: Split, params: Settings) -> None:
    train, test = clean_split
    positives_removed = test[test[contract.LABEL] == 0]
    tolerance = params.data_checks.max_positive_rate_gap_between_splits
    assert integrity.positive_rate_gap(train, positives_removed) > tolerance


@pytest.mark.parametrize("moved", each(MODEL_NUMBERS[:1], NO_BOUNDS, ids=lambda s: s.name))
def test_a_test_part_from_another_population_is_found(
    clean_split: Split, params: Settings, moved: contract.FieldSpec
) -> None:
    train, test = clean_split
    shifted = shift_number(test, moved.name, iqrs=1.0)
    drifted = integrity.drifted_columns(
        integrity.split_drift_pvalues(train, shifted), params.data_checks.split_drift_alpha
    )
    assert set(drifted) == {moved.name}, "exactly the column that was moved"


def test_rows_repeated_in_the_data_are_counted(clean_split: Split) -> None:
    train, _ = clean_split
    assert integrity.repeated_rows(pd.concat([train, train.head(5)], ignore_index=True)) == 5
