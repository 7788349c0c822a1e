"""A bounded load check of a prediction server over a real socket: requests/s, rows/s, latency
percentiles, start-up time and resident memory, ours and `mlflow models serve` side by side.

It sends a fixed number of requests (single records and batches) from a few concurrent
clients and stops by itself, however the server behaves: every request has a timeout and the
whole run a deadline. `serve_in_background` starts a server on a free 127.0.0.1 port for it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from adclick.data.contract import FEATURES
from adclick.data.sources import sample
from adclick.serve.request_contract import as_records


@dataclass(frozen=True)
class LoadResult:
    name: str
    requests: int
    failed: int
    seconds: float
    latencies_ms: list[float]
    rows_per_request: int = 1

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def rows_per_second(self) -> float:
        return self.per_second * self.rows_per_request

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.latencies_ms, q)) if self.latencies_ms else float("nan")

    def line(self) -> str:
        return (
            f"{self.name:<28} {self.requests:>5} requests ({self.failed} failed) {self.per_second:8.1f}/s   "
            f"p50 {self.percentile(50):7.2f} ms   p95 {self.percentile(95):7.2f} ms   p99 {self.percentile(99):7.2f} ms"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def records(settings: Any, rows: int) -> list[dict[str, Any]]:
    """Rows to score as JSON records, like the source's (batch 1 of the seed: the data to score)."""
    return as_records(sample(settings, rows, settings.seed, batch=1))


def wait_until_ready(url: str, timeout: float, process: subprocess.Popen[str] | None = None) -> None:
    """Poll `url` until it answers 200; give up at the timeout, or as soon as `process` has exited."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise TimeoutError(f"the server exited with {process.returncode} before {url} answered")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        time.sleep(0.25)
    raise TimeoutError(f"{url} did not answer 200 within {timeout:.0f} s")


@contextlib.contextmanager
def serve_in_background(
    command: list[str], ready_url: str, timeout: float = 90.0, environment: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """Run a server command until the block ends; stop it (terminate, then kill) whatever happens.

    The environment's bin folder goes first on PATH: `mlflow models serve` runs `uvicorn` from it.
    """
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, **(environment or {}), "PATH": path}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    try:
        wait_until_ready(ready_url, timeout, process)
        yield process
    except TimeoutError:
        process.terminate()
        _, err = process.communicate(timeout=10)
        raise TimeoutError(f"server did not start: {' '.join(command)}\n{err[-2_000:]}") from None
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def resident_mib(process: subprocess.Popen[str]) -> float:
    """Resident memory of a server and every process it started (`mlflow models serve` runs its
    uvicorn as a child), in MiB."""
    import psutil

    root = psutil.Process(process.pid)
    processes = [root, *root.children(recursive=True)]
    total = 0
    for each in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += each.memory_info().rss
    return total / 2**20


def scrape(url: str) -> None:
    """GET a metrics endpoint once, as Prometheus does (the drift gauge is computed then)."""
    import httpx

    httpx.get(url, timeout=30.0).raise_for_status()


def run_load(
    name: str, send: Callable[[Any], bool], payloads: list[Any], concurrency: int, deadline_seconds: float
) -> LoadResult:
    """Send every payload once from `concurrency` threads; stop early at the deadline."""
    stop_at = time.monotonic() + deadline_seconds
    latencies: list[float] = []
    failures = 0

    def one(payload: Any) -> tuple[float, bool]:
        if time.monotonic() > stop_at:
            return float("nan"), False
        started = time.perf_counter()
        ok = send(payload)
        return (time.perf_counter() - started) * 1e3, ok

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for latency, ok in pool.map(one, payloads):
            if np.isnan(latency):
                continue
            latencies.append(latency)
            failures += not ok
    rows = len(payloads[0]) if payloads and isinstance(payloads[0], list) else 1
    return LoadResult(name, len(latencies), failures, time.perf_counter() - started, latencies, rows)


Sender = Callable[[list[dict[str, Any]]], bool]


@contextlib.contextmanager
def adclick_sender(base_url: str) -> Iterator[Sender]:
    """Send records to our /predict; the connection pool closes with the block."""
    import httpx

    with httpx.Client(base_url=base_url, timeout=10.0) as client:
        yield lambda batch: client.post("/predict", json={"records": batch}).status_code == 200


@contextlib.contextmanager
def mlflow_sender(base_url: str) -> Iterator[Sender]:
    """The same records to `mlflow models serve` (its /invocations takes dataframe_records)."""
    import httpx

    features = list(FEATURES)
    with httpx.Client(base_url=base_url, timeout=10.0) as client:

        def send(batch: list[dict[str, Any]]) -> bool:
            rows = [{k: r[k] for k in features} for r in batch]
            return client.post("/invocations", json={"dataframe_records": rows}).status_code == 200

        yield send


SINGLE = "1 row"
# Each batch load carries this many times the single-record load's rows: at the default 400
# requests, 400 batches of 100 and 40 of 1,000. With 20 of 1,000, their p95 was their slowest
# request, and one slow request decided the goal.
BATCH_ROWS_PER_SINGLE_ROW = 100


def load_name(rows: int) -> str:
    return SINGLE if rows == 1 else f"{rows:,} rows"


def load_plan(
    settings: Any, requests: int, batch_rows: Sequence[int] = (100, 1000), min_batches: int = 1
) -> dict[str, list[Any]]:
    """`requests` one-record payloads, and for each batch size as many batches as carry
    `BATCH_ROWS_PER_SINGLE_ROW` times their rows, and at least `min_batches`: the same plan for
    every server. A percentile of a few large batches is their slowest: raise `min_batches` to judge one."""
    largest = max((1, *batch_rows))
    pool = records(settings, max(requests, largest))
    plan: dict[str, list[Any]] = {SINGLE: [[pool[i % len(pool)]] for i in range(requests)]}
    for rows in batch_rows:
        count = max(requests * BATCH_ROWS_PER_SINGLE_ROW // rows, min_batches, 1)
        plan[load_name(rows)] = [pool[:rows] for _ in range(count)]
    return plan


def adclick_server_command(config: Path, port: int, model_uri: str | None) -> list[str]:
    command = [sys.executable, "-m", "adclick.cli", "serve", "--config", str(config), "--port", str(port)]
    return command + (["--model-uri", model_uri] if model_uri else [])


def mlflow_server_command(ref: Any, port: int) -> list[str]:
    model = f"models:/{ref.name}/{ref.version}"
    return [sys.executable, "-m", "mlflow", "models", "serve", "-m", model, "--env-manager", "local",
            "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip


Report = Callable[[str], Any]


@dataclass(frozen=True)
class ServerRun:
    """One server under the plan: seconds from launch to ready, resident memory after the loads,
    and each load's result."""

    server: str
    startup_seconds: float
    memory_mib: float
    results: dict[str, LoadResult]

    @property
    def failed(self) -> int:
        return sum(result.failed for result in self.results.values())


def _load_server(
    server: str,
    command: list[str],
    ready_url: str,
    sender: Callable[[], contextlib.AbstractContextManager[Sender]],
    plan: dict[str, list[Any]],
    concurrency: int,
    deadline: float,
    report: Report,
    environment: dict[str, str] | None = None,
    scrape_url: str | None = None,
) -> ServerRun:
    """Start a server, run each load of `plan`, then measure its memory. A server with metrics
    is scraped first, as Prometheus would have by then: the memory includes what a scrape loads."""
    launched = time.perf_counter()
    with serve_in_background(command, ready_url, timeout=180, environment=environment) as process, sender() as send:
        startup = time.perf_counter() - launched
        run_load("warm-up", send, plan[SINGLE][:10], 1, deadline)
        results = {}
        for name, payloads in plan.items():
            results[name] = run_load(f"{server} {name}", send, payloads, concurrency, deadline)
            report(results[name].line())
        if scrape_url is not None:
            scrape(scrape_url)
        memory = resident_mib(process)
    return ServerRun(server, startup, memory, results)


def load_adclick(
    config: Path, ref: Any, plan: dict[str, list[Any]], concurrency: int, deadline: float, report: Report
) -> ServerRun:
    """Start `adclick serve` for `ref` on a free port, run each load of `plan`, stop it."""
    url = f"http://127.0.0.1:{(port := free_port())}"
    command = adclick_server_command(config, port, ref.uri)
    return _load_server(
        "adclick", command, f"{url}/ready", lambda: adclick_sender(url), plan, concurrency, deadline, report,
        scrape_url=f"{url}/metrics",
    )  # fmt: skip
