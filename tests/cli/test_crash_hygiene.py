"""A process killed mid-work leaves nothing behind that the next one does not clean, and what it
writes honours the umask. Each test kills a real child process (tests/helpers/crash_child.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from mlflow import MlflowClient

from adclick.atomic import write_text
from adclick.tracking.training import end_abandoned_runs
from tests.helpers.crash_child import CRASH_EXPERIMENT

REPO_ROOT = Path(__file__).resolve().parents[2]


def _killed_once_ready(mode: str, where: str, signum: int) -> str:
    """Start the child, wait for its `ready` line, send `signum`, and return what followed `ready`."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.crash_child", mode, where],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline().strip()  # type: ignore[union-attr]
        assert line.startswith("ready"), f"the child did not start its work: {line!r}"
        child.send_signal(signum)
        child.wait(timeout=60)
    finally:
        child.kill()
    return line.removeprefix("ready").strip()


@pytest.fixture
def store(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mlflow.db'}"


def test_a_writer_killed_mid_write_leaves_litter_the_next_write_removes(tmp_path: Path) -> None:
    _killed_once_ready("write", str(tmp_path), signal.SIGKILL)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "the kill left no temporary file"
    write_text(tmp_path / "report.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_writer_stopped_by_sigterm_removes_its_own_temporary_file(tmp_path: Path) -> None:
    _killed_once_ready("write", str(tmp_path), signal.SIGTERM)
    assert list(tmp_path.iterdir()) == []


def test_written_files_honour_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        written = write_text(tmp_path / "report.json", "{}")
    finally:
        os.umask(previous)
    assert written.stat().st_mode & 0o777 == 0o640


@pytest.mark.slow  # an MLflow run started in a child process, then killed
def test_a_run_stopped_by_sigterm_is_ended_failed(store: str) -> None:
    run_id = _killed_once_ready("run", store, signal.SIGTERM)
    assert MlflowClient(store).get_run(run_id).info.status == "FAILED"


@pytest.mark.slow  # an MLflow run started in a child process, then killed
def test_a_run_left_running_by_a_killed_process_is_ended_failed_by_the_next_training(store: str) -> None:
    run_id = _killed_once_ready("run", store, signal.SIGKILL)
    client = MlflowClient(store)
    assert client.get_run(run_id).info.status == "RUNNING"
    assert end_abandoned_runs(client, CRASH_EXPERIMENT) == [run_id]
    assert client.get_run(run_id).info.status == "FAILED"
