"""Fixtures of the CI layer: the two CI files and the Makefile, parsed once."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.helpers.ci import GITHUB_WORKFLOW, GITLAB_CI
from tests.helpers.project import REPO_ROOT


@pytest.fixture(scope="session")
def makefile_targets() -> set[str]:
    """The Makefile's targets; `test-%` stands for one target per folder of tests/ (it runs tests/$*)."""
    text = (REPO_ROOT / "Makefile").read_text()
    explicit = set(re.findall(r"^([a-z][\w-]*):", text, flags=re.MULTILINE))
    folders = {p.name for p in (REPO_ROOT / "tests").iterdir() if any(p.glob("test_*.py"))}
    patterns = re.findall(r"^([a-z][\w-]*%[\w-]*):", text, flags=re.MULTILINE)
    return explicit | {pattern.replace("%", folder) for pattern in patterns for folder in folders}


@pytest.fixture(scope="session")
def github() -> dict[str, Any]:
    return yaml.safe_load(GITHUB_WORKFLOW.read_text())


@pytest.fixture(scope="session")
def gitlab() -> dict[str, Any]:
    return yaml.safe_load(GITLAB_CI.read_text())
