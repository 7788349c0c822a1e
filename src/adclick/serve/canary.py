"""The canary: before the service answers with a model, at start-up and on every reload, it
replays rows the model scored when it was trained (its run's `canary.json`) through the path a
request takes (the request model, the frame built from records, the scoring) and compares.

A model that answers otherwise here than where it was trained (another scikit-learn, a
preprocessing that differs between batch and service, an artifact damaged on the way) is not
served: the service keeps the model it had, and `/ready` or the reload's 503 says why. Every
swap of the model is canaried; a run logged without a canary is served and says it had none.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from adclick.model.predict import probabilities
from adclick.serve.request_contract import PredictRequest, records_frame


@dataclass(frozen=True)
class CanaryResult:
    rows: int
    max_difference: float | None  # None: no canary recorded with the model's run
    problem: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def replay(model: Any, canary: dict[str, Any] | None, tolerance: float) -> CanaryResult:
    """The canary's records through the request path; a problem when any probability is not
    finite, outside [0, 1], or further than `tolerance` from the one recorded at training."""
    if canary is None:
        return CanaryResult(0, None, None)
    try:
        request = PredictRequest.model_validate({"records": canary["records"]})
        served = probabilities(model, records_frame(request.records))
    except Exception as exc:  # whatever the model does with the canary is its verdict, not a crash
        return CanaryResult(len(canary["records"]), None, f"the canary records do not score: {exc}")
    recorded = np.asarray(canary["probabilities"], dtype=float)
    if not np.all(np.isfinite(served)) or served.min() < 0 or served.max() > 1:
        return CanaryResult(len(served), None, "a canary probability is not a number in [0, 1]")
    difference = float(np.max(np.abs(served - recorded)))
    if difference > tolerance:
        worst = int(np.argmax(np.abs(served - recorded)))
        problem = (
            f"canary row {worst} scores {served[worst]:.6f} here against {recorded[worst]:.6f} at training "
            f"(difference {difference:.2g} over serve.canary_max_difference {tolerance:g} in params.yaml)"
        )
        return CanaryResult(len(served), difference, problem)
    return CanaryResult(len(served), difference, None)
