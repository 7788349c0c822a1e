"""Promotion: the champion alias moves only when every gate passed; a refused promotion leaves
it exactly where it was."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adclick.errors import AdclickError, PromotionRefusedError
from adclick.tracking.registry import CHAMPION, ModelRef, find, resolve, set_alias

if TYPE_CHECKING:
    from mlflow import MlflowClient


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
    return set_alias(client, candidate, CHAMPION)
