"""Atomic file writes: a reader never sees a half-written file, a crash leaves the old one.

A write goes to a temporary name beside its target, then one rename. The name carries the
writer's process id (`.<target>.<pid>.<random>.tmp`), so whatever a killed writer left is
recognised and removed by the next write into the same folder (`sweep`). Files and folders are
created with the modes `open` and `mkdir` would give them (the umask decides), not the 0600 /
0700 of `tempfile`: a service or a colleague running as another user can read the outputs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from adclick.errors import DataFileError

_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$")


def temporary_name(target: Path) -> Path:
    """A name beside `target` that marks it as this process's work in progress."""
    return target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"


def sweep(folder: Path) -> list[Path]:
    """Remove the temporary files and folders of writers that died in `folder` (a live writer's,
    this process's included, are left alone); return what was removed."""
    removed = []
    for path in folder.glob(".*.tmp"):
        match = _TEMPORARY.match(path.name)
        if match is None or process_alive(int(match.group(1))):
            continue
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def process_alive(pid: int) -> bool:
    """Whether process `pid` runs on this machine (a writer that may still finish its work)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process, alive
        return True
    return True


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; rename it over `target` only on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep(target.parent)
    tmp = temporary_name(target)
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))  # the umask applies
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield an empty folder beside `target`; on success it takes `target`'s place in one rename
    (a folder already there is removed first), on failure it is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep(target.parent)  # what a writer killed mid-write left
    staging = temporary_name(target)
    staging.mkdir()  # the umask applies, not mkdtemp's 0700
    try:
        yield staging
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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
