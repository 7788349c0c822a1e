"""The evidence a promotion decides from: what `evaluate` measured, kept in MLflow beside the
version it measured, never in a file a hand can edit.

`record` logs, on the evaluated version's run, the ROC AUC and other metrics of the model, of
each baseline and of the champion it was compared with, all on the same labelled rows, plus how
many rows and positives those were and the standard errors the gates are decided with; a tag
on the model version names the champion compared (or none). `recorded` reads them back for
`adclick.tracking.promotion`, which applies today's gates to them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlflow import MlflowClient

    from adclick.tracking.registry import ModelRef

PREFIX = "eval_"
CHAMPION_KEY = "champion"
ROWS, POSITIVES = "eval_rows", "eval_positives"
ERRORS = "eval_se_"  # eval_se_roc_auc, eval_se_<baseline>, eval_se_champion (model.metrics.auc_errors)
COMPARED_TAG = "evaluated_against_champion"  # on the model version: a version number, or NO_CHAMPION
NO_CHAMPION = "none"


@dataclass(frozen=True)
class Evidence:
    """One evaluation of one version, as MLflow holds it."""

    metrics: dict[str, float]
    baselines: dict[str, dict[str, float]]
    champion_version: str | None
    champion: dict[str, float] | None
    sample: tuple[int, int]
    errors: dict[str, float]


def _finite(metrics: dict[str, Any], prefix: str) -> dict[str, float]:
    return {f"{prefix}{name}": float(value) for name, value in metrics.items() if math.isfinite(value)}


def record(client: MlflowClient, ref: ModelRef, report: dict[str, Any]) -> None:
    """Log the evaluation `report` of `ref` (as `assess` writes it) to its run and version."""
    rows, positives = report["data"]["rows"], report["data"]["positives"]
    logged = {**_finite(report["metrics"], PREFIX), ROWS: float(rows), POSITIVES: float(positives)}
    logged |= _finite(report["auc_standard_errors"], ERRORS)
    for name, metrics in report["baselines"].items():
        logged |= _finite(metrics, f"{PREFIX}{name}_")
    champion = report["champion"]
    if champion is not None:
        logged |= _finite(champion["metrics"], f"{PREFIX}{CHAMPION_KEY}_")
    for key, value in logged.items():
        client.log_metric(ref.run_id, key, value)
    compared = NO_CHAMPION if champion is None else str(champion["version"])
    client.set_model_version_tag(ref.name, ref.version, COMPARED_TAG, compared)


def recorded(client: MlflowClient, ref: ModelRef, baselines: list[str]) -> Evidence | None:
    """What the last evaluation of `ref` logged, or None when it was never evaluated."""
    compared = client.get_model_version(ref.name, ref.version).tags.get(COMPARED_TAG)
    if compared is None:
        return None
    logged = client.get_run(ref.run_id).data.metrics

    def prefixed(prefix: str) -> dict[str, float]:
        named = {key.removeprefix(prefix): value for key, value in logged.items() if key.startswith(prefix)}
        return {key: value for key, value in named.items() if not key.startswith(ERRORS.removeprefix(PREFIX))}

    champion_version = None if compared == NO_CHAMPION else compared
    return Evidence(
        metrics=prefixed(PREFIX),
        baselines={name: prefixed(f"{PREFIX}{name}_") for name in baselines},
        champion_version=champion_version,
        champion=prefixed(f"{PREFIX}{CHAMPION_KEY}_") if champion_version else None,
        sample=(int(logged[ROWS]), int(logged[POSITIVES])),
        errors={key.removeprefix(ERRORS): value for key, value in logged.items() if key.startswith(ERRORS)},
    )
