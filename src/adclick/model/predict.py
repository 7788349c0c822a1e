"""The one prediction path: P(positive) for each row of a frame. Batch scoring, the API, the
behaviour checks and the evaluation all call `probabilities`; the registered pyfunc calls the
same fitted pipeline's `predict_proba` (a test holds the two to the same numbers). `score_rows`
adds the ids and the decisions: what `adclick predict` writes and `POST /predict` answers.

Small inputs run on one OpenMP thread. HistGradientBoosting parallelises prediction over rows
with OpenMP; for a handful of rows the threads have nothing to share, and on a busy machine a
parallel region waits for a thread the scheduler has parked, which shows in the tail latency
(docs/performance.md). From about 100 rows up the threads pay for themselves, so larger inputs
keep them.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from adclick.data.contract import FEATURES, ID_COLUMN

if TYPE_CHECKING:
    import pandas as pd
    from threadpoolctl import ThreadpoolController

SINGLE_THREAD_BELOW_ROWS = 100


@functools.cache
def _threadpools() -> ThreadpoolController:
    """Made once: building a controller inspects every loaded library."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def threads_for(rows: int) -> contextlib.AbstractContextManager[Any]:
    """The OpenMP threads a prediction of `rows` rows should use: one below the threshold, else all."""
    if rows >= SINGLE_THREAD_BELOW_ROWS:
        return contextlib.nullcontext()
    return _threadpools().limit(limits=1, user_api="openmp")


def probabilities(model: Any, frame: pd.DataFrame) -> np.ndarray:
    """P(positive) for each row, from the schema's feature columns only."""
    inputs = frame[list(FEATURES)]
    with threads_for(len(inputs)):
        return model.predict_proba(inputs)[:, 1]


def decisions(proba: np.ndarray, threshold: float) -> np.ndarray:
    """The positive decision at `threshold` (at or above it), as 0/1."""
    return (np.asarray(proba) >= threshold).astype("int64")


@dataclass(frozen=True)
class Scores:
    """One entry per scored row, in input order."""

    ids: np.ndarray
    probability: np.ndarray
    decision: np.ndarray


def score_rows(model: Any, frame: pd.DataFrame, threshold: float) -> Scores:
    """Probabilities and decisions at `threshold` for validated rows (batch file or API request)."""
    proba = probabilities(model, frame)
    return Scores(frame[ID_COLUMN].to_numpy(), proba, decisions(proba, threshold))
