"""Small predictions run on one OpenMP thread; larger ones keep every thread.

Why: on a busy machine a parallel region of a one-row prediction waits for a thread the
scheduler has parked (docs/performance.md). The spy below reads the OpenMP limit in force
while the model predicts, through threadpoolctl, the same library that sets it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import ThreadpoolController

from adclick.model.predict import SINGLE_THREAD_BELOW_ROWS, probabilities


def _openmp_threads() -> int:
    return min(lib["num_threads"] for lib in ThreadpoolController().select(user_api="openmp").info())


class _ThreadSpy:
    """Predicts like the wrapped model and notes the OpenMP threads it was allowed."""

    def __init__(self, model: Any) -> None:
        self.model, self.threads = model, -1

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        self.threads = _openmp_threads()
        return self.model.predict_proba(frame)


@pytest.fixture(scope="module")
def rows(data_like: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    return data_like(SINGLE_THREAD_BELOW_ROWS, seed=3)


def test_a_prediction_below_the_threshold_runs_on_one_openmp_thread(small_model: Any, rows: pd.DataFrame) -> None:
    spy = _ThreadSpy(small_model)
    probabilities(spy, rows.head(SINGLE_THREAD_BELOW_ROWS - 1))
    assert spy.threads == 1


def test_a_prediction_at_the_threshold_keeps_every_openmp_thread(small_model: Any, rows: pd.DataFrame) -> None:
    spy = _ThreadSpy(small_model)
    probabilities(spy, rows)
    assert spy.threads == _openmp_threads(), "larger inputs must not be held to one thread"


def test_the_limit_is_lifted_after_a_small_prediction(small_model: Any, rows: pd.DataFrame) -> None:
    before = _openmp_threads()
    probabilities(small_model, rows.head(1))
    assert _openmp_threads() == before
