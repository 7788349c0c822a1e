"""A process to kill mid-work (tests/data/test_crash_hygiene.py): it prints `ready` once its work
is under way, then waits to be killed.

    python -m tests.helpers.crash_child write FOLDER   an atomic write into FOLDER, half done
    python -m tests.helpers.crash_child run STORE      an MLflow training-like run open in STORE
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from pathlib import Path

from adclick.atomic import write_atomic
from adclick.cli import _exit_on_signal
from adclick.tracking.training import HOST_TAG, PID_TAG

WAIT_SECONDS = 60  # killed long before
CRASH_EXPERIMENT = "crash"


def _half_written(tmp: Path) -> None:
    tmp.write_text("half of the new file")
    print("ready", flush=True)
    time.sleep(WAIT_SECONDS)


def main(mode: str, where: str) -> None:
    signal.signal(signal.SIGTERM, _exit_on_signal)  # as `adclick` does
    if mode == "write":
        write_atomic(Path(where) / "scored.csv", _half_written)
        return
    import mlflow

    mlflow.set_tracking_uri(where)
    mlflow.set_experiment(CRASH_EXPERIMENT)
    with mlflow.start_run(tags={HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid())}) as run:
        print(f"ready {run.info.run_id}", flush=True)
        time.sleep(WAIT_SECONDS)


if __name__ == "__main__":
    main(*sys.argv[1:3])
