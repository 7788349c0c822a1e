"""What the versioning tests share: scratch projects with their own git history, commands run in
them as a user's shell runs them, and the rehearsal: the data-versioning walkthrough followed by
the changes a team makes next, run once in a background process.

The rehearsal is a chain of real `dvc` and `adclick` commands (about two minutes of subprocesses),
so the session starts it as soon as it knows a test will need it (`tests/conftest.py`) and the
rest of the suite runs meanwhile on the other core. `python -m tests.helpers.versioning FOLDER`
runs it in the foreground.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.background import Background
from tests.helpers.project import REPO_ROOT
from tools import walkthrough

RUNNING = re.compile(r"Running stage '([^']+)'")
# Rows of the walkthrough's two data versions: small enough for seconds a stage, large enough
# for the demo's model to pass its gates (the stages after promote need a champion).
WALKTHROUGH_ROWS = (20_000, 10_000)
TRANSCRIPT = "rehearsal.json"
REHEARSAL: pytest.StashKey[Rehearsal] = pytest.StashKey()  # the session's running rehearsal
PROJECT = "project"


@dataclass(frozen=True)
class Done:
    """A command run in the project: what was typed, what it printed, how it ended."""

    command: str
    output: str
    returncode: int

    @property
    def stages_run(self) -> list[str]:
        return RUNNING.findall(self.output)

    def json(self) -> Any:
        return json.loads(self.output)


def shell(project: Path, command: str) -> Done:
    done = walkthrough.execute(project, command)
    return Done(command, (done.stdout + done.stderr).strip(), done.returncode)


def scratch_project(folder: Path) -> Path:
    """A copy of the template as a fresh clone has it, with a git history of its own."""
    walkthrough.prepare_project(REPO_ROOT, folder)
    return folder


def dvc_lock_md5(lock_text: str, path: str) -> str:
    """The MD5 that a dvc.lock records for an output `path`."""
    lock = yaml.safe_load(lock_text)
    for stage in lock["stages"].values():
        for out in stage.get("outs", []):
            if out["path"] == path:
                return str(out["md5"])
    raise KeyError(path)


def next_changes(project: Path) -> dict[str, Done]:
    """After the walkthrough: a repro with nothing changed, a changed model parameter, the
    metrics compared with the last commit, then a data file corrupted."""
    runs = {"again": shell(project, "dvc repro")}
    params = project / "params.yaml"
    values = yaml.safe_load(params.read_text())
    values["model"]["hist_gradient_boosting"]["learning_rate"] /= 2
    params.write_text(yaml.safe_dump(values, sort_keys=False))
    runs["changed_parameter"] = shell(project, "dvc repro")
    runs["metrics_diff"] = shell(project, "dvc metrics diff --json")
    with (project / "data" / "raw" / "labelled.csv").open("a") as data:
        data.write("a line nobody wrote on purpose\n")
    runs["status_after_corruption"] = shell(project, "dvc status --json")
    return runs


def rehearse(folder: Path) -> dict[str, Any]:
    """The walkthrough in `folder`/project, then (if it went through) the next changes."""
    project = folder / PROJECT
    project.mkdir(parents=True)
    steps = walkthrough.run(REPO_ROOT, project, *WALKTHROUGH_ROWS, echo=False)
    finished = all(step.returncode == 0 for step in steps)
    runs = next_changes(project) if finished else {}
    transcript = {"steps": [asdict(s) for s in steps], "runs": {k: asdict(v) for k, v in runs.items()}}
    (folder / TRANSCRIPT).write_text(json.dumps(transcript))
    return transcript


class Rehearsal(Background):
    """The rehearsal in a background process (`python -m tests.helpers.versioning FOLDER`)."""

    def __init__(self) -> None:
        super().__init__("rehearsal", [sys.executable, "-m", "tests.helpers.versioning"])

    @property
    def project(self) -> Path:
        return self.folder / PROJECT

    def transcript(self, timeout: float) -> dict[str, Any]:
        """Wait for the rehearsal (at most `timeout` seconds) and read what it did."""
        self.wait(timeout)
        written = self.folder / TRANSCRIPT
        if not written.is_file():
            raise RuntimeError(f"the rehearsal wrote no transcript:\n{self.output()}")
        return json.loads(written.read_text())


if __name__ == "__main__":
    rehearse(Path(sys.argv[1]))
