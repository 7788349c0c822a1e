"""What the API tests share: the served project and records as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from adclick.config import Settings
from adclick.data.contract import LABEL
from adclick.tracking.registry import ModelRef


@dataclass(frozen=True)
class Served:
    settings: Settings
    config: Path
    champion: ModelRef


def as_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(frame.drop(columns=[LABEL], errors="ignore").to_json(orient="records"))
