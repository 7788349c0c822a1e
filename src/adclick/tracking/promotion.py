"""Promotion: the champion alias moves only when the challenger's evidence in MLflow passes every
gate; a refused promotion leaves it exactly where it was. Each promotion records on the new
champion which version it replaced, so `rollback` can put that one back: a bad champion that
passed its gates is one command from gone (then `POST /admin/reload`, or a restart, serves the
previous one)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from adclick.errors import AdclickError, PromotionRefusedError
from adclick.model.build import BASELINES
from adclick.tracking.evidence import recorded
from adclick.tracking.gates import check_gates
from adclick.tracking.registry import CHALLENGER, CHAMPION, ModelRef, find, resolve, set_alias

if TYPE_CHECKING:
    from mlflow import MlflowClient

    from adclick.config import GateSettings

PREVIOUS_CHAMPION = "previous_champion"  # tag on a champion version: the version it replaced
ROLLED_BACK = "rolled_back"  # tag on a version that was champion and was rolled back


def promote(client: MlflowClient, gates: GateSettings, evaluation: dict[str, Any]) -> ModelRef:
    """Move `champion` to the evaluated version if the evidence MLflow holds for it passes every
    gate of `gates` now; otherwise refuse and leave the champion where it is.

    The evaluation report only names the version. The decision is re-derived from what
    `evaluate` logged for that version (`adclick.tracking.evidence`) against today's thresholds,
    so a hand-edited report, a report of another version than the challenger, a challenger never
    evaluated, or an evaluation made against an older champion cannot move the alias.
    """
    name, version = evaluation["model"]["name"], str(evaluation["model"]["version"])
    challenger = find(client, name, CHALLENGER)
    if challenger is None or challenger.version != version:  # e.g. `train` then `promote`, no `evaluate`
        now = "there is no challenger" if challenger is None else f"the challenger is version {challenger.version}"
        raise AdclickError(
            f"the evaluation is of version {version} of {name!r}, but {now}: run `adclick evaluate` "
            "(it evaluates the challenger), then promote"
        )
    champion = find(client, name, CHAMPION)
    if champion is not None and champion.version == version:
        return champion  # promoting the champion again changes nothing
    evidence = recorded(client, challenger, list(BASELINES))
    if evidence is None:
        raise AdclickError(
            f"challenger version {version} of {name!r} was never evaluated: run `adclick evaluate`, then promote"
        )
    current = None if champion is None else champion.version
    if evidence.champion_version != current:
        raise AdclickError(
            f"version {version} was evaluated against champion version {evidence.champion_version}, but the "
            f"champion is now {'none' if current is None else 'version ' + current}: run `adclick evaluate` again"
        )
    verdicts = check_gates(gates, evidence.metrics, evidence.baselines, evidence.champion, evidence.sample,
                           evidence.errors)  # fmt: skip
    failed = [asdict(v) for v in verdicts if not v.passed]
    if failed:
        undecided = sum(not v["judged"] for v in failed)
        how = f" ({undecided} not judged: within noise of the limit on this test split)" if undecided else ""
        raise PromotionRefusedError(
            f"version {version} of {name!r} failed {len(failed)} gate(s){how}; champion unchanged", failed
        )
    if champion is not None:
        client.set_model_version_tag(name, version, PREVIOUS_CHAMPION, champion.version)
    return set_alias(client, challenger, CHAMPION)


def rollback(client: MlflowClient, name: str) -> tuple[ModelRef, ModelRef]:
    """Move `champion` back to the version the current champion replaced; (new, old) champion.

    The rolled-back version keeps its own record, so a second rollback goes one further back."""
    champion = find(client, name, CHAMPION)
    if champion is None:
        raise AdclickError(f"{name!r} has no champion: there is nothing to roll back")
    previous = client.get_model_version(name, champion.version).tags.get(PREVIOUS_CHAMPION)
    if previous is None:
        raise AdclickError(
            f"champion version {champion.version} of {name!r} replaced no earlier champion: nothing to roll back to"
        )
    client.set_model_version_tag(name, champion.version, ROLLED_BACK, "true")
    return set_alias(client, resolve(client, f"models:/{name}/{previous}"), CHAMPION), champion
