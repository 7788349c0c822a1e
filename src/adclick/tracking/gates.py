"""The promotion gates, decided by MLflow's own `validate_evaluation_results`.

One function (`check_gates`) that the promote step and the tests share, so "good enough to
ship" means the same thing everywhere, with its thresholds in params.yaml (`gates`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adclick.model.checks import Verdict

if TYPE_CHECKING:
    from adclick.config import GateSettings


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


def _explained(verdict: Verdict, name: str, base: float, margin: float) -> Verdict:
    """A failed margin gate, with the property of the data that explains it when the baseline
    leaves no room: no model can beat an AUC of 0.996 by 0.005 by much."""
    headroom = 1.0 - base
    if headroom >= 2 * margin:
        return verdict
    why = (
        f"; the data: the {name} baseline already reaches {base:.4f}, leaving {headroom:.4f} of AUC to gain, "
        f"so a margin of {margin} is out of reach for any model; state a smaller one for this data set "
        f"(gates.min_auc_margin_over_{name} in params.yaml)"
    )
    return Verdict(verdict.name, verdict.value, verdict.threshold, verdict.passed, verdict.detail + why)


def check_gates(
    gates: GateSettings,
    metrics: dict[str, float],
    baselines: dict[str, dict[str, float]],
    champion: dict[str, float] | None,
    sample: tuple[int, int] | None = None,
) -> list[Verdict]:
    """Every promotion gate, pass or fail, decided by `mlflow.validate_evaluation_results`;
    `sample` (rows, positives) of the test data is named in the floor's detail.

    Each gate is one `MetricThreshold` on ROC AUC: a floor; a minimum gain over each baseline
    (`min_absolute_change`, which MLflow requires to be positive, so a zero or negative margin
    becomes a floor at baseline + margin); and a floor at champion - tolerated drop, because a
    tolerated drop is a negative change MLflow cannot express either.
    """
    from mlflow.models import MetricThreshold

    auc = metrics["roc_auc"]

    def gate(name: str, value: float | None, limit: float, threshold: Any, baseline: float | None, detail: str):
        failure = _mlflow_validation(auc, threshold, baseline)
        return Verdict(name, value, limit, failure is None, detail if failure is None else f"{detail}: {failure}")

    floor = MetricThreshold(threshold=gates.min_roc_auc, greater_is_better=True)
    measured_on = f" on {sample[0]} test rows, {sample[1]} positive" if sample else ""  # the data's size, in the report
    results = [gate("min_roc_auc", auc, gates.min_roc_auc, floor, None, f"model AUC {auc:.4f}{measured_on}")]
    for name, margin in (("dummy", gates.min_auc_margin_over_dummy), ("logistic", gates.min_auc_margin_over_logistic)):
        base = baselines[name]["roc_auc"]
        threshold = (
            MetricThreshold(min_absolute_change=margin, greater_is_better=True)
            if margin > 0
            else MetricThreshold(threshold=base + margin, greater_is_better=True)
        )
        compared_with = base if margin > 0 else None
        verdict = gate(
            f"min_auc_margin_over_{name}", auc - base, margin, threshold, compared_with, f"{name} AUC {base:.4f}"
        )
        results.append(verdict if verdict.passed else _explained(verdict, name, base, margin))
    drop = gates.max_auc_drop_vs_champion
    if champion is None:
        results.append(Verdict("max_auc_drop_vs_champion", None, drop, True, "no champion yet"))
    else:
        not_below = MetricThreshold(threshold=champion["roc_auc"] - drop, greater_is_better=True)
        detail = f"champion AUC {champion['roc_auc']:.4f}"
        results.append(gate("max_auc_drop_vs_champion", champion["roc_auc"] - auc, drop, not_below, None, detail))
    return results
