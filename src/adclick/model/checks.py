"""Turn measures into verdicts: the model checks beyond the gates (slices, calibration,
behaviour), each a `Verdict` against its threshold in params.yaml (`model_checks`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from adclick.data.contract import PROTECTED
from adclick.model.metrics import auc_standard_error

if TYPE_CHECKING:
    from adclick.config import ModelCheckSettings

SPECS_MODULE = "src/adclick/data/specs.py"


@dataclass(frozen=True)
class Verdict:
    """One threshold check: a promotion gate or a model check, with the numbers behind it.

    `judged` is False when the data cannot decide it (a role not declared, too few rows, a value
    within noise of its limit); `detail` then says what it lacks. A gate not judged blocks
    promotion (`passed` is False); a model check not judged is reported as such, never as a pass."""

    name: str
    value: float | None
    threshold: float
    passed: bool
    detail: str
    judged: bool = True


def _at_least(name: str, value: float, limit: float, detail: str, error: float = 0.0, z: float = 0.0) -> Verdict:
    return _within_noise(Verdict(name, value, limit, value >= limit, detail), error, z)


def _at_most(name: str, value: float, limit: float, detail: str, error: float = 0.0, z: float = 0.0) -> Verdict:
    return _within_noise(Verdict(name, value, limit, value <= limit, detail), error, z)


def not_judged(name: str, limit: float, why: str) -> Verdict:
    """A check the data cannot support, saying what it lacks."""
    return Verdict(name, None, limit, False, f"not judged: {why}", judged=False)


def _within_noise(verdict: Verdict, error: float, z: float) -> Verdict:
    """A failure the data cannot confirm, its value within `z` standard errors (`error`) of the
    limit, is not judged; a pass says how far noise reaches. A model check reports a problem only
    where the test split shows one (a promotion gate, `tracking.gates`, asks the reverse: that the
    split shows the model good)."""
    if not error:
        return verdict
    distance = abs(float(verdict.value) - verdict.threshold)  # type: ignore[arg-type]
    spread = f"; ± {error:.4f} (standard error)"
    if verdict.passed or distance >= z * error:
        return Verdict(verdict.name, verdict.value, verdict.threshold, verdict.passed, verdict.detail + spread)
    why = f"{verdict.detail}; {distance:.4f} past its limit is within {z:g} standard errors ({error:.4f})"
    return Verdict(verdict.name, verdict.value, verdict.threshold, False, f"not judged: {why}", judged=False)


def _slice_error(s: dict[str, Any]) -> float:
    return auc_standard_error(s["roc_auc"], s["positives"], s["rows"] - s["positives"])


def _slice_checks(checks: ModelCheckSettings, slices: list[dict[str, Any]]) -> list[Verdict]:
    """The worst slice against a floor, and the widest gap within one grouping against a tolerance,
    each judged beyond the noise of slices that size (Hanley and McNeil's standard error).
    Slices too small to judge are named in the detail, never silently dropped."""
    judged = [s for s in slices if not s["too_small"] and np.isfinite(s["roc_auc"])]
    if not judged:
        return _slices_not_judged(checks, slices)
    z = checks.noise_standard_errors
    worst = min(judged, key=lambda s: s["roc_auc"])
    gaps: dict[str, tuple[float, float]] = {}
    for grouping in sorted({s["slice"] for s in judged}):
        group = [s for s in judged if s["slice"] == grouping]
        best, low = max(group, key=lambda s: s["roc_auc"]), min(group, key=lambda s: s["roc_auc"])
        gaps[grouping] = (best["roc_auc"] - low["roc_auc"], float(np.hypot(_slice_error(best), _slice_error(low))))
    widest = max(gaps, key=lambda g: gaps[g][0])
    small = [f"{s['slice']}={s['value']} ({s['rows']} rows)" for s in slices if s["too_small"]]
    worst_detail = f"worst slice {worst['slice']}={worst['value']}: {worst['rows']} rows, {worst['positives']} positive"
    if small:
        worst_detail += f"; too small to judge: {', '.join(small)}"
    gap, gap_error = gaps[widest]
    return [
        _at_least(
            "min_slice_roc_auc", worst["roc_auc"], checks.min_slice_roc_auc, worst_detail, _slice_error(worst), z
        ),
        _at_most("max_slice_auc_gap", gap, checks.max_slice_auc_gap, f"widest within {widest}", gap_error, z),
    ]


def _slices_not_judged(checks: ModelCheckSettings, slices: list[dict[str, Any]]) -> list[Verdict]:
    """No slice is large enough: say so in data terms (the largest slice, what it lacks), not crash."""
    if not slices:
        why = f"declare SLICES in {SPECS_MODULE}"
    else:
        largest = max(slices, key=lambda s: s["rows"])
        why = (
            f"no slice is large enough; the largest, {largest['slice']}={largest['value']}, has "
            f"{largest['rows']} rows and {largest['positives']} positives (evaluation.min_slice_rows, "
            "min_slice_class_count in params.yaml)"
        )
    return [
        not_judged("min_slice_roc_auc", checks.min_slice_roc_auc, why),
        not_judged("max_slice_auc_gap", checks.max_slice_auc_gap, why),
    ]


def _behaviour_checks(checks: ModelCheckSettings, behaviour: dict[str, Any]) -> list[Verdict]:
    if PROTECTED:
        moved = f"only {', '.join(PROTECTED)} changed, every other column as it was"
        results = [_at_most("max_protected_shift", behaviour["protected_shift"], checks.max_protected_shift, moved)]
    else:
        why = f"declare PROTECTED in {SPECS_MODULE}"
        results = [not_judged("max_protected_shift", checks.max_protected_shift, why)]
    for column, measured in behaviour["directions"].items():
        move = f"only {column} moved {measured['step']:+.4g}, every other column as it was, should raise P(positive)"
        results.append(
            _at_most(f"max_direction_violation_rate[{column}]", measured["violation_rate"],
                     checks.max_direction_violation_rate, move)
        )  # fmt: skip
        results.append(
            _at_least(f"min_direction_effect[{column}]", measured["mean_effect"], checks.min_direction_effect,
                      f"mean change in that direction over {measured['rows']} rows, only {column} moved")
        )  # fmt: skip
    if not behaviour["directions"]:
        why = f"declare DIRECTIONS in {SPECS_MODULE}"
        results.append(not_judged("min_direction_effect", checks.min_direction_effect, why))
    cases = behaviour["minimum_functionality"]
    if not cases:
        why = f"declare MINIMUM_FUNCTIONALITY in {SPECS_MODULE}"
        return [*results, not_judged("minimum_functionality", 0.0, why)]
    wrong = [case["case"] for case in cases if not case["passed"]]
    detail = f"wrong: {'; '.join(wrong)}" if wrong else f"all {len(cases)} cases ranked as expected"
    results.append(_at_least("minimum_functionality", float(len(cases) - len(wrong)), float(len(cases)), detail))
    return results


def model_checks(
    checks: ModelCheckSettings,
    slices: list[dict[str, Any]],
    calibrated: dict[str, Any],
    behaviour: dict[str, Any],
    prior_brier: float,
) -> list[Verdict]:
    """The model layer's checks beyond the gates: slices, calibration and behaviour against
    params.yaml. `prior_brier` is the Brier score of always predicting the positive rate (the
    dummy baseline) on the same rows: the Brier skill score is measured against it, so a rare
    positive class, whose dummy already scores a small Brier, is held to the same standard."""
    rows = sum(b["rows"] for b in calibrated["bins"])
    chance = calibrated["ece_noise"] * checks.noise_standard_errors
    ece_limit = max(checks.max_expected_calibration_error, chance)
    bins = f"{len(calibrated['bins'])} equal-count bins of {rows} rows"
    if ece_limit > checks.max_expected_calibration_error:
        noise = calibrated["ece_noise"]
        bins += f"; the data: on {rows} rows a calibrated model's ECE is {noise:.4f} by chance, so the limit widens"
    skill = 1.0 - calibrated["brier"] / prior_brier if prior_brier > 0 else float("nan")
    skill_detail = f"Brier {calibrated['brier']:.4f} against {prior_brier:.4f} for the positive rate alone"
    return [
        *_slice_checks(checks, slices),
        _at_least("min_brier_skill", skill, checks.min_brier_skill, skill_detail),
        _at_most("max_expected_calibration_error", calibrated["ece"], ece_limit, bins),
        *_behaviour_checks(checks, behaviour),
    ]
