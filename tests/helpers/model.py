"""What the model tests share: the model under test with its context, verdict look-ups, and
training a challenger that tries to get promoted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from adclick.config import Settings
from adclick.errors import PromotionRefusedError
from adclick.model.threshold import Threshold
from adclick.tracking.evaluation import evaluate_model
from adclick.tracking.promotion import promote
from adclick.tracking.registry import CHALLENGER, CHAMPION, alias_uri, connect, decision_threshold, find, load_sklearn
from adclick.tracking.training import TrainResult, load_baselines, train_and_register
from tests.helpers.judged import not_judged
from tests.helpers.store import TrainedProject


@dataclass
class ModelUnderTest:
    """A registered model, loaded back through MLflow, with everything its report needs.

    By default, version 1 of the session's temp registry (trained on the small sample);
    with `pytest tests/model --model-uri models:/adclick@challenger`, that model from the
    store params.yaml names, tested on the test split of params.yaml's data.
    """

    source: str
    settings: Settings
    model: Any
    ref: Any
    test: pd.DataFrame
    baselines: dict[str, Any]
    champion: tuple[str, Any] | None
    threshold: Threshold


def load_under_test(settings: Settings, uri: str, test: pd.DataFrame, source: str) -> ModelUnderTest:
    client = connect(settings)
    model, ref = load_sklearn(client, uri)
    champion_ref = find(client, ref.name, CHAMPION)
    champion = None if champion_ref is None else (champion_ref.version, load_sklearn(client, champion_ref.uri)[0])
    threshold = decision_threshold(client, settings, ref)
    return ModelUnderTest(source, settings, model, ref, test, load_baselines(ref.run_id), champion, threshold)


def train_and_try_to_promote(
    project: TrainedProject, train: pd.DataFrame
) -> tuple[TrainResult, dict[str, Any], PromotionRefusedError | None]:
    """Register a challenger trained on `train`, evaluate it on the test split, try promotion."""
    result = train_and_register(project.settings, train, project.test)
    report = evaluate_model(project.settings, alias_uri(project.settings, CHALLENGER), project.test, data_source="test")
    try:
        promote(project.client, project.settings.gates, report)
    except PromotionRefusedError as refused:
        return result, report, refused
    return result, report, None


def verdict(report: dict[str, Any], name: str) -> dict[str, Any]:
    """One gate or check of a report, by name."""
    found = [r for r in report["gates"] + report["checks"] if r["name"] == name]
    assert found, f"no gate or check named {name!r} in the report"
    return found[0]


def assert_passes(report: dict[str, Any], name: str) -> None:
    """The gate or check passed; one the data cannot decide ends the test as not judged, saying why."""
    result = verdict(report, name)
    if not result.get("judged", True):
        not_judged(f"{name}: {result['detail'].removeprefix('not judged: ')}")
    assert result["passed"], (
        f"{name}: {result['value']} against threshold {result['threshold']} ({result['detail']}); "
        "thresholds are in params.yaml"
    )


def _failed_verdict(report: dict[str, Any], name: str) -> str | None:
    result = verdict(report, name)
    if not result.get("judged", True):
        not_judged(f"{name}: {result['detail'].removeprefix('not judged: ')}")
    if result["passed"]:
        return None
    return f"{name}: {result['value']} against threshold {result['threshold']} ({result['detail']}); see params.yaml"


def behaviour_failure(report: dict[str, Any], kind: str, case: str) -> str | None:
    """Why one behavioural expectation of a model report failed, or None when it holds.

    MFT: a minimum-functionality pair ranks as expected; INV: the protected attribute or the row
    order moves nothing; DIR: a configured direction has no violations and a real effect.
    """
    behaviour = report["behaviour"]
    if kind == "MFT":
        result = next(r for r in behaviour["minimum_functionality"] if r["case"] == case)
        return (
            None if result["passed"] else f"{case}: P(better) {result['better']:.4f} <= P(worse) {result['worse']:.4f}"
        )
    if kind == "INV" and case == "row order":
        shift = behaviour["row_order_shift"]
        return None if shift == 0.0 else f"shuffling rows changed a probability by {shift:.3g}"
    if kind == "INV":
        return _failed_verdict(report, "max_protected_shift")
    failures = [
        _failed_verdict(report, f"{check}[{case}]")
        for check in ("max_direction_violation_rate", "min_direction_effect")
    ]
    return "; ".join(f for f in failures if f) or None
