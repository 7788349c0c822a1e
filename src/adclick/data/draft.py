"""Draft a data contract from a file: `adclick init-schema PATH --label COLUMN --positive VALUE`.

The draft reads each column's type, gaps and observed range from the frame (pandera's
`infer_schema` gives the same three, but not what the contract needs on top: vocabularies, an
integer kept as floats because of a gap, a code that looks like a number), widens each range
by a margin (new data will stray a little), lists each text column's values as its vocabulary,
and writes both as a schema module for the team to review and commit, with the params.yaml
lines a data set of this size needs. The draft validates the file it came from (a test holds
it to that); what it cannot know (directions, slices, rules across columns) it leaves for the
team, with a pointer to the fork guide.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from adclick.errors import DataValidationError

MAX_LEVELS = 50  # more distinct text values than this is free text or an id, not a category
FEW_LEVELS = 12  # an integer column with this few values may be a code: the draft says so


@dataclass(frozen=True)
class Draft:
    schema_module: str
    params_block: str
    notes: list[str]


def _rounded(value: float, step: float, up: bool) -> float | int:
    """`value` rounded outward to a multiple of `step` (a power of ten)."""
    rounded = (math.ceil if up else math.floor)(value / step) * step
    return int(rounded) if step >= 1 else round(rounded, -math.floor(math.log10(step)))


def _bounds(values: pd.Series, margin: float, integer: bool) -> tuple[float | int, float | int]:
    """The observed range widened by `margin` of its width on each side, rounded outward to the
    pad's order of magnitude; a column never below 0 keeps 0 as its floor."""
    low, high = float(values.min()), float(values.max())
    pad = (high - low) * margin or abs(high) * margin or 1.0
    step = max(10 ** math.floor(math.log10(pad)), 1) if integer else 10 ** math.floor(math.log10(pad))
    lower = 0 if low >= 0 and low - pad < 0 else _rounded(low - pad, step, up=False)
    return lower, _rounded(high + pad, step, up=True)


def _literal(value: Any) -> str:
    """A value as Python source in the project's style (double quotes)."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ("," if len(value) == 1 else "") + ")"
    return repr(value)


def _column_line(name: str, values: pd.Series, margin: float, notes: list[str]) -> str | None:
    nullable = ", nullable=True" if values.isna().any() else ""
    present, quoted = values.dropna(), _literal(name)
    if present.empty:
        notes.append(f"{name!r}: every value is missing; left out (the model cannot use it)")
        return None
    if pd.api.types.is_bool_dtype(present):
        return f"    boolean({quoted}{nullable}),"
    if pd.api.types.is_numeric_dtype(present):
        kind = "integer" if pd.api.types.is_integer_dtype(present) or present.eq(present.round()).all() else "number"
        low, high = _bounds(present.astype(float), margin, integer=kind == "integer")
        line = f"    {kind}({quoted}, {low!r}, {high!r}{nullable}),"
        if kind == "integer" and present.nunique() <= FEW_LEVELS:
            line += f"  # {present.nunique()} values: a code? then category({quoted}, (...))"
        return line
    levels = sorted(present.astype(str).unique())
    if len(levels) > MAX_LEVELS:
        notes.append(f"{name!r}: {len(levels)} distinct texts, free text or an id; left out (the model cannot use it)")
        return None
    return f"    category({quoted}, {_literal(tuple(levels))}{nullable}),"


def _find_id(frame: pd.DataFrame, label: str) -> str | None:
    for name in frame.columns:
        text = str(name).lower()
        if name != label and (text == "id" or text.endswith(("_id", " id"))) and frame[name].is_unique:
            return str(name)
    return None


def _params_block(source: str, frame: pd.DataFrame, label: str, positive: str, test_fraction: float) -> str:
    """params.yaml lines for the file and for its size: slices need rows and positives to be judged."""
    labelled = frame[label].dropna()
    minority = int(labelled.value_counts().min()) if labelled.nunique() == 2 else 0
    test_rows, test_minority = int(len(labelled) * test_fraction), int(minority * test_fraction)
    slice_rows = max(20, min(200, test_rows // 8))
    class_count = max(5, min(30, test_minority // 6))
    leaf = max(5, min(100, len(labelled) // 50))
    rate = float((labelled.astype(str) == str(positive)).mean())
    low, high = round(rate / 2, 3), round(1 - (1 - rate) / 2, 3)
    return (
        "data:\n"
        f"  source: {source}\n"
        "data_checks:\n"
        f"  positive_rate: [{low}, {high}] # the file's {rate:.3f}, with room halfway to 0 and to 1\n"
        "model:\n"
        "  hist_gradient_boosting:\n"
        f"    min_samples_leaf: {leaf} # about 2% of the {len(labelled)} labelled rows\n"
        f"evaluation: # {test_rows} test rows, {test_minority} of the rarer class: slices judged from\n"
        f"  min_slice_rows: {slice_rows}\n"
        f"  min_slice_class_count: {class_count}\n"
    )


def draft(
    frame: pd.DataFrame, source: str, *, label: str, positive: str, test_fraction: float = 0.25, margin: float = 0.1
) -> Draft:
    """A schema module and a params.yaml block for `frame` (read from `source`)."""
    if label not in frame.columns:
        raise DataValidationError(
            f"{source}: no column {label!r} for --label; the file has: {', '.join(frame.columns)}"
        )
    values = sorted(frame[label].dropna().astype(str).unique())
    if str(positive) not in values:
        raise DataValidationError(
            f"{source}: --positive {positive!r} is not a value of {label!r} (found: {', '.join(values[:6])})"
        )
    notes: list[str] = []
    id_column = _find_id(frame, label)
    lines = [
        _column_line(str(name), frame[name], margin, notes) for name in frame.columns if name not in (label, id_column)
    ]
    positive_value: Any = int(positive) if str(positive).lstrip("-").isdigit() else positive
    module = "\n".join(
        [
            f'"""The data contract of {Path(source).name}: drafted by `adclick init-schema` from {len(frame)} rows.',
            "",
            "Review it before you commit it: bounds are the observed ranges widened by",
            f"{margin:.0%}, vocabularies the values seen. Then add what you know (docs/fork.md): PROTECTED,",
            'ROW_RULES, DIRECTIONS, SLICES, MINIMUM_FUNCTIONALITY.\n"""',
            "",
            "from adclick.data.declarations import boolean, category, integer, number  # noqa: F401",
            "",
            f"LABEL = {_literal(label)}",
            f"POSITIVE = {_literal(positive_value)}",
            f"ID_COLUMN = {_literal(id_column)}" + ("" if id_column else "  # none in the file: ids are generated"),
            "FEATURE_SPECS = (",
            *(line for line in lines if line is not None),
            ")",
            "",
        ]
    )
    return Draft(module, _params_block(source, frame, label, positive, test_fraction), notes)
