"""Property-based tests: rules that hold for every frame the schema accepts, not just for our sample.

Frames come from `strategies.raw_strategy`, which pandera derives from the schema's own checks;
hand-written strategies add the edge cases (values at the bounds, unseen categories, gaps in
optional columns). Hypothesis runs its `ci` profile when CI is set (see tests/conftest.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adclick.data import contract, schema, strategies
from adclick.data.validation import validate
from adclick.errors import DataValidationError
from adclick.model import features
from adclick.model.predict import probabilities
from tests.helpers.cases import NO_CATEGORY
from tests.helpers.judged import needs

pytestmark = pytest.mark.ml_test_score("data-7")

SIZES = (1, 2, 5, 20)  # a few sizes, so pandera builds each strategy once
# Frames from this strategy pass the raw schema (the first test below holds it to that), so
# tests about preprocessing use them as they are, without paying for validation again.
valid_frames = st.sampled_from(SIZES).flatmap(lambda size: strategies.raw_strategy(size=size))


def _assert_valid_probabilities(proba: np.ndarray, rows: int) -> None:
    assert proba.shape == (rows,), f"expected one probability per row ({rows}), got shape {proba.shape}"
    assert np.isfinite(proba).all(), f"non-finite probabilities: {proba[~np.isfinite(proba)]}"
    assert ((proba >= 0.0) & (proba <= 1.0)).all(), f"probabilities outside [0, 1]: {proba}"


@given(frame=valid_frames)
@pytest.mark.ml_test_score("monitor-5")
def test_any_valid_frame_gets_one_probability_in_zero_to_one_per_row(small_model: Any, frame: pd.DataFrame) -> None:
    validated = validate(frame)
    _assert_valid_probabilities(probabilities(small_model, validated), len(frame))


@given(frame=valid_frames)
def test_preprocessing_of_any_valid_frame_meets_the_features_schema(small_model: Any, frame: pd.DataFrame) -> None:
    schema.features_schema().validate(features.model_inputs(small_model, validate(frame)))


@given(frame=valid_frames)
def test_preprocessing_is_deterministic(small_model: Any, frame: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(features.model_inputs(small_model, frame), features.model_inputs(small_model, frame))


@given(frame=valid_frames, data=st.data())
def test_shuffling_rows_permutes_the_outputs_the_same_way(
    small_model: Any, frame: pd.DataFrame, data: st.DataObject
) -> None:
    order = data.draw(st.permutations(range(len(frame))), label="row order")
    shuffled = frame.iloc[order]
    pd.testing.assert_frame_equal(
        features.model_inputs(small_model, shuffled), features.model_inputs(small_model, frame).iloc[order]
    )
    np.testing.assert_array_equal(probabilities(small_model, shuffled), probabilities(small_model, frame)[order])


# -- edge cases ---------------------------------------------------------------------------

BOUNDED = [spec for spec in contract.FEATURE_SPECS if spec.bounds is not None]


@st.composite
def frames_at_the_bounds(draw: st.DrawFn) -> pd.DataFrame:
    """Rows whose every bounded column sits at its lowest or highest allowed value."""
    frame = draw(strategies.raw_strategy(size=7))
    for spec in BOUNDED:
        frame[spec.name] = draw(st.lists(st.sampled_from(spec.bounds), min_size=7, max_size=7))  # type: ignore[arg-type]
    return strategies.make_rows_consistent(frame)


@given(frame=frames_at_the_bounds())
@pytest.mark.ml_test_score("monitor-5")
def test_values_at_the_bounds_validate_and_get_valid_probabilities(small_model: Any, frame: pd.DataFrame) -> None:
    _assert_valid_probabilities(probabilities(small_model, validate(frame)), len(frame))


@given(frame=strategies.raw_strategy(size=1))
def test_a_single_row_validates_and_gets_a_valid_probability(small_model: Any, frame: pd.DataFrame) -> None:
    _assert_valid_probabilities(probabilities(small_model, validate(frame)), 1)


@needs(contract.CATEGORICAL_FEATURES, NO_CATEGORY)
@given(frame=strategies.raw_strategy(size=7), column=st.sampled_from(contract.CATEGORICAL_FEATURES), data=st.data())
def test_unseen_category_fails_validation_but_still_gets_a_valid_probability(
    small_model: Any, frame: pd.DataFrame, column: str, data: st.DataObject
) -> None:
    """Validation refuses it; a model reached by another path (e.g. pyfunc) must still not crash."""
    unseen = data.draw(st.text(min_size=1, max_size=12).filter(lambda v: v not in contract.VOCABULARIES[column]))
    frame[column] = unseen
    with pytest.raises(DataValidationError) as caught:
        validate(frame)
    assert {f["column"] for f in caught.value.failures} == {column}
    _assert_valid_probabilities(probabilities(small_model, frame), len(frame))


@given(frame=strategies.raw_strategy(size=7))
@pytest.mark.ml_test_score("monitor-5")
def test_gaps_in_every_optional_column_get_valid_probabilities(small_model: Any, frame: pd.DataFrame) -> None:
    gaps = strategies.make_rows_consistent(frame.assign(**dict.fromkeys(contract.OPTIONAL_FEATURES, np.nan)))
    _assert_valid_probabilities(probabilities(small_model, validate(gaps)), len(gaps))


def test_an_empty_frame_is_a_clear_validation_error(small_data: pd.DataFrame) -> None:
    with pytest.raises(DataValidationError, match="no rows to validate"):
        validate(small_data.iloc[0:0])
