"""Data versioning with DVC, step by step: `make walkthrough`.

Git alone cannot version data: a CSV of millions of rows does not belong in git history, and a
model is only reproducible if you can get back the exact bytes it learnt from. DVC keeps a small
pointer file (`clicks.csv.dvc`, an MD5 and a size) in git and the bytes in its cache and remote.
This walkthrough shows it on a scratch copy of the project (your checkout is not touched):

1. version 1 of a data file, tracked with `dvc add`, and a model trained on it (`dvc repro`);
2. version 2: a new period whose population changed, appended to the file; `dvc diff` shows
   what changed; a model trained on it;
3. back to version 1 with `git checkout` + `dvc checkout`: the file is byte for byte version 1
   again, and `adclick lineage` shows which data each registered model learnt from.

Every command it prints is a command you can type; it runs them in order and stops at the
first failure. `run` returns the transcript, so a test holds the walkthrough to its claims.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tools.forks import GIT_IDENTITY, copy_project, init_repository

DATA = "data/source/clicks.csv"


@dataclass(frozen=True)
class Step:
    """One command of the walkthrough, what it is for, and what it printed."""

    section: str
    why: str
    command: str
    output: str = ""
    returncode: int = 0


def script(rows: int, new_rows: int) -> list[tuple[str, str, str]]:
    """(section, why, command), in order."""
    v1, v2 = "1. Version 1 of the data", "2. Version 2: a new period, a changed population"
    back = "3. Back to version 1"
    return [
        (v1, "the team's labelled export (here: rows like the data source's: the demo's, or yours resampled)",
         f"adclick sample --rows {rows} --output {DATA}"),
        (v1, "point params.yaml at it", f"sed -i 's|^  source: .*|  source: {DATA}|' params.yaml"),
        (v1, "DVC takes the bytes; git gets a pointer (MD5, size)", f"dvc add {DATA}"),
        (v1, "", f"cat {DATA}.dvc"),
        (v1, "", f"git add {DATA}.dvc params.yaml && git commit -qm 'data: clicks v1'"),
        (v1, "every stage runs: prepare, validate, train (model version 1), ...", "dvc repro"),
        (v1, "dvc.lock records the hash of every input and output",
         "git add dvc.lock && git commit -qm 'model on data v1' && git tag data-v1"),
        (v1, "the bytes go to the remote (a folder here; an object store for a team)", "dvc push"),
        (v2, "next month's rows, from a population whose features moved by one interquartile range",
         f"adclick sample --rows {new_rows} --batch 7 --shift 1.0 --output data/new-period.csv"),
        (v2, "appended to the file", f"tail -n +2 data/new-period.csv >> {DATA} && rm data/new-period.csv"),
        (v2, "DVC sees the new version", f"dvc add {DATA}"),
        (v2, "what changed since the last commit, file by file", "dvc diff"),
        (v2, "", f"git add {DATA}.dvc && git commit -qm 'data: clicks v2'"),
        (v2, "the data changed, so every stage runs again: model version 2, which the gates judge", "dvc repro"),
        (v2, "", "git add dvc.lock && git commit -qm 'model on data v2' && git tag data-v2 && dvc push"),
        (v2, "the two versions compared: the source file and every output", "dvc diff data-v1 data-v2"),
        (back, "git brings back the pointer, DVC the bytes it points at", "git checkout -q data-v1 && dvc checkout"),
        (back, "byte for byte version 1 (compare with the MD5 in the pointer above)", f"md5sum {DATA}"),
        (back, "", "dvc status"),
        (back, "model version 1 learnt from version 1: same MD5", "adclick lineage models:/adclick/1"),
        (back, "model version 2 learnt from version 2", "adclick lineage models:/adclick/2"),
        (back, "and back to the latest", "git checkout -q - && dvc checkout && dvc status"),
    ]  # fmt: skip


def prepare_project(repo: Path, project: Path) -> None:
    """A scratch copy of the repository as a fresh clone has it (and the team's data file, which
    git ignores), with a git history of its own."""
    copy_project(repo, project)
    init_repository(project, "template")


def environment() -> dict[str, str]:
    """The shell the commands run in: this environment's `adclick` and `dvc` first on PATH, no
    DVC analytics, and a git identity for the scratch repository's commits."""
    env = {
        **os.environ,
        **GIT_IDENTITY,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DVC_NO_ANALYTICS": "1",
    }
    env.pop("VIRTUAL_ENV", None)
    return env


def execute(project: Path, command: str) -> subprocess.CompletedProcess[str]:
    """Run one shell command in `project`, as a user would type it there."""
    return subprocess.run(
        ["bash", "-c", command], cwd=project, env=environment(), capture_output=True, text=True, check=False
    )


def run(repo: Path, project: Path, rows: int, new_rows: int, echo: bool = True) -> list[Step]:
    """Run the walkthrough in `project` (a scratch copy of `repo`); stop at the first failure."""
    prepare_project(repo, project)
    transcript, section = [], ""
    for heading, why, command in script(rows, new_rows):
        if echo and heading != section:
            print(f"\n## {heading}\n", flush=True)
        section = heading
        done = execute(project, command)
        step = Step(heading, why, command, (done.stdout + done.stderr).strip(), done.returncode)
        transcript.append(step)
        if echo:
            print((f"# {why}\n" if why else "") + f"$ {command}\n{step.output}\n", flush=True)
        if done.returncode != 0:
            break
    return transcript


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows of version 1")
    parser.add_argument("--new-rows", type=int, default=10_000, help="rows the new period adds")
    parser.add_argument("--keep", type=Path, default=None, help="run in this folder and keep it (default: a temp one)")
    args = parser.parse_args(argv)
    repo = Path.cwd()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="walkthrough-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        transcript = run(repo, folder, args.rows, args.new_rows)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    failed = [step for step in transcript if step.returncode != 0]
    if failed:
        print(f"walkthrough stopped: `{failed[0].command}` exited {failed[0].returncode}", file=sys.stderr)
        return 1
    print(f"walkthrough done: {len(transcript)} commands" + (f"; the project is in {folder}" if args.keep else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
