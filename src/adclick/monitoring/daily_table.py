"""The replay's tracking table for people: a commented markdown table, a CSV and a chart."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from adclick.atomic import write_atomic, write_json, write_text
from adclick.markdown import markdown_table
from adclick.monitoring.pictures import png_bytes, pyplot

if TYPE_CHECKING:
    from adclick.monitoring.replay import Expected

HEADERS = ("date", "injected", "rows", "schema failures", "API refused", "missing +", "drift share",
           "most drifted", "mean P", "estimated AUC", "realised AUC", "p95 ms", "alerts")  # fmt: skip

COMMENTS = """What each column watches, and why:

- **Usage**: `rows` scored that day and the `p95 ms` latency of the day's `POST /predict`
  requests to the live service: a service that is slow or idle fails its callers first.
- **Data quality**: `schema failures` (values the schema refuses), `API refused` (rows the
  service answered 422) and `missing +` (the worst feature's missing share above its share in the
  training data). An incident shows here the same day, before any label.
- **Drift**: the share of features whose distribution moved against the training data (the
  statistics of `adclick drift`) and the most drifted ones. Drift is a warning, not a failure:
  the model may cope (see `adclick degradation`).
- **Model quality**: `mean P` (the mean predicted probability, held to a band around the
  reference), the AUC `estimated` from the calibrated probabilities before labels arrive (CBPE),
  and the `realised` AUC once the labels arrive, `{delay}` days later (shown in brackets while the
  labels are still on their way at the end of the replay). Concept drift moves only the realised
  AUC: the inputs and the estimate look healthy while the model is wrong.
"""


def tracking_markdown(table: list[dict[str, Any]], healthy: Expected, delay: int, picture: str | None) -> str:
    def latency(row: dict[str, Any]) -> str:
        return "-" if np.isnan(row["p95_latency_ms"]) else f"{row['p95_latency_ms']:.1f}"

    def realised(row: dict[str, Any]) -> str:
        return f"{row['realised_auc']:.3f}" if row["realised_auc_known"] else f"({row['realised_auc']:.3f})"

    rows = (
        (r["date"], r["injected"], r["rows"], r["schema_failures"], r["api_refused_rows"], f"{r['missing_share']:.0%}",
         f"{r['drift_share']:.0%}", r["drifted_columns"] or "-", f"{r['mean_prediction']:.3f}",
         f"{r['estimated_auc']:.3f}", realised(r), latency(r), r["alerts"] or "-")
        for r in table
    )  # fmt: skip
    lines = [
        "# Monitoring: a replay of daily batches through the champion",
        "",
        f"Expected on healthy days: held-out AUC {healthy.auc:.3f}; mean prediction "
        f"{healthy.mean_probability:.3f} (sd {healthy.sd_probability:.3f}).",
        "",
        COMMENTS.format(delay=delay),
        markdown_table(HEADERS, rows),
        "## First alert of each kind",
        "",
        *first_alerts(table),
    ]
    if picture:
        lines += ["", f"![monitoring]({picture})"]
    return "\n".join(lines) + "\n"


def first_alerts(table: list[dict[str, Any]]) -> list[str]:
    """The day each kind of alert first fired: what a team would have seen, and when."""
    seen: dict[str, str] = {}
    for row in table:
        for alert in filter(None, row["alerts"].split("; ")):
            kind = alert.split(":")[0]
            seen.setdefault(kind, f"- **{kind}** first on {row['date']} (injected: {row['injected']}): {alert}")
    return list(seen.values()) or ["- none: every day looked healthy"]


def tracking_png(table: list[dict[str, Any]], healthy: Expected) -> bytes:
    plt = pyplot()
    days = [r["day"] for r in table]
    figure, axes = plt.subplots(2, 2, figsize=(11, 6), sharex=True)
    axes[0, 0].plot(days, [r["drift_share"] for r in table], marker=".")
    axes[0, 0].set(title="share of features drifted", ylim=(0, 1))
    axes[0, 1].plot(days, [r["missing_share"] for r in table], marker=".", color="#c44")
    axes[0, 1].set(title="worst missing share above the reference")
    axes[1, 0].plot(days, [r["mean_prediction"] for r in table], marker=".")
    axes[1, 0].axhline(healthy.mean_probability, color="grey", linestyle="--", label="reference")
    axes[1, 0].set(title="mean prediction", xlabel="day")
    axes[1, 0].legend()
    axes[1, 1].plot(days, [r["estimated_auc"] for r in table], marker=".", label="estimated (CBPE)")
    axes[1, 1].plot(days, [r["realised_auc"] for r in table], marker=".", label="realised (labels)")
    axes[1, 1].axhline(healthy.auc, color="grey", linestyle="--", label="held-out AUC")
    axes[1, 1].set(title="ROC AUC", xlabel="day")
    axes[1, 1].legend()
    for axis in axes.flat:
        for row in table:
            if row["alerts"]:
                axis.axvline(row["day"], color="#f5c0c0", linewidth=3, zorder=0)
    figure.suptitle("Monitored replay (shaded: a day with alerts)")
    return png_bytes(figure)


def write_tracking(table: list[dict[str, Any]], healthy: Expected, delay: int, folder: Path) -> dict[str, Path]:
    import pandas as pd

    png = tracking_png(table, healthy)
    frame = pd.DataFrame(table)
    return {
        "csv": write_atomic(folder / "monitoring.csv", lambda tmp: frame.to_csv(tmp, index=False)),
        "json": write_json(folder / "monitoring.json", table),
        "png": write_atomic(folder / "monitoring.png", lambda tmp: tmp.write_bytes(png)),
        "markdown": write_text(folder / "monitoring.md", tracking_markdown(table, healthy, delay, "monitoring.png")),
    }
