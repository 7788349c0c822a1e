"""Run `adclick` in-process, the way a user's shell would."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from adclick.cli import main
from tests.helpers.project import MLFLOW_URI_VARIABLES


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., CliResult]


def invoke(*args: str | Path) -> CliResult:
    """Call `adclick ARGS...` through the real entry point; capture its exit code and output."""
    return _capture(main, args)


def invoke_tool(*args: str | Path) -> CliResult:
    """Call the dev commands, `python -m tools ARGS...`, the same way."""
    from tools.cli import main as tools_main

    return _capture(tools_main, args)


def _capture(entry: Callable[[list[str]], None], args: tuple[str | Path, ...]) -> CliResult:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            entry([str(a) for a in args])
        except SystemExit as exited:
            code = int(exited.code or 0)
    return CliResult(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def inside(project: Path) -> Iterator[None]:
    """Work from `project` as a user would (default params.yaml), with no inherited MLflow store."""
    patch = pytest.MonkeyPatch()
    patch.chdir(project)
    for name in MLFLOW_URI_VARIABLES:
        patch.delenv(name, raising=False)
    try:
        yield
    finally:
        patch.undo()
