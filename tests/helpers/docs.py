"""Checking the shell commands the docs show, so that a renamed command or flag fails CI.

Every command line of a ```bash block is checked against the real thing, without the cost of
running it (a `make test` inside the tests, a 30-day replay):
- `make TARGET`: the Makefile has the target;
- `adclick ...` (also through `uv run` or `.venv/bin/`): click parses the arguments against the
  real command, so an unknown command, option or a missing argument fails; `--help` runs;
- `dvc ...`: `dvc <subcommand> --help` answers, and the options shown are among its options;
- `pytest ...`: each path exists, each marker is registered, each option is pytest's;
- `python -m MODULE`: the module exists;
- a `curl` to `/predict`: its JSON body is a valid request for the service's contract;
- anything else must be an ordinary shell tool (git, sed, cp...), and the whole block must be
  valid bash (`bash -n`).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.background import Background
from tests.helpers.project import REPO_ROOT, makefile_targets

SHELL_TOOLS = {
    "git", "cp", "mv", "rm", "mkdir", "cd", "cat", "echo", "sed", "tail", "head", "md5sum", "ls", "export",
    "curl", "sudo", "apt-get", "pip", "python3", "docker", "gh", "uvx",
}  # fmt: skip
BIN = Path(sys.executable).parent


def commands(block: str) -> list[list[str]]:
    """The simple commands of a bash block, as argument lists (comments and continuations gone,
    `&&`, `||`, `;` and `|` separating commands)."""
    joined = re.sub(r"\\\n\s*", " ", block)
    found = []
    for line in joined.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split, lexer.commenters = True, "#"
        current: list[str] = []
        for token in lexer:
            if token in (";", "&&", "||", "|", "&"):
                found.append(current)
                current = []
            else:
                current.append(token)
        found.append(current)
    return [c for c in found if c]


def _without_runner(argv: list[str]) -> list[str]:
    """`uv run [--opts] X ...` and `.venv/bin/X ...` as `X ...`; leading VAR=value dropped."""
    while argv and re.match(r"^[A-Z_]+=", argv[0]):
        argv = argv[1:]
    if argv[:2] == ["uv", "run"]:
        argv = argv[2:]
        while argv and argv[0].startswith("-"):
            argv = argv[1:]
    if argv and "/" in argv[0] and Path(argv[0]).name in ("adclick", "dvc", "pytest", "python", "pre-commit"):
        argv = [Path(argv[0]).name, *argv[1:]]
    return argv


def check_make(argv: list[str]) -> None:
    targets = [a for a in argv[1:] if not a.startswith("-") and "=" not in a]
    missing = [t for t in targets if t not in makefile_targets()]
    assert not missing, f"`{' '.join(argv)}`: the Makefile has no target {missing}"


def check_adclick(argv: list[str]) -> None:
    """Parse the arguments with the real click command; `--help` runs for real."""
    import click  # typer may carry its own copy of click: its errors are caught by what they say
    import typer

    import adclick.cli  # noqa: F401  (registers every command)
    from adclick.cli.options import app

    group = typer.main.get_command(app)
    args = argv[1:]
    if "--help" in args:
        done = subprocess.run([str(BIN / "adclick"), *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"`{' '.join(argv)}` failed: {done.stderr}"
        return
    assert args, "`adclick` alone prints the help: show `adclick --help`"
    context = click.Context(group, info_name="adclick")
    command = group.get_command(context, args[0])
    assert command is not None, f"`{' '.join(argv)}`: no command {args[0]!r}"
    try:
        command.make_context(args[0], list(args[1:]), parent=context).close()
    except Exception as problem:  # click's (or typer's vendored click's) usage errors
        message = problem.format_message() if hasattr(problem, "format_message") else str(problem)
        raise AssertionError(f"`{' '.join(argv)}`: {message}") from None


@functools.cache
def _dvc_help(words: tuple[str, ...]) -> str | None:
    """`dvc WORDS --help`, or None when WORDS is not a dvc command."""
    probe = subprocess.run([str(BIN / "dvc"), *words, "--help"], capture_output=True, text=True)
    return probe.stdout if probe.returncode == 0 and "usage:" in probe.stdout else None


def check_dvc(argv: list[str]) -> None:
    words = [a for a in argv[1:] if not a.startswith("-")]
    subcommand: list[str] = []
    for word in words:  # the subcommand words come first: `dvc exp run ...`, `dvc metrics diff ...`
        if _dvc_help((*subcommand, word)) is None:
            break
        subcommand.append(word)
    assert subcommand, f"`{' '.join(argv)}`: not a dvc command"
    usage = _dvc_help(tuple(subcommand)) or ""
    unknown = [a.split("=")[0] for a in argv[1:] if a.startswith("-") and a.split("=")[0] not in usage]
    assert not unknown, f"`{' '.join(argv)}`: dvc {' '.join(subcommand)} has no option {unknown}"


@functools.cache
def _pytest_help() -> str:
    return subprocess.run([str(BIN / "pytest"), "--help"], capture_output=True, text=True, cwd=REPO_ROOT).stdout


@functools.cache
def _pytest_value_options() -> frozenset[str]:
    """pytest's options that take a value (`--model-uri=URI`, `-k EXPRESSION`, ...)."""
    found = re.findall(r"^\s+(?:-\w(?: \S+)?, )?(--[\w-]+)[= ]", _pytest_help(), flags=re.MULTILINE)
    return frozenset(found) | {"-k", "-m", "-p", "-o", "-c"}


def check_pytest(argv: list[str]) -> None:
    import tomllib

    markers = {m.split(":")[0].split("(")[0] for m in tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
               ["tool"]["pytest"]["ini_options"]["markers"]}  # fmt: skip
    args = iter(argv[1:])
    for arg in args:
        if arg == "-m":
            expression = next(args)
            unknown = set(re.findall(r"[a-z_]+", expression)) - markers - {"not", "and", "or"}
            assert not unknown, f"`{' '.join(argv)}`: markers {unknown} are not registered"
        elif arg.startswith("-"):
            assert arg.split("=")[0] in _pytest_help(), f"`{' '.join(argv)}`: pytest has no option {arg}"
            if "=" not in arg and arg in _pytest_value_options():
                next(args)  # the option's value: a path or a URI the reader supplies
        else:
            assert (REPO_ROOT / arg.split("::")[0]).exists(), f"`{' '.join(argv)}`: no {arg} in the repository"


def check_pre_commit(argv: list[str]) -> None:
    done = subprocess.run([str(BIN / "pre-commit"), *argv[1:2], "--help"], capture_output=True, text=True)
    assert done.returncode == 0, f"`{' '.join(argv)}`: pre-commit has no command {argv[1:2]}"


def check_python(argv: list[str]) -> None:
    if len(argv) > 2 and argv[1] == "-m":
        assert importlib.util.find_spec(argv[2]) is not None, f"`{' '.join(argv)}`: no module {argv[2]}"


def check_curl(argv: list[str]) -> None:
    from adclick.serve.request_contract import PredictRequest

    if not any(a.endswith("/predict") for a in argv) or "-d" not in argv:
        return
    from pydantic import ValidationError

    body = argv[argv.index("-d") + 1]
    if body.startswith("@"):  # the body is in a file the reader writes
        return
    try:
        PredictRequest.model_validate(json.loads(body))
    except ValidationError as invalid:
        raise AssertionError(f"the request body the docs show is not valid: {invalid}") from None


CHECKS = {"make": check_make, "adclick": check_adclick, "dvc": check_dvc, "pytest": check_pytest,
          "python": check_python, "curl": check_curl, "pre-commit": check_pre_commit}  # fmt: skip


def check_block(block: str) -> None:
    """Check every command of a bash block; the block must be valid bash."""
    syntax = subprocess.run(["bash", "-n"], input=block, capture_output=True, text=True)
    assert syntax.returncode == 0, f"not valid bash: {syntax.stderr}\n{block}"
    for argv in commands(block):
        argv = _without_runner(argv)
        if not argv:
            continue
        if argv[0] in CHECKS:
            CHECKS[argv[0]](argv)
        else:
            assert argv[0] in SHELL_TOOLS, f"`{' '.join(argv)}`: the docs' checker does not know {argv[0]!r}"


FIGURES_STASH: pytest.StashKey[Drawing] = pytest.StashKey()  # the session's drawing of the docs' figures


class Drawing(Background):
    """`make figures` in a background process: the figures in FOLDER/figures, its project kept in
    FOLDER/project (`python -m tools.figures --output ... --keep ...`)."""

    def __init__(self) -> None:
        super().__init__("figures", [sys.executable, "-m", "tests.helpers.docs"])

    @property
    def figures(self) -> Path:
        return self.folder / "figures"


if __name__ == "__main__":
    from tools import figures

    folder = Path(sys.argv[1])
    raise SystemExit(figures.main(["--output", str(folder / "figures"), "--keep", str(folder / "project")]))
