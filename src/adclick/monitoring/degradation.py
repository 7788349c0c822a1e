"""Why models fail in production, shown: the champion scored on clean data and on each way the
data can change, with the loss of quality against clean.

On the demo, the scenarios are the generator's, drawn from its known truth; on a team's file
they are injected into its held-out rows (`adclick.data.shifts.generic_scenarios`). Three
lessons come out in data terms, and `findings` states them for the data at hand:
- a covariate shift moves the inputs, yet a model that learnt the true relation can keep its
  ranking (AUC) while its click rate and calibration move;
- a concept drift leaves every input as it was (no drift statistic fires) while the quality
  falls: only labels reveal it;
- a data-quality break (missing values, a unit change, an unseen level) fails validation
  before it can reach the model; the table shows what scoring it anyway would cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adclick.data import contract, shifts
from adclick.data.drift import data_drift
from adclick.data.synthetic import SCENARIOS, generate
from adclick.model.metrics import calibration, classification_metrics
from adclick.model.predict import probabilities
from adclick.monitoring.drift_report import lenient_inputs, validation_summary
from adclick.monitoring.pictures import png_bytes, pyplot

if TYPE_CHECKING:
    from adclick.config import Settings

CLEAN = "clean"
METRICS = ("roc_auc", "log_loss", "brier", "ece", "positive_rate", "mean_probability")
BATCH = 2  # the demo's clean and scenario rows: a batch neither training (0) nor scoring (1) used


def scenario_frames(settings: Settings, held_out: pd.DataFrame, rows: int) -> dict[str, tuple[str, pd.DataFrame]]:
    """Clean data and every scenario, each with a description."""
    if settings.data_file is None:
        frames = {CLEAN: ("fresh rows of the training distribution", generate(rows, settings.seed, batch=BATCH))}
        for name, scenario in SCENARIOS.items():
            frames[name] = (scenario.description, generate(rows, settings.seed, scenario=name, batch=BATCH))
        return frames
    clean = held_out.reset_index(drop=True)
    return {
        CLEAN: ("the held-out test split", clean),
        **shifts.generic_scenarios(clean, settings.seed, shifts.drifting_columns(settings)),
    }


def scored(settings: Settings, model: Any, frame: pd.DataFrame) -> dict[str, float]:
    proba = probabilities(model, lenient_inputs(frame))
    labels = frame[contract.LABEL].to_numpy()
    metrics = classification_metrics(labels, proba, 0.5)  # METRICS hold no decision at a threshold
    metrics["ece"] = calibration(labels, proba, settings.model_checks.calibration_bins)["ece"]
    return {name: metrics[name] for name in METRICS}


def degradation_table(settings: Settings, model: Any, held_out: pd.DataFrame, rows: int) -> list[dict[str, Any]]:
    """One row per scenario: metrics, change against clean, validation and drifted columns."""
    frames = scenario_frames(settings, held_out, rows)
    clean = frames[CLEAN][1]
    baseline = scored(settings, model, clean)
    table = []
    for name, (description, frame) in frames.items():
        metrics = scored(settings, model, frame)
        drift = data_drift(clean, frame, settings.drift)
        table.append(
            {
                "scenario": name,
                "description": description,
                "rows": len(frame),
                **metrics,
                **{f"{m}_change": metrics[m] - baseline[m] for m in METRICS},
                "validation": validation_summary(frame, name),
                "drifted_columns": drift.drifted_columns,
                "data_drifted": drift.drifted,
            }
        )
    for row in table:
        row["finding"] = finding(row, settings)
    return table


def finding(row: dict[str, Any], settings: Settings) -> str:
    """What this scenario shows, in data terms."""
    auc_drop = -row["roc_auc_change"]
    noticeable = settings.monitoring.alerts.max_realised_auc_drop
    miscalibrated = row["ece_change"] >= settings.model_checks.max_expected_calibration_error
    rates = f"mean prediction {row['mean_probability']:.3f} for a click rate of {row['positive_rate']:.3f}"
    if row["scenario"] == CLEAN:
        return f"the reference every change is measured against ({rates})"
    if not row["validation"]["passed"]:
        return (
            f"refused by validation ({row['validation']['failures']} failing checks) before scoring; scored "
            f"anyway, AUC would change by {row['roc_auc_change']:+.3f}, calibration error by {row['ece_change']:+.3f}"
        )
    if not row["drifted_columns"] and (auc_drop >= noticeable or miscalibrated):
        return (
            f"no input drifted, yet AUC changed {row['roc_auc_change']:+.3f} and calibration error "
            f"{row['ece_change']:+.3f} ({rates}): what the inputs mean changed (concept drift); only labels reveal it"
        )
    if row["drifted_columns"] and auc_drop < noticeable:
        return (
            f"inputs drifted ({', '.join(row['drifted_columns'])}), yet AUC moved only {row['roc_auc_change']:+.3f} "
            f"and the predictions follow ({rates}): the model learnt the relation, so a change in who arrives "
            "is not a failure by itself"
        )
    columns = ", ".join(row["drifted_columns"]) or "no column"
    return f"drifted: {columns}; AUC change {row['roc_auc_change']:+.3f}; {rates}"


def degradation_png(table: list[dict[str, Any]]) -> bytes:
    """AUC, log loss and calibration error per scenario, clean first, as a PNG."""
    plt = pyplot()
    figure, axes = plt.subplots(1, 3, figsize=(12, 3.4))
    names = [row["scenario"] for row in table]
    for axis, metric, label in zip(
        axes, ("roc_auc", "log_loss", "ece"), ("ROC AUC", "log loss", "calibration error (ECE)"), strict=True
    ):
        values = [row[metric] for row in table]
        colours = [
            "#888" if n == CLEAN else ("#c44" if not r["validation"]["passed"] else "#48c")
            for n, r in zip(names, table, strict=True)
        ]
        axis.bar(np.arange(len(names)), values, color=colours)
        axis.set_xticks(np.arange(len(names)), names, rotation=30, ha="right")
        axis.set_title(label)
    figure.suptitle("The champion on clean data and on each change (red: refused by validation)", y=1.02)
    return png_bytes(figure)
