"""The compiled trees as machine code, for batches: TL2cgen writes the Treelite model out as C,
and the system's C compiler builds it into a shared library the service calls.

Treelite's inference library (GTIL) walks the trees as data, slower on batches than
scikit-learn's own predictor; the same trees as C code, built with `quantize` (below), are
several times faster with the same probabilities (docs/serving.md has the figures;
tests/api/test_compiled_engines.py holds them to the pipeline's). The price is a C compiler at
export time, once per model version, which a machine may lack: then the library is not built,
the bundle's manifest says why, and Treelite's inference serves as before.

The build runs in a child process (`python -m adclick.serve.compiled.machine_code FOREST LIBRARY`), so that a
compiler that crashes or hangs cannot take the exporting process with it, and so that what it
prints lands in a log beside the library instead of on the exporter's screen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np

NATIVE_FILE = "forest.so"
BUILD_LOG = "forest-build.log"
BUILD_TIMEOUT_SECONDS = 300  # far above a real build: only a hung compiler reaches it
COMPILERS = ("gcc", "clang", "cc")  # tried in this order unless CC names one


def compiler() -> str | None:
    """The C compiler to build with: `CC` when set and found, else the first of `COMPILERS` on PATH."""
    wanted = os.environ.get("CC")
    for name in (wanted,) if wanted else COMPILERS:
        if shutil.which(name):
            return name
    return None


def build(forest_file: Path, library: Path) -> str | None:
    """Build `library` from the Treelite checkpoint `forest_file`; None when it was built, else
    why not. What the build printed is kept in `BUILD_LOG` beside the library."""
    toolchain = compiler()
    if toolchain is None:
        wanted = os.environ.get("CC")
        missing = f"CC={wanted} is not on PATH" if wanted else f"no C compiler on PATH (tried {', '.join(COMPILERS)})"
        return f"{missing}: install gcc to serve batches from machine code; Treelite's inference serves meanwhile"
    command = [sys.executable, "-m", __name__, str(forest_file), str(library), toolchain]
    log = library.parent / BUILD_LOG
    try:
        with log.open("w") as output:
            done = subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, timeout=BUILD_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return f"{toolchain} did not finish within {BUILD_TIMEOUT_SECONDS} s (its output: {log.name})"
    if done.returncode != 0 or not library.is_file():
        last = log.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
        return f"building with {toolchain} failed (exit {done.returncode}): {last[0]} (the whole output: {log.name})"
    return None


class NativeForest:
    """The shared library `build` made, predicting P(positive) for the classifier's input array.

    TL2cgen's predictor may be called by one thread at a time: each thread that predicts gets
    its own, loaded on first use (the library itself is mapped once)."""

    def __init__(self, library: Path) -> None:
        self.library = library
        self._per_thread = threading.local()
        self._predictor()  # a library that does not load fails here, at load time, not at the first request

    def _predictor(self) -> Any:
        predictor = getattr(self._per_thread, "predictor", None)
        if predictor is None:
            import tl2cgen

            predictor = self._per_thread.predictor = tl2cgen.Predictor(str(self.library), nthread=1)
        return predictor

    def predict(self, inputs: np.ndarray) -> np.ndarray:
        """P(positive) per row of `inputs` (NaN is a gap, as the trees' default branch reads it)."""
        import tl2cgen

        matrix = tl2cgen.DMatrix(inputs, dtype="float64", missing=np.nan)
        return np.asarray(self._predictor().predict(matrix)).reshape(len(inputs))


def _build_here(forest_file: str, library: str, toolchain: str) -> None:
    """The child process's job: compile the checkpoint's trees with `toolchain`."""
    import tl2cgen
    import treelite

    forest = treelite.Model.deserialize(forest_file)
    workers = max(os.cpu_count() or 1, 1)
    # parallel_comp: one translation unit per worker, the build takes about half as long on two cores.
    # quantize: each input is first placed among the thresholds its column is split at, and the trees
    # compare integers: the same branches, faster (docs/serving.md).
    params = {"parallel_comp": workers, "quantize": 1}
    tl2cgen.export_lib(forest, toolchain=toolchain, libpath=library, params=params, nthread=workers)


if __name__ == "__main__":
    _build_here(*sys.argv[1:4])
