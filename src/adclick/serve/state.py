"""The model the service answers with, loaded once and swapped whole on reload."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from adclick.tracking.registry import ModelRef, connect, load_sklearn

if TYPE_CHECKING:
    from adclick.config import Settings


@dataclass(frozen=True)
class LoadedModel:
    model: Any
    ref: ModelRef
    training_metrics: dict[str, float]
    trained_at: float  # when the training run started, seconds since the epoch (staleness)


class ModelHolder:
    """The current model, or why there is none. Reading `current` once per request gives that
    request one consistent model even if a reload replaces it meanwhile."""

    def __init__(self, settings: Settings, uri: str) -> None:
        self.settings, self.uri = settings, uri
        self.current: LoadedModel | None = None
        self.error: str | None = "not loaded yet"

    def load(self) -> str | None:
        """Load the model at `uri`; on failure keep the current one and return the reason."""
        try:
            client = connect(self.settings)
            model, ref = load_sklearn(client, self.uri)
            run = client.get_run(ref.run_id)
            metrics = run.data.metrics
            training = {k.removeprefix("test_"): v for k, v in metrics.items() if k.startswith("test_")}
        except Exception as exc:  # any failure to load is reported on /ready, not raised
            reason = f"cannot load {self.uri}: {exc}"
            if self.current is None:
                self.error = reason
            return reason
        self.current, self.error = LoadedModel(model, ref, training, run.info.start_time / 1000), None
        return None
