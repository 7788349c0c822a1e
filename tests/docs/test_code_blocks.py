"""The docs' code blocks hold: every ```bash block's commands exist with the options shown
(checked against the real Makefile, CLI, DVC and pytest: `tests.helpers.docs`), and every
```python block runs, from a scratch copy of the project. Parsed with sybil, one test per block,
so a renamed command or flag fails CI naming the page and the line."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from sybil import Sybil
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser

from tests.helpers.docs import check_block
from tests.helpers.project import REPO_ROOT
from tools.forks import copy_project

PAGES = sorted([*(REPO_ROOT / "docs").rglob("*.md"), REPO_ROOT / "README.md"])
SYBIL = Sybil(parsers=[CodeBlockParser(language="bash", evaluator=lambda e: check_block(e.parsed)),
                       PythonCodeBlockParser()])  # fmt: skip
EXAMPLES = [
    pytest.param(example, id=f"{page.relative_to(REPO_ROOT)}:{example.line}")
    for page in PAGES
    for example in SYBIL.parse(page)
]


@pytest.fixture
def scratch_project(monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project as a reader's clone has it (with the team's data file): a Python
    block runs from there."""
    folder = Path(tempfile.mkdtemp(prefix="docs-"))
    copy_project(REPO_ROOT, folder)
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_code_block_holds(example: Any, scratch_project: Path) -> None:
    assert Path(os.getcwd()) == scratch_project
    example.evaluate()


def test_the_docs_have_code_blocks_to_check() -> None:
    """The parsers found the blocks (a parser that finds none would make every page pass)."""
    assert len(EXAMPLES) >= len(PAGES)
