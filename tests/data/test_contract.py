"""The schema module's declarations are checked once, at import: a mistake is one clear line."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from adclick.data import contract, specs
from adclick.data.declarations import FieldSpec, Pair
from tests.helpers.cases import NO_CATEGORY, NO_NUMBER, NO_PROTECTED, NOT_A_COLUMN, NUMBERS
from tests.helpers.judged import each, needs

pytestmark = pytest.mark.ml_test_score("data-1")

CATEGORICAL_FEATURES = contract.CATEGORICAL_FEATURES


def _declared(**changes: Any) -> SimpleNamespace:
    """The team's declarations with some names changed."""
    return SimpleNamespace(**{**{k: v for k, v in vars(specs).items() if k.isupper()}, **changes})


def test_the_team_declarations_have_no_problem() -> None:
    assert contract.problems(specs) == []


def test_a_direction_on_an_unknown_column_names_it_and_the_choices() -> None:
    (problem,) = contract.problems(_declared(DIRECTIONS={NOT_A_COLUMN: 1}))
    assert NOT_A_COLUMN in problem
    assert "not a numeric feature; choose from" in problem


@needs(NUMBERS, NO_NUMBER)
def test_a_direction_sign_other_than_plus_or_minus_one_is_refused() -> None:
    column = NUMBERS[0].name
    (problem,) = contract.problems(_declared(DIRECTIONS={column: 2}))
    assert "+1 or -1" in problem


def test_a_category_without_a_vocabulary_is_refused() -> None:
    (problem,) = contract.problems(_declared(FEATURE_SPECS=(*specs.FEATURE_SPECS, FieldSpec("colour", "category"))))
    assert "'colour': a category needs its vocabulary" in problem


def test_a_number_without_bounds_is_refused() -> None:
    (problem,) = contract.problems(_declared(FEATURE_SPECS=(*specs.FEATURE_SPECS, FieldSpec("weight", "number"))))
    assert "'weight': a number needs bounds" in problem


def test_the_label_declared_as_a_feature_too_is_refused() -> None:
    label_as_feature = FieldSpec(specs.LABEL, "number", bounds=(0, 1))
    problems = contract.problems(_declared(FEATURE_SPECS=(*specs.FEATURE_SPECS, label_as_feature)))
    assert any("cannot also be a feature" in p for p in problems), problems


def test_a_minimum_functionality_case_on_an_unknown_column_is_refused() -> None:
    (problem,) = contract.problems(_declared(MINIMUM_FUNCTIONALITY=(Pair("odd", {NOT_A_COLUMN: 1}, {}),)))
    assert NOT_A_COLUMN in problem


@pytest.mark.parametrize("category", each(CATEGORICAL_FEATURES[:1], NO_CATEGORY))
def test_slices_by_band_need_a_numeric_column(category: str) -> None:
    (problem,) = contract.problems(_declared(SLICES={category: (1, 2)}))
    assert "band edges need a numeric feature" in problem


@pytest.mark.ml_test_score("data-4")
@pytest.mark.parametrize("column", each(contract.PROTECTED, NO_PROTECTED))
def test_a_protected_attribute_never_reaches_the_model(small_model: Any, column: str) -> None:
    """A meta-level requirement: what the model may not use, it is never given."""
    assert column not in small_model[:-1].get_feature_names_out()


@pytest.mark.ml_test_score("data-4")
def test_a_column_the_schema_does_not_declare_never_reaches_the_data(small_data: Any) -> None:
    """Only declared columns enter the pipeline: a new column in an export is left out, not learnt from."""
    from adclick.data.sources import canonical

    exported = small_data.assign(**{NOT_A_COLUMN: 1})
    assert NOT_A_COLUMN not in canonical(exported, source="an export with a new column").columns
