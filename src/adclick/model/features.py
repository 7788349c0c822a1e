"""Preprocessing: how raw columns become model inputs, built from the schema's column roles.

Two preprocessors, each suited to its model:
- the tree model takes categories as ordinal codes and uses HistGradientBoosting's native
  categorical support (no one-hot: the single-row predict path stays lean, see DESIGN.md);
  unseen categories become missing values, which the trees route like any missing value;
- the linear baseline gets one-hot categories and imputed, scaled numbers.

Both see `contract.MODEL_FEATURES` by default: every feature but the protected attribute.
`inputs` exists so a test can build the model that does see it, and show what that breaks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from adclick.data import contract

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence


def categorical_inputs(inputs: Sequence[str] = contract.MODEL_FEATURES) -> list[str]:
    return [name for name in inputs if name in contract.CATEGORICAL_FEATURES]


def numeric_inputs(inputs: Sequence[str] = contract.MODEL_FEATURES) -> list[str]:
    return [name for name in inputs if name in contract.NUMERIC_FEATURES]


def tree_preprocessor(inputs: Sequence[str] = contract.MODEL_FEATURES) -> ColumnTransformer:
    """Categories to ordinal codes (unknown -> NaN), numbers passed through untouched."""
    categorical = categorical_inputs(inputs)
    encoder = OrdinalEncoder(
        categories=[list(contract.VOCABULARIES[c]) for c in categorical],
        handle_unknown="use_encoded_value",
        unknown_value=np.nan,
        encoded_missing_value=np.nan,
        dtype=np.float64,
    )
    return ColumnTransformer(
        [("categorical", encoder, categorical), ("numeric", "passthrough", numeric_inputs(inputs))],
        remainder="drop",
        verbose_feature_names_out=False,
    )


def linear_preprocessor(inputs: Sequence[str] = contract.MODEL_FEATURES) -> ColumnTransformer:
    """One-hot categories; numbers imputed with the median and standardised."""
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    return ColumnTransformer(
        [
            ("categorical", OneHotEncoder(handle_unknown="ignore"), categorical_inputs(inputs)),
            ("numeric", numeric, numeric_inputs(inputs)),
        ],
        remainder="drop",
        verbose_feature_names_out=False,
    )


def tree_feature_names(inputs: Sequence[str] = contract.MODEL_FEATURES) -> list[str]:
    """Column order after `tree_preprocessor`: categoricals first, then numerics."""
    return [*categorical_inputs(inputs), *numeric_inputs(inputs)]


def categorical_mask(inputs: Sequence[str] = contract.MODEL_FEATURES) -> list[bool]:
    """Which tree inputs are categorical, in `tree_feature_names` order."""
    return [name in contract.CATEGORICAL_FEATURES for name in tree_feature_names(inputs)]


def monotonic_constraints(constraints: Mapping[str, int], inputs: Sequence[str] = contract.MODEL_FEATURES) -> list[int]:
    """Per-input constraint list (+1 rising, -1 falling, 0 free) in `tree_feature_names` order."""
    return [int(constraints.get(name, 0)) for name in tree_feature_names(inputs)]


def model_inputs(fitted: Pipeline, frame: pd.DataFrame) -> pd.DataFrame:
    """What the classifier of a fitted candidate pipeline receives, as a frame with named
    columns (check it with `adclick.data.schema.features_schema()`)."""
    preprocess = fitted[:-1]
    values = preprocess.transform(frame[list(contract.FEATURES)])
    return pd.DataFrame(values, columns=list(preprocess.get_feature_names_out()), index=frame.index)
