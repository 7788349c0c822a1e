"""Evaluate a model on labelled data: metrics against the baselines and the champion, the
gates, slices, calibration, behaviour and the model checks, as one report.

`assess` works on models in memory (the tests use it); `evaluate_model` loads them from the
registry and logs the evaluation to the model's run.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import pandas as pd

from adclick.data.contract import LABEL
from adclick.data.files import frame_digest
from adclick.model.behaviour import behaviour_report
from adclick.model.checks import model_checks
from adclick.model.metrics import auc_errors, calibration, classification_metrics, slice_metrics
from adclick.model.predict import probabilities
from adclick.model.threshold import Threshold
from adclick.tracking.evidence import record
from adclick.tracking.gates import check_gates
from adclick.tracking.registry import CHAMPION, connect, decision_threshold, find, load_sklearn
from adclick.tracking.training import load_baselines

if TYPE_CHECKING:
    from adclick.config import Settings


def assess(
    settings: Settings,
    model: Any,
    data: pd.DataFrame,
    *,
    baselines: dict[str, Any],
    champion: tuple[str, Any] | None,
    threshold: Threshold,
) -> dict[str, Any]:
    """Everything the evaluation report says about `model` on labelled `data`, without MLflow:
    metrics (decisions at the model's `threshold`) against the baselines and the champion
    (`(version, model)`), the gates, slices, calibration, behaviour and the model checks."""
    how, threshold = threshold.how, threshold.value
    y = data[LABEL].to_numpy()
    proba = probabilities(model, data)
    metrics = classification_metrics(y, proba, threshold)
    compared = {name: probabilities(baseline, data) for name, baseline in baselines.items()}
    baseline_metrics = {name: classification_metrics(y, scores, threshold) for name, scores in compared.items()}
    champion_report = None
    if champion is not None:
        version, champion_model = champion
        compared["champion"] = probabilities(champion_model, data)
        champion_report = {"version": version, "metrics": classification_metrics(y, compared["champion"], threshold)}
    champion_metrics = champion_report["metrics"] if champion_report else None
    errors = auc_errors(y, proba, compared)  # DeLong: the model's AUC and each difference, on these rows
    sample = (len(y), int(y.sum()))
    gates = check_gates(settings.gates, metrics, baseline_metrics, champion_metrics, sample=sample, errors=errors)
    slices = slice_metrics(data, proba, settings.evaluation, threshold)
    calibrated = calibration(y, proba, settings.model_checks.calibration_bins)
    behaviour = behaviour_report(model, data, settings.model_checks.direction_step_iqr, settings.seed)
    checks = model_checks(settings.model_checks, slices, calibrated, behaviour, baseline_metrics["dummy"]["brier"])
    return {
        "data": {"rows": len(data), "positives": int(y.sum()), "digest": frame_digest(data)},
        "decision_threshold": threshold,
        "decision_threshold_how": how,
        "metrics": metrics,
        "baselines": baseline_metrics,
        "champion": champion_report,
        "auc_standard_errors": errors,
        "gates": [asdict(g) for g in gates],
        "passed": all(g.passed for g in gates),
        "slices": slices,
        "calibration": calibrated,
        "behaviour": behaviour,
        "checks": [asdict(c) for c in checks],
        "checks_passed": all(c.passed or not c.judged for c in checks),
    }


def evaluate_model(settings: Settings, model_uri: str, data: pd.DataFrame, *, data_source: str) -> dict[str, Any]:
    """Score the model at `model_uri`, its run's baselines and the current champion on `data`.

    Logs the evidence to the model's run and version (`adclick.tracking.evidence`) and returns
    the report.
    """
    client = connect(settings)
    model, ref = load_sklearn(client, model_uri)
    champion_ref = find(client, ref.name, CHAMPION)
    champion = None if champion_ref is None else (champion_ref.version, load_sklearn(client, champion_ref.uri)[0])
    threshold = decision_threshold(client, settings, ref)
    report = assess(settings, model, data, baselines=load_baselines(ref.run_id), champion=champion, threshold=threshold)
    record(client, ref, report)  # what promotion decides from
    client.log_metric(ref.run_id, "eval_ece", report["calibration"]["ece"])
    return {"model": ref.as_dict(), **report, "data": {"source": data_source, **report["data"]}}
