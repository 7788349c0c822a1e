"""The package's shape holds: imports run one way (import-linter), modules and functions stay
small enough to read, and our own modules are imported at the top of a module, where a reader
sees them, except in the CLI (which keeps pandas, scikit-learn and MLflow off `--help`)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adclick.data import contract
from tests.helpers.project import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "adclick"
MAX_MODULE_LINES = 300  # the issue "One-way house" set these two; change them there, not here
MAX_FUNCTION_LINES = 60
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
MODULES = sorted(PACKAGE.rglob("*.py"))


def _lint_imports(config: Path, source_root: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": f"{source_root}{os.pathsep}{source_root.parent}"}
    command = [str(LINT_IMPORTS), "--config", str(config), "--no-cache"]
    return subprocess.run(command, cwd=config.parent, env=environment, capture_output=True, text=True, timeout=120)


def test_the_import_contract_holds() -> None:
    result = _lint_imports(REPO_ROOT / "pyproject.toml", REPO_ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_backward_import_breaks_the_import_contract(tmp_path: Path) -> None:
    """Plant the import a hurried change would add (the model layer reaching up into MLflow
    tracking) in a copy of the package: the contract must catch it and name the import."""
    shutil.copytree(PACKAGE, tmp_path / "src" / "adclick", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO_ROOT / "tools", tmp_path / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    planted = tmp_path / "src" / "adclick" / "model" / "metrics.py"
    planted.write_text(planted.read_text() + "\nfrom adclick.tracking import registry  # noqa: E402\n")

    result = _lint_imports(tmp_path / "pyproject.toml", tmp_path / "src")

    assert result.returncode != 0, "a backward import passed the contract"
    assert "adclick.model.metrics -> adclick.tracking" in result.stdout, result.stdout


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_short_enough_to_read(module: Path) -> None:
    lines = len(module.read_text().splitlines())
    assert lines <= MAX_MODULE_LINES, f"{module.relative_to(REPO_ROOT)} has {lines} lines (limit {MAX_MODULE_LINES})"


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_function_is_short_enough_to_read(module: Path) -> None:
    long = {
        f"{node.name} (line {node.lineno}): {node.end_lineno - node.lineno + 1} lines"  # type: ignore[operator]
        for node in _functions(ast.parse(module.read_text()))
        if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES  # type: ignore[operator]
    }
    assert not long, f"{module.relative_to(REPO_ROOT)}: over {MAX_FUNCTION_LINES} lines: {sorted(long)}"


@pytest.mark.parametrize(
    "module",
    [m for m in MODULES if "cli" not in m.relative_to(PACKAGE).parts],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_our_own_modules_are_imported_at_the_top(module: Path) -> None:
    """A function-local import of one of our modules hides a dependency from the reader (and
    from the import contract's reader too); it is how import cycles used to be dodged."""
    hidden = [
        f"line {node.lineno}: {node.module}"
        for function in _functions(ast.parse(module.read_text()))
        for node in ast.walk(function)
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "adclick"
    ]
    assert not hidden, f"{module.relative_to(REPO_ROOT)} imports our modules inside functions: {hidden}"


def test_no_two_modules_of_the_package_share_a_file_name() -> None:
    """A name says which job a module does; two `report.py` make a reader (and an import) guess."""
    names = [m.name for m in MODULES if m.name != "__init__.py"]
    repeated = sorted({name for name in names if names.count(name) > 1})
    assert not repeated, f"file names used twice in src/adclick: {repeated}"


# A figure with a unit: 5 ms, 0.6 s, 80 MiB, 2.8ms ...
TIMING = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:ms|µs|us|s|seconds|MiB|MB|GiB)\b")


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_docstring_or_comment_quotes_a_measurement(module: Path) -> None:
    """Measured figures go stale in code; they live in docs/performance.md and docs/serving.md."""
    text = module.read_text()
    docstrings = [
        ast.get_docstring(node) or ""
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    comments = [
        line.split("#", 1)[1] for line in text.splitlines() if "#" in line and not line.strip().startswith(('f"', '"'))
    ]
    quoted = [match.group() for part in docstrings + comments for match in TIMING.finditer(part)]
    assert not quoted, f"{module.relative_to(REPO_ROOT)} quotes measurements {quoted}: move them to the docs"


# The demo generator's own tests know its columns by design; every other test asks the contract.
DEMO_ONLY_TESTS = {REPO_ROOT / "tests" / "data" / "test_generator.py"}
TEST_MODULES = sorted(p for p in (REPO_ROOT / "tests").rglob("*.py") if p not in DEMO_ONLY_TESTS)


@pytest.mark.parametrize("module", TEST_MODULES, ids=lambda p: str(p.relative_to(REPO_ROOT / "tests")))
def test_no_test_names_a_column_of_the_data(module: Path) -> None:
    """A team that brings its own data edits the specs and params.yaml, never a test body."""
    columns = {*contract.FEATURES, contract.ID_COLUMN, contract.LABEL}
    named = sorted(
        {
            f"line {node.lineno}: {node.value!r}"
            for node in ast.walk(ast.parse(module.read_text()))
            if isinstance(node, ast.Constant) and node.value in columns
        }
    )
    assert not named, f"{module.relative_to(REPO_ROOT)} names columns of the data: {named}"
