"""`adclick load` (make load): a fixed, bounded load on a server it starts and stops itself."""

from __future__ import annotations

from adclick.config import Settings
from adclick.tooling.load import LoadResult, load_plan
from tests.helpers.api import Served
from tests.helpers.cli import invoke


def test_load_plan_is_fixed_in_count(params: Settings) -> None:
    plan = load_plan(params, requests=30, batch_rows=5)
    assert [len(payloads) for payloads in plan.values()] == [30, 3]
    assert {len(batch) for batch in plan["batch of 5"]} == {5}


def test_percentiles_come_from_the_latencies() -> None:
    result = LoadResult("x", 4, 0, 2.0, [10.0, 20.0, 30.0, 40.0])
    assert result.per_second == 2.0
    assert result.percentile(50) == 25.0
    assert "p99" in result.line()


def test_load_command_starts_the_server_measures_and_stops(served: Served) -> None:
    result = invoke("load", "--config", served.config, "--requests", "20", "--batch-rows", "5", "--concurrency", "2")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "requests (0 failed)" in line]
    assert len(lines) == 2, result.stdout
    assert all("p95" in line for line in lines)
