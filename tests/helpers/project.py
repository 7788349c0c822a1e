"""Where the repository is, and small projects (params.yaml + MLflow store) for tests."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

from adclick.config import settings_from_mapping

REPO_ROOT = Path(__file__).resolve().parents[2]
# The environment as the user started pytest, before any fixture cleans it: `--model-uri`
# honours their MLFLOW_TRACKING_URI, like the adclick command does.
USER_ENVIRON = dict(os.environ)
MLFLOW_URI_VARIABLES = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")
LAYERS = ("data", "model", "performance", "api", "cli", "ci", "monitoring", "versioning", "docs")

# A small but real configuration: enough rows for stable metrics, few enough for seconds. With
# a team's file as the source, `n_rows` is unused: the file is taken as it is, never resampled.
SMALL_OVERRIDES: dict[str, Any] = {"data": {"n_rows": 30_000, "scoring_rows": 1_000}}


def source_for(source: str) -> str:
    """params.yaml's data source as a project in another folder must name it: the repository's
    file by its absolute path, resolved as the settings resolve it."""
    file = settings_from_mapping({"data": {"source": source}}, root=REPO_ROOT).data_file
    return source if file is None else str(file)


def deep_merge(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overrides.items():
        merged[key] = deep_merge(base.get(key) or {}, value) if isinstance(value, dict) else value
    return merged


@functools.cache
def makefile_targets() -> frozenset[str]:
    """The Makefile's targets; `test-%` stands for one target per folder of tests/ (it runs tests/$*)."""
    text = (REPO_ROOT / "Makefile").read_text()
    explicit = set(re.findall(r"^([a-z][\w-]*):", text, flags=re.MULTILINE))
    folders = {p.name for p in (REPO_ROOT / "tests").iterdir() if any(p.glob("test_*.py"))}
    patterns = re.findall(r"^([a-z][\w-]*%[\w-]*):", text, flags=re.MULTILINE)
    return frozenset(explicit | {pattern.replace("%", folder) for pattern in patterns for folder in folders})
