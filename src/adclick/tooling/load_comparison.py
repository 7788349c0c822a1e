"""Our service against `mlflow models serve`, from one `make load` run: each goal of
`serve.goals_vs_mlflow` as a ratio with its verdict, and both servers side by side in markdown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adclick.markdown import markdown_table
from adclick.tooling.load import SINGLE, ServerRun


@dataclass(frozen=True)
class Comparison:
    """One measure, ours against theirs, and the goal the ratio is held to."""

    measure: str
    ours: float
    theirs: float
    goal: float
    at_most: bool  # the ratio must stay at or under the goal (times, memory), else at or over it (rows/s)

    @property
    def ratio(self) -> float:
        return self.ours / self.theirs if self.theirs else float("inf")

    @property
    def met(self) -> bool:
        return self.ratio <= self.goal if self.at_most else self.ratio >= self.goal


def compare(ours: ServerRun, theirs: ServerRun, goals: Any) -> list[Comparison]:
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
        (c.measure, f"{c.ours:,.2f}", f"{c.theirs:,.2f}", f"{c.ratio:.2f}", f"{'<=' if c.at_most else '>='} {c.goal:g}",
         "met" if c.met else "**not met**")
        for c in comparisons
    ]  # fmt: skip
    return (
        f"## adclick against `mlflow models serve` ({concurrency} clients, same model, same requests)\n\n"
        + markdown_table(headers, loads)
        + "\n"
        + markdown_table(("measure", "adclick", "mlflow models serve", "adclick / mlflow", "goal", "verdict"), goals)
    )
