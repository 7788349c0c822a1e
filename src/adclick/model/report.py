"""The model report in markdown, and its reliability curve: for people and CI job summaries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adclick.atomic import write_atomic
from adclick.markdown import VERDICT_HEADERS, markdown_table, number, verdict_rows


def model_markdown(report: dict[str, Any], reliability_png: str | None = None) -> str:
    """The model report: gates, model checks, metrics against baselines and champion, slices,
    calibration and behaviour. `report` is `evaluate.assess` output (plus `model` when registered)."""
    model = report.get("model")
    title = f"{model['name']} version {model['version']}" if model else report.get("title", "model")
    verdicts = report["gates"] + report["checks"]
    failed = [r["name"] for r in verdicts if not r["passed"] and r.get("judged", True)]
    unjudged = [r["name"] for r in verdicts if not r.get("judged", True)]
    verdict = f"**{len(failed)} failed**: {', '.join(failed)}" if failed else "every gate and check judged passed"
    if unjudged:
        verdict += f"; {len(unjudged)} not judged (the data cannot decide them): {', '.join(unjudged)}"
    data = report["data"]
    text = (
        f"## Model report: {title}\n\n{verdict}. Data: `{data.get('source', 'test split')}`, {data['rows']} rows, "
        f"{data['positives']} positive. Decision threshold: {report['decision_threshold']:.4g} "
        f"({report.get('decision_threshold_how', 'fixed')}).\n\n"
    )
    text += "### Promotion gates\n\n" + markdown_table(VERDICT_HEADERS, verdict_rows(report["gates"]))
    text += "\n### Model checks\n\n" + markdown_table(VERDICT_HEADERS, verdict_rows(report["checks"]))
    text += _metrics_section(report) + _slices_section(report["slices"])
    text += _calibration_section(report["calibration"], reliability_png) + _behaviour_section(report["behaviour"])
    return text


def _metrics_section(report: dict[str, Any]) -> str:
    columns = ["model", *report["baselines"]] + (["champion"] if report["champion"] else [])
    sources = [report["metrics"], *report["baselines"].values()] + (
        [report["champion"]["metrics"]] if report["champion"] else []
    )
    metric_rows = [(name, *(number(s[name]) for s in sources)) for name in report["metrics"]]
    champion = f" (champion: version {report['champion']['version']})" if report["champion"] else ""
    return f"\n### Metrics{champion}\n\n" + markdown_table(("metric", *columns), metric_rows)


def _slices_section(slices: list[dict[str, Any]]) -> str:
    slice_rows = [
        (
            s["slice"],
            s["value"],
            s["rows"],
            number(s["roc_auc"]),
            number(s["brier"]),
            "too small" if s["too_small"] else "",
        )
        for s in slices
    ]
    return "\n### Slices\n\n" + markdown_table(("slice", "value", "rows", "ROC AUC", "Brier", "note"), slice_rows)


def _calibration_section(calibrated: dict[str, Any], reliability_png: str | None) -> str:
    text = (
        f"\n### Calibration\n\nBrier {calibrated['brier']:.4f}, expected calibration error {calibrated['ece']:.4f}.\n\n"
    )
    if reliability_png:
        text += f"![reliability curve]({reliability_png})\n\n"
    bins = [
        (f"{b['lower']:.3f}-{b['upper']:.3f}", b["rows"], number(b["mean_probability"]), number(b["positive_rate"]))
        for b in calibrated["bins"]
    ]
    return text + markdown_table(("predicted", "rows", "mean P(positive)", "positive rate"), bins)


def _behaviour_section(behaviour: dict[str, Any]) -> str:
    directions = [
        (f"`{column}`", m["rows"], f"{m['violation_rate']:.2%}", number(m["mean_effect"]))
        for column, m in behaviour["directions"].items()
    ]
    text = "\n### Behaviour\n\n"
    if behaviour["protected"]:
        text += f"Largest change from the protected attribute alone: {behaviour['protected_shift']:.6f}; "
    text += f"largest change from shuffling rows: {behaviour['row_order_shift']:.2e}.\n\n"
    text += markdown_table(("direction", "rows", "violations", "mean effect"), directions) + "\n"
    cases = [
        (c["case"], number(c["better"]), number(c["worse"]), "pass" if c["passed"] else "**FAIL**")
        for c in behaviour["minimum_functionality"]
    ]
    text += markdown_table(("minimum functionality", "P(better)", "P(worse)", "result"), cases)
    return text


def write_reliability_png(calibrated: dict[str, Any], path: Path, title: str = "Reliability") -> Path:
    """The reliability curve (observed positive rate against mean predicted probability per bin), atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bins = calibrated["bins"]
    figure, axis = plt.subplots(figsize=(5, 5))
    axis.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    axis.plot([b["mean_probability"] for b in bins], [b["positive_rate"] for b in bins], marker="o", label="model")
    axis.set(xlabel="mean predicted P(positive)", ylabel="observed positive rate", xlim=(0, 1), ylim=(0, 1))
    axis.set_title(f"{title} (ECE {calibrated['ece']:.4f})")
    axis.legend(loc="upper left")
    try:
        return write_atomic(path, lambda tmp: figure.savefig(tmp, format="png", dpi=100, bbox_inches="tight"))
    finally:
        plt.close(figure)
