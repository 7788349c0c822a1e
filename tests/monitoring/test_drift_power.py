"""The drift statistics on the data under test: rare false alarms, and shifts found.

Sizes, seeds, the false-alarm slack and the power target come from params.yaml
(`drift_checks`); the samples are drawn like the configured source's rows.
"""

from __future__ import annotations

import numpy as np
import pytest

from adclick.data import contract, shifts
from adclick.data.drift import column_drift, data_drift
from tests.helpers.cases import NO_CATEGORY
from tests.helpers.judged import each
from tests.helpers.monitoring import shown_above

CATEGORIES = [c for c in contract.MODEL_FEATURES if c in contract.CATEGORICAL_FEATURES]


def _flags(pairs: list, settings, column: str | None = None) -> list[bool]:
    """Every column's verdict over the pairs (`data_drift`), or one column's (its own statistic)."""
    if column is not None:
        kind = contract.SPECS[column].kind
        return [column_drift(before[column], after[column], settings, kind).drifted for before, after in pairs]
    return [c.drifted for before, after in pairs for c in data_drift(before, after, settings).columns]


def _flag_rate(pairs: list, settings, column: str | None = None) -> float:
    """Share of columns (or of one column's comparisons) flagged over the pairs."""
    return float(np.mean(_flags(pairs, settings, column)))


def test_same_distribution_samples_rarely_look_drifted(params, sample_pair) -> None:
    flags = _flags([sample_pair(seed) for seed in range(params.drift_checks.seeds)], params.drift)
    bound = params.drift.test_alpha + params.drift_checks.false_alarm_slack
    assert not shown_above(sum(flags), len(flags), bound, params.drift_checks.significance), (
        f"{np.mean(flags):.3f} of columns flagged on same-distribution samples of {params.drift_checks.rows} rows"
    )


def test_same_distribution_samples_do_not_drift_the_data_set(params, sample_pair) -> None:
    verdicts = [data_drift(*sample_pair(seed), params.drift).drifted for seed in range(params.drift_checks.seeds)]
    bound = params.drift.test_alpha + params.drift_checks.false_alarm_slack
    assert not shown_above(sum(verdicts), len(verdicts), bound, params.drift_checks.significance), (
        f"the data set drifted in {np.mean(verdicts):.3f} of same-distribution pairs "
        f"({len(contract.MODEL_FEATURES)} features; drifted at {params.drift.dataset_drift_share:.0%} of them)"
    )


def test_a_shifted_number_is_flagged(params, sample_pair) -> None:
    checks = params.drift_checks
    missed = {}
    for column in shifts.shift_targets(params.monitoring.shifted_columns):
        pairs = [
            (b, shifts.shift_number(a, column, checks.shift_iqrs)) for b, a in map(sample_pair, range(checks.seeds))
        ]
        power = _flag_rate(pairs, params.drift, column)
        if power < checks.min_power:
            missed[column] = power
    assert not missed, f"power below {checks.min_power} at {checks.shift_iqrs} IQR: {missed}"


@pytest.mark.parametrize("column", each(CATEGORIES, NO_CATEGORY))
def test_a_category_level_the_model_never_saw_is_flagged(params, sample_pair, column) -> None:
    pairs = [
        (b, shifts.unseen_category(a, column, 0.05, seed))
        for seed, (b, a) in enumerate(map(sample_pair, range(params.drift_checks.seeds)))
    ]
    assert _flag_rate(pairs, params.drift, column) >= params.drift_checks.min_power


def test_a_unit_change_is_flagged(params, sample_pair) -> None:
    column = shifts.shift_targets(1)[0]
    pairs = [(b, shifts.scale_number(a, column, 100)) for b, a in map(sample_pair, range(params.drift_checks.seeds))]
    assert _flag_rate(pairs, params.drift, column) >= params.drift_checks.min_power


def test_concept_drift_is_invisible_to_input_statistics(params, sample_pair) -> None:
    """Flipped labels leave every input as it was: only labels reveal a concept drift."""
    column = shifts.shift_targets(1)[0]
    pairs = [
        (b, shifts.flip_labels(a, column, 0.5, seed))
        for seed, (b, a) in enumerate(map(sample_pair, range(params.drift_checks.seeds)))
    ]
    unflipped = [sample_pair(seed) for seed in range(params.drift_checks.seeds)]
    assert _flag_rate(pairs, params.drift) == _flag_rate(unflipped, params.drift)
