"""Preprocessing: how raw columns become model inputs, built from the schema's column roles.

Two preprocessors, each suited to its model:
- the tree model takes categories as ordinal codes and uses HistGradientBoosting's native
  categorical support (no one-hot: the single-row predict path stays lean, see DESIGN.md);
  unseen categories become missing values, which the trees route like any missing value;
- the linear baseline gets one-hot categories and imputed, scaled numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from adclick import schema


def tree_preprocessor() -> ColumnTransformer:
    """Categories to ordinal codes (unknown -> NaN), numbers passed through untouched."""
    encoder = OrdinalEncoder(
        categories=[list(schema.VOCABULARIES[c]) for c in schema.CATEGORICAL_FEATURES],
        handle_unknown="use_encoded_value",
        unknown_value=np.nan,
        encoded_missing_value=np.nan,
        dtype=np.float64,
    )
    return ColumnTransformer(
        [
            ("categorical", encoder, list(schema.CATEGORICAL_FEATURES)),
            ("numeric", "passthrough", list(schema.NUMERIC_FEATURES)),
        ],
        remainder="drop",
        verbose_feature_names_out=False,
    )


def linear_preprocessor() -> ColumnTransformer:
    """One-hot categories; numbers imputed with the median and standardised."""
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    return ColumnTransformer(
        [
            ("categorical", OneHotEncoder(handle_unknown="ignore"), list(schema.CATEGORICAL_FEATURES)),
            ("numeric", numeric, list(schema.NUMERIC_FEATURES)),
        ],
        remainder="drop",
        verbose_feature_names_out=False,
    )


def tree_feature_names() -> list[str]:
    """Column order after `tree_preprocessor`: categoricals first, then numerics."""
    return [*schema.CATEGORICAL_FEATURES, *schema.NUMERIC_FEATURES]


def categorical_mask() -> list[bool]:
    """Which tree inputs are categorical, in `tree_feature_names` order."""
    return [name in schema.CATEGORICAL_FEATURES for name in tree_feature_names()]


def monotonic_constraints(constraints: dict[str, int]) -> list[int]:
    """Per-input constraint list (+1 rising, -1 falling, 0 free) in `tree_feature_names` order."""
    return [int(constraints.get(name, 0)) for name in tree_feature_names()]


def model_inputs(fitted: Pipeline, frame: pd.DataFrame) -> pd.DataFrame:
    """What the classifier of a fitted candidate pipeline receives, as a frame with named
    columns (check it with `schema.features_schema()`)."""
    values = fitted[:-1].transform(frame[list(schema.FEATURES)])
    return pd.DataFrame(values, columns=tree_feature_names(), index=frame.index)
