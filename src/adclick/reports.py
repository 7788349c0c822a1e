"""Markdown renderings of the pipeline's JSON reports: for people, and for CI job summaries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub-flavoured markdown table; pipes inside cells are escaped."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def validation_markdown(report: dict[str, Any]) -> str:
    """The validation report: verdict, source and one table row per failed check."""
    verdict = "passed" if report["passed"] else f"**failed** ({len(report['failures'])} checks)"
    kind = "labelled" if report["labelled"] else "unlabelled"
    text = f"## Data validation: {verdict}\n\n`{report['source']}`: {report['rows']} rows, {kind}.\n"
    if report["failures"]:
        rows = [
            (f"`{f['column']}`", f["check"], f["failures"], ", ".join(f"`{e}`" for e in f["examples"]))
            for f in report["failures"]
        ]
        text += "\n" + markdown_table(("column", "check", "failures", "examples"), rows)
    return text


def _milliseconds(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e3:.3f} ms"


def _benchmark_rows(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """pytest-benchmark JSON as {name: {median, reference, ratio, budget, passed}}.

    A budgeted benchmark's median and reference come from timings of ours and the reference
    taken alternately (`our_median`, `reference_median` in extra_info), so median / reference
    is the ratio; otherwise the median is pytest-benchmark's own."""
    rows: dict[str, dict[str, Any]] = {}
    for bench in run.get("benchmarks", []):
        extra = bench.get("extra_info", {})
        rows[bench["name"]] = {
            "median": extra.get("our_median", bench["stats"]["median"]),
            "reference": extra.get("reference_median"),
            "ratio": extra.get("ratio"),
            "budget": extra.get("budget"),
            "passed": extra.get("passed"),
        }
    return rows


def benchmarks_markdown(run: dict[str, Any], baseline: dict[str, Any] | None = None) -> str:
    """One row per benchmark: median, reference, ratio against its budget, and with a baseline
    run (e.g. main) the change of the median. A benchmark without a budget is `timed`."""
    rows = _benchmark_rows(run)
    before = _benchmark_rows(baseline) if baseline else {}
    failed = sum(1 for row in rows.values() if row["passed"] is False)
    verdict = f"**{failed} over budget**" if failed else "all within budget"
    machine = run.get("machine_info", {})
    text = f"## Benchmarks: {verdict}\n\n{len(rows)} benchmarks on {machine.get('cpu', {}).get('count', '?')} CPUs"
    text += f", Python {machine.get('python_version', '?')}.\n\n"
    headers = ["benchmark", "median", "reference", "ratio", "budget", "result"]
    if baseline is not None:
        headers += ["baseline median", "change"]
    table = []
    for name, row in sorted(rows.items()):
        result = "timed" if row["passed"] is None else ("pass" if row["passed"] else "**FAIL**")
        cells: list[object] = [
            f"`{name}`",
            _milliseconds(row["median"]),
            _milliseconds(row["reference"]),
            "-" if row["ratio"] is None else f"{row['ratio']:.2f}",
            "-" if row["budget"] is None else f"{row['budget']:.2f}",
            result,
        ]
        if baseline is not None:
            old = before.get(name)
            cells.append(_milliseconds(old["median"]) if old else "new")
            cells.append(f"{row['median'] / old['median'] - 1:+.1%}" if old else "-")
        table.append(cells)
    text += markdown_table(headers, table)
    if baseline is not None:
        gone = sorted(set(before) - set(rows))
        if gone:
            text += "\nIn the baseline only: " + ", ".join(f"`{name}`" for name in gone) + "\n"
    return text


def _number(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def verdict_rows(results: list[dict[str, Any]]) -> list[tuple[object, ...]]:
    return [
        (
            f"`{r['name']}`",
            _number(r["value"]),
            _number(r["threshold"]),
            "pass" if r["passed"] else "**FAIL**",
            r["detail"],
        )
        for r in results
    ]


def model_markdown(report: dict[str, Any], reliability_png: str | None = None) -> str:
    """The model report: gates, model checks, metrics against baselines and champion, slices,
    calibration and behaviour. `report` is `evaluate.assess` output (plus `model` when registered)."""
    model = report.get("model")
    title = f"{model['name']} version {model['version']}" if model else report.get("title", "model")
    failed = [r["name"] for r in report["gates"] + report["checks"] if not r["passed"]]
    verdict = f"**{len(failed)} failed**: {', '.join(failed)}" if failed else "every gate and check passed"
    data = report["data"]
    text = (
        f"## Model report: {title}\n\n{verdict}. Data: `{data.get('source', 'test split')}`, {data['rows']} rows.\n\n"
    )
    headers = ("check", "value", "threshold", "result", "detail")
    text += "### Promotion gates\n\n" + markdown_table(headers, verdict_rows(report["gates"]))
    text += "\n### Model checks\n\n" + markdown_table(headers, verdict_rows(report["checks"]))

    columns = ["model", *report["baselines"]] + (["champion"] if report["champion"] else [])
    sources = [report["metrics"], *report["baselines"].values()] + (
        [report["champion"]["metrics"]] if report["champion"] else []
    )
    metric_rows = [(name, *(_number(s[name]) for s in sources)) for name in report["metrics"]]
    champion = f" (champion: version {report['champion']['version']})" if report["champion"] else ""
    text += f"\n### Metrics{champion}\n\n" + markdown_table(("metric", *columns), metric_rows)

    slice_rows = [
        (
            s["slice"],
            s["value"],
            s["rows"],
            _number(s["roc_auc"]),
            _number(s["brier"]),
            "too small" if s["too_small"] else "",
        )
        for s in report["slices"]
    ]
    text += "\n### Slices\n\n" + markdown_table(("slice", "value", "rows", "ROC AUC", "Brier", "note"), slice_rows)

    calibrated = report["calibration"]
    text += (
        f"\n### Calibration\n\nBrier {calibrated['brier']:.4f}, expected calibration error {calibrated['ece']:.4f}.\n\n"
    )
    if reliability_png:
        text += f"![reliability curve]({reliability_png})\n\n"
    bins = [
        (f"{b['lower']:.1f}-{b['upper']:.1f}", b["rows"], _number(b["mean_probability"]), _number(b["click_rate"]))
        for b in calibrated["bins"]
    ]
    text += markdown_table(("predicted", "rows", "mean P(click)", "click rate"), bins)

    behaviour = report["behaviour"]
    directions = [
        (f"`{column}`", m["rows"], f"{m['violation_rate']:.2%}", _number(m["mean_effect"]))
        for column, m in behaviour["directions"].items()
    ]
    text += "\n### Behaviour\n\n"
    text += f"Largest change from the protected attribute alone: {behaviour['protected_shift']:.6f}; "
    text += f"from shuffling rows: {behaviour['row_order_shift']:.2e}.\n\n"
    text += markdown_table(("direction", "rows", "violations", "mean effect"), directions) + "\n"
    cases = [
        (c["case"], _number(c["better"]), _number(c["worse"]), "pass" if c["passed"] else "**FAIL**")
        for c in behaviour["minimum_functionality"]
    ]
    text += markdown_table(("minimum functionality", "P(better)", "P(worse)", "result"), cases)
    return text


def write_reliability_png(calibrated: dict[str, Any], path: Path, title: str = "Reliability") -> Path:
    """The reliability curve (observed click rate against mean predicted probability per bin), atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from adclick.files import write_atomic

    bins = calibrated["bins"]
    figure, axis = plt.subplots(figsize=(5, 5))
    axis.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    axis.plot([b["mean_probability"] for b in bins], [b["click_rate"] for b in bins], marker="o", label="model")
    axis.set(xlabel="mean predicted P(click)", ylabel="observed click rate", xlim=(0, 1), ylim=(0, 1))
    axis.set_title(f"{title} (ECE {calibrated['ece']:.4f})")
    axis.legend(loc="upper left")
    try:
        return write_atomic(path, lambda tmp: figure.savefig(tmp, format="png", dpi=100, bbox_inches="tight"))
    finally:
        plt.close(figure)
