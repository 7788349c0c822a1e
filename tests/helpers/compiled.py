"""Compiling a fitted pipeline for the tests the way the serving bundle does: its trees walked by
Treelite, or built into machine code by the system's C compiler (`serve.compiled.machine_code`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from adclick.serve.compiled import machine_code
from adclick.serve.compiled.trees import FOREST_FILE, CompiledModel, compile_pipeline

ENGINES = ("treelite", "native")
COMPILER_HOW_TO = (
    "no C compiler: `sudo .ci/provision` installs gcc, or point CC at one to test the trees "
    "as machine code; Treelite's inference serves without one"
)


def require_compiler() -> None:
    """Skip when no C compiler is found, with how to get one; under CI, fail: CI must test the form it serves."""
    if machine_code.compiler() is None:
        if os.environ.get("CI"):
            pytest.fail(COMPILER_HOW_TO)
        pytest.skip(COMPILER_HOW_TO)


def compiled_as(pipeline: Any, engine: str, folder: Path) -> CompiledModel:
    """`pipeline` compiled, its trees walked by `engine` ("treelite" or "native", built in `folder`)."""
    compiled = compile_pipeline(pipeline)
    assert compiled is not None, "the candidate pipeline should compile"
    if engine == "treelite":
        return compiled
    require_compiler()
    described = compiled.save(folder)
    problem = machine_code.build(folder / FOREST_FILE, folder / machine_code.NATIVE_FILE)
    assert problem is None, problem
    loaded = CompiledModel.load(folder, described)
    assert loaded.engine == "native", loaded.native_problem
    return loaded
