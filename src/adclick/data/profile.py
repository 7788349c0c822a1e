"""What a draft should say about a file before anyone trains on it: the properties of real files
that make a model look better or worse than it is, found in the data, for `data.draft` to write
down next to the columns they concern.

- a constant column: it cannot inform a model;
- a column unique in every row that is not named as an id: an id, not a feature;
- exact duplicate rows (a copy in both train and test inflates every metric), and rows with the
  same features but different labels (noise no model can learn away);
- how precisely a test split of this size measures an AUC (`auc_standard_error`);
- a column that is an exact function of others: a copy or a one-to-one recode of another
  column, or the sum, difference, product or ratio of two numbers; it adds nothing to the model
  and a rule across columns (ROW_RULES) states it better.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, permutations

import numpy as np
import pandas as pd

SAMPLE_ROWS = 5_000  # copies and recodes are looked for on this many rows, then confirmed on all of them
PAIR_ROWS = 500  # sums and ratios on this many (one pair's result against every column), then on all
MAX_PAIR_COLUMNS = 100  # and among at most this many numbers


def constant_columns(frame: pd.DataFrame) -> dict[str, object]:
    """Each column with a single value (gaps aside), and that value."""
    return {str(c): frame[c].dropna().iloc[0] for c in frame.columns if frame[c].nunique(dropna=True) == 1}


def id_like_columns(frame: pd.DataFrame) -> list[str]:
    """Integer or text columns whose every value is present and different: ids, not features."""
    found = []
    for column in frame.columns:
        values = frame[column]
        whole = pd.api.types.is_integer_dtype(values) or pd.api.types.is_object_dtype(values)
        if whole and len(values) > 20 and values.notna().all() and values.is_unique:
            found.append(str(column))
    return found


def duplicate_rows(frame: pd.DataFrame, label: str) -> tuple[int, int]:
    """(rows that repeat an earlier row exactly, rows that repeat an earlier row's features with
    another label)."""
    exact = int(frame.duplicated().sum())
    features = [c for c in frame.columns if c != label]
    distinct = frame.drop_duplicates()
    conflicting = int(distinct.duplicated(subset=features).sum()) if features else 0
    return exact, conflicting


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    both = ~(np.isnan(a) | np.isnan(b))
    return bool(both.sum() > 1 and np.allclose(a[both], b[both], rtol=1e-9, atol=1e-9))


OPERATIONS = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}


@dataclass(frozen=True)
class Relation:
    """How a column follows from others: a copy or a recode of `a`, or `a op b`."""

    kind: str  # "copy", "recode" or "arithmetic"
    a: str
    op: str = ""
    b: str = ""

    def __str__(self) -> str:
        if self.kind == "copy":
            return f"equals {self.a!r} on every row"
        if self.kind == "recode":
            return f"recodes {self.a!r} (one value of it for each value of {self.a!r}, and back)"
        return f"equals {self.a!r} {self.op} {self.b!r} on every row"

    def holds(self, frame: pd.DataFrame, target: str) -> bool:
        if self.kind == "arithmetic":
            left, right = frame[self.a].to_numpy(dtype=float), frame[self.b].to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                return _same(frame[target].to_numpy(dtype=float), OPERATIONS[self.op](left, right))
        pair = frame[[self.a, target]].dropna().astype(str)
        one_to_one = pair.drop_duplicates().shape[0] == pair[self.a].nunique() == pair[target].nunique()
        return one_to_one and (self.kind == "recode" or bool((pair[self.a] == pair[target]).all()))


def _arithmetic(numbers: pd.DataFrame) -> dict[str, Relation]:
    """Numbers that equal the sum or product of two others, then the difference or ratio of two
    others not already found, each pair's result compared with every column at once."""
    columns = [str(c) for c in numbers.columns if numbers[c].notna().all()][:MAX_PAIR_COLUMNS]
    matrix = numbers[columns].to_numpy(dtype=float)
    found: dict[str, Relation] = {}
    for ops in ("+*", "-/"):
        for a, b in permutations(range(len(columns)), 2):
            if columns[a] in found or columns[b] in found:
                continue
            for op in ops:
                if op in "+*" and a > b:  # commutative: each pair once
                    continue
                with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                    result = OPERATIONS[op](matrix[:, a], matrix[:, b])
                hits = np.flatnonzero(np.isclose(matrix, result[:, None], rtol=1e-9, atol=1e-9).all(axis=0))
                for target in hits:
                    name = columns[target]
                    if target not in (a, b) and name not in found:
                        found[name] = Relation("arithmetic", columns[a], op, columns[b])
    return found


def _recodes(sample: pd.DataFrame) -> dict[str, Relation]:
    """Columns that copy or recode an earlier one: as many distinct pairs of values as values of
    each. Only columns of repeated values are compared (two columns unique in every row, an id and
    a price, pair one to one by chance)."""
    columns = [str(c) for c in sample.columns if sample[c].nunique() <= len(sample) / 2]
    codes = {c: pd.factorize(sample[c].astype(str))[0] for c in columns}
    levels = {c: int(codes[c].max()) + 1 for c in columns}
    found: dict[str, Relation] = {}
    for first, second in combinations(columns, 2):
        if first in found or second in found or levels[first] != levels[second]:
            continue
        pairs = np.unique(codes[first] * levels[second] + codes[second]).size
        if pairs == levels[first]:
            same = bool((sample[first].astype(str) == sample[second].astype(str)).all())
            found[second] = Relation("copy" if same else "recode", first)
    return found


def derived_columns(frame: pd.DataFrame, label: str) -> dict[str, Relation]:
    """Each feature that is an exact function of others (found on a sample, confirmed on every row)."""
    features = frame.drop(columns=[label])
    sample = features.head(SAMPLE_ROWS)
    sample = sample[[c for c in sample.columns if sample[c].nunique(dropna=True) > 1]]
    found = _recodes(sample.dropna())
    numbers = sample[[c for c in sample.columns if c not in found and pd.api.types.is_numeric_dtype(sample[c])]]
    found |= _arithmetic(numbers.head(PAIR_ROWS))
    return {target: relation for target, relation in found.items() if relation.holds(features, target)}


def auc_standard_error(auc: float, positives: int, negatives: int) -> float:
    """Standard error of a ROC AUC measured on `positives` and `negatives` (Hanley & McNeil,
    1982): how much the AUC of the same model moves from one test sample to another."""
    q1, q2 = auc / (2.0 - auc), 2.0 * auc * auc / (1.0 + auc)
    variance = auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)
    return float(np.sqrt(max(variance, 0.0) / max(positives * negatives, 1)))
