"""Hypothesis strategies of valid data, drawn from the schema's own column checks."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from adclick.data.contract import OPTIONAL_FEATURES, ROW_RULES, SPECS
from adclick.data.schema import column, raw_schema

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def make_rows_consistent(frame: pd.DataFrame) -> pd.DataFrame:
    """Apply every row rule's repair to arbitrary column values."""
    for rule in ROW_RULES:
        frame = rule.repair(frame)
    return frame


def _blank_optional(frame: pd.DataFrame, blank: list[bool]) -> pd.DataFrame:
    frame = frame.copy()
    for name in OPTIONAL_FEATURES:
        frame.loc[blank, name] = None
    return frame


@functools.cache
def raw_strategy(*, size: int, labelled: bool = True) -> SearchStrategy[pd.DataFrame]:
    """Hypothesis strategy of `size`-row frames the raw schema accepts (every record-level rule).

    Each column is drawn by pandera from the schema's own checks. For speed (several times
    faster than `DataFrameSchema.strategy`), nullable columns are drawn
    without nulls and blanked by a mask hypothesis draws, then the row rules are applied.
    """
    from hypothesis import strategies as st

    columns = {
        name: (column(replace(SPECS[name], nullable=False)) if name in SPECS else spec).set_name(name)
        for name, spec in raw_schema(labelled=labelled).columns.items()
    }
    drawn_columns = st.tuples(*(spec.strategy(size=size) for spec in columns.values()))
    blanks = st.lists(st.booleans(), min_size=size, max_size=size)

    def assemble(drawn: tuple[tuple[pd.DataFrame, ...], list[bool]]) -> pd.DataFrame:
        parts, blank = drawn
        return make_rows_consistent(_blank_optional(pd.concat(parts, axis=1), blank))

    return st.tuples(drawn_columns, blanks).map(assemble)
