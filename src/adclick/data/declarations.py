"""The building blocks of a data contract: a column, a rule across columns, a ranking case.

A team's schema module (`adclick.data.specs`) declares its data with these; everything else
(pandera schemas, model inputs, the API's request model, the tests' cases) derives from them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pandas as pd

Kind = Literal["category", "integer", "number", "boolean"]
_PYTHON_TYPES: dict[str, type] = {"category": str, "integer": int, "number": float, "boolean": bool}


@dataclass(frozen=True)
class FieldSpec:
    """One input column: the single definition pandera, the features and the API derive from.

    A category's vocabulary is text, even when the file holds numeric codes (store 7 is the
    level "7"): a code has no order or distance, so it must not reach the model as a number.
    """

    name: str
    kind: Kind
    description: str = ""
    bounds: tuple[float, float] | None = None  # inclusive
    vocabulary: tuple[str, ...] | None = None
    nullable: bool = False

    @property
    def dtype(self) -> type:
        """The Python type of a value (what the API's request model uses)."""
        return _PYTHON_TYPES[self.kind]


def category(name: str, vocabulary: tuple[str, ...], description: str = "", *, nullable: bool = False) -> FieldSpec:
    return FieldSpec(name, "category", description, vocabulary=tuple(str(v) for v in vocabulary), nullable=nullable)


def integer(name: str, low: float, high: float, description: str = "", *, nullable: bool = False) -> FieldSpec:
    return FieldSpec(name, "integer", description, bounds=(low, high), nullable=nullable)


def number(name: str, low: float, high: float, description: str = "", *, nullable: bool = False) -> FieldSpec:
    return FieldSpec(name, "number", description, bounds=(low, high), nullable=nullable)


def boolean(name: str, description: str = "", *, nullable: bool = False) -> FieldSpec:
    return FieldSpec(name, "boolean", description, nullable=nullable)


@dataclass(frozen=True)
class RowRule:
    """A rule each row must satisfy that involves more than one column.

    `repair` makes arbitrary rows satisfy it (the property tests draw each column alone, then
    repair: drawing whole rows that happen to satisfy the rule by rejection is far too slow).
    `violation` is the values of a row that breaks this rule and no other: the tests plant it
    to show the rule is enforced everywhere (validation, the API), without naming a column.
    """

    name: str
    columns: tuple[str, ...]
    holds: Callable[[pd.DataFrame], pd.Series]
    repair: Callable[[pd.DataFrame], pd.DataFrame]
    violation: Mapping[str, Any]


@dataclass(frozen=True)
class Pair:
    """A minimum-functionality case: two records that differ only in `better` and `worse`
    (overrides of a typical record), where domain knowledge says `better` is more likely
    positive. The typical record is the data's own median / most frequent values."""

    name: str
    better: Mapping[str, Any] = field(default_factory=dict)
    worse: Mapping[str, Any] = field(default_factory=dict)
