"""Lineage: which code, data and parameters made a model, recorded on its MLflow run.

Git versions the code, DVC the data, MLflow the model; lineage ties the three together on the
run that trained the model, so that `adclick lineage models:/adclick@champion` can say how to
get back to everything that made it:

- code: the git commit, and whether the work tree had uncommitted changes (then the commit
  alone does not reproduce the model). `dvc.lock` is left out of that check: DVC rewrites it
  while the pipeline runs, and the data it records is hashed below;
- data: the MD5 of every file the training read, which is the hash DVC 3 keys its cache and
  `dvc.lock` with, so a hash can be looked up in either;
- parameters: a SHA-256 of the params.yaml keys a training reads (`TRAINING_PARAMETERS`), and
  those values themselves as a run artifact.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adclick.config import TRAINING_PARAMETERS
from adclick.tracking.registry import resolve

if TYPE_CHECKING:
    from mlflow import MlflowClient

    from adclick.config import Settings

PREFIX = "lineage."
PARAMS_ARTIFACT = "lineage/params.json"
_CHUNK = 1 << 20


def file_md5(path: Path) -> str:
    """The MD5 of a file's bytes: DVC 3's hash of a file (its cache key and `dvc.lock` entry)."""
    digest = hashlib.md5(usedforsecurity=False)
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def parameters_sha256(parameters: dict[str, Any]) -> str:
    """A hash of parameter values that ignores key order and formatting."""
    canonical = json.dumps(parameters, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def code_version(root: Path) -> dict[str, Any]:
    """The commit checked out at `root` and the tracked files changed since (none: a clean tree).
    Outside a git repository both are unknown (None)."""
    head = _git(root, "rev-parse", "HEAD")
    if head is None:
        return {"commit": None, "dirty": None, "changed": []}
    commit = head.strip()
    status = _git(root, "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)dvc.lock") or ""
    changed = [line[3:] for line in status.splitlines() if line.strip()]
    return {"commit": commit, "dirty": bool(changed), "changed": changed}


def relative(path: Path, root: Path) -> str:
    """`path` as the repository names it (relative to the project root when it lies inside)."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(resolved)


def record(settings: Settings, files: dict[str, Path]) -> dict[str, str]:
    """Tags for the active MLflow run: code version, MD5 of each data file read, parameter hash;
    the training parameters go to the run as an artifact."""
    import mlflow

    code = code_version(settings.root)
    parameters = settings.training_parameters()
    tags = {
        f"{PREFIX}git_commit": code["commit"] or "unknown (not a git repository)",
        f"{PREFIX}git_dirty": str(code["dirty"]).lower(),
        f"{PREFIX}params_sha256": parameters_sha256(parameters),
        f"{PREFIX}params_keys": ",".join(TRAINING_PARAMETERS),
    }
    for role, path in files.items():
        tags[f"{PREFIX}data.{role}.path"] = relative(path, settings.root)
        tags[f"{PREFIX}data.{role}.md5"] = file_md5(path)
    if code["dirty"]:
        tags[f"{PREFIX}git_changed"] = ", ".join(code["changed"])[:5000]
    mlflow.set_tags(tags)
    mlflow.log_dict(parameters, PARAMS_ARTIFACT)
    return tags


def _dvc_cached(root: Path, md5: str) -> bool:
    """Whether the local DVC cache holds a file of this hash (so `dvc checkout` can restore it)."""
    return (root / ".dvc" / "cache" / "files" / "md5" / md5[:2] / md5[2:]).is_file()


def describe(client: MlflowClient, settings: Settings, uri: str) -> dict[str, Any]:
    """Which code, data and parameters made the model at `uri`, compared with the workspace now,
    and the commands that bring them back."""
    ref = resolve(client, uri)
    run = client.get_run(ref.run_id)
    tags = run.data.tags
    if f"{PREFIX}params_sha256" not in tags:
        return {"model": ref.as_dict(), "recorded": False}
    root = settings.root
    data = []
    for key in sorted(k for k in tags if k.startswith(f"{PREFIX}data.") and k.endswith(".path")):
        role = key.removeprefix(f"{PREFIX}data.").removesuffix(".path")
        path, md5 = tags[key], tags[f"{PREFIX}data.{role}.md5"]
        here = Path(path) if Path(path).is_absolute() else root / path
        data.append(
            {
                "role": role,
                "path": path,
                "md5": md5,
                "workspace_md5": file_md5(here) if here.is_file() else None,
                "in_dvc_cache": _dvc_cached(root, md5),
            }
        )
    commit = tags[f"{PREFIX}git_commit"]
    params_now = parameters_sha256(settings.training_parameters())
    return {
        "model": ref.as_dict(),
        "recorded": True,
        "trained_at_ms": run.info.start_time,
        "code": {
            "commit": commit,
            "dirty": tags.get(f"{PREFIX}git_dirty") == "true",
            "changed": tags.get(f"{PREFIX}git_changed", ""),
            "workspace_commit": code_version(root)["commit"],
        },
        "params": {
            "sha256": tags[f"{PREFIX}params_sha256"],
            "keys": tags.get(f"{PREFIX}params_keys", ""),
            "artifact": f"runs:/{ref.run_id}/{PARAMS_ARTIFACT}",
            "workspace_sha256": params_now,
        },
        "data": data,
        "reproduce": [
            f"git checkout {commit}",
            "dvc checkout        # the data files of that commit, from the DVC cache (dvc pull: from the remote)",
            "dvc repro train     # or `adclick train`: one seed drives data, split and training",
        ],
    }
