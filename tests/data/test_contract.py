"""The schema module's declarations are checked once, at import: a mistake is one clear line."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from adclick.data import contract, specs
from adclick.data.declarations import FieldSpec, Pair
from tests.helpers.cases import NOT_A_COLUMN

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


def test_a_direction_sign_other_than_plus_or_minus_one_is_refused() -> None:
    column = next(s.name for s in contract.FEATURE_SPECS if s.kind in ("integer", "number"))
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


@pytest.mark.parametrize("category", CATEGORICAL_FEATURES[:1])
def test_slices_by_band_need_a_numeric_column(category: str) -> None:
    (problem,) = contract.problems(_declared(SLICES={category: (1, 2)}))
    assert "band edges need a numeric feature" in problem
