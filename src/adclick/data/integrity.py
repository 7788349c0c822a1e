"""Integrity and leakage checks on a train/test split: the bugs a schema cannot see.

A schema judges rows one data set at a time. These checks compare the two parts of a split:
an id in both parts, the same row in both, a positive rate that differs, a feature that gives the
label away, or parts drawn from different distributions each make the test metrics lie.
Each function returns what it measured; the tests hold the values to params.yaml.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from adclick.data import contract
from adclick.data.drift import chi_square_p_value, ks_p_value


def shared_ids(train: pd.DataFrame, test: pd.DataFrame) -> list[str]:
    """Ids present in both parts (a leak: the model is tested on rows it was trained on)."""
    return sorted(set(train[contract.ID_COLUMN]) & set(test[contract.ID_COLUMN]))


def rows_in_both(train: pd.DataFrame, test: pd.DataFrame) -> int:
    """Test rows whose features and label also appear in train, whatever their ids."""
    columns = [*contract.FEATURES, contract.LABEL]
    train_rows = pd.util.hash_pandas_object(train[columns], index=False)
    test_rows = pd.util.hash_pandas_object(test[columns], index=False)
    return int(test_rows.isin(set(train_rows)).sum())


def repeated_rows(frame: pd.DataFrame) -> int:
    """Rows whose features and label repeat an earlier row of the same data: what puts the same
    row in both parts of any split (a source with duplicates, see `data.drop_duplicate_rows`)."""
    return int(frame.duplicated(subset=[*contract.FEATURES, contract.LABEL]).sum())


def positive_rate_gap(train: pd.DataFrame, test: pd.DataFrame) -> float:
    """Absolute difference of the positive rates of the two parts."""
    return abs(float(train[contract.LABEL].mean()) - float(test[contract.LABEL].mean()))


def _as_scores(train_column: pd.Series, test_column: pd.Series, label: pd.Series, categorical: bool) -> np.ndarray:
    """A feature as a score on test rows: its positive rate in train for a category, its value for
    a number (a missing value ranks below every value, so missingness itself can leak)."""
    if categorical:
        rates = label.groupby(train_column.to_numpy()).mean()
        return test_column.map(rates).fillna(float(label.mean())).to_numpy(float)
    values = test_column.astype(float)
    return values.fillna(values.min() - 1.0 if values.notna().any() else 0.0).to_numpy(float)


def single_feature_auc(train: pd.DataFrame, test: pd.DataFrame) -> dict[str, float]:
    """How well each feature alone ranks positives in test: ROC AUC folded to [0.5, 1].

    A categorical feature is scored by its positive rate per level learnt on train, so a column
    that merely identifies rows cannot look predictive by memorising test labels.
    """
    from sklearn.metrics import roc_auc_score

    label = test[contract.LABEL].to_numpy()
    if len(np.unique(label)) < 2:
        raise ValueError("single_feature_auc needs both classes in the test part")
    result: dict[str, float] = {}
    for column in contract.FEATURES:
        categorical = column in contract.CATEGORICAL_FEATURES
        scores = _as_scores(train[column], test[column], train[contract.LABEL], categorical)
        auc = float(roc_auc_score(label, scores))
        result[column] = max(auc, 1.0 - auc)
    return result


def split_drift_pvalues(train: pd.DataFrame, test: pd.DataFrame) -> dict[str, float]:
    """p-value per feature of "train and test come from the same distribution", by the drift
    module's own two-sample tests (`data.drift`): Kolmogorov-Smirnov for numbers, chi-square of
    the level counts for categories."""
    pvalues: dict[str, float] = {}
    for column in contract.FEATURES:
        a, b = train[column].dropna(), test[column].dropna()
        if not len(a) or not len(b):
            pvalues[column] = 1.0
        elif column in contract.CATEGORICAL_FEATURES:
            pvalues[column] = chi_square_p_value(a, b)
        else:
            pvalues[column] = ks_p_value(a.to_numpy(dtype=float), b.to_numpy(dtype=float))
    return pvalues


def drifted_columns(pvalues: dict[str, float], alpha: float) -> dict[str, float]:
    """Columns whose p-value is below `alpha`, Bonferroni-corrected for the number of columns."""
    threshold = alpha / max(len(pvalues), 1)
    return {column: p for column, p in pvalues.items() if p < threshold}
