"""The contract of the built-in demo data: synthetic ad impressions (`adclick.data.synthetic`).

The generator draws exactly these columns, whatever a team's own schema module says, so the
demo and its tests keep working in a fork. `adclick.data.specs` points here until a team
declares its own data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adclick.data.declarations import FieldSpec, Pair, RowRule

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DIRECTIONS",
    "FEATURE_SPECS",
    "ID_COLUMN",
    "LABEL",
    "MINIMUM_FUNCTIONALITY",
    "POSITIVE",
    "PROTECTED",
    "ROW_RULES",
    "SLICES",
    "TIME_COLUMN",
]

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

# The generator's random streams follow this order: append new columns at the end.
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
FEATURES = tuple(spec.name for spec in FEATURE_SPECS)
SPECS = {spec.name: spec for spec in FEATURE_SPECS}

ID_COLUMN = "impression_id"
LABEL = "clicked"
POSITIVE: Any = 1  # the label's value for a click, as the data holds it
TIME_COLUMN = None  # impressions carry no timestamp: the split is random, stratified by label
PROTECTED = ("gender",)  # must have no effect on the prediction; kept as an input so tests can prove it


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

# Known directions of effect (the generator's truth): +1 never lowers P(click), -1 never
# raises it. The trees are constrained to them and the model layer measures them.
DIRECTIONS = {"discount_pct": 1, "position": -1, "price": -1, "past_purchases": 1}

# Slices the model is judged on: a column by its values (None) or a number by band edges.
SLICES: dict[str, tuple[float, ...] | None] = {
    "device": None,
    "country": None,
    "ad_category": None,
    "age": (18, 25, 35, 50, 65),
    "is_returning": None,
}

_NEW_USER: dict[str, Any] = {"is_returning": False, "past_purchases": 0, "days_since_last_visit": None}
_LOYAL_USER: dict[str, Any] = {"is_returning": True, "past_purchases": 20, "days_since_last_visit": 2.0}

# Pairs whose ranking is obvious to anyone who knows ads (CheckList's minimum functionality).
MINIMUM_FUNCTIONALITY: tuple[Pair, ...] = (
    Pair(
        "loyal user, big discount, top slot vs new user, no discount, bottom slot",
        {**_LOYAL_USER, "discount_pct": 60.0, "position": 1},
        {**_NEW_USER, "discount_pct": 0.0, "position": 10},
    ),
    Pair("top slot vs bottom slot", {"position": 1}, {"position": 10}),
    Pair("60% discount vs none", {"discount_pct": 60.0}, {"discount_pct": 0.0}),
    Pair("cheap vs expensive", {"price": 10.0}, {"price": 1500.0}),
    Pair("evening vs early morning", {"hour": 20}, {"hour": 4}),
    Pair("returning vs new user", _LOYAL_USER, _NEW_USER),
)
