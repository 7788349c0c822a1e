"""What the data tests share."""

from __future__ import annotations

import runpy
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

SCENARIO_ROWS = 20_000


@dataclass(frozen=True)
class DataUnderTest:
    source: str
    frame: pd.DataFrame


def declarations(module_source: str) -> Any:
    """A schema module's source (a draft, an example) run into a namespace, checked and completed
    like the team's own: what `validate(of=...)` and `canonical(of=...)` take."""
    from adclick.data.contract import problems, resolve

    namespace: dict[str, Any] = {}
    exec(compile(module_source, "<schema module>", "exec"), namespace)
    declared = SimpleNamespace(**namespace)
    assert not problems(declared), problems(declared)
    return resolve(declared)


def example_file(example: Path, folder: Path) -> tuple[Path, dict[str, Any]]:
    """Export a fork example's data file into `folder`; its path and the example's source module."""
    source = runpy.run_path(str(example / "source.py"))
    return source["export"](folder / source["FILE"]), source
