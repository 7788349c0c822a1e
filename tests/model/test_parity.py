"""Train/serve parity: what MLflow serves predicts exactly what was trained, and its signature
refuses malformed input instead of guessing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from adclick.data import contract
from adclick.model.build import fit_models
from adclick.model.predict import probabilities
from adclick.tracking.registry import load_sklearn
from tests.helpers.cases import NO_NUMBER
from tests.helpers.judged import needs
from tests.helpers.model import ModelUnderTest
from tests.helpers.store import TrainedProject

NUMERIC_INPUTS = [name for name in contract.MODEL_FEATURES if name in contract.NUMERIC_FEATURES]

pytestmark = pytest.mark.ml_test_score("monitor-3")


@pytest.fixture(scope="module")
def pyfunc(model_under_test: ModelUnderTest):
    import mlflow.pyfunc

    return mlflow.pyfunc.load_model(f"models:/{model_under_test.ref.name}/{model_under_test.ref.version}")


def _pyfunc_probability(pyfunc, frame: pd.DataFrame) -> np.ndarray:
    return np.asarray(pyfunc.predict(frame[list(contract.FEATURES)]))[:, 1]


def test_pyfunc_flavour_predicts_what_the_native_flavour_predicts(model_under_test: ModelUnderTest, pyfunc) -> None:
    frame = model_under_test.test.head(2_000)
    np.testing.assert_array_equal(_pyfunc_probability(pyfunc, frame), probabilities(model_under_test.model, frame))


def test_registered_model_predicts_what_the_in_memory_model_predicts(registry: TrainedProject) -> None:
    """Train again on the same rows with the same seed: the registered version must match it bit for bit."""
    in_memory = fit_models(registry.train, registry.settings).candidate
    registered, _ = load_sklearn(registry.client, registry.first.ref.uri)
    np.testing.assert_array_equal(probabilities(registered, registry.test), probabilities(in_memory, registry.test))


def test_signature_rejects_a_missing_column(model_under_test: ModelUnderTest, pyfunc) -> None:
    from mlflow.exceptions import MlflowException

    missing = contract.MODEL_FEATURES[-1]
    frame = model_under_test.test.head(5)[list(contract.FEATURES)].drop(columns=[missing])
    with pytest.raises(MlflowException, match=missing):
        pyfunc.predict(frame)


@needs(NUMERIC_INPUTS, NO_NUMBER)
def test_signature_rejects_a_wrong_dtype(model_under_test: ModelUnderTest, pyfunc) -> None:
    from mlflow.exceptions import MlflowException

    column = NUMERIC_INPUTS[0]
    frame = model_under_test.test.head(5)[list(contract.FEATURES)].astype({column: object})
    frame.loc[frame.index[0], column] = "forty"
    with pytest.raises(MlflowException, match=column):
        pyfunc.predict(frame)
