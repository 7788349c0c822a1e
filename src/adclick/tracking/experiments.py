"""An experiment grid: several trainings compared in MLflow, the best registered as challenger.

Every combination of `experiments.grid` (params.yaml) is one MLflow child run under one parent
run, with its parameters, lineage, metrics, baselines and model, so the MLflow UI compares
them side by side. The children are ranked on a validation part of the training split: ranking
on the test split would pick the model that got lucky on it, and the gates, which judge the
test split, would then be optimistic. The best child is registered as `challenger`; only the
gates (`adclick evaluate`, then `adclick promote`) can make it the champion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from adclick.data.contract import LABEL
from adclick.data.split import split
from adclick.model.build import FittedModels, build_baselines, build_candidate, fit, threshold_on
from adclick.model.checks import Verdict
from adclick.model.metrics import classification_metrics
from adclick.model.predict import probabilities
from adclick.tracking import lineage
from adclick.tracking.gates import check_gates
from adclick.tracking.registry import (
    CHALLENGER,
    CHAMPION,
    ModelRef,
    connect,
    decision_threshold,
    find,
    load_sklearn,
    register,
    set_alias,
)
from adclick.tracking.training import LoggedTraining, log_training

if TYPE_CHECKING:
    from pathlib import Path

    from adclick.config import Settings

RANKED_BY = "validation_roc_auc"  # the gate metric (ROC AUC), measured on the validation part


@dataclass(frozen=True)
class Child:
    """One combination of the grid, trained and judged."""

    overrides: dict[str, Any]
    logged: LoggedTraining
    validation: dict[str, float]
    gates: list[Verdict]

    @property
    def run_id(self) -> str:
        return self.logged.run_id

    @property
    def passed(self) -> bool:
        return all(gate.passed for gate in self.gates)


@dataclass(frozen=True)
class GridResult:
    """The parent run, its children best first, and the version registered as challenger."""

    parent_run_id: str
    children: list[Child]
    challenger: ModelRef

    @property
    def best(self) -> Child:
        return self.children[0]


def label(overrides: dict[str, Any]) -> str:
    """A child run's name: each setting by its last key part (`learning_rate=0.08 max_leaf_nodes=15`)."""
    return " ".join(f"{key.rsplit('.', 1)[-1]}={value}" for key, value in overrides.items())


def _champion_metrics(settings: Settings, client: Any, test: pd.DataFrame) -> dict[str, float] | None:
    ref = find(client, settings.model.registered_name, CHAMPION)
    if ref is None:
        return None
    model, _ = load_sklearn(client, ref.uri)
    threshold = decision_threshold(client, settings, ref).value
    return classification_metrics(test[LABEL].to_numpy(), probabilities(model, test), threshold)


def run_grid(settings: Settings, train: pd.DataFrame, test: pd.DataFrame, *, read: dict[str, Path]) -> GridResult:
    """Train every combination (child runs under one parent), rank them on validation ROC AUC,
    judge each against the gates on `test`, and register the best as challenger."""
    import mlflow

    client = connect(settings)
    grid = settings.experiments
    fit_part, validation = split(train, grid.validation_fraction, settings.seed)
    baselines = {name: fit(model, fit_part) for name, model in build_baselines(settings).items()}
    champion = _champion_metrics(settings, client, test)
    sample = (len(test), int(test[LABEL].sum()))
    children = []
    with mlflow.start_run(run_name=f"grid of {len(grid.combinations())}") as parent:
        mlflow.log_params({"grid": str(grid.grid), "validation_fraction": grid.validation_fraction})
        lineage.record(settings, read)
        for overrides in grid.combinations():
            child_settings = settings.with_overrides(overrides)
            candidate = fit(build_candidate(child_settings), fit_part)
            threshold = threshold_on(settings.model.decision_threshold, candidate, validation)
            scores = probabilities(candidate, validation)
            validated = classification_metrics(validation[LABEL].to_numpy(), scores, threshold.value)
            logged = log_training(
                child_settings, fit_part, test, FittedModels(candidate, baselines, threshold),
                description=f"experiment grid {parent.info.run_id}: {label(overrides)}", read=read,
                run_name=label(overrides), nested=True,
                extra_metrics={f"validation_{k}": v for k, v in validated.items()},
            )  # fmt: skip
            gates = check_gates(child_settings.gates, logged.metrics, logged.baseline_metrics, champion, sample)
            client.set_tag(logged.run_id, "gates_passed", str(all(g.passed for g in gates)).lower())
            children.append(Child(overrides, logged, validated, gates))
        ranked = sorted(children, key=lambda c: -c.validation["roc_auc"])  # stable: ties keep grid order
        mlflow.set_tags({"best_run_id": ranked[0].run_id, "ranked_by": RANKED_BY})
        mlflow.log_metric(f"best_{RANKED_BY}", ranked[0].validation["roc_auc"])
    best = ranked[0].logged
    ref = register(client, settings.model.registered_name, best.model_uri, best.model_id, best.run_id)
    return GridResult(parent.info.run_id, ranked, set_alias(client, ref, CHALLENGER))


def comparison_rows(result: GridResult) -> list[dict[str, Any]]:
    """One flat row per child, best first: settings, metrics and each gate's verdict."""
    rows = []
    for rank, child in enumerate(result.children, start=1):
        rows.append(
            {
                "rank": rank,
                "run_id": child.run_id,
                **child.overrides,
                RANKED_BY: child.validation["roc_auc"],
                "test_roc_auc": child.logged.metrics["roc_auc"],
                "test_log_loss": child.logged.metrics["log_loss"],
                "test_brier": child.logged.metrics["brier"],
                **{f"gate {gate.name}": gate.passed for gate in child.gates},
                "registered": child.run_id == result.challenger.run_id,
            }
        )
    return rows
