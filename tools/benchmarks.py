"""Benchmark reports: pytest-benchmark JSON as a markdown table of times, ratios against
their budgets and, given a baseline run (e.g. main), the change of each time."""

from __future__ import annotations

from typing import Any

from adclick.markdown import markdown_table


def _milliseconds(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e3:.3f} ms"


def _benchmark_rows(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """pytest-benchmark JSON as {name: {time, reference, ratio, budget, passed}}.

    A budgeted benchmark's time and reference are the fastest rounds of ours and the reference
    timed alternately (`our_seconds`, `reference_seconds` in extra_info; `our_median` and
    `reference_median` in runs before 2026-11-30), so time / reference is the ratio; otherwise
    the time is pytest-benchmark's own median."""
    rows: dict[str, dict[str, Any]] = {}
    for bench in run.get("benchmarks", []):
        extra = bench.get("extra_info", {})
        rows[bench["name"]] = {
            "time": extra.get("our_seconds", extra.get("our_median", bench["stats"]["median"])),
            "reference": extra.get("reference_seconds", extra.get("reference_median")),
            "ratio": extra.get("ratio"),
            "budget": extra.get("budget"),
            "passed": extra.get("passed"),
        }
    return rows


def benchmarks_markdown(run: dict[str, Any], baseline: dict[str, Any] | None = None) -> str:
    """One row per benchmark: time (a budgeted one's fastest interleaved round, else the median),
    reference, ratio against its budget, and with a baseline run (e.g. main) the change of the
    time. A benchmark without a budget is `timed`."""
    rows = _benchmark_rows(run)
    before = _benchmark_rows(baseline) if baseline else {}
    failed = sum(1 for row in rows.values() if row["passed"] is False)
    verdict = f"**{failed} over budget**" if failed else "all within budget"
    machine = run.get("machine_info", {})
    text = f"## Benchmarks: {verdict}\n\n{len(rows)} benchmarks on {machine.get('cpu', {}).get('count', '?')} CPUs"
    text += f", Python {machine.get('python_version', '?')}.\n\n"
    headers = ["benchmark", "time", "reference", "ratio", "budget", "result"]
    if baseline is not None:
        headers += ["baseline time", "change"]
    table = []
    for name, row in sorted(rows.items()):
        result = "timed" if row["passed"] is None else ("pass" if row["passed"] else "**FAIL**")
        cells: list[object] = [
            f"`{name}`",
            _milliseconds(row["time"]),
            _milliseconds(row["reference"]),
            "-" if row["ratio"] is None else f"{row['ratio']:.2f}",
            "-" if row["budget"] is None else f"{row['budget']:.2f}",
            result,
        ]
        if baseline is not None:
            old = before.get(name)
            cells.append(_milliseconds(old["time"]) if old else "new")
            cells.append(f"{row['time'] / old['time'] - 1:+.1%}" if old else "-")
        table.append(cells)
    text += markdown_table(headers, table)
    if baseline is not None:
        gone = sorted(set(before) - set(rows))
        if gone:
            text += "\nIn the baseline only: " + ", ".join(f"`{name}`" for name in gone) + "\n"
    return text
