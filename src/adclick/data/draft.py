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

import numpy as np
import pandas as pd

from adclick.data import profile
from adclick.errors import DataValidationError

MAX_LEVELS = 50  # more distinct text values than this is free text or an id, not a category
FEW_LEVELS = 12  # an integer column with this few values, not in a run or named like one, may be a code
RARE_POSITIVE_RATE = 0.1  # below it, the drafted threshold rule weighs recall double (max_f2)
CODE_NAMES = ("code", "id", "zip", "postal", "store", "region", "branch", "type", "class", "category", "group")


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


def _looks_like_a_code(name: str, present: pd.Series) -> bool:
    """Few distinct integers that skip values (store 101, 205, 317) or a name that says so: a code,
    not a quantity; a run of levels (grey levels 0 to 16, a rating 1 to 5) is ordinal."""
    levels = np.unique(present.astype(float))
    if len(levels) > FEW_LEVELS:
        return False
    in_a_run = levels[-1] - levels[0] + 1 == len(levels)
    return not in_a_run or any(hint in name.lower() for hint in CODE_NAMES)


def _column_line(name: str, values: pd.Series, margin: float, notes: list[str], about: str = "") -> str | None:
    nullable = ", nullable=True" if values.isna().any() else ""
    present, quoted = values.dropna(), _literal(name)
    if present.empty:
        notes.append(f"{name!r}: every value is missing; left out (the model cannot use it)")
        return None
    if present.nunique() == 1:
        value = getattr(present.iloc[0], "item", lambda: present.iloc[0])()  # a numpy scalar as Python's
        notes.append(f"{name!r}: always {value!r} in the file; left out (a constant cannot inform the model)")
        return None
    comment = f"  # {about}" if about else ""
    if pd.api.types.is_bool_dtype(present):
        return f"    boolean({quoted}{nullable}),{comment}"
    if pd.api.types.is_numeric_dtype(present):
        kind = "integer" if pd.api.types.is_integer_dtype(present) or present.eq(present.round()).all() else "number"
        low, high = _bounds(present.astype(float), margin, integer=kind == "integer")
        if kind == "integer" and not about and _looks_like_a_code(name, present):
            comment = f"  # {present.nunique()} values: a code? then category({quoted}, (...))"
        return f"    {kind}({quoted}, {low!r}, {high!r}{nullable}),{comment}"
    levels = sorted(present.astype(str).unique())
    if len(levels) > MAX_LEVELS:
        notes.append(f"{name!r}: {len(levels)} distinct texts, free text or an id; left out (the model cannot use it)")
        return None
    return f"    category({quoted}, {_literal(tuple(levels))}{nullable}),{comment}"


def _about(frame: pd.DataFrame, label: str, id_column: str | None, notes: list[str]) -> dict[str, str]:
    """A comment for each column a property of the file concerns, and the notes on the rows."""
    exact, conflicting = profile.duplicate_rows(frame, label)
    if exact:
        notes.append(
            f"{exact} rows ({exact / len(frame):.1%}) repeat an earlier row exactly: `adclick prepare` keeps "
            "one of each (data.drop_duplicate_rows), or a copy in train and test would inflate every metric"
        )
    if conflicting:
        notes.append(f"{conflicting} rows repeat another row's features with the other label: noise no model can "
                     "learn away, which bounds the AUC any model reaches")  # fmt: skip
    about = {}
    for name in profile.id_like_columns(frame.drop(columns=[c for c in (label, id_column) if c])):
        about[name] = "unique in every row: an id, not a feature? then ID_COLUMN = this name, and drop this line"
        notes.append(f"{name!r}: unique in every row; an id rather than a feature?")
    for name, relation in profile.derived_columns(frame.drop(columns=[id_column] if id_column else []), label).items():
        about[name] = f"{relation}: derived, it adds nothing; drop it, or keep it and state the rule in ROW_RULES"
        notes.append(f"{name!r} {relation}: a column computed from others")
    return about


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
    threshold = (  # a rare positive class: finding them matters more than a few false alarms
        f"  decision_threshold: max_f2 # positives are {rate:.1%} of the rows: recall weighs double (F2)\n"
        if rate < RARE_POSITIVE_RATE
        else ""
    )
    return (
        "data:\n"
        f"  source: {source}\n"
        "data_checks:\n"
        f"  positive_rate: [{low}, {high}] # the file's {rate:.3f}, with room halfway to 0 and to 1\n"
        "model:\n"
        f"{threshold}"
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
    about = _about(frame, label, id_column, notes)
    lines = [
        _column_line(str(name), frame[name], margin, notes, about.get(str(name), ""))
        for name in frame.columns
        if name not in (label, id_column)
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
    notes.append(_gate_precision(frame[label].dropna().astype(str) == str(positive), test_fraction))
    return Draft(module, _params_block(source, frame, label, positive, test_fraction), notes)


def _gate_precision(positive: pd.Series, test_fraction: float) -> str:
    """How precisely the test split this file gives will measure an AUC: what the gates are decided against."""
    rows = int(len(positive) * test_fraction)
    positives = int(positive.sum() * test_fraction)
    if not 0 < positives < rows:
        return f"the test split will hold {rows} rows, {positives} positive: no AUC can be measured on it"
    error = profile.auc_standard_error(0.8, positives, rows - positives)
    return (
        f"the test split will hold {rows} rows, {positives} positive: an AUC of 0.80 measured there is known to "
        f"+- {error:.3f} (one standard error), and a gate within gates.noise_standard_errors of those of its limit "
        "is not judged"
    )
