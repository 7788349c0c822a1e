"""Turn measures into verdicts: the model checks beyond the gates (slices, calibration,
behaviour), each a `Verdict` against its threshold in params.yaml (`model_checks`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from adclick.data.contract import PROTECTED

if TYPE_CHECKING:
    from adclick.config import ModelCheckSettings


@dataclass(frozen=True)
class Verdict:
    """One threshold check: a promotion gate or a model check, with the numbers behind it."""

    name: str
    value: float | None
    threshold: float
    passed: bool
    detail: str


def _at_least(name: str, value: float, limit: float, detail: str) -> Verdict:
    return Verdict(name, value, limit, value >= limit, detail)


def _at_most(name: str, value: float, limit: float, detail: str) -> Verdict:
    return Verdict(name, value, limit, value <= limit, detail)


def _slice_checks(checks: ModelCheckSettings, slices: list[dict[str, Any]]) -> list[Verdict]:
    """The worst slice against a floor, and the widest gap within one grouping against a tolerance.
    Slices too small to judge are named in the detail, never silently dropped."""
    judged = [s for s in slices if not s["too_small"] and np.isfinite(s["roc_auc"])]
    if not judged:
        return _not_judged(checks, slices)
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


def _not_judged(checks: ModelCheckSettings, slices: list[dict[str, Any]]) -> list[Verdict]:
    """No slice is large enough: say so in data terms (the largest slice, what it lacks), not crash."""
    if not slices:
        detail = "not judged: the schema module declares no SLICES"
    else:
        largest = max(slices, key=lambda s: s["rows"])
        detail = (
            f"not judged: no slice is large enough; the largest, {largest['slice']}={largest['value']}, has "
            f"{largest['rows']} rows and {largest['positives']} positives (evaluation.min_slice_rows, "
            "min_slice_class_count in params.yaml)"
        )
    return [
        Verdict("min_slice_roc_auc", None, checks.min_slice_roc_auc, True, detail),
        Verdict("max_slice_auc_gap", None, checks.max_slice_auc_gap, True, detail),
    ]


def _behaviour_checks(checks: ModelCheckSettings, behaviour: dict[str, Any]) -> list[Verdict]:
    protected = ", ".join(PROTECTED)
    results = [
        _at_most("max_protected_shift", behaviour["protected_shift"], checks.max_protected_shift, f"only {protected}")
    ]
    for column, measured in behaviour["directions"].items():
        move = f"{column} {measured['step']:+.4g} should raise P(positive)"
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
) -> list[Verdict]:
    """The model layer's checks beyond the gates: slices, calibration and behaviour against params.yaml."""
    rows = sum(b["rows"] for b in calibrated["bins"])
    chance = calibrated["ece_noise"] * checks.noise_standard_errors
    ece_limit = max(checks.max_expected_calibration_error, chance)
    bins = f"{len(calibrated['bins'])} non-empty bins of {rows} rows"
    if ece_limit > checks.max_expected_calibration_error:
        noise = calibrated["ece_noise"]
        bins += f"; the data: on {rows} rows a calibrated model's ECE is {noise:.4f} by chance, so the limit widens"
    return [
        *_slice_checks(checks, slices),
        _at_most("max_brier", calibrated["brier"], checks.max_brier, "Brier score"),
        _at_most("max_expected_calibration_error", calibrated["ece"], ece_limit, bins),
        *_behaviour_checks(checks, behaviour),
    ]
