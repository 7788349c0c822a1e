"""Where the data comes from: the synthetic demo or a team's own file, as one canonical frame.

Every command and test layer reads data through here, so they all work from either source.
The canonical frame is what the schema validates: an id column (generated as `row-<line>` when
the data has none, so an id leads back to the file's line), the declared features (categories
as text, even when the file holds numeric codes), the time column if declared, and the label
as 1 (the declared POSITIVE value) or 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from adclick.config import Settings
from adclick.data import contract
from adclick.data.files import read_frame
from adclick.data.synthetic import generate
from adclick.errors import DataValidationError


@dataclass(frozen=True)
class Prepared:
    """The labelled rows and the rows to score, with what preparing them did to the file."""

    labelled: pd.DataFrame
    to_score: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _as_text(values: pd.Series) -> pd.Series:
    """Values as text, with whole numbers written without a decimal point (7.0 -> "7")."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = values.astype(float)
        whole = numbers.dropna().eq(numbers.dropna().round()).all()
        if whole:
            return numbers.astype("Int64").astype(str).where(values.notna(), None)
    return values.astype(str).where(values.notna(), None)


def _binary_label(values: pd.Series, source: str, of: Any) -> pd.Series:
    """The label as 1 where it equals POSITIVE, 0 where it holds the one other value."""
    text = _as_text(values)
    found = sorted(text.dropna().unique())
    positive = str(of.POSITIVE)
    name = f"{source}: label {of.LABEL!r}"
    if len(found) > 2:
        raise DataValidationError(
            f"{name} holds {len(found)} values ({', '.join(found[:6])}); a binary classifier needs two: "
            "map them to two values in the file, or choose another LABEL in src/adclick/data/specs.py"
        )
    if positive not in found:
        raise DataValidationError(
            f"{name}: POSITIVE={of.POSITIVE!r} is not among its values ({', '.join(found)}); "
            "set POSITIVE in src/adclick/data/specs.py to the value that means positive"
        )
    if len(found) < 2:
        raise DataValidationError(f"{name} holds only {positive!r}: the data needs negative rows too")
    return (text == positive).astype("int64").where(text.notna())


def _missing_columns(frame: pd.DataFrame, source: str) -> None:
    expected = [*contract.FEATURES, contract.LABEL, *([contract.TIME_COLUMN] if contract.TIME_COLUMN else [])]
    if not contract.ID_GENERATED:
        expected.append(contract.ID_COLUMN)
    missing = [name for name in expected if name not in frame.columns]
    if missing:
        present = ", ".join(map(str, frame.columns[:12]))
        raise DataValidationError(
            f"{source}: columns declared in src/adclick/data/specs.py are missing: {', '.join(missing)} "
            f"(the file has: {present}); rename them in the file or in specs.py"
        )


def canonical(frame: pd.DataFrame, *, source: str, labelled: bool = True, of: Any = contract) -> pd.DataFrame:
    """A file's rows in the canonical form (see the module docstring); undeclared columns are
    dropped. `of` is the contract (default: the team's; a draft is checked with its own)."""
    frame = frame.copy()
    if of.ID_GENERATED and of.ID_COLUMN not in frame.columns:
        frame.insert(0, of.ID_COLUMN, [f"row-{i + 2}" for i in range(len(frame))])  # line 1 is the header
    for name in of.CATEGORICAL_FEATURES:
        if name in frame.columns:
            frame[name] = _as_text(frame[name])
    if of.ID_COLUMN in frame.columns:
        frame[of.ID_COLUMN] = _as_text(frame[of.ID_COLUMN])
    if labelled and of.LABEL in frame.columns and not frame[of.LABEL].isin((0, 1)).all():
        frame[of.LABEL] = _binary_label(frame[of.LABEL], source, of)
    keep = [of.ID_COLUMN, *of.FEATURES, *([of.TIME_COLUMN] if of.TIME_COLUMN else [])]
    return frame[[c for c in [*keep, of.LABEL] if c in frame.columns and (labelled or c != of.LABEL)]]


def _feature_columns() -> list[str]:
    return [*contract.FEATURES, contract.LABEL]


def _from_file(settings: Settings) -> Prepared:
    path = settings.data_file
    raw = read_frame(path)
    _missing_columns(raw, str(path))
    ignored = [str(c) for c in raw.columns if c not in {*_feature_columns(), contract.ID_COLUMN, contract.TIME_COLUMN}]
    frame = canonical(raw, source=str(path))
    notes = [f"read {len(frame)} rows from {path}"]
    if ignored:
        notes.append(f"columns not in the schema module, not used: {', '.join(ignored)}")
    unlabelled = frame[contract.LABEL].isna()
    if unlabelled.any():
        notes.append(f"{int(unlabelled.sum())} rows have no label: they go to the batch to score, not to training")
    labelled = frame[~unlabelled].astype({contract.LABEL: "int64"})
    duplicated = labelled.duplicated(subset=_feature_columns())
    if duplicated.any() and settings.data.drop_duplicate_rows:
        notes.append(
            f"{int(duplicated.sum())} rows repeat an earlier row exactly: kept once (data.drop_duplicate_rows)"
        )
        labelled = labelled[~duplicated]
    scoring = pd.concat([frame[unlabelled], labelled.sample(frac=1.0, random_state=settings.seed)])
    to_score = scoring.head(settings.data.scoring_rows).drop(columns=[contract.LABEL])
    return Prepared(labelled.reset_index(drop=True), to_score.reset_index(drop=True), notes)


def prepare(settings: Settings) -> Prepared:
    """The labelled data and the batch to score, from the configured source."""
    if settings.data_file is None:
        labelled = generate(settings.data.n_rows, settings.seed)
        to_score = generate(settings.data.scoring_rows, settings.seed, batch=1).drop(columns=[contract.LABEL])
        return Prepared(labelled, to_score, [f"drew {len(labelled)} synthetic rows (seed {settings.seed})"])
    return _from_file(settings)


def labelled(settings: Settings, seed: int | None = None) -> pd.DataFrame:
    """The labelled data set of the configured source (synthetic: `data.n_rows` rows drawn
    with `seed`, default the params seed; a file: its rows, whatever the seed)."""
    if settings.data_file is None:
        return generate(settings.data.n_rows, settings.seed if seed is None else seed)
    return prepare(settings).labelled


def sample(
    settings: Settings, rows: int, seed: int, *, batch: int = 0, data: pd.DataFrame | None = None
) -> pd.DataFrame:
    """`rows` labelled rows like the source's, at any size: drawn from the demo generator, or
    resampled from the file's labelled rows (`data`, when the caller has them already read;
    with replacement when there are fewer; ids made unique). For tests and benchmarks that need
    a size or a seed of their own, never for metrics."""
    if settings.data_file is None:
        return generate(rows, seed, batch=batch)
    data = labelled(settings) if data is None else data
    picked = data.sample(rows, replace=rows > len(data), random_state=np.random.default_rng([seed, batch]))
    ids = [f"s{seed}-{batch}-{i}" for i in range(rows)]
    return picked.assign(**{contract.ID_COLUMN: ids}).reset_index(drop=True)


def read_data(path: Path) -> pd.DataFrame:
    """A data file as a frame; when the data has no id column, ids are generated as `prepare` does."""
    frame = read_frame(path)
    if contract.ID_GENERATED and contract.ID_COLUMN not in frame.columns:
        frame = canonical(frame, source=str(path), labelled=contract.LABEL in frame.columns)
    return frame
