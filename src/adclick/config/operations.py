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


class MutationSettings(Section):
    """Mutation testing of the core modules (`make mutation`, [tool.mutmut] in pyproject.toml)."""

    min_score: Share = Field(description="killed mutants / tested mutants at or above this, or the job fails")
