"""The pre-commit hooks are local hooks running the locked tools, and the repository passes them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.project import REPO_ROOT


@pytest.fixture(scope="module")
def config() -> dict[str, Any]:
    return yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text())


def test_every_hook_is_a_local_hook(config: dict[str, Any]) -> None:
    """Remote hook repositories cannot be cloned here, and would pin a second version of each tool."""
    assert [repo["repo"] for repo in config["repos"]] == ["local"] * len(config["repos"])


def _hooks(config: dict[str, Any]) -> list[dict[str, Any]]:
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def test_every_hook_runs_a_locked_tool_or_a_make_target(config: dict[str, Any], makefile_targets: set[str]) -> None:
    for hook in _hooks(config):
        command = hook["entry"].split()
        if command[0] == "make":
            assert command[1] in makefile_targets, f"{hook['id']}: make {command[1]} is not a Makefile target"
            continue
        executable = Path(command[0])
        assert executable.parts[:2] == (".venv", "bin"), f"{hook['id']}: runs {executable}, not a locked tool"
        assert (Path(sys.executable).parent / executable.name).exists(), f"{hook['id']}: {executable.name} missing"


def test_the_push_hook_runs_the_same_command_as_make_test_fast(config: dict[str, Any]) -> None:
    pushed = [hook["entry"] for hook in _hooks(config) if "pre-push" in hook.get("stages", [])]
    assert pushed == ["make test-fast"]


def test_the_import_contract_is_a_commit_hook(config: dict[str, Any]) -> None:
    assert any(hook["entry"] == ".venv/bin/lint-imports" for hook in _hooks(config))


@pytest.mark.parametrize("command", [["check", "--no-fix"], ["format", "--check"]], ids=["lint", "format"])
def test_repository_passes_ruff(command: list[str]) -> None:
    """What the ruff hooks check, without letting a test rewrite files."""
    ruff = Path(sys.executable).parent / "ruff"
    completed = subprocess.run([ruff, *command, "."], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout[-3_000:] + completed.stderr[-1_000:]
