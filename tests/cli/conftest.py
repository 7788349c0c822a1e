"""Fixtures of the CLI layer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.cli import Run, invoke


@pytest.fixture
def run_cli() -> Run:
    return invoke


@pytest.fixture(scope="session")
def cli_project(make_project: Callable[..., Path]) -> Path:
    """A small project folder (params.yaml only) for commands that need a config."""
    return make_project("cli")
