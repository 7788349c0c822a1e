"""The body limit holds on the bytes received, however they arrive; only JSON is read; every
answer, a 413 or a crash included, is counted under its route's template; and the batch-counted
probability histogram says exactly what prometheus_client's own histogram would."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from prometheus_client import CollectorRegistry, Histogram, generate_latest

from adclick.serve.middleware import MeasureAndLimit
from adclick.serve.prometheus import PROBABILITY_BUCKETS, ProbabilityHistogram, ServiceMetrics
from tests.helpers.api import Served, counted


def test_a_body_that_is_not_json_is_a_415_naming_its_content_type(client: TestClient) -> None:
    answer = client.post("/predict", content=b"records", headers={"content-type": "text/plain"})
    assert answer.status_code == 415, answer.text
    assert "text/plain" in answer.json()["detail"]


def test_a_body_over_the_limit_is_counted_under_its_route(client: TestClient, served: Served) -> None:
    before = counted(client, "/predict", 413)
    client.post("/predict", content=b" " * (served.settings.serve.max_body_bytes + 1))
    assert counted(client, "/predict", 413) == before + 1


def test_the_documentation_pages_are_counted_under_their_own_routes(client: TestClient) -> None:
    before = counted(client, "/openapi.json", 200)
    client.get("/openapi.json")
    assert counted(client, "/openapi.json", 200) == before + 1


def test_an_exception_in_the_app_is_counted_as_a_500_of_its_route(
    client: TestClient, records: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("a bug in scoring")

    monkeypatch.setattr("adclick.serve.routes.score_rows", broken)
    before = counted(client, "/predict", 500)
    answer = TestClient(client.app, raise_server_exceptions=False).post("/predict", json={"records": records[:1]})
    assert answer.status_code == 500
    assert counted(client, "/predict", 500) == before + 1


def _chunks(body: bytes, size: int = 4096) -> Iterator[bytes]:
    """A generator body: httpx sends it chunked, with no Content-Length header."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_a_chunked_body_over_the_size_limit_is_a_413(client: TestClient, served: Served) -> None:
    oversized = b" " * (served.settings.serve.max_body_bytes + 1)
    answer = client.post("/predict", content=_chunks(oversized), headers={"content-type": "application/json"})
    assert answer.status_code == 413, answer.text
    assert "over the limit" in answer.json()["detail"]


def test_a_chunked_body_within_the_limit_is_scored(client: TestClient, records: list[dict[str, Any]]) -> None:
    body = json.dumps({"records": records[:5]}).encode()
    answer = client.post("/predict", content=_chunks(body, 64), headers={"content-type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["predictions"]) == 5


def test_a_body_longer_than_its_declared_length_is_stopped_at_the_limit() -> None:
    """A client that declares 10 bytes and sends more than the limit never reaches the app."""
    limit, reached_app, sent = 1024, [], []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        reached_app.append(True)

    messages = iter([{"type": "http.request", "body": b"x" * 600, "more_body": True}] * 3)

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/predict", "headers": [(b"content-length", b"10")]}
    asyncio.run(MeasureAndLimit(app, ServiceMetrics(), limit)(scope, receive, send))
    assert not reached_app
    assert sent[0]["status"] == 413


def test_the_batch_counted_histogram_matches_prometheus_own_histogram() -> None:
    values = np.r_[np.random.default_rng(0).random(500), PROBABILITY_BUCKETS, 0.0, 1.0]  # edges belong to their bucket
    ours_registry, theirs_registry = CollectorRegistry(), CollectorRegistry()
    ours = ProbabilityHistogram("probability", "doc")
    ours_registry.register(ours)
    theirs = Histogram("probability", "doc", buckets=PROBABILITY_BUCKETS, registry=theirs_registry)
    ours.observe_many(values[:250])
    ours.observe_many(values[250:])
    for value in values:
        theirs.observe(value)

    def samples(registry: CollectorRegistry) -> dict[str, float]:
        lines = generate_latest(registry).decode().splitlines()
        pairs = (line.rsplit(" ", 1) for line in lines if line.startswith("probability_") and "created" not in line)
        return {name: float(value) for name, value in pairs}

    ours_samples, theirs_samples = samples(ours_registry), samples(theirs_registry)
    assert ours_samples.keys() == theirs_samples.keys()
    for name, value in theirs_samples.items():
        assert np.isclose(ours_samples[name], value), f"{name}: ours {ours_samples[name]}, prometheus {value}"
