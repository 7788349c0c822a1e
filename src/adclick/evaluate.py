"""Score a model on labelled data: overall metrics, slices, and the gates for promotion.

The gates are one function (`check_gates`) that the promote step and the tests share, so
"good enough to ship" means the same thing everywhere, with its thresholds in params.yaml.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from adclick import schema

if TYPE_CHECKING:
    from adclick.config import EvaluationSettings, GateSettings, ModelCheckSettings, Settings


def classification_metrics(y_true: np.ndarray, proba: np.ndarray, threshold: float) -> dict[str, float]:
    """Ranking (ROC AUC), probability quality (log loss, Brier) and decisions at `threshold`."""
    from sklearn.metrics import accuracy_score, brier_score_loss, f1_score, log_loss, roc_auc_score

    y_true = np.asarray(y_true)
    proba = np.asarray(proba, dtype=float)
    both_classes = len(np.unique(y_true)) == 2
    predicted = (proba >= threshold).astype(int)
    return {
        "roc_auc": float(roc_auc_score(y_true, proba)) if both_classes else float("nan"),
        "log_loss": float(log_loss(y_true, proba, labels=[0, 1])),
        "brier": float(brier_score_loss(y_true, proba, pos_label=1)),
        "accuracy": float(accuracy_score(y_true, predicted)),
        "f1": float(f1_score(y_true, predicted, zero_division=0.0)),
        "click_rate": float(y_true.mean()),
        "mean_probability": float(proba.mean()),
    }


def slice_columns(frame: pd.DataFrame, settings: EvaluationSettings) -> dict[str, pd.Series]:
    """The groupings a slice table reports: device, country, category, age band, visitor type."""
    bands = settings.age_bands
    labels = [f"{a}-{b - 1}" for a, b in pairwise(bands)] + [f"{bands[-1]}+"]
    age_band = pd.cut(frame["age"], bins=[*bands, np.inf], right=False, labels=labels).astype(str)
    return {
        "device": frame["device"].astype(str),
        "country": frame["country"].astype(str),
        "ad_category": frame["ad_category"].astype(str),
        "age_band": age_band,
        "visitor": np.where(frame["is_returning"].astype(bool), "returning", "new"),
    }


def slice_metrics(
    frame: pd.DataFrame, proba: np.ndarray, settings: EvaluationSettings, threshold: float
) -> list[dict[str, Any]]:
    """Metrics per slice. A slice with fewer than `min_slice_rows` rows, or fewer than
    `min_slice_class_count` clicks or non-clicks (its AUC would be noise), is listed with
    `too_small` set, not dropped."""
    y = frame[schema.LABEL].to_numpy()
    rows: list[dict[str, Any]] = []
    for column, values in slice_columns(frame, settings).items():
        values = np.asarray(values)
        for value in sorted(pd.unique(values)):
            mask = values == value
            n, clicks = int(mask.sum()), int(y[mask].sum())
            rows.append(
                {
                    "slice": column,
                    "value": str(value),
                    "rows": n,
                    "too_small": n < settings.min_slice_rows
                    or min(clicks, n - clicks) < settings.min_slice_class_count,
                    **classification_metrics(y[mask], proba[mask], threshold),
                }
            )
    return rows


def calibration(y_true: np.ndarray, proba: np.ndarray, bins: int) -> dict[str, Any]:
    """Brier score, expected calibration error (ECE) and the reliability curve on equal-width bins.

    ECE is the rows-weighted mean of |observed click rate - mean predicted probability| per bin:
    0 when a predicted 30% means 30% of those impressions were clicked.
    """
    from sklearn.metrics import brier_score_loss

    y_true, proba = np.asarray(y_true, dtype=float), np.asarray(proba, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(proba, edges[1:-1]), 0, bins - 1)
    curve, ece = [], 0.0
    for b in range(bins):
        mask = index == b
        if not mask.any():
            continue
        observed, predicted = float(y_true[mask].mean()), float(proba[mask].mean())
        ece += mask.mean() * abs(observed - predicted)
        bounds = {"lower": float(edges[b]), "upper": float(edges[b + 1]), "rows": int(mask.sum())}
        curve.append({**bounds, "mean_probability": predicted, "click_rate": observed})
    return {"brier": float(brier_score_loss(y_true, proba)), "ece": float(ece), "bins": curve}


@dataclass(frozen=True)
class GateResult:
    """One threshold check: a promotion gate or a model check, with the numbers behind it."""

    name: str
    value: float | None
    threshold: float
    passed: bool
    detail: str


def _mlflow_validation(auc: float, threshold: Any, baseline_auc: float | None = None) -> str | None:
    """MLflow's own validation of ROC AUC against a `MetricThreshold`: None, or why it failed."""
    import mlflow
    from mlflow.models import EvaluationResult
    from mlflow.models.evaluation.validation import ModelValidationFailedException

    candidate = EvaluationResult(metrics={"roc_auc": auc}, artifacts={})
    baseline = None if baseline_auc is None else EvaluationResult(metrics={"roc_auc": baseline_auc}, artifacts={})
    try:
        mlflow.validate_evaluation_results({"roc_auc": threshold}, candidate, baseline)
    except ModelValidationFailedException as failed:
        return " ".join(str(failed.message).split())
    return None


def check_gates(
    gates: GateSettings,
    metrics: dict[str, float],
    baselines: dict[str, dict[str, float]],
    champion: dict[str, float] | None,
) -> list[GateResult]:
    """Every promotion gate, pass or fail, decided by `mlflow.validate_evaluation_results`.

    Each gate is one `MetricThreshold` on ROC AUC: a floor; a minimum gain over each baseline
    (`min_absolute_change`, which MLflow requires to be positive, so a zero or negative margin
    becomes a floor at baseline + margin); and a floor at champion - tolerated drop, because a
    tolerated drop is a negative change MLflow cannot express either.
    """
    from mlflow.models import MetricThreshold

    auc = metrics["roc_auc"]

    def gate(name: str, value: float | None, limit: float, threshold: Any, baseline: float | None, detail: str):
        failure = _mlflow_validation(auc, threshold, baseline)
        return GateResult(name, value, limit, failure is None, detail if failure is None else f"{detail}: {failure}")

    floor = MetricThreshold(threshold=gates.min_roc_auc, greater_is_better=True)
    results = [gate("min_roc_auc", auc, gates.min_roc_auc, floor, None, f"model AUC {auc:.4f}")]
    for name, margin in (("dummy", gates.min_auc_margin_over_dummy), ("logistic", gates.min_auc_margin_over_logistic)):
        base = baselines[name]["roc_auc"]
        threshold = (
            MetricThreshold(min_absolute_change=margin, greater_is_better=True)
            if margin > 0
            else MetricThreshold(threshold=base + margin, greater_is_better=True)
        )
        compared_with = base if margin > 0 else None
        results.append(
            gate(f"min_auc_margin_over_{name}", auc - base, margin, threshold, compared_with, f"{name} AUC {base:.4f}")
        )
    drop = gates.max_auc_drop_vs_champion
    if champion is None:
        results.append(GateResult("max_auc_drop_vs_champion", None, drop, True, "no champion yet"))
    else:
        not_below = MetricThreshold(threshold=champion["roc_auc"] - drop, greater_is_better=True)
        detail = f"champion AUC {champion['roc_auc']:.4f}"
        results.append(gate("max_auc_drop_vs_champion", champion["roc_auc"] - auc, drop, not_below, None, detail))
    return results


def _at_least(name: str, value: float, limit: float, detail: str) -> GateResult:
    return GateResult(name, value, limit, value >= limit, detail)


def _at_most(name: str, value: float, limit: float, detail: str) -> GateResult:
    return GateResult(name, value, limit, value <= limit, detail)


def _slice_checks(checks: ModelCheckSettings, slices: list[dict[str, Any]]) -> list[GateResult]:
    """The worst slice against a floor, and the widest gap within one grouping against a tolerance.
    Slices too small to judge are named in the detail, never silently dropped."""
    judged = [s for s in slices if not s["too_small"] and np.isfinite(s["roc_auc"])]
    worst = min(judged, key=lambda s: s["roc_auc"])
    gaps: dict[str, float] = {}
    for grouping in sorted({s["slice"] for s in judged}):
        aucs = [s["roc_auc"] for s in judged if s["slice"] == grouping]
        gaps[grouping] = max(aucs) - min(aucs)
    widest = max(gaps, key=gaps.__getitem__)
    small = [f"{s['slice']}={s['value']} ({s['rows']} rows)" for s in slices if s["too_small"]]
    worst_detail = f"worst slice {worst['slice']}={worst['value']}"
    if small:
        worst_detail += f"; too small to judge: {', '.join(small)}"
    return [
        _at_least("min_slice_roc_auc", worst["roc_auc"], checks.min_slice_roc_auc, worst_detail),
        _at_most("max_slice_auc_gap", gaps[widest], checks.max_slice_auc_gap, f"widest within {widest}"),
    ]


def _behaviour_checks(checks: ModelCheckSettings, behaviour: dict[str, Any]) -> list[GateResult]:
    protected = ", ".join(schema.PROTECTED)
    results = [
        _at_most("max_protected_shift", behaviour["protected_shift"], checks.max_protected_shift, f"only {protected}")
    ]
    for column, measured in behaviour["directions"].items():
        expected = checks.directions[column]
        move = f"{column} {expected.step:+g} should move P(click) {'up' if expected.sign > 0 else 'down'}"
        results.append(
            _at_most(f"max_direction_violation_rate[{column}]", measured["violation_rate"],
                     checks.max_direction_violation_rate, move)
        )  # fmt: skip
        results.append(
            _at_least(f"min_direction_effect[{column}]", measured["mean_effect"], checks.min_direction_effect,
                      f"mean change in that direction over {measured['rows']} rows")
        )  # fmt: skip
    cases = behaviour["minimum_functionality"]
    wrong = [case["case"] for case in cases if not case["passed"]]
    detail = f"wrong: {'; '.join(wrong)}" if wrong else "every case ranked as expected"
    results.append(_at_least("minimum_functionality", float(len(cases) - len(wrong)), float(len(cases)), detail))
    return results


def model_checks(
    checks: ModelCheckSettings, slices: list[dict[str, Any]], calibrated: dict[str, Any], behaviour: dict[str, Any]
) -> list[GateResult]:
    """The model layer's checks beyond the gates: slices, calibration and behaviour against params.yaml."""
    bins = f"{len(calibrated['bins'])} non-empty bins"
    return [
        *_slice_checks(checks, slices),
        _at_most("max_brier", calibrated["brier"], checks.max_brier, "Brier score"),
        _at_most("max_expected_calibration_error", calibrated["ece"], checks.max_expected_calibration_error, bins),
        *_behaviour_checks(checks, behaviour),
    ]


def assess(
    settings: Settings,
    model: Any,
    data: pd.DataFrame,
    *,
    baselines: dict[str, Any],
    champion: tuple[str, Any] | None,
) -> dict[str, Any]:
    """Everything the evaluation report says about `model` on labelled `data`, without MLflow:
    metrics against the baselines and the champion (`(version, model)`), the gates, slices,
    calibration, behaviour and the model checks."""
    from adclick.behaviour import behaviour_report
    from adclick.train import click_probability, frame_digest

    threshold = settings.model.decision_threshold
    y = data[schema.LABEL].to_numpy()
    proba = click_probability(model, data)
    metrics = classification_metrics(y, proba, threshold)
    baseline_metrics = {
        name: classification_metrics(y, click_probability(baseline, data), threshold)
        for name, baseline in baselines.items()
    }
    champion_report = None
    if champion is not None:
        version, champion_model = champion
        champion_report = {
            "version": version,
            "metrics": classification_metrics(y, click_probability(champion_model, data), threshold),
        }
    gates = check_gates(
        settings.gates, metrics, baseline_metrics, champion_report["metrics"] if champion_report else None
    )
    slices = slice_metrics(data, proba, settings.evaluation, threshold)
    calibrated = calibration(y, proba, settings.model_checks.calibration_bins)
    behaviour = behaviour_report(model, data, settings.model_checks.directions, settings.seed)
    checks = model_checks(settings.model_checks, slices, calibrated, behaviour)
    return {
        "data": {"rows": len(data), "digest": frame_digest(data)},
        "decision_threshold": threshold,
        "metrics": metrics,
        "baselines": baseline_metrics,
        "champion": champion_report,
        "gates": [asdict(g) for g in gates],
        "passed": all(g.passed for g in gates),
        "slices": slices,
        "calibration": calibrated,
        "behaviour": behaviour,
        "checks": [asdict(c) for c in checks],
        "checks_passed": all(c.passed for c in checks),
    }


def evaluate_model(settings: Settings, model_uri: str, data: pd.DataFrame, *, data_source: str) -> dict[str, Any]:
    """Score the model at `model_uri`, its run's baselines and the current champion on `data`.

    Logs the evaluation metrics to the model's run and returns the report.
    """
    import mlflow

    from adclick.registry import CHAMPION, connect, find, load_sklearn
    from adclick.train import load_baselines

    client = connect(settings)
    model, ref = load_sklearn(client, model_uri)
    champion_ref = find(client, ref.name, CHAMPION)
    champion = None if champion_ref is None else (champion_ref.version, load_sklearn(client, champion_ref.uri)[0])
    report = assess(settings, model, data, baselines=load_baselines(ref.run_id), champion=champion)
    with mlflow.start_run(run_id=ref.run_id):
        mlflow.log_metrics({f"eval_{k}": v for k, v in report["metrics"].items() if np.isfinite(v)})
        mlflow.log_metrics({"eval_ece": report["calibration"]["ece"]})
    return {"model": ref.as_dict(), **report, "data": {"source": data_source, **report["data"]}}
