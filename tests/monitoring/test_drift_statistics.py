"""Each drift statistic is the scipy computation Evidently documents, on fixed inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import spatial, stats

from adclick.data.drift import (
    EMPTY_BIN,
    chi_square_p_value,
    column_drift,
    jensen_shannon,
    ks_p_value,
    psi,
    wasserstein_normed,
    z_test_p_value,
)

BEFORE = np.array([1.0, 2.0, 2.5, 3.0, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0])
AFTER = np.array([2.0, 3.5, 4.0, 5.0, 5.5, 6.0, 7.5, 8.0, 9.0, 10.0])
LEVELS_BEFORE = pd.Series(list("aaaabbbccd"))
LEVELS_AFTER = pd.Series(list("aabbbbcccd"))


def test_ks_p_value_is_scipys_two_sample_test() -> None:
    assert ks_p_value(BEFORE, AFTER) == stats.ks_2samp(BEFORE, AFTER).pvalue


def test_chi_square_is_scipys_two_sample_contingency_test() -> None:
    table = np.array([[4, 3, 2, 1], [2, 4, 3, 1]])
    assert chi_square_p_value(LEVELS_BEFORE, LEVELS_AFTER) == pytest.approx(
        stats.chi2_contingency(table, correction=False).pvalue, rel=1e-12
    )


def test_for_two_levels_chi_square_and_the_z_test_agree() -> None:
    before, after = pd.Series(list("a" * 30 + "b" * 70)), pd.Series(list("a" * 45 + "b" * 55))
    assert chi_square_p_value(before, after) == pytest.approx(z_test_p_value(before, after), rel=1e-9)


def test_z_test_is_the_two_proportion_test() -> None:
    before, after = pd.Series([True] * 30 + [False] * 70), pd.Series([True] * 45 + [False] * 55)
    pooled = (30 + 45) / 200
    z = (0.30 - 0.45) / np.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 100))
    assert z_test_p_value(before, after) == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-12)


def test_wasserstein_is_scipys_distance_over_the_references_standard_deviation() -> None:
    assert wasserstein_normed(BEFORE, AFTER) == pytest.approx(
        stats.wasserstein_distance(BEFORE, AFTER) / np.std(BEFORE), rel=1e-12
    )


def test_jensen_shannon_is_scipys_distance_between_level_shares() -> None:
    assert jensen_shannon(LEVELS_BEFORE, LEVELS_AFTER) == pytest.approx(
        spatial.distance.jensenshannon([0.4, 0.3, 0.2, 0.1], [0.2, 0.4, 0.3, 0.1]), rel=1e-12
    )


def test_psi_sums_share_differences_times_their_log_ratio_with_empty_bins_filled() -> None:
    before, after = np.array([0.2, 0.5, 0.0, 0.3]), np.array([0.25, 0.25, 0.25, 0.25])
    levels_before = pd.Series(["w"] * 2 + ["x"] * 5 + ["z"] * 3)
    levels_after = pd.Series(["w", "x", "y", "z"] * 25)
    filled = np.where(before == 0, EMPTY_BIN, before)
    assert psi(levels_before, levels_after, numeric=False) == pytest.approx(
        float(np.sum((filled - after) * np.log(filled / after))), rel=1e-12
    )


def test_a_small_reference_is_judged_by_a_test_and_a_large_one_by_a_distance(params) -> None:
    limit = params.drift.small_reference_rows
    rng = np.random.default_rng(0)
    small = column_drift(pd.Series(rng.normal(size=limit), name="x"), pd.Series(rng.normal(size=50)), params.drift)
    large = column_drift(pd.Series(rng.normal(size=limit + 1), name="x"), pd.Series(rng.normal(size=50)), params.drift)
    assert (small.method, large.method) == ("ks p-value", "wasserstein (normed)")


def test_a_number_with_few_distinct_values_is_compared_as_a_category(params) -> None:
    few = params.drift.min_distinct_numbers - 1
    reference = pd.Series(np.arange(200) % few, name="x")
    assert column_drift(reference, reference.copy(), params.drift, kind="integer").kind == "category"


def test_missing_values_are_reported_apart_and_left_out_of_the_statistic(params) -> None:
    current = pd.Series(np.concatenate([BEFORE, [np.nan] * 10]), name="x")
    result = column_drift(pd.Series(BEFORE, name="x"), current, params.drift)
    assert (result.missing_current, result.statistic, result.drifted) == (0.5, 1.0, False)


def test_an_integer_column_read_as_floats_keeps_its_levels(params) -> None:
    """A gap turns an integer column into floats (1.0 where it was 1): the same counts are no drift."""
    few = params.drift.min_distinct_numbers - 1
    reference = pd.Series(np.arange(400) % few, name="x")
    current = pd.Series(np.concatenate([np.arange(400) % few, [np.nan]]), name="x")
    result = column_drift(reference, current, params.drift, kind="integer")
    assert (result.kind, result.drifted) == ("category", False)
