"""The synthetic generator honours its documented ground truth (src/adclick/data.py, docs/data.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from adclick.data import demo
from adclick.data.synthetic import DRIFTED_TRUTH, SCENARIOS, TRUTH, generate
from adclick.data.validation import validate
from adclick.errors import DataValidationError
from tests.helpers.data import SCENARIO_ROWS

# Levels whose true effect is 0 serve as the reference level of each categorical column.
REFERENCE_LEVELS = ["device=desktop", "ad_category=sports", "country=GB"]
COEFFICIENT_TOLERANCE = 0.08  # absolute, on the logit scale, with 200k rows
PROTECTED_TOLERANCE = 0.05


@pytest.fixture(scope="module")
def recovered_coefficients() -> dict[str, float]:
    """A logistic regression fitted on the documented terms of a large sample."""
    frame = generate(200_000, seed=42)
    terms = TRUTH.terms(frame).drop(columns=REFERENCE_LEVELS)
    scale = terms.std().replace(0.0, 1.0)  # scaled for a fast, well-conditioned fit
    model = LogisticRegression(C=1e6, max_iter=1_000).fit(terms / scale, frame[demo.LABEL])
    return dict(zip(terms.columns, model.coef_[0] / scale.to_numpy(), strict=True))


def _documented_effects() -> list[str]:
    return [name for name in TRUTH.coefficients() if name not in REFERENCE_LEVELS and name != "gender"]


@pytest.mark.parametrize("term", _documented_effects())
def test_fitted_logistic_regression_recovers_each_documented_effect(
    recovered_coefficients: dict[str, float], term: str
) -> None:
    truth, fitted = TRUTH.coefficients()[term], recovered_coefficients[term]
    assert np.sign(fitted) == np.sign(truth), f"{term}: documented sign {truth:+} but fitted {fitted:+.4f}"
    assert abs(fitted - truth) <= max(COEFFICIENT_TOLERANCE, 0.1 * abs(truth)), (
        f"{term}: fitted {fitted:+.4f} is more than {COEFFICIENT_TOLERANCE} from the documented {truth:+}"
    )


def test_protected_attribute_has_no_recoverable_effect(recovered_coefficients: dict[str, float]) -> None:
    assert TRUTH.gender == 0.0
    assert abs(recovered_coefficients["gender"]) < PROTECTED_TOLERANCE, (
        f"gender coefficient {recovered_coefficients['gender']:+.4f} should be ~0 (|x| < {PROTECTED_TOLERANCE})"
    )


def test_same_seed_gives_the_same_frame() -> None:
    pd.testing.assert_frame_equal(generate(2_000, seed=3), generate(2_000, seed=3))


def test_different_seeds_give_different_frames() -> None:
    assert (
        not generate(2_000, seed=3)
        .drop(columns=demo.ID_COLUMN)
        .equals(generate(2_000, seed=4).drop(columns=demo.ID_COLUMN))
    )


def test_batches_of_one_seed_are_independent_samples_with_distinct_ids() -> None:
    first, second = generate(1_000, seed=3, batch=0), generate(1_000, seed=3, batch=1)
    assert set(first[demo.ID_COLUMN]).isdisjoint(second[demo.ID_COLUMN])
    assert not first["price"].equals(second["price"])


def test_generated_data_passes_the_raw_schema(reference_frame: pd.DataFrame) -> None:
    validate(reference_frame, of=demo)


def test_label_follows_the_true_click_probability(reference_frame: pd.DataFrame) -> None:
    expected = TRUTH.click_probability(reference_frame).mean()
    observed = reference_frame[demo.LABEL].mean()
    assert abs(observed - expected) < 0.01, f"click rate {observed:.4f} vs true mean probability {expected:.4f}"


def test_unknown_scenario_names_the_choices() -> None:
    with pytest.raises(ValueError, match="covariate_shift"):
        generate(10, seed=1, scenario="no_such_scenario")


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_changes_only_the_columns_it_declares(name: str, reference_frame: pd.DataFrame) -> None:
    drifted = generate(SCENARIO_ROWS, seed=7, scenario=name)
    declared = set(SCENARIOS[name].columns)
    for column in reference_frame.columns:
        same = drifted[column].equals(reference_frame[column])
        if column in declared:
            assert not same, f"scenario {name} declares {column!r} but leaves it unchanged"
        else:
            assert same, f"scenario {name} changed {column!r}, which it does not declare"


def test_covariate_shift_moves_the_inputs_but_not_the_click_model(reference_frame: pd.DataFrame) -> None:
    shifted = generate(SCENARIO_ROWS, seed=7, scenario="covariate_shift")
    assert (shifted["device"] == "mobile").mean() > (reference_frame["device"] == "mobile").mean() + 0.2
    assert shifted["age"].mean() < reference_frame["age"].mean() - 8
    # P(click | x) is unchanged: the original truth is still calibrated on the shifted data.
    assert abs(shifted[demo.LABEL].mean() - TRUTH.click_probability(shifted).mean()) < 0.01


def _log_likelihood(frame: pd.DataFrame, probability: np.ndarray) -> float:
    y = frame[demo.LABEL].to_numpy()
    return float(np.mean(y * np.log(probability) + (1 - y) * np.log1p(-probability)))


def test_concept_drift_keeps_the_inputs_but_changes_the_click_model() -> None:
    drifted = generate(SCENARIO_ROWS, seed=7, scenario="concept_drift")
    assert _log_likelihood(drifted, DRIFTED_TRUTH.click_probability(drifted)) > _log_likelihood(
        drifted, TRUTH.click_probability(drifted)
    ), "labels under concept drift should fit the drifted truth better than the original one"


def test_null_prices_blank_about_five_percent_of_prices() -> None:
    share = generate(SCENARIO_ROWS, seed=7, scenario="null_prices")["price"].isna().mean()
    assert 0.04 < share < 0.06


def test_prices_in_cents_are_a_hundred_times_larger(reference_frame: pd.DataFrame) -> None:
    cents = generate(SCENARIO_ROWS, seed=7, scenario="prices_in_cents")["price"]
    np.testing.assert_allclose(cents, reference_frame["price"] * 100, atol=0.5)


def test_unseen_category_introduces_a_category_outside_the_vocabulary() -> None:
    categories = generate(SCENARIO_ROWS, seed=7, scenario="unseen_category")["ad_category"]
    unseen = ~categories.isin(demo.AD_CATEGORIES)
    assert 0.04 < unseen.mean() < 0.06
    assert set(categories[unseen]) == {"toys"}


@pytest.mark.parametrize(
    ("name", "column"), [("null_prices", "price"), ("prices_in_cents", "price"), ("unseen_category", "ad_category")]
)
def test_data_quality_scenario_fails_validation_naming_its_column(name: str, column: str) -> None:
    with pytest.raises(DataValidationError) as caught:
        validate(generate(2_000, seed=7, scenario=name), of=demo)
    assert {failure["column"] for failure in caught.value.failures} == {column}


# The demo's declared directions (adclick.data.demo) and the coefficient of the truth behind each.
TRUTH_TERMS = {
    "discount_pct": "discount_per_10pct",
    "position": "position_per_slot",
    "price": "log_price_ratio",
    "past_purchases": "log1p_past_purchases",
}


def test_the_demo_directions_agree_with_the_truth() -> None:
    assert set(demo.DIRECTIONS) == set(TRUTH_TERMS)
    for column, sign in demo.DIRECTIONS.items():
        assert sign == (1 if getattr(TRUTH, TRUTH_TERMS[column]) > 0 else -1), column


@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(1, 2_000))
def test_generator_yields_valid_demo_data_for_any_seed(seed: int, rows: int) -> None:
    validate(generate(rows, seed), of=demo, source=f"seed {seed}, {rows} rows")


@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(1, 300))
def test_generator_gives_the_same_frame_for_any_seed_twice(seed: int, rows: int) -> None:
    pd.testing.assert_frame_equal(generate(rows, seed), generate(rows, seed))


# The check each data-quality scenario of the generator breaks; the column is the one it declares.
SCENARIO_CHECKS = {"null_prices": "not_nullable", "prices_in_cents": "in_range", "unseen_category": "isin"}


def test_every_data_quality_scenario_of_the_generator_breaks_a_known_check() -> None:
    """A scenario added to the generator that changes no label is a data-quality fault: list it above."""
    quality = {name for name, s in SCENARIOS.items() if demo.LABEL not in s.columns}
    assert quality == set(SCENARIO_CHECKS), f"scenarios without a known check: {sorted(quality ^ set(SCENARIO_CHECKS))}"


@pytest.mark.parametrize("name", [n for n, s in SCENARIOS.items() if demo.LABEL in s.columns])
def test_drift_scenario_is_valid_data(name: str) -> None:
    """Validation is not drift detection: shifted but well-formed data must pass the schema."""
    validate(generate(3_000, seed=11, scenario=name), of=demo)
