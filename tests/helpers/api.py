"""What the API tests share: the served project and records as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from adclick.config import Settings
from adclick.serve.contract import as_records as records_json
from adclick.tracking.registry import ModelRef


@dataclass(frozen=True)
class Served:
    settings: Settings
    config: Path
    champion: ModelRef


def as_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as a client would send them (`adclick.serve.contract.as_records`)."""
    return records_json(frame)
