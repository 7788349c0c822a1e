"""The drift report for people: markdown (CI summaries, pull requests) and one HTML page that
opens offline (every picture embedded), beside the JSON that tools read."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adclick.atomic import write_atomic, write_json, write_text
from adclick.markdown import markdown_table, number
from adclick.monitoring.drift_report import PREDICTION
from adclick.monitoring.pictures import before_after, data_uri

if TYPE_CHECKING:
    import pandas as pd

COLUMN_HEADERS = ("column", "compared as", "method", "statistic", "threshold", "drifted", "missing before / after")


def _column_row(c: dict[str, Any]) -> tuple[object, ...]:
    missing = f"{c['missing_reference']:.1%} / {c['missing_current']:.1%}"
    return (
        f"`{c['column']}`",
        c["kind"],
        c["method"],
        number(c["statistic"]),
        number(c["threshold"]),
        "**yes**" if c["drifted"] else "no",
        missing,
    )


def verdict_line(report: dict[str, Any]) -> str:
    """One sentence: the data-set verdict, the rule, and the columns that drove it."""
    dataset = report["dataset"]
    named = ", ".join(dataset["drifted_columns"]) or "none"
    verdict = "DRIFTED" if dataset["drifted"] else "no drift"
    return (
        f"{verdict}: {dataset['share']:.0%} of the features drifted (rule: at least "
        f"{dataset['threshold']:.0%}); drifted columns, most first: {named}"
    )


def summary_lines(report: dict[str, Any]) -> list[str]:
    """Validation of both sides, the multivariate check and the predictions, a line each."""
    lines = []
    for side in ("reference", "current"):
        check = report["validation"][side]
        outcome = "passes" if check["passed"] else f"{check['failures']} failures: {check['message']}"
        lines.append(f"validation of the {side}: {outcome}")
    multi = report["multivariate"]
    lines.append(
        f"{multi['method']}: {multi['statistic']:.3f} (drift above {multi['threshold']:.2f}): "
        + ("drifted" if multi["drifted"] else "no drift")
    )
    if "prediction" in report:
        p = report["prediction"]
        lines.append(
            f"predictions of the model: mean {p['mean_reference']:.4f} -> {p['mean_current']:.4f}; "
            f"{p['method']} {p['statistic']:.4f} (threshold {p['threshold']:.4f}): "
            + ("drifted" if p["drifted"] else "no drift")
        )
    return lines


def drift_markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Drift report",
        "",
        f"Reference: `{report['reference']['source']}` ({report['reference']['rows']} rows); "
        f"current: `{report['current']['source']}` ({report['current']['rows']} rows).",
        "",
        f"**{verdict_line(report)}**",
        "",
        *(f"- {line}" for line in summary_lines(report)),
        "",
        markdown_table(COLUMN_HEADERS, (_column_row(c) for c in report["columns"])),
    ]
    return "\n".join(lines)


_STYLE = (
    "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
    ".drifted{color:#b00;font-weight:bold}figure{margin:1em 0}"
)


MAX_PICTURES = 12  # a wide file's page shows the columns that moved most, and every drifted one


def _severity(column: dict[str, Any]) -> float:
    """How far a column's statistic went towards its line: above 1 past it (a p-value below alpha,
    a distance above its threshold)."""
    statistic, threshold = column["statistic"], column["threshold"]
    if "p-value" in column["method"]:
        return threshold / max(statistic, 1e-300)
    return statistic / threshold if threshold else 0.0


def pictured(columns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The columns a drift page draws: every drifted one, then the nearest to drifting, up to
    `MAX_PICTURES` in all, most moved first."""
    ranked = sorted(columns, key=_severity, reverse=True)
    drifted = [c for c in ranked if c["drifted"]]
    return drifted + [c for c in ranked if not c["drifted"]][: max(0, MAX_PICTURES - len(drifted))]


def drift_html(
    report: dict[str, Any],
    reference: pd.DataFrame,
    current: pd.DataFrame,
    predictions: tuple[pd.Series, pd.Series] | None = None,
) -> str:
    """A page that needs nothing but itself: the summary, then one before/after picture per column."""
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>Drift report</title><style>{_STYLE}</style>"
        "</head><body><h1>Drift report</h1>",
        f"<p><b>{html.escape(verdict_line(report))}</b></p>",
    ]
    parts += ["<ul>", *(f"<li>{html.escape(line)}</li>" for line in summary_lines(report)), "</ul>", "<table><tr>"]
    parts += [f"<th>{html.escape(h)}</th>" for h in COLUMN_HEADERS] + ["</tr>"]
    for c in report["columns"]:
        cells = [html.escape(str(v)).replace("`", "") for v in _column_row(c)]
        css = " class='drifted'" if c["drifted"] else ""
        parts.append(f"<tr{css}>" + "".join(f"<td>{cell.replace('**', '')}</td>" for cell in cells) + "</tr>")
    parts.append("</table>")
    shown = pictured(report["columns"])
    if len(shown) < len(report["columns"]):
        parts.append(f"<p>Pictures of the {len(shown)} columns that moved most (every drifted one among them); "
                     f"the table lists all {len(report['columns'])}.</p>")  # fmt: skip
    pictures = [(c, reference[c["column"]], current[c["column"]]) for c in shown]
    if predictions is not None and "prediction" in report:
        pictures.insert(0, ({**report["prediction"], "column": PREDICTION}, *predictions))
    for c, before, after in pictures:
        title = f"{c['column']}: {c['method']} {number(c['statistic'])}" + (" (drifted)" if c["drifted"] else "")
        uri = data_uri(before_after(before, after, c["kind"], title))
        parts.append(f"<figure><img alt='{html.escape(c['column'])}' src='{uri}'></figure>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_drift_report(
    report: dict[str, Any],
    folder: Path,
    reference: pd.DataFrame,
    current: pd.DataFrame,
    predictions: tuple[pd.Series, pd.Series] | None = None,
) -> dict[str, Path]:
    """reports/drift.json, drift.md and drift.html, each written atomically."""
    return {
        "json": write_json(folder / "drift.json", report),
        "markdown": write_text(folder / "drift.md", drift_markdown(report)),
        "html": write_text(folder / "drift.html", drift_html(report, reference, current, predictions)),
    }


DEGRADATION_HEADERS = (
    "scenario",
    "rows",
    "validation",
    "ROC AUC",
    "Δ AUC",
    "log loss",
    "Δ log loss",
    "Brier",
    "ECE",
    "Δ ECE",
    "click rate",
    "mean P",
    "drifted columns",
)


def degradation_markdown(table: list[dict[str, Any]], picture: str | None = None) -> str:
    """The degradation table, then what each scenario shows and the picture."""
    rows = (
        (
            f"`{r['scenario']}`",
            r["rows"],
            "passes" if r["validation"]["passed"] else f"**refused** ({r['validation']['failures']})",
            number(r["roc_auc"]),
            f"{r['roc_auc_change']:+.4f}",
            number(r["log_loss"]),
            f"{r['log_loss_change']:+.4f}",
            number(r["brier"]),
            number(r["ece"]),
            f"{r['ece_change']:+.4f}",
            number(r["positive_rate"]),
            number(r["mean_probability"]),
            ", ".join(r["drifted_columns"]) or "-",
        )
        for r in table
    )
    lines = [
        "# Degradation: the champion on clean data and on each change",
        "",
        markdown_table(DEGRADATION_HEADERS, rows),
        "## What each change shows",
        "",
    ]
    lines += [f"- **{r['scenario']}** ({r['description']}): {r['finding']}" for r in table]
    if picture:
        lines += ["", f"![degradation]({picture})"]
    return "\n".join(lines) + "\n"


def write_degradation_report(table: list[dict[str, Any]], folder: Path, png: bytes) -> dict[str, Path]:
    import pandas as pd

    flat = pd.DataFrame(
        [
            {k: v for k, v in r.items() if k != "validation"} | {"validation_passed": r["validation"]["passed"]}
            for r in table
        ]
    )
    flat["drifted_columns"] = flat["drifted_columns"].map(" ".join)
    return {
        "json": write_json(folder / "degradation.json", table),
        "csv": write_atomic(folder / "degradation.csv", lambda tmp: flat.to_csv(tmp, index=False)),
        "png": write_atomic(folder / "degradation.png", lambda tmp: tmp.write_bytes(png)),
        "markdown": write_text(folder / "degradation.md", degradation_markdown(table, "degradation.png")),
    }
