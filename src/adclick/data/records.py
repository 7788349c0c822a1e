"""Rows as JSON records of the data contract: what a request to the service carries, what a
run logs as its canary, what the replay sends. One writer, so every side writes the same JSON."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from adclick.data.contract import FEATURE_SPECS, ID_COLUMN


def as_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as the request's JSON records: integers written as integers (pandas keeps an integer
    column with gaps as floats, and 188.0 is not an integer to the contract), gaps as null."""
    integers = {s.name: "Int64" for s in FEATURE_SPECS if s.kind == "integer" and s.name in frame.columns}
    columns = [c for c in (ID_COLUMN, *(s.name for s in FEATURE_SPECS)) if c in frame.columns]
    return json.loads(frame[columns].astype(integers).to_json(orient="records"))
