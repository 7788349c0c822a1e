"""Run `adclick` in-process, the way a user's shell would."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Mistake:
    """A command line a user gets wrong, and the parameter its error message must name."""

    id: str
    argv: list[str]
    names: str


def usage_mistakes() -> list[Mistake]:
    """For every `adclick` command, read from the app itself: each required parameter left out,
    each number given as text, each bounded number one step outside its bound, and each
    `--output` under a file (where nothing can be written). Every other
    required parameter gets a placeholder, so that the error can only be about the one under test."""
    import typer

    import adclick.cli  # noqa: F401  (registers every command)
    from adclick.cli.options import app

    group = typer.main.get_command(app)
    mistakes = []
    for name in group.list_commands(None):  # type: ignore[attr-defined]
        command = group.get_command(None, name)  # type: ignore[attr-defined]

        def line(without: Any = None, value: str | None = None, name: str = name, command: Any = command) -> list[str]:
            argv = [name]
            for param in command.params:
                given = value if param is without else ("placeholder" if param.required else None)
                if given is None:
                    continue
                argv += [given] if param.param_type_name == "argument" else [param.opts[0], given]
            return argv

        for param in command.params:
            shown = param.opts[0] if param.param_type_name == "option" else param.name.upper()
            if param.required:
                mistakes.append(Mistake(f"{name} without {shown}", line(without=param), shown))
            if shown == "--output":
                under_a_file = str(Path(__file__).resolve() / "out")
                mistakes.append(Mistake(f"{name} {shown} under a file", line(param, under_a_file), shown))
            if param.bare_type() not in ("int", "float"):
                continue
            mistakes.append(Mistake(f"{name} {shown} abc", line(param, "abc"), shown))
            step = 1 if param.bare_type() == "int" else 0.5
            for bound, outside in ((param.min, -step), (param.max, step)):
                if bound is not None:
                    value = str(bound + outside)
                    mistakes.append(Mistake(f"{name} {shown} {value}", line(param, value), shown))
    return mistakes
