"""Promotion: the champion alias moves only when every gate passed; a refused promotion leaves
it exactly where it was. Each promotion records on the new champion which version it replaced,
so `rollback` can put that one back: a bad champion that passed its gates is one command from
gone (then `POST /admin/reload`, or a restart, serves the previous one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adclick.errors import AdclickError, PromotionRefusedError
from adclick.tracking.registry import CHAMPION, ModelRef, find, resolve, set_alias

if TYPE_CHECKING:
    from mlflow import MlflowClient

PREVIOUS_CHAMPION = "previous_champion"  # tag on a champion version: the version it replaced
ROLLED_BACK = "rolled_back"  # tag on a version that was champion and was rolled back


def promote(client: MlflowClient, evaluation: dict[str, Any]) -> ModelRef:
    """Move `champion` to the evaluated version if every gate passed; otherwise refuse.

    The evaluation must be of the current challenger and must have compared against the
    current champion: a report that went stale since (another version trained or promoted)
    is refused rather than trusted.
    """
    model = evaluation["model"]
    name, version = model["name"], str(model["version"])
    failed = [gate for gate in evaluation["gates"] if not gate["passed"]]
    if failed:
        raise PromotionRefusedError(
            f"version {version} of {name!r} failed {len(failed)} gate(s); champion unchanged", failed
        )
    champion = find(client, name, CHAMPION)
    if champion is not None and champion.version == version:
        return champion  # promoting the champion again changes nothing
    compared = evaluation.get("champion") or {}
    if champion is not None and str(compared.get("version")) != champion.version:
        raise AdclickError(
            f"the evaluation compared against champion version {compared.get('version')}, but the champion is "
            f"now version {champion.version}: run `adclick evaluate` again"
        )
    candidate = resolve(client, f"models:/{name}/{version}")
    if champion is not None:
        client.set_model_version_tag(name, version, PREVIOUS_CHAMPION, champion.version)
    return set_alias(client, candidate, CHAMPION)


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
