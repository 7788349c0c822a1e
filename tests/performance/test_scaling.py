"""Training and prediction time grow about linearly with rows: an accidental quadratic step fails.

Each is timed at the sizes of `performance.scaling_rows` and the exponent k of time ~ rows^k
is fitted on a log-log scale; it must stay under `performance.max_growth_exponent`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from adclick.config import Settings
from adclick.data import contract
from adclick.model.build import build_candidate
from adclick.model.predict import probabilities
from tests.helpers.timing import growth_exponent, median_seconds, rows_of

pytestmark = pytest.mark.ml_test_score("monitor-6")


def _assert_about_linear(what: str, rows: list[int], seconds: list[float], bound: float) -> None:
    k = growth_exponent(rows, seconds)
    timings = ", ".join(f"{n} rows: {s * 1e3:.1f} ms" for n, s in zip(rows, seconds, strict=True))
    assert k <= bound, f"{what} grows as rows^{k:.2f} (bound {bound}, performance.max_growth_exponent): {timings}"


@pytest.mark.slow
def test_training_time_grows_about_linearly(params: Settings, data_like: Callable[..., Any]) -> None:
    rows = [rows_of(n) for n in params.performance.scaling_rows]
    frames = [data_like(n, params.seed) for n in rows]
    seconds = [
        median_seconds(lambda f=f: build_candidate(params).fit(f[list(contract.FEATURES)], f[contract.LABEL]), 1, 0)
        for f in frames
    ]
    _assert_about_linear("training", rows, seconds, params.performance.max_growth_exponent)


@pytest.mark.slow
def test_prediction_time_grows_about_linearly(
    params: Settings, small_model: Any, scoring_frames: Callable[[int], Any]
) -> None:
    rows = [rows_of(n) for n in params.performance.scaling_rows]
    seconds = [median_seconds(lambda n=n: probabilities(small_model, scoring_frames(n)), 3) for n in rows]
    _assert_about_linear("prediction", rows, seconds, params.performance.max_growth_exponent)


def test_the_exponent_flags_a_quadratic_step() -> None:
    rows = [10_000, 50_000, 200_000]
    assert growth_exponent(rows, [1e-9 * n**2 for n in rows]) == pytest.approx(2.0)
    assert growth_exponent(rows, [1e-6 * n for n in rows]) == pytest.approx(1.0)
