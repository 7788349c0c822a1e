"""What every settings section shares: strict sections, defaults in code, and the value types of
thresholds."""

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
    """A config section: every key has its default here, params.yaml sets only what a team
    changes, and an unknown key is an error, not a silently ignored typo. Each field's
    description is its line in the generated reference (docs/reference/params.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
