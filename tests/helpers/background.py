"""Long work some tests share, in a process of its own: minutes of `dvc` and `adclick`
subprocesses (the versioning rehearsal), or of drawing the docs' figures. `tests/conftest.py`
starts it early where a core is idle; otherwise the first test that needs it starts it and waits.
It starts with a clean environment: no MLflow store the session's own tests left in os.environ."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.helpers.project import MLFLOW_URI_VARIABLES, REPO_ROOT


class Background:
    """`command` (with FOLDER, a folder of its own, appended) running until `wait`; the folder
    is removed on `close`."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name = name
        self.folder = Path(tempfile.mkdtemp(prefix=f"adclick-{name}-"))
        self.log = (self.folder / f"{name}.log").open("w")
        environment = {k: v for k, v in os.environ.items() if k not in MLFLOW_URI_VARIABLES}
        self.process = subprocess.Popen(
            [*command, str(self.folder)], cwd=REPO_ROOT, env=environment, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait(self, timeout: float) -> int:
        """The exit code, once the work is done (at most `timeout` seconds from now)."""
        return self.process.wait(timeout=timeout)

    def output(self) -> str:
        self.log.flush()
        return (self.folder / f"{self.name}.log").read_text()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
