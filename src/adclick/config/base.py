"""What every settings section shares: strict sections and the value types of thresholds."""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Fraction = Annotated[float, Field(gt=0.0, lt=1.0)]
AucScore = Annotated[float, Field(ge=0.0, le=1.0)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]  # a rate, a probability or a difference of them
PositiveShare = Annotated[float, Field(gt=0.0, le=1.0)]


def increasing(name: str, values: list[int]) -> list[int]:
    if any(b <= a for a, b in pairwise(values)):
        raise ValueError(f"{name} must be strictly increasing")
    return values


class Section(BaseModel):
    """A config section: every key is required (params.yaml is the one source of values) and
    unknown keys are errors, not silently ignored typos."""

    model_config = ConfigDict(extra="forbid", frozen=True)
