"""Data files: CSV or Parquet by suffix, always written atomically, and a content digest of a frame."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from adclick.atomic import write_atomic
from adclick.data.contract import CATEGORICAL_FEATURES, ID_COLUMN
from adclick.errors import DataFileError

# Ids and categories are text in a CSV whatever they look like: store "7" must not come back
# as 7.0 (a number column with a gap) and miss its vocabulary.
_TEXT_COLUMNS = dict.fromkeys((ID_COLUMN, *CATEGORICAL_FEATURES), str)

_READERS: dict[str, Callable[[Path], pd.DataFrame]] = {
    ".csv": lambda p: pd.read_csv(p, dtype=_TEXT_COLUMNS),
    ".parquet": pd.read_parquet,
}


def read_frame(path: Path) -> pd.DataFrame:
    """Read a CSV or Parquet file; a missing or unreadable file is a `DataFileError`."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"data file not found: {path}")
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise DataFileError(f"{path}: unsupported file type {path.suffix!r}; use one of {', '.join(_READERS)}")
    try:
        return reader(path)
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise DataFileError(f"{path}: cannot be read: {exc}") from None


def write_frame(frame: pd.DataFrame, path: Path) -> Path:
    """Write a frame as CSV or Parquet (by suffix), atomically."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        raise DataFileError(f"{path}: unsupported file type {path.suffix!r}; use one of {', '.join(_READERS)}")
    if suffix == ".csv":
        return write_atomic(path, lambda tmp: frame.to_csv(tmp, index=False))
    return write_atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))


def frame_digest(frame: pd.DataFrame) -> str:
    """A short content hash of a frame: the same data gives the same digest."""
    hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()[:16]
