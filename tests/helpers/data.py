"""What the data tests share."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

SCENARIO_ROWS = 20_000


@dataclass(frozen=True)
class DataUnderTest:
    source: str
    frame: pd.DataFrame
