"""What the API tests share: the served project and records as JSON."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from hypothesis import strategies as st

from adclick.config import Settings
from adclick.data import contract
from adclick.serve import bundle
from adclick.serve.app import create_app
from adclick.serve.request_contract import as_records as records_json
from adclick.tracking.registry import ModelRef

if TYPE_CHECKING:
    from fastapi import FastAPI


@dataclass(frozen=True)
class Served:
    settings: Settings
    config: Path
    champion: ModelRef


def service(settings: Settings, *args: Any, **options: Any) -> FastAPI:
    """`create_app` exporting in this process: the test session has MLflow loaded already, and
    the service's own child export (`bundle.export_in_child`, tested on its own) would add a
    process start to every reload."""
    return create_app(settings, *args, exporter=functools.partial(bundle.export, settings), **options)


def move_registry(settings: Settings) -> None:
    """Make the registry look changed to the service (its sqlite store's modification time moves),
    without changing what it holds: the next start-up or reload loads the model again."""
    store = Path(settings.tracking_uri.removeprefix("sqlite:///"))
    stat = store.stat()
    os.utime(store, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def counted(client: Any, route: str, status: int) -> float:
    """How many answers of `status` the service's /metrics counts for `route` (0 before the first)."""
    sample = f'adclick_requests_total{{route="{route}",status="{status}"}} '
    lines = client.get("/metrics").text.splitlines()
    return next((float(line.removeprefix(sample)) for line in lines if line.startswith(sample)), 0.0)


def as_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as a client would send them (`adclick.serve.request_contract.as_records`)."""
    return records_json(frame)


def _valid_value(spec: contract.FieldSpec) -> st.SearchStrategy[Any]:
    if spec.vocabulary is not None:
        return st.sampled_from(spec.vocabulary)
    if spec.kind == "boolean":
        return st.booleans()
    low, high = spec.bounds  # type: ignore[misc]
    if spec.kind == "integer":
        return st.integers(int(low), int(high))
    return st.floats(low, high, allow_nan=False)


JUNK = st.one_of(
    st.sampled_from([float("nan"), float("inf"), -float("inf")]),  # JSON cannot echo these back as numbers
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@st.composite
def fuzzed_records(draw: st.DrawFn, *, broken: bool = True) -> dict[str, Any]:
    """A record whose fields are each valid, junk, or missing, sometimes with an extra field;
    with `broken=False`, a valid record (optional fields sometimes left out)."""
    record: dict[str, Any] = {}
    fields = {contract.ID_COLUMN: st.text(min_size=1, max_size=64)} | {
        s.name: _valid_value(s) for s in contract.FEATURE_SPECS
    }
    optional = {s.name for s in contract.FEATURE_SPECS if s.nullable}
    for name, valid in fields.items():
        choices = ["valid", "valid", "valid", "junk", "missing"] if broken else ["valid", "valid", "missing"]
        choice = draw(st.sampled_from(choices))
        if choice == "missing" and not broken and name not in optional:
            choice = "valid"
        if choice != "missing":
            record[name] = draw(valid if choice == "valid" else JUNK)
    if broken and draw(st.booleans()):
        record[draw(st.text(min_size=1, max_size=10))] = draw(JUNK)
    return record
