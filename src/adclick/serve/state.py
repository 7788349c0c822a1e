"""The model the service answers with, loaded once and swapped whole on reload.

The engine is chosen here, once per load: each form the bundle holds (`serve.bundle`), fastest
first (the trees as machine code, then walked by Treelite, then the scikit-learn pipeline), must
pass the canary like any model; the first that does answers every request until the next
load, and `/model` says which form answers and what walks its trees.

At start-up a bundle the registry has not moved away from is loaded as it is; otherwise, and on
every reload, the model URI is exported again, in a child process (`bundle.export_in_child`):
MLflow and scikit-learn never enter the service's memory.

Reloads run one at a time: a reload asked for while one is in flight waits for it and shares its
answer (an export costs a process and a minute on a busy machine: four at once cost four), and a
registry unchanged since the bundle that serves was exported leaves everything as it is.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from adclick.serve import bundle
from adclick.serve.canary import CanaryResult, replay
from adclick.tracking.registry import ModelRef

if TYPE_CHECKING:
    from adclick.config import Settings

Exporter = Callable[[str], Path]  # a model URI -> the folder of its exported bundle


@dataclass(frozen=True)
class LoadedModel:
    """The model that answers (the bundle's compiled trees or its pipeline), the bundle it came
    from, and the verdict of its canary."""

    model: Any
    exported: bundle.Bundle
    canary: CanaryResult
    form: str = "pipeline"  # "compiled" when the compiled trees answer (serve.compiled.trees)

    @property
    def engine(self) -> str:
        """What walks the trees: "native" (machine code), "treelite" or "scikit-learn"."""
        return self.model.engine if self.form == "compiled" else "scikit-learn"

    @property
    def ref(self) -> ModelRef:
        return self.exported.ref

    @property
    def training_metrics(self) -> dict[str, float]:
        return self.exported.training_metrics

    @property
    def trained_at(self) -> float:
        """When the training run started, seconds since the epoch (staleness)."""
        return self.exported.trained_at


class ModelHolder:
    """The current model, or why there is none. Reading `current` once per request gives that
    request one consistent model even if a reload replaces it meanwhile."""

    def __init__(self, settings: Settings, uri: str, exporter: Exporter | None = None) -> None:
        self.settings, self.uri = settings, uri
        self.exporter = exporter or functools.partial(bundle.export_in_child, settings)
        self.current: LoadedModel | None = None
        self.error: str | None = "not loaded yet"
        self._flight_lock = threading.Lock()
        self._in_flight: Future[tuple[bool, str | None]] | None = None

    def reload(self) -> tuple[bool, str | None]:
        """Load again unless the registry is unchanged: (whether the model was loaded again, why
        it could not be). One reload at a time; a second caller joins the one in flight."""
        with self._flight_lock:
            flight, leading = self._in_flight, self._in_flight is None
            if flight is None:
                flight = self._in_flight = Future()
        if not leading:
            return flight.result()
        try:
            outcome = (False, None) if self._unchanged() else (True, self.load())
            flight.set_result(outcome)
        except BaseException as exc:
            flight.set_exception(exc)
            raise
        finally:
            with self._flight_lock:
                self._in_flight = None
        return outcome

    def _unchanged(self) -> bool:
        """The registry has not moved since the bundle that serves was exported."""
        folder, current = bundle.fresh(self.settings, self.uri), self.current
        return current is not None and folder is not None and folder.resolve() == current.exported.folder.resolve()

    def load(self, refresh: bool = True) -> str | None:
        """Load the model at `uri` and canary it; on failure keep the current one and return why.

        `refresh=False` (start-up) takes the bundle last exported for `uri` when the registry has
        not changed since; a reload always asks the registry again."""
        try:
            folder = (None if refresh else bundle.fresh(self.settings, self.uri)) or self.exporter(self.uri)
            exported = bundle.read(folder, self.uri)
            # the fastest form that passes the canary: the compiled trees as machine code, then
            # walked by Treelite, else the pipeline with its verdict
            tolerance, form = self.settings.serve.canary_max_difference, "compiled"
            for served in exported.compiled_forms():
                canary = replay(served, exported.canary, tolerance)
                if canary.problem is None:
                    break
            else:
                served, form = exported.pipeline(), "pipeline"
                canary = replay(served, exported.canary, tolerance)
        except Exception as exc:  # any failure to load is reported on /ready, not raised
            return self._refuse(f"cannot load {self.uri}: {exc}")
        if canary.problem is not None:
            return self._refuse(f"version {exported.ref.version} failed its canary: {canary.problem}")
        self.current, self.error = LoadedModel(served, exported, canary, form), None
        return None

    def _refuse(self, reason: str) -> str:
        if self.current is None:
            self.error = reason
        return reason
