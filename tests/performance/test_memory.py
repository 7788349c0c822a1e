"""Memory: scoring stays under a budget per cell of its input (a wide file's rows are larger),
and the CLI's help imports nothing heavy."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from adclick.config import Settings
from adclick.data import contract
from adclick.model.predict import probabilities
from tests.helpers.timing import rows_of

pytestmark = pytest.mark.ml_test_score("monitor-6")

SCORED_ROWS = rows_of(100_000)
HEAVY_MODULES = ("mlflow", "sklearn", "pandas", "pandera", "numpy", "scipy", "matplotlib", "fastapi", "uvicorn")


@pytest.mark.slow
def test_peak_memory_of_scoring_stays_under_the_budget_per_input_cell(
    params: Settings, small_model: Any, scoring_frames: Callable[[int], Any]
) -> None:
    frame = scoring_frames(SCORED_ROWS)
    probabilities(small_model, frame.head(10))  # warm caches outside the measurement
    tracemalloc.start()
    try:
        probabilities(small_model, frame)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    cells = SCORED_ROWS * len(contract.MODEL_FEATURES)
    per_cell, budget = peak / cells, params.performance.max_scoring_bytes_per_cell
    assert per_cell <= budget, (
        f"scoring {SCORED_ROWS} rows x {len(contract.MODEL_FEATURES)} inputs peaked at {peak / 2**20:.1f} MiB = "
        f"{per_cell:.0f} bytes per cell (budget {budget:.0f}, performance.max_scoring_bytes_per_cell)"
    )


def test_help_does_not_import_heavy_libraries() -> None:
    """`adclick --help` stays fast because the CLI imports the data and ML stack lazily."""
    probe = (
        "import sys\n"
        "from adclick.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"heavy = sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules)\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert "HEAVY=\n" in completed.stdout, completed.stdout[-300:]
