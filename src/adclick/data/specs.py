"""The data contract as a table: every column's role, kind, range and vocabulary, and the rules
that tie columns together. This is the module a team edits (with params.yaml) to bring its own data.

Everything else derives from it: the pandera schemas (`adclick.data.schema`), the hypothesis
strategies, the model's inputs, the API's request model and the tests' cases.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

Kind = Literal["category", "integer", "number", "boolean"]
_PYTHON_TYPES: dict[str, type] = {"category": str, "integer": int, "number": float, "boolean": bool}


@dataclass(frozen=True)
class FieldSpec:
    """One input column: the single definition pandera, the features and the API derive from."""

    name: str
    kind: Kind
    description: str
    bounds: tuple[float, float] | None = None  # inclusive
    vocabulary: tuple[str, ...] | None = None
    nullable: bool = False

    @property
    def dtype(self) -> type:
        """The Python type of a value (what the API's request model uses)."""
        return _PYTHON_TYPES[self.kind]


GENDERS = ("female", "male", "nonbinary")
COUNTRIES = ("US", "GB", "DE", "FR", "IN", "BR")
DEVICES = ("mobile", "desktop", "tablet")
AD_CATEGORIES = ("electronics", "fashion", "home", "beauty", "sports", "books")

AGE_RANGE = (18, 90)
PAST_PURCHASES_RANGE = (0, 500)
DAYS_SINCE_LAST_VISIT_RANGE = (0.0, 3650.0)
PRICE_RANGE = (0.5, 2000.0)  # in currency units, not cents
DISCOUNT_PCT_RANGE = (0.0, 80.0)
POSITION_RANGE = (1, 10)  # slot on the page, 1 = top
HOUR_RANGE = (0, 23)
WEEKDAY_RANGE = (0, 6)  # 0 = Monday

# Categorical features first, then numeric ones: the generator's random streams and the
# model's input order follow this order, so append new columns at the end of their group.
FEATURE_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("gender", "category", "protected attribute: must not change the prediction", vocabulary=GENDERS),
    FieldSpec("country", "category", "user's country (ISO 3166 alpha-2)", vocabulary=COUNTRIES),
    FieldSpec("device", "category", "device the ad was shown on", vocabulary=DEVICES),
    FieldSpec("ad_category", "category", "product category of the ad", vocabulary=AD_CATEGORIES),
    FieldSpec("age", "integer", "user's age in years", bounds=AGE_RANGE),
    FieldSpec("is_returning", "boolean", "the user has visited before"),
    FieldSpec("past_purchases", "integer", "purchases by the user so far", bounds=PAST_PURCHASES_RANGE),
    FieldSpec(
        "days_since_last_visit",
        "number",
        "days since the user's last visit; empty for new users",
        bounds=DAYS_SINCE_LAST_VISIT_RANGE,
        nullable=True,
    ),
    FieldSpec("price", "number", "list price in currency units (not cents)", bounds=PRICE_RANGE),
    FieldSpec("discount_pct", "number", "discount shown on the ad, in percent", bounds=DISCOUNT_PCT_RANGE),
    FieldSpec("position", "integer", "slot on the page, 1 = top", bounds=POSITION_RANGE),
    FieldSpec("hour", "integer", "hour of the impression, local time", bounds=HOUR_RANGE),
    FieldSpec("weekday", "integer", "day of the week, 0 = Monday", bounds=WEEKDAY_RANGE),
)
SPECS: dict[str, FieldSpec] = {spec.name: spec for spec in FEATURE_SPECS}

ID_COLUMN = "impression_id"
ID_LENGTH = (1, 64)
LABEL = "clicked"
PROTECTED = ("gender",)  # must have no effect on the prediction; kept as an input so tests can prove it
FEATURES = tuple(SPECS)
CATEGORICAL_FEATURES = tuple(s.name for s in FEATURE_SPECS if s.kind == "category")
NUMERIC_FEATURES = tuple(s.name for s in FEATURE_SPECS if s.kind != "category")
OPTIONAL_FEATURES = tuple(s.name for s in FEATURE_SPECS if s.nullable)
VOCABULARIES: dict[str, tuple[str, ...]] = {s.name: s.vocabulary for s in FEATURE_SPECS if s.vocabulary}
# What the model sees: every feature but the protected attribute (fairness through unawareness).
# The attribute stays in the data so tests can prove that changing it changes no prediction.
MODEL_FEATURES = tuple(name for name in FEATURES if name not in PROTECTED)
assert FEATURES == CATEGORICAL_FEATURES + NUMERIC_FEATURES, "categorical features come first"


@dataclass(frozen=True)
class RowRule:
    """A rule each row must satisfy that involves more than one column.

    `repair` makes arbitrary rows satisfy it (the property tests draw each column alone, then
    repair: drawing whole rows that happen to satisfy the rule by rejection is far too slow).
    `violation` is the values of a row that breaks this rule and no other: the tests plant it
    to show the rule is enforced everywhere (validation, the API), without naming a column.
    """

    name: str
    columns: tuple[str, ...]
    holds: Callable[[pd.DataFrame], pd.Series]
    repair: Callable[[pd.DataFrame], pd.DataFrame]
    violation: Mapping[str, Any]


def _new_users_have_no_purchases(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(past_purchases=frame["past_purchases"].where(frame["is_returning"].astype(bool), 0))


def _new_users_have_no_last_visit(frame: pd.DataFrame) -> pd.DataFrame:
    days = frame["days_since_last_visit"].astype(float)
    return frame.assign(days_since_last_visit=days.where(frame["is_returning"].astype(bool)))


ROW_RULES: tuple[RowRule, ...] = (
    RowRule(
        "new users have no past purchases",
        ("is_returning", "past_purchases"),
        lambda frame: frame["is_returning"] | (frame["past_purchases"] == 0),
        _new_users_have_no_purchases,
        violation={"is_returning": False, "past_purchases": 3, "days_since_last_visit": None},
    ),
    RowRule(
        "new users have no last visit",
        ("is_returning", "days_since_last_visit"),
        lambda frame: frame["is_returning"] | frame["days_since_last_visit"].isna(),
        _new_users_have_no_last_visit,
        violation={"is_returning": False, "past_purchases": 0, "days_since_last_visit": 5.0},
    ),
)
