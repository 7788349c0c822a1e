"""Our service against `mlflow models serve`, side by side: both started on free 127.0.0.1 ports,
the same requests sent to each in turn, and each goal of `serve.goals_vs_mlflow` as a ratio with
its verdict. `make load` prints it; tests/performance holds every goal as a budget.

Each load is cut into rounds and the two servers take turns, round after round: a busy
neighbour then slows both rather than one (timed one after the other, a single slow phase once
made a ratio 1.29 instead of 0.7). Start-up is timed for each server alone, the other idle.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adclick.data.contract import FEATURES
from adclick.markdown import markdown_table
from adclick.serve.fastpath import fast_frame
from adclick.tracking.registry import load_sklearn
from tools import load as loading
from tools.load import SINGLE, LoadResult, Report, ServerRun

RAW = "raw predict_proba in-process"
ONE_CLIENT = f"{SINGLE}, one client: p50 (ms)"


@dataclass(frozen=True)
class Comparison:
    """One measure, ours against a reference (mlflow serve, or the raw model), and its goal."""

    measure: str
    ours: float
    theirs: float
    goal: float
    at_most: bool  # the ratio must stay at or under the goal (times, memory), else at or over it (rows/s)
    against: str = "mlflow models serve"

    @property
    def ratio(self) -> float:
        return self.ours / self.theirs if self.theirs else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio <= self.goal if self.at_most else self.ratio >= self.goal


@dataclass(frozen=True)
class SideBySide:
    """Both servers under the same plan; ours also alone with one client, beside the raw model."""

    ours: ServerRun
    theirs: ServerRun
    one_client: LoadResult | None = None
    raw: LoadResult | None = None


def compare(ours: ServerRun, theirs: ServerRun, goals: Any, one_client: LoadResult | None = None,
            raw: LoadResult | None = None) -> list[Comparison]:  # fmt: skip
    """Each goal of `serve.goals_vs_mlflow` as measured in this run, plus the figures shown beside them."""
    rows = [
        Comparison("start-up to ready (s)", ours.startup_seconds, theirs.startup_seconds, goals.max_startup, True),
        Comparison("resident memory (MiB)", ours.memory_mib, theirs.memory_mib, goals.max_memory, True),
    ]
    for name, result in ours.results.items():
        other = theirs.results[name]
        if name == SINGLE:
            rows.append(Comparison(f"{name}: p50 (ms)", result.percentile(50), other.percentile(50),
                                   goals.max_single_p50, True))  # fmt: skip
        rows.append(Comparison(f"{name}: p95 (ms)", result.percentile(95), other.percentile(95), goals.max_p95, True))
        if name != SINGLE:
            rows.append(Comparison(f"{name}: rows/s", result.rows_per_second, other.rows_per_second,
                                   goals.min_batch_rows_per_second, False))  # fmt: skip
    if one_client is not None and raw is not None:
        rows.append(Comparison(ONE_CLIENT, one_client.percentile(50), raw.percentile(50),
                               goals.max_single_p50_vs_raw, True, RAW))  # fmt: skip
    return rows


def markdown(ours: ServerRun, theirs: ServerRun, comparisons: list[Comparison], concurrency: int) -> str:
    """The two servers side by side: every load's figures, then each goal's ratio and verdict."""
    loads = [
        (name, run.server, result.requests, result.failed, f"{result.per_second:,.1f}",
         f"{result.rows_per_second:,.0f}", f"{result.percentile(50):.2f}", f"{result.percentile(95):.2f}",
         f"{result.percentile(99):.2f}")
        for name in ours.results
        for run, result in ((ours, ours.results[name]), (theirs, theirs.results[name]))
    ]  # fmt: skip
    headers = ("load", "server", "requests", "failed", "requests/s", "rows/s", "p50 ms", "p95 ms", "p99 ms")
    goals = [
        (c.measure, f"{c.ours:,.2f}", c.against, f"{c.theirs:,.2f}", f"{c.ratio:.2f}",
         f"{'<=' if c.at_most else '>='} {c.goal:g}", "met" if c.met else "**not met**")
        for c in comparisons
    ]  # fmt: skip
    return (
        f"## adclick against `mlflow models serve` ({concurrency} clients, same model, same requests)\n\n"
        + markdown_table(headers, loads)
        + "\n"
        + markdown_table(("measure", "adclick", "against", "its figure", "ratio", "goal", "verdict"), goals)
    )


def _merged(name: str, parts: list[LoadResult]) -> LoadResult:
    """Rounds of one load as one result: their requests, failures, time and latencies summed."""
    return LoadResult(
        name,
        sum(p.requests for p in parts),
        sum(p.failed for p in parts),
        sum(p.seconds for p in parts),
        [latency for p in parts for latency in p.latencies_ms],
        parts[0].rows_per_request,
    )


@contextlib.contextmanager
def _started(command: list[str], ready_url: str, environment: dict[str, str] | None) -> Iterator[tuple[Any, float]]:
    launched = time.perf_counter()
    with loading.serve_in_background(command, ready_url, timeout=180, environment=environment) as process:
        yield process, time.perf_counter() - launched


def side_by_side(
    settings: Any, config: Path, ref: Any, plan: dict[str, list[Any]], *, concurrency: int, deadline: float,
    rounds: int, report: Report, raw: Callable[[int], None] | None = None,
) -> SideBySide:  # fmt: skip
    """Start both servers, run every load of `plan` on each in `rounds` alternating rounds, scrape
    ours as Prometheus would, then measure both servers' memory. With `raw(i)` (the model's own
    `predict_proba` on record i, in this process), ours also answers the single records with one
    client, each request beside one raw prediction: the latency of one record, without queueing."""
    ours_url, theirs_url = f"http://127.0.0.1:{loading.free_port()}", f"http://127.0.0.1:{loading.free_port()}"
    ours_command = loading.adclick_server_command(config, int(ours_url.rsplit(":", 1)[1]), ref.uri)
    theirs_command = loading.mlflow_server_command(ref, int(theirs_url.rsplit(":", 1)[1]))
    environment = {"MLFLOW_TRACKING_URI": settings.tracking_uri}
    with (
        _started(ours_command, f"{ours_url}/ready", None) as (ours_process, ours_startup),
        _started(theirs_command, f"{theirs_url}/ping", environment) as (theirs_process, theirs_startup),
        loading.adclick_sender(ours_url) as send_ours,
        loading.mlflow_sender(theirs_url) as send_theirs,
    ):
        for send in (send_ours, send_theirs):
            loading.run_load("warm-up", send, plan[SINGLE][:10], 1, deadline)
        ours_results, theirs_results = {}, {}
        for name, payloads in plan.items():
            size = max(len(payloads) // rounds, 1)
            chunks = [payloads[i : i + size] for i in range(0, len(payloads), size)]
            ours_parts, theirs_parts = [], []
            for chunk in chunks:
                ours_parts.append(loading.run_load(name, send_ours, chunk, concurrency, deadline))
                theirs_parts.append(loading.run_load(name, send_theirs, chunk, concurrency, deadline))
            ours_results[name] = _merged(f"adclick {name}", ours_parts)
            theirs_results[name] = _merged(f"mlflow models serve {name}", theirs_parts)
            report(ours_results[name].line())
            report(theirs_results[name].line())
        one_client, raw_result = (None, None) if raw is None else _one_client(send_ours, plan[SINGLE], raw)
        loading.scrape(f"{ours_url}/metrics")
        ours = ServerRun("adclick", ours_startup, loading.resident_mib(ours_process), ours_results)
        theirs = ServerRun("mlflow models serve", theirs_startup, loading.resident_mib(theirs_process), theirs_results)
    return SideBySide(ours, theirs, one_client, raw_result)


def _one_client(send: loading.Sender, singles: list[Any], raw: Callable[[int], None]) -> tuple[LoadResult, LoadResult]:
    """One record at a time over the socket, each beside the raw prediction of the same record."""
    served, predicted, failed = [], [], 0
    for index, payload in enumerate(singles):
        started = time.perf_counter()
        failed += not send(payload)
        served.append((time.perf_counter() - started) * 1e3)
        started = time.perf_counter()
        raw(index)
        predicted.append((time.perf_counter() - started) * 1e3)
    return (
        LoadResult(f"adclick {SINGLE}, one client", len(served), failed, sum(served) / 1e3, served),
        LoadResult(RAW, len(predicted), 0, sum(predicted) / 1e3, predicted),
    )


def raw_prediction(client: Any, ref: Any, singles: list[list[dict[str, Any]]]) -> Callable[[int], None]:
    """`raw(i)`: the registered pipeline's own `predict_proba`, in this process, on the frame the
    service builds from single request i (what `side_by_side` holds one client to)."""
    import orjson

    model, _ = load_sklearn(client, f"models:/{ref.name}/{ref.version}")
    frames = [fast_frame(orjson.dumps({"records": batch}))[list(FEATURES)] for batch in singles]  # type: ignore[index]
    return lambda index: model.predict_proba(frames[index])
