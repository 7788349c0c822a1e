"""Fixtures of the CI layer: the two CI files and the Makefile, parsed once."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.helpers import project
from tests.helpers.ci import GITHUB_WORKFLOW, GITLAB_CI


@pytest.fixture(scope="session")
def makefile_targets() -> frozenset[str]:
    return project.makefile_targets()


@pytest.fixture(scope="session")
def github() -> dict[str, Any]:
    return yaml.safe_load(GITHUB_WORKFLOW.read_text())


@pytest.fixture(scope="session")
def gitlab() -> dict[str, Any]:
    return yaml.safe_load(GITLAB_CI.read_text())
