"""The model the service answers with, loaded once and swapped whole on reload.

The registered pipeline is compiled for serving when it can be (`model.compiled`: the same
trees, 0.05 ms for one row instead of 5 ms). The compiled form must pass the canary like any
model; when it cannot be made or answers otherwise, the pipeline itself serves, and `/model`
says which form answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from adclick.model.compiled import compile_pipeline
from adclick.serve.canary import CanaryResult, replay
from adclick.tracking.registry import ModelRef, connect, load_sklearn
from adclick.tracking.training import load_canary

if TYPE_CHECKING:
    from adclick.config import Settings


@dataclass(frozen=True)
class LoadedModel:
    model: Any
    ref: ModelRef
    training_metrics: dict[str, float]
    trained_at: float  # when the training run started, seconds since the epoch (staleness)
    canary: CanaryResult
    form: str = "pipeline"  # "compiled" when the compiled trees answer (model.compiled)


class ModelHolder:
    """The current model, or why there is none. Reading `current` once per request gives that
    request one consistent model even if a reload replaces it meanwhile."""

    def __init__(self, settings: Settings, uri: str) -> None:
        self.settings, self.uri = settings, uri
        self.current: LoadedModel | None = None
        self.error: str | None = "not loaded yet"

    def load(self) -> str | None:
        """Load the model at `uri` and canary it; on failure keep the current one and return why."""
        try:
            client = connect(self.settings)
            model, ref = load_sklearn(client, self.uri)
            run = client.get_run(ref.run_id)
            metrics = run.data.metrics
            training = {k.removeprefix("test_"): v for k, v in metrics.items() if k.startswith("test_")}
            rows = load_canary(ref.run_id)
            served, form, canary = self._fastest_passing(model, rows)
        except Exception as exc:  # any failure to load is reported on /ready, not raised
            return self._refuse(f"cannot load {self.uri}: {exc}")
        if canary.problem is not None:
            return self._refuse(f"version {ref.version} failed its canary: {canary.problem}")
        trained_at = run.info.start_time / 1000
        self.current, self.error = LoadedModel(served, ref, training, trained_at, canary, form), None
        return None

    def _fastest_passing(self, pipeline: Any, rows: dict[str, Any] | None) -> tuple[Any, str, CanaryResult]:
        """The compiled form when it exists and passes the canary, else the pipeline and its verdict."""
        threshold, tolerance = self.settings.model.decision_threshold, self.settings.serve.canary_max_difference
        compiled = compile_pipeline(pipeline)
        if compiled is not None:
            canary = replay(compiled, rows, threshold, tolerance)
            if canary.problem is None:
                return compiled, "compiled", canary
        return pipeline, "pipeline", replay(pipeline, rows, threshold, tolerance)

    def _refuse(self, reason: str) -> str:
        if self.current is None:
            self.error = reason
        return reason
