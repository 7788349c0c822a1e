"""Seeded synthetic ad impressions with a known ground truth, and drift scenarios: the demo data.

Why synthetic: because the true click model is known, tests can check what a model learnt
(directions, the protected attribute's zero effect, calibration) and what a drift detector
reports, against the truth instead of against a hunch.

Every column is drawn from its own random stream, derived from (seed, batch, column). A
scenario that alters one column therefore leaves every other column bit-identical, which is
what lets a test prove "this scenario changes what it says and nothing else".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from adclick.data import demo

# ---------------------------------------------------------------------------------------
# Ground truth: logit(P(click)) = intercept + sum of the effects below.
# Documented in docs/data.md; the tests in tests/data/test_generator.py hold us to it.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Truth:
    """Coefficients of the true click model (on the transformed scale named in each field)."""

    intercept: float = -1.5
    discount_per_10pct: float = 0.40  # + more discount, more clicks
    position_per_slot: float = -0.25  # - lower on the page (higher slot number), fewer clicks
    log_price_ratio: float = -0.45  # - log(price / 50): dearer, fewer clicks
    log1p_past_purchases: float = 0.35  # + loyal buyers click more
    is_returning: float = 0.30  # + returning users click more
    log1p_days_since_last_visit: float = -0.12  # - stale users click less (0 for new users)
    evening_peak: float = 1.40  # + bump centred on 20:00 (non-linear in hour)
    age_curvature: float = -0.0025  # - quadratic around age 30 (non-linear in age)
    weekend: float = 0.15  # + Saturday and Sunday
    gender: float = 0.0  # the protected attribute has exactly zero effect
    device: MappingProxyType[str, float] = field(
        default_factory=lambda: MappingProxyType({"mobile": 0.20, "desktop": 0.0, "tablet": -0.10})
    )
    ad_category: MappingProxyType[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {"electronics": 0.10, "fashion": 0.30, "home": -0.10, "beauty": 0.20, "sports": 0.0, "books": -0.30}
        )
    )
    country: MappingProxyType[str, float] = field(
        default_factory=lambda: MappingProxyType(
            {"US": 0.10, "GB": 0.0, "DE": -0.10, "FR": -0.05, "IN": 0.20, "BR": 0.15}
        )
    )

    def terms(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The model's inputs on the scale its coefficients apply to, one column per coefficient.

        Categorical effects get one indicator column per level (`device=mobile`, ...).
        """
        days = frame["days_since_last_visit"].fillna(0.0).to_numpy(float)
        hour = frame["hour"].to_numpy(float)
        columns = {
            "discount_per_10pct": frame["discount_pct"].to_numpy(float) / 10.0,
            "position_per_slot": frame["position"].to_numpy(float) - 1.0,
            "log_price_ratio": np.log(frame["price"].to_numpy(float) / 50.0),
            "log1p_past_purchases": np.log1p(frame["past_purchases"].to_numpy(float)),
            "is_returning": frame["is_returning"].to_numpy(float),
            "log1p_days_since_last_visit": np.log1p(days),
            "evening_peak": np.exp(-((hour - 20.0) ** 2) / 8.0),
            "age_curvature": (frame["age"].to_numpy(float) - 30.0) ** 2,
            "weekend": (frame["weekday"].to_numpy() >= 5).astype(float),
            "gender": (frame["gender"].to_numpy() == "female").astype(float),
        }
        for column in ("device", "ad_category", "country"):
            values = frame[column].to_numpy()
            for level in getattr(self, column):
                columns[f"{column}={level}"] = (values == level).astype(float)
        return pd.DataFrame(columns, index=frame.index)

    def coefficients(self) -> dict[str, float]:
        """Coefficient of each column of `terms`, by the same names."""
        scalars = {
            name: getattr(self, name)
            for name in (
                "discount_per_10pct",
                "position_per_slot",
                "log_price_ratio",
                "log1p_past_purchases",
                "is_returning",
                "log1p_days_since_last_visit",
                "evening_peak",
                "age_curvature",
                "weekend",
                "gender",
            )
        }
        levels = {
            f"{column}={level}": effect
            for column in ("device", "ad_category", "country")
            for level, effect in getattr(self, column).items()
        }
        return {**scalars, **levels}

    def logit(self, frame: pd.DataFrame) -> np.ndarray:
        """The true log-odds of a click for each row of a feature frame."""
        coefficients = self.coefficients()
        terms = self.terms(frame)
        return self.intercept + terms[list(coefficients)].to_numpy() @ np.array(list(coefficients.values()))

    def click_probability(self, frame: pd.DataFrame) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logit(frame)))


TRUTH = Truth()
# Concept drift: the same users and ads, but discounts stop working and the slot matters more.
DRIFTED_TRUTH = replace(TRUTH, discount_per_10pct=-0.05, position_per_slot=-0.50)


@dataclass(frozen=True)
class Population:
    """How features are distributed: a covariate shift is a different Population."""

    age_mean: float = 38.0
    age_sd: float = 12.0
    device_probs: tuple[float, ...] = (0.55, 0.35, 0.10)  # demo.DEVICES order
    discount_beta: tuple[float, float] = (1.2, 5.0)  # share of the 80% maximum
    returning_rate: float = 0.45
    country_probs: tuple[float, ...] = (0.30, 0.15, 0.15, 0.10, 0.20, 0.10)
    category_probs: tuple[float, ...] = (0.20, 0.25, 0.15, 0.15, 0.15, 0.10)


POPULATION = Population()
SHIFTED_POPULATION = replace(POPULATION, age_mean=27.0, device_probs=(0.85, 0.10, 0.05), discount_beta=(3.0, 3.0))

# One random stream per column (and one for the label draw and one for scenario faults);
# the numbers are stable forever so that adding a column never reshuffles the others.
_STREAMS = {name: index for index, name in enumerate((*demo.FEATURES, "label", "scenario"))}


def _rng(seed: int, batch: int, stream: str) -> np.random.Generator:
    return np.random.default_rng([seed, batch, _STREAMS[stream]])


def _features(n_rows: int, seed: int, batch: int, population: Population) -> pd.DataFrame:
    def rng(column: str) -> np.random.Generator:
        return _rng(seed, batch, column)

    lo_age, hi_age = demo.AGE_RANGE
    age = np.clip(np.rint(rng("age").normal(population.age_mean, population.age_sd, n_rows)), lo_age, hi_age)
    is_returning = rng("is_returning").random(n_rows) < population.returning_rate
    # Past purchases and recency exist only for returning users.
    purchases = rng("past_purchases").negative_binomial(2, 0.35, n_rows)
    purchases = np.where(is_returning, np.minimum(purchases, demo.PAST_PURCHASES_RANGE[1]), 0)
    days = np.minimum(rng("days_since_last_visit").exponential(20.0, n_rows), demo.DAYS_SINCE_LAST_VISIT_RANGE[1])
    days = np.where(is_returning, np.round(days, 1), np.nan)
    category = rng("ad_category").choice(demo.AD_CATEGORIES, n_rows, p=population.category_probs)
    category_median = {
        "electronics": 120.0,
        "fashion": 45.0,
        "home": 60.0,
        "beauty": 25.0,
        "sports": 55.0,
        "books": 15.0,
    }
    median = pd.Series(category).map(category_median).to_numpy(float)
    price = median * np.exp(rng("price").normal(0.0, 0.6, n_rows))
    price = np.round(np.clip(price, *demo.PRICE_RANGE), 2)
    discount = np.round(demo.DISCOUNT_PCT_RANGE[1] * rng("discount_pct").beta(*population.discount_beta, n_rows), 1)
    return pd.DataFrame(
        {
            "gender": rng("gender").choice(demo.GENDERS, n_rows, p=(0.49, 0.49, 0.02)),
            "country": rng("country").choice(demo.COUNTRIES, n_rows, p=population.country_probs),
            "device": rng("device").choice(demo.DEVICES, n_rows, p=population.device_probs),
            "ad_category": category,
            "age": age.astype("int64"),
            "is_returning": is_returning,
            "past_purchases": purchases.astype("int64"),
            "days_since_last_visit": days,
            "price": price,
            "discount_pct": discount,
            "position": rng("position").integers(demo.POSITION_RANGE[0], demo.POSITION_RANGE[1] + 1, n_rows),
            "hour": rng("hour").integers(demo.HOUR_RANGE[0], demo.HOUR_RANGE[1] + 1, n_rows),
            "weekday": rng("weekday").integers(demo.WEEKDAY_RANGE[0], demo.WEEKDAY_RANGE[1] + 1, n_rows),
        }
    )


def _sample(
    n_rows: int, seed: int, batch: int, population: Population = POPULATION, truth: Truth = TRUTH
) -> pd.DataFrame:
    features = _features(n_rows, seed, batch, population)
    ids = pd.Series([f"imp-{seed}-{batch}-{i:07d}" for i in range(n_rows)], dtype=str)
    uniform = _rng(seed, batch, "label").random(n_rows)
    label = (uniform < truth.click_probability(features)).astype("int64")
    return pd.concat([ids.rename(demo.ID_COLUMN), features], axis=1).assign(**{demo.LABEL: label})


# ---------------------------------------------------------------------------------------
# Scenarios: named departures from the reference data, each with a known answer.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A named way the data can go wrong; `columns` are the only columns it may change."""

    name: str
    description: str
    columns: tuple[str, ...]
    make: Callable[[int, int, int], pd.DataFrame]


def _fault_rows(n_rows: int, seed: int, batch: int, share: float) -> np.ndarray:
    """A seeded boolean mask of the rows a data-quality fault hits."""
    return _rng(seed, batch, "scenario").random(n_rows) < share


def _covariate_shift(n_rows: int, seed: int, batch: int) -> pd.DataFrame:
    return _sample(n_rows, seed, batch, population=SHIFTED_POPULATION)


def _concept_drift(n_rows: int, seed: int, batch: int) -> pd.DataFrame:
    return _sample(n_rows, seed, batch, truth=DRIFTED_TRUTH)


def _null_prices(n_rows: int, seed: int, batch: int) -> pd.DataFrame:
    frame = _sample(n_rows, seed, batch)
    frame.loc[_fault_rows(n_rows, seed, batch, 0.05), "price"] = np.nan
    return frame


def _prices_in_cents(n_rows: int, seed: int, batch: int) -> pd.DataFrame:
    frame = _sample(n_rows, seed, batch)
    frame["price"] = np.round(frame["price"] * 100.0, 0)
    return frame


def _unseen_category(n_rows: int, seed: int, batch: int) -> pd.DataFrame:
    frame = _sample(n_rows, seed, batch)
    frame.loc[_fault_rows(n_rows, seed, batch, 0.05), "ad_category"] = "toys"
    return frame


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "covariate_shift",
            "younger, mostly mobile users see bigger discounts; the click model is unchanged",
            ("age", "device", "discount_pct", demo.LABEL),
            _covariate_shift,
        ),
        Scenario(
            "concept_drift",
            "same users and ads, but discounts stop working and the slot matters twice as much",
            (demo.LABEL,),
            _concept_drift,
        ),
        Scenario("null_prices", "5% of prices are missing (a data-quality break)", ("price",), _null_prices),
        Scenario("prices_in_cents", "prices arrive in cents instead of currency units", ("price",), _prices_in_cents),
        Scenario(
            "unseen_category",
            "5% of ads belong to a category the model never saw ('toys')",
            ("ad_category",),
            _unseen_category,
        ),
    )
}


def generate(n_rows: int, seed: int, *, scenario: str | None = None, batch: int = 0) -> pd.DataFrame:
    """Draw `n_rows` labelled impressions; the same (seed, batch, scenario) gives the same frame.

    `batch` draws an independent sample from the same seed (the training data is batch 0,
    the data to score is batch 1), so one seed in params.yaml drives every data set.
    """
    if n_rows < 1:
        raise ValueError(f"n_rows must be at least 1, got {n_rows}")
    if scenario is None:
        return _sample(n_rows, seed, batch)
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose from {', '.join(SCENARIOS)}")
    return SCENARIOS[scenario].make(n_rows, seed, batch)
