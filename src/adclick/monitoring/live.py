"""The replay's route to the live service: the champion served on 127.0.0.1 in this process,
and a function that posts records to `POST /predict` and times the answer."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from adclick.monitoring.replay import Send
from adclick.serve.app import create_app
from adclick.serve.threaded import running

if TYPE_CHECKING:
    import pandas as pd

    from adclick.config import Settings


@contextlib.contextmanager
def live_service(settings: Settings, model_uri: str | None, reference: pd.DataFrame) -> Iterator[Send]:
    """Serve `model_uri` (default: the configured alias) until the block ends; yields the sender."""
    import httpx

    app = create_app(settings, model_uri, reference=reference)
    with running(app) as url, httpx.Client(base_url=url, timeout=30.0) as client:

        def send(records: list[dict[str, Any]]) -> tuple[int, float]:
            started = time.perf_counter()
            answer = client.post("/predict", json={"records": records})
            return answer.status_code, time.perf_counter() - started

        yield send
