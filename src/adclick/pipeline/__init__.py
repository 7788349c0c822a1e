"""The steps of the ML lifecycle, each reading and writing files so it can run alone.

prepare -> validate -> train -> evaluate -> promote -> predict -> drift. The CLI exposes each step as
a subcommand; `run` chains them; dvc.yaml declares the same steps as DVC stages. Steps return
plain results; presenting them is the CLI's job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from adclick.config import Settings
from adclick.config.layout import Layout
from adclick.pipeline.post_deploy import degradation, drift, monitor
from adclick.pipeline.steps import (
    evaluate,
    generate,
    predict,
    prepare,
    promote,
    read_data,
    rollback,
    sample,
    train,
    validate,
    validated,
)
from adclick.pipeline.versioning import experiments, lineage

__all__ = [
    "STEPS",
    "Layout",
    "PipelineResult",
    "degradation",
    "drift",
    "evaluate",
    "experiments",
    "generate",
    "lineage",
    "monitor",
    "predict",
    "prepare",
    "promote",
    "read_data",
    "rollback",
    "run",
    "sample",
    "train",
    "validate",
    "validated",
]

STEPS = ("prepare", "validate", "train", "evaluate", "promote", "predict", "drift")


@dataclass
class PipelineResult:
    """What `run` produced, for the closing summary."""

    outputs: dict[str, Any] = field(default_factory=dict)


def run(settings: Settings, on_step: Callable[[str], None] = lambda _: None) -> PipelineResult:
    """prepare -> validate -> train -> evaluate -> promote -> predict -> drift, in order; stops at
    the first failure. The drift step reports on the scored batch; it does not stop the run."""
    result = PipelineResult()
    layout = Layout(settings)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("prepare", lambda: prepare(settings)),
        ("validate", lambda: validate(settings, layout.raw)),
        ("train", lambda: train(settings)),
        ("evaluate", lambda: evaluate(settings)),
        ("promote", lambda: promote(settings)),
        ("predict", lambda: predict(settings)),
        ("drift", lambda: drift(settings)),
    ]
    for name, step in steps:
        on_step(name)
        result.outputs[name] = step()
    on_step("done")
    return result
