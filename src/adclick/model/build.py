"""Build and fit the click model and the two baselines it must beat, in plain scikit-learn.

The model is a Pipeline so that preprocessing travels with it: what is registered is exactly
what serves. The baselines (always the base rate; a linear model) are what the model must
beat, and they are stored with the training run so any later evaluation can re-score them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from adclick.config.model_settings import parse_threshold
from adclick.data import contract
from adclick.data.contract import FEATURES, LABEL, MODEL_FEATURES
from adclick.data.split import split
from adclick.model import features
from adclick.model.predict import probabilities
from adclick.model.threshold import Threshold, choose

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sklearn.pipeline import Pipeline

    from adclick.config import Settings

BASELINES = ("dummy", "logistic")


@dataclass
class FittedModels:
    """The candidate, the baselines fitted on the same rows, and the candidate's decision threshold."""

    candidate: Pipeline
    baselines: dict[str, Pipeline]
    threshold: Threshold


def build_candidate(settings: Settings, inputs: Sequence[str] = MODEL_FEATURES, **overrides: Any) -> Pipeline:
    """Tree preprocessing + HistGradientBoosting with native categories and monotonic constraints.

    `inputs` and `overrides` (HistGradientBoosting parameters) let tests build deliberately
    different models: one that sees the protected attribute, one that can overfit.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline

    directions = contract.DIRECTIONS if settings.model.enforce_known_directions else {}
    classifier = HistGradientBoostingClassifier(
        **{
            **settings.model.hist_gradient_boosting.model_dump(),
            "categorical_features": features.categorical_mask(inputs),
            "monotonic_cst": features.monotonic_constraints(directions, inputs),
            "random_state": settings.seed,
            **overrides,
        }
    )
    return Pipeline([("preprocess", features.tree_preprocessor(inputs)), ("classifier", classifier)])


def build_baselines(settings: Settings) -> dict[str, Pipeline]:
    """The models the candidate must beat: the base rate, and a regularised logistic regression."""
    from sklearn.dummy import DummyClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    lr = settings.model.logistic_regression
    return {
        "dummy": Pipeline([("classifier", DummyClassifier(strategy="prior"))]),
        "logistic": Pipeline(
            [
                ("preprocess", features.linear_preprocessor()),
                ("classifier", LogisticRegression(C=lr.C, max_iter=lr.max_iter)),
            ]
        ),
    }


def fit(model: Pipeline, train: pd.DataFrame) -> Pipeline:
    """Fit a pipeline on the schema's feature columns and the label of `train`."""
    return model.fit(train[list(FEATURES)], train[LABEL].to_numpy())


def fit_models(train: pd.DataFrame, settings: Settings) -> FittedModels:
    """Fit the candidate and the baselines on the same rows, and set the candidate's threshold:
    the fixed one, or (a threshold rule) the rule's on `model.threshold_validation_fraction` of
    `train` held out, the models fitted on the rest."""
    setting = settings.model.decision_threshold
    fit_part, validation = train, None
    if not isinstance(parse_threshold(setting), float):
        fit_part, validation = split(train, settings.model.threshold_validation_fraction, settings.seed)
    candidate = fit(build_candidate(settings), fit_part)
    baselines = {name: fit(model, fit_part) for name, model in build_baselines(settings).items()}
    return FittedModels(candidate, baselines, threshold_on(setting, candidate, validation))


def threshold_on(setting: float | str, model: Pipeline, validation: pd.DataFrame | None) -> Threshold:
    """`setting` as a threshold for `model`: fixed, or its rule applied to `validation` rows."""
    if validation is None:
        return choose(setting, [], [])
    return choose(setting, validation[LABEL].to_numpy(), probabilities(model, validation))
