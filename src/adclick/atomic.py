"""Atomic file writes: a reader never sees a half-written file, a crash leaves the old one."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from adclick.errors import DataFileError


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(target: Path, writer: Callable[[Path], Any]) -> Path:
    """Call `writer(tmp_path)`, then move the result to `target` in one rename."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)


def read_json(path: Path) -> Any:
    """Read a JSON file; a missing or malformed file is a `DataFileError` naming it."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"file not found: {path}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: not valid JSON: {exc}") from None


def write_json(target: Path, payload: Any) -> Path:
    """Write `payload` as indented JSON, atomically."""
    return write_text(target, json.dumps(payload, indent=2, sort_keys=False, default=str) + "\n")


def write_text(target: Path, text: str) -> Path:
    """Write `text` as UTF-8, atomically."""
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
