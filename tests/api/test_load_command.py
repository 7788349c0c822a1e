"""`python -m tools load` (make load): a fixed, bounded load on a server it starts and stops itself."""

from __future__ import annotations

import subprocess
import sys
import time

import psutil

from adclick.config import Settings
from tests.helpers.api import Served
from tests.helpers.cli import invoke_tool
from tools.load import BATCH_ROWS_PER_SINGLE_ROW, SINGLE, LoadResult, ServerRun, load_plan, resident_mib
from tools.load_comparison import compare, markdown


def test_load_plan_is_fixed_in_count_and_gives_each_batch_load_the_same_rows(params: Settings) -> None:
    plan = load_plan(params, requests=30, batch_rows=(5, 50))
    assert list(plan) == [SINGLE, "5 rows", "50 rows"]
    assert len(plan[SINGLE]) == 30
    for name, rows in (("5 rows", 5), ("50 rows", 50)):
        assert {len(batch) for batch in plan[name]} == {rows}
        assert sum(map(len, plan[name])) == 30 * BATCH_ROWS_PER_SINGLE_ROW


def test_percentiles_come_from_the_latencies() -> None:
    result = LoadResult("x", 4, 0, 2.0, [10.0, 20.0, 30.0, 40.0])
    assert result.per_second == 2.0
    assert result.percentile(50) == 25.0
    assert "p99" in result.line()


def test_a_batch_load_counts_rows_per_second() -> None:
    result = LoadResult("x", 4, 0, 2.0, [10.0, 20.0, 30.0, 40.0], rows_per_request=100)
    assert result.rows_per_second == 200.0


def _run(server: str, startup: float, memory: float, batch_seconds: float) -> ServerRun:
    single = LoadResult(f"{server} {SINGLE}", 3, 0, 1.0, [1.0, 2.0, 3.0])
    batch = LoadResult(f"{server} 100 rows", 10, 0, batch_seconds, [5.0] * 10, rows_per_request=100)
    return ServerRun(server, startup, memory, {SINGLE: single, "100 rows": batch})


def test_each_goal_against_mlflow_is_judged_in_its_direction(params: Settings) -> None:
    """Times and memory must stay under their goal, rows/s over it: a start-up at half the goal
    meets it, memory at twice the goal misses it, twice the goal's rows/s meets it."""
    goals = params.serve.goals_vs_mlflow
    theirs = _run("mlflow", startup=10.0, memory=500.0, batch_seconds=1.0)
    ours = _run("adclick", startup=10.0 * goals.max_startup / 2, memory=500.0 * goals.max_memory * 2,
                batch_seconds=1.0 / (goals.min_batch_rows_per_second * 2))  # fmt: skip
    verdicts = {c.measure: c.met for c in compare(ours, theirs, goals)}
    assert verdicts["start-up to ready (s)"] is True
    assert verdicts["resident memory (MiB)"] is False
    assert verdicts["100 rows: rows/s"] is True
    assert {f"{SINGLE}: p50 (ms)", f"{SINGLE}: p95 (ms)", "100 rows: p95 (ms)"} <= set(verdicts)


def test_load_command_starts_the_server_measures_and_stops(served: Served) -> None:
    result = invoke_tool(
        "load", "--config", served.config, "--requests", "20", "--batch-rows", "5", "--concurrency", "2"
    )
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "requests (0 failed)" in line]
    assert len(lines) == 2, result.stdout
    assert all("p95" in line for line in lines)
    assert "MiB" in result.stdout


def test_side_by_side_shows_each_load_of_both_servers_and_every_goal(params: Settings) -> None:
    ours, theirs = _run("adclick", 1.0, 100.0, 1.0), _run("mlflow models serve", 2.0, 200.0, 1.0)
    comparisons = compare(ours, theirs, params.serve.goals_vs_mlflow)
    text = markdown(ours, theirs, comparisons, concurrency=4)
    for load in ours.results:
        assert f"| {load} | adclick |" in text
        assert f"| {load} | mlflow models serve |" in text
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in text.splitlines() if line.startswith("| ")}
    for comparison in comparisons:
        verdict = "met" if comparison.met else "**not met**"
        assert rows[comparison.measure].endswith(f"| {verdict} |"), rows[comparison.measure]


def test_memory_counts_the_processes_a_server_started() -> None:
    """`mlflow models serve` answers from a child process: its memory is the server's too."""
    held = 64 * 2**20
    child = f"import time; block = bytearray({held}); block[::4096] = b'x' * len(block[::4096]); time.sleep(60)"
    parent = f"import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', {child!r}]); time.sleep(60)"
    process = subprocess.Popen([sys.executable, "-c", parent], text=True)
    try:
        deadline = time.monotonic() + 30
        while resident_mib(process) < held / 2**20 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert resident_mib(process) >= held / 2**20
    finally:
        for each in psutil.Process(process.pid).children(recursive=True):
            each.kill()
        process.kill()
        process.wait()
