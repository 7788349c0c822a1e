"""The commands the README and docs/ show exist: every `make TARGET` is a Makefile target and
every `adclick COMMAND` a command, so a guide a user follows never names a ghost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import adclick.cli  # noqa: F401  (registers every command on the app)
from adclick.cli.options import app
from tests.helpers.ci import make_targets_in
from tests.helpers.project import REPO_ROOT

GUIDES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]


def _code(path: Path) -> list[str]:
    """The lines of the file's fenced code blocks and inline code spans."""
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL)
    return [line for block in blocks for line in block.splitlines()] + re.findall(r"`([^`\n]+)`", text)


def _commands() -> set[str]:
    return {command.name or command.callback.__name__.replace("_", "-") for command in app.registered_commands}


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_every_make_target_a_guide_shows_exists(guide: Path, makefile_targets: set[str]) -> None:
    missing = make_targets_in(_code(guide)) - makefile_targets
    assert not missing, f"{guide.name} shows make targets the Makefile lacks: {missing}"


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_every_adclick_command_a_guide_shows_exists(guide: Path) -> None:
    shown = {m for line in _code(guide) for m in re.findall(r"\badclick\s+([a-z][\w-]*)", line)}
    missing = shown - _commands()
    assert not missing, f"{guide.name} shows adclick commands that do not exist: {missing}"
