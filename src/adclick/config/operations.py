"""Settings of the model in operation: the prediction service, and how hard the suite is tested."""

from __future__ import annotations

from pydantic import Field

from adclick.config.base import Section, Share


class ServeSettings(Section):
    """The prediction service (adclick serve, make serve, make load)."""

    host: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)
    model_alias: str = Field(min_length=1)
    max_batch_rows: int = Field(ge=1)
    max_body_bytes: int = Field(ge=1024)
    canary_max_difference: float = Field(ge=0.0, description="a canary probability this far from training's fails")
    compiled_max_difference: float = Field(
        ge=0.0, description="the compiled model's probabilities stay this close to the pipeline's"
    )
    goals_vs_mlflow: ServingGoals


class ServingGoals(Section):
    """What `make load` holds our service to against `mlflow models serve` on the same model and
    requests: each a ratio ours / theirs, measured side by side in one run (docs/serving.md)."""

    max_startup: float = Field(gt=0.0, description="seconds from launch to ready")
    max_memory: float = Field(gt=0.0, description="resident memory of the server's processes after the load")
    max_single_p50: float = Field(gt=0.0, description="median latency of one-record requests")
    max_single_p50_vs_raw: float = Field(
        gt=0.0, description="one record, one client: median latency over the raw in-process predict_proba"
    )
    max_p95: float = Field(gt=0.0, description="95th-percentile latency of every load, under concurrent clients")
    min_batch_rows_per_second: float = Field(gt=0.0, description="rows per second of every batch load")


class MutationSettings(Section):
    """Mutation testing of the core modules (`make mutation`, [tool.mutmut] in pyproject.toml)."""

    min_score: Share = Field(description="killed mutants / tested mutants at or above this, or the job fails")
