"""Fixtures of the data layer."""

from __future__ import annotations

import pandas as pd
import pytest

from adclick.data import generate

SCENARIO_ROWS = 20_000


@pytest.fixture(scope="session")
def reference_frame() -> pd.DataFrame:
    """The reference sample every scenario is compared with (same seed, same size)."""
    return generate(SCENARIO_ROWS, seed=7)
