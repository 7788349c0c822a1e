"""The promotion gates, compared by MLflow's own `validate_evaluation_results` and decided only
where the test split can tell.

One function (`check_gates`) that the promote step and the tests share, so "good enough to
ship" means the same thing everywhere, with its thresholds in params.yaml (`gates`).

An AUC measured on a few hundred rows moves by a few hundredths from one sample to the next, so
a gate whose value lies within `gates.noise_standard_errors` standard errors of its limit is
**not judged**: the split cannot decide it, the report says so with the numbers, and promotion
is refused until the data or the limit can decide it. A margin left unset (`None`) is sized by
the data: not below the baseline (or the champion) by more than that many standard errors of
the difference, which any split can decide.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from adclick.model.checks import Verdict

if TYPE_CHECKING:
    from adclick.config import GateSettings

GATES = ("min_roc_auc", "min_auc_margin_over_dummy", "min_auc_margin_over_logistic", "max_auc_drop_vs_champion")


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
    if verdict.passed or not verdict.judged or headroom >= 2 * margin:
        return verdict
    why = (
        f"; the data: the {name} baseline already reaches {base:.4f}, leaving {headroom:.4f} of AUC to gain, "
        f"so a margin of {margin} is out of reach for any model; state a smaller one for this data set "
        f"(gates.min_auc_margin_over_{name} in params.yaml)"
    )
    return Verdict(verdict.name, verdict.value, verdict.threshold, verdict.passed, verdict.detail + why)


def _undecided(verdict: Verdict, distance: float, error: float, z: float, sample: tuple[int, int] | None) -> Verdict:
    """`verdict` as not judged when its value lies within `z` standard errors of its limit."""
    if not error or distance >= z * error:
        return verdict
    needed = ""
    if sample and distance > 0:  # a standard error shrinks with the square root of the rows
        needed = f"; about {math.ceil(sample[1] * (z * error / distance) ** 2)} positives would decide it"
    detail = (
        f"{verdict.detail}; not judged: {distance:.4f} from its limit is within {z:g} standard errors "
        f"({error:.4f}) on this test split{needed}, or state a limit the data can decide (params.yaml gates)"
    )
    return Verdict(verdict.name, verdict.value, verdict.threshold, False, detail, judged=False)


def _decided(
    name: str, auc: float, value: float, limit: float, threshold: Any, baseline: float | None, detail: str,
    noise: float, z: float, sample: tuple[int, int] | None,
) -> Verdict:  # fmt: skip
    """MLflow's verdict on `auc` against `threshold`, not judged when `value` lies within `z`
    standard errors (`noise`) of `limit` (a limit sized by the noise, `noise=0`, is always decided)."""
    failure = _mlflow_validation(auc, threshold, baseline)
    verdict = Verdict(name, value, limit, failure is None, detail if failure is None else f"{detail}: {failure}")
    return _undecided(verdict, abs(value - limit), noise, z, sample)


def _margin(gates: GateSettings, name: str, auc: float, base: float, error: float, sample: Any) -> Verdict:
    """The model's gain over the baseline `name`: a stated margin, or (unset) not below it beyond noise."""
    from mlflow.models import MetricThreshold

    z, configured = gates.noise_standard_errors, getattr(gates, f"min_auc_margin_over_{name}")
    margin = -z * error if configured is None else configured
    threshold = (
        MetricThreshold(min_absolute_change=margin, greater_is_better=True)
        if margin > 0
        else MetricThreshold(threshold=base + margin, greater_is_better=True)
    )
    detail = f"{name} AUC {base:.4f}" + (f"; difference ± {error:.4f} (DeLong)" if error else "")
    if configured is None:
        detail += f"; margin unset: not below it by more than {z:g} standard errors of the difference"
    noise = 0.0 if configured is None else error
    verdict = _decided(f"min_auc_margin_over_{name}", auc, auc - base, margin, threshold,
                       base if margin > 0 else None, detail, noise, z, sample)  # fmt: skip
    return _explained(verdict, name, base, margin)


def _champion(gates: GateSettings, auc: float, champion: dict[str, float] | None, error: float, sample: Any) -> Verdict:
    """The model's drop against the champion: a stated tolerance, or (unset) none beyond noise."""
    from mlflow.models import MetricThreshold

    z, configured = gates.noise_standard_errors, gates.max_auc_drop_vs_champion
    if champion is None:
        return Verdict("max_auc_drop_vs_champion", None, configured or 0.0, True, "no champion yet")
    drop = z * error if configured is None else configured
    not_below = MetricThreshold(threshold=champion["roc_auc"] - drop, greater_is_better=True)
    detail = f"champion AUC {champion['roc_auc']:.4f}" + (f"; difference ± {error:.4f} (DeLong)" if error else "")
    if configured is None:
        detail += f"; tolerance unset: not below it by more than {z:g} standard errors of the difference"
    noise = 0.0 if configured is None else error
    return _decided("max_auc_drop_vs_champion", auc, champion["roc_auc"] - auc, drop, not_below, None, detail,
                    noise, z, sample)  # fmt: skip


def check_gates(
    gates: GateSettings,
    metrics: dict[str, float],
    baselines: dict[str, dict[str, float]],
    champion: dict[str, float] | None,
    sample: tuple[int, int] | None = None,
    errors: dict[str, float] | None = None,
) -> list[Verdict]:
    """Every promotion gate: pass, fail, or not judged (within noise of its limit, which blocks
    promotion like a failure). `sample` (rows, positives) of the test data and `errors`, the
    standard errors of the model's AUC (`roc_auc`) and of its difference with each baseline and
    the champion (by name; `model.metrics.auc_errors`), size each decision; without them every
    gate is decided on its value alone.

    Each gate is one `MetricThreshold` on ROC AUC: a floor; a minimum gain over each baseline
    (`min_absolute_change`, which MLflow requires to be positive, so a zero or negative margin
    becomes a floor at baseline + margin); and a floor at champion - tolerated drop, because a
    tolerated drop is a negative change MLflow cannot express either.
    """
    from mlflow.models import MetricThreshold

    auc, errors = metrics["roc_auc"], errors or {}
    floor = MetricThreshold(threshold=gates.min_roc_auc, greater_is_better=True)
    measured_on = f" on {sample[0]} test rows, {sample[1]} positive" if sample else ""  # the data's size, in the report
    spread = f" ± {errors['roc_auc']:.4f} (standard error)" if errors.get("roc_auc") else ""
    detail = f"model AUC {auc:.4f}{spread}{measured_on}"
    z, floor_error = gates.noise_standard_errors, errors.get("roc_auc", 0.0)
    verdicts = [_decided("min_roc_auc", auc, auc, gates.min_roc_auc, floor, None, detail, floor_error, z, sample)]
    for name in ("dummy", "logistic"):
        verdicts.append(_margin(gates, name, auc, baselines[name]["roc_auc"], errors.get(name, 0.0), sample))
    return [*verdicts, _champion(gates, auc, champion, errors.get("champion", 0.0), sample)]
