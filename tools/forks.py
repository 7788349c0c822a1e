"""`make fork-check`: apply each fork example to a fresh copy of the template and run every layer.

A fork example (examples/forks/NAME/) is what a team with its own file would change: the
schema module (`specs.py`) and the params.yaml keys it sets (`params.yaml`), plus `source.py`,
which stands in for the team's file (it exports a data set a package ships). In the copy, the
check runs `adclick init-schema` on the file (the draft a team starts from), then applies the
example, and counts the change: files, lines drafted by the command, lines written by hand.
Then it runs `make demo` and the layers that depend on the data there (`make test-data-dependent`),
as the team would.
"""

from __future__ import annotations

import difflib
import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from adclick.atomic import write_text
from adclick.config import Settings, load_settings
from adclick.data.draft import draft
from adclick.data.files import read_frame
from adclick.errors import ConfigError
from tools.ci_report import not_judged_reasons
from tools.junit import read_junit

EXAMPLES = Path("examples/forks")
SCHEMA_MODULE = Path("src/adclick/data/specs.py")
PARAMS = Path("params.yaml")
MAX_FILES, MAX_HAND_LINES = 2, 60  # the template's promise: your data in two files and 60 lines
# What a team runs after pointing the template at its file: the pipeline, then every layer that
# reads the data (the CI files, the docs and the house rules do not, and the main `make test` has
# run them already), accepting the API snapshot of its columns as `make snapshots` would.
FORK_TARGETS = ["demo", "test-data-dependent"]
ACCEPT_SNAPSHOTS = {"UPDATE_SNAPSHOTS": "1"}
# The copies run in the repository's own two environments (same uv.lock): each copy only installs
# its own project into them, instead of creating and byte-compiling both stacks again, and the
# repository's project is installed back when the check ends (`restore_environments`).
ENVIRONMENT, DEEPCHECKS_ENVIRONMENT = Path(".venv"), Path(".venv-deepchecks")
RESTORE_TARGETS = ["install", "deepchecks-env"]


def key_comments(overlay: str) -> dict[str, tuple[list[str], str]]:
    """The comments an overlay gives each key: the comment lines just above it, and its own."""
    found: dict[str, tuple[list[str], str]] = {}
    path: list[tuple[int, str]] = []
    above: list[str] = []
    for line in overlay.splitlines():
        stripped, indent = line.strip(), len(line) - len(line.lstrip())
        if stripped.startswith("#"):
            above.append(stripped)
            continue
        if ":" not in stripped:
            above = []
            continue
        path = [(i, k) for i, k in path if i < indent] + [(indent, stripped.split(":", 1)[0])]
        rest = stripped.split(":", 1)[1]
        found[".".join(k for _, k in path)] = (above, rest[rest.index(" #") + 1 :] if " #" in rest else "")
        above = []
    return found


def set_keys(text: str, values: dict[str, Any], comments: dict[str, tuple[list[str], str]] | None = None) -> str:
    """params.yaml with the scalar keys of `values` (nested mappings) set in place, order and
    every other line untouched; a key keeps its comment unless `comments` (`key_comments` of
    the overlay) gives it one. A key params.yaml leaves to its default is added under its
    section; a key the settings do not have is an error."""
    known = {dotted for dotted, _ in _leaves(Settings().model_dump(mode="json"))}
    for dotted, value in _leaves(values):
        if dotted not in known and not dotted.startswith("experiments.grid."):
            raise ConfigError(f"params.yaml has no key {dotted}: an example may only set the template's keys")
        lines = text.splitlines(keepends=True)
        above, inline = (comments or {}).get(dotted, ([], ""))
        rendered = yaml.safe_dump(value, default_flow_style=True, width=1000).strip().removesuffix("...").strip()
        index, depth = _find_key(lines, dotted.split("."))
        if depth == len(dotted.split(".")):
            head, _, rest = lines[index].partition(":")
            comment = f" {inline}" if inline else (rest[rest.index(" #") :].rstrip("\n") if " #" in rest else "")
            indent = head[: len(head) - len(head.lstrip())]
            lines[index : index + 1] = [f"{indent}{c}\n" for c in above] + [f"{head}: {rendered}{comment}\n"]
        else:  # left to its default: written under the deepest section params.yaml has
            lines[index:index] = _new_key(dotted.split(".")[depth:], depth, above, rendered, inline)
        text = "".join(lines)
    return text


def _new_key(path: list[str], depth: int, above: list[str], rendered: str, inline: str) -> list[str]:
    """The lines of a key params.yaml lacks, nested `depth` levels in."""
    lines = [f"{'  ' * (depth + i)}{key}:\n" for i, key in enumerate(path[:-1])]
    indent = "  " * (depth + len(path) - 1)
    comment = f" {inline}" if inline else ""
    return lines + [f"{indent}{c}\n" for c in above] + [f"{indent}{path[-1]}: {rendered}{comment}\n"]


def _leaves(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    leaves: list[tuple[str, Any]] = []
    for key, value in values.items():
        if isinstance(value, dict):
            leaves += _leaves(value, f"{prefix}{key}.")
        else:
            leaves.append((f"{prefix}{key}", value))
    return leaves


def _find_key(lines: list[str], path: list[str]) -> tuple[int, int]:
    """Where a dotted key stands (its line, and len(path): all of it found), or where its missing
    part goes: the line after the deepest section found, and how many parts were found."""
    start, indent, insert = 0, -1, len(lines)
    for depth, key in enumerate(path):
        found = None
        for index in range(start, len(lines)):
            line = lines[index]
            current = len(line) - len(line.lstrip())
            if line.strip() and not line.lstrip().startswith("#") and current <= indent:
                break  # left the parent section
            if line.lstrip().startswith(f"{key}:") and current > indent:
                found = index
                break
        if found is None:
            return insert, depth
        if depth == len(path) - 1:
            return found, len(path)
        start, indent, insert = found + 1, len(lines[found]) - len(lines[found].lstrip()), found + 1
    return insert, len(path)


def _changed_lines(before: str, after: str) -> int:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return sum(1 for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---")))


@dataclass(frozen=True)
class Change:
    """What applying an example changed in the template."""

    name: str
    files: list[str]
    drafted_lines: int  # written by `adclick init-schema`
    hand_lines: int  # written by the team on top of the draft; a changed line counts 2, as in git --numstat

    def line(self) -> str:
        within = len(self.files) <= MAX_FILES and self.hand_lines <= MAX_HAND_LINES
        return (
            f"{self.name}: {len(self.files)} files ({', '.join(self.files)}), {self.drafted_lines} lines drafted by "
            f"`adclick init-schema`, {self.hand_lines} lines by hand "
            f"({'within' if within else 'OVER'} the {MAX_FILES} files / {MAX_HAND_LINES} lines promise)"
        )


def apply_example(example: Path, project: Path) -> Change:
    """Export the example's file into `project`, draft the schema from it, apply the example."""
    source = runpy.run_path(str(example / "source.py"))
    data_file = source["export"](project / source["FILE"])
    template_specs, template_params = (project / SCHEMA_MODULE).read_text(), (project / PARAMS).read_text()
    drafted = draft(read_frame(data_file), source["FILE"], label=source["LABEL"], positive=source["POSITIVE"])
    drafted_params = set_keys(template_params, yaml.safe_load(drafted.params_block), key_comments(drafted.params_block))
    final_specs, overlay = (example / "specs.py").read_text(), (example / "params.yaml").read_text()
    final_params = set_keys(drafted_params, yaml.safe_load(overlay) or {}, key_comments(overlay))
    (project / SCHEMA_MODULE).write_text(final_specs)
    (project / PARAMS).write_text(final_params)
    versions = {  # each file as the template has it, as drafted, as the example leaves it
        SCHEMA_MODULE: (template_specs, drafted.schema_module, final_specs),
        PARAMS: (template_params, drafted_params, final_params),
    }
    files = [str(path) for path, (template, _, final) in versions.items() if template != final]
    drafted_lines = sum(_changed_lines(template, drafted_text) for template, drafted_text, _ in versions.values())
    hand = sum(_changed_lines(drafted_text, final) for _, drafted_text, final in versions.values())
    return Change(example.name, files, drafted_lines, hand)


GIT_IDENTITY = {  # a scratch repository's commits need an author, whatever the machine's git config says
    "GIT_AUTHOR_NAME": "adclick", "GIT_AUTHOR_EMAIL": "adclick@example.invalid",
    "GIT_COMMITTER_NAME": "adclick", "GIT_COMMITTER_EMAIL": "adclick@example.invalid",
}  # fmt: skip


def copy_template(repo: Path, target: Path) -> None:
    """The repository's files as a fresh clone would have them (tracked and new, not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=repo, capture_output=True
    )
    if listed.returncode != 0:
        raise ConfigError(
            f"{repo} is not a git repository: copies of the project are made as git sees it "
            "(and DVC versions data beside git); run `git init && git add -A && git commit -m init`"
        )
    listed = listed.stdout.decode().split("\0")
    for name in filter(None, listed):
        if (repo / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(repo / name, target / name)


def copy_project(repo: Path, target: Path) -> None:
    """`copy_template`, plus the team's data file: git ignores it (DVC versions it), yet a copy
    that is to run the pipeline needs it where params.yaml's `data.source` says."""
    copy_template(repo, target)
    source = load_settings(repo / "params.yaml", environ={}).data_file
    if source is not None and source.is_file() and source.resolve().is_relative_to(repo.resolve()):
        copied = target / source.resolve().relative_to(repo.resolve())
        copied.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copied)


def init_repository(project: Path, message: str) -> None:
    """Make `project` a git repository of its own with everything in one commit, as a fork is."""
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"], ["git", "commit", "-qm", message]):
        subprocess.run(command, cwd=project, env={**os.environ, **GIT_IDENTITY}, capture_output=True, check=True)


def not_judged(reports: Path) -> dict[str, int]:
    """What the data left unchecked in a run whose JUnit files are in `reports`: each reason, and
    how many tests it held back."""
    return not_judged_reasons(read_junit(sorted(reports.glob("junit*.xml"))))


def check(example: Path, repo: Path, targets: list[str]) -> tuple[Change, list[str], dict[str, int]]:
    """Apply `example` to a copy of `repo` and run each make target there: the failed targets, and
    what the data left not judged."""
    with tempfile.TemporaryDirectory(prefix=f"fork-{example.name}-") as folder:
        project = Path(folder)
        copy_template(repo, project)
        change = apply_example(repo / example, project)
        init_repository(project, f"fork: {example.name}")
        print(change.line(), flush=True)
        uv = repo / ".venv-uv" / "bin"
        environment = {
            **os.environ,
            "PATH": f"{uv}{os.pathsep}{os.environ['PATH']}",
            "UV_PROJECT_ENVIRONMENT": str((repo / ENVIRONMENT).resolve()),
            **ACCEPT_SNAPSHOTS,
        }
        environment.pop("VIRTUAL_ENV", None)
        deepchecks = f"DEEPCHECKS_ENV={(repo / DEEPCHECKS_ENVIRONMENT).resolve()}"
        failed = []
        for target in targets:
            started = time.monotonic()
            done = subprocess.run(["make", target, deepchecks], cwd=project, env=environment, check=False)
            print(f"{example.name}: make {target} {'passed' if done.returncode == 0 else 'FAILED'} "
                  f"in {time.monotonic() - started:.0f} s", flush=True)  # fmt: skip
            if done.returncode != 0:
                failed.append(target)
        kept = repo / "reports" / "forks" / example.name  # the copy goes; its test results stay, for the CI report
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(project / "reports", kept, ignore=shutil.ignore_patterns("*.html", "*.png"))
        return change, failed, not_judged(kept)


def restore_environments(repo: Path) -> None:
    """Install the repository's own project back into the environments the copies used."""
    for target in RESTORE_TARGETS:
        subprocess.run(["make", target], cwd=repo, capture_output=True, check=True)


def examples(repo: Path) -> list[Path]:
    """The fork examples of the repository: each folder of examples/forks with a schema module."""
    return sorted(p for p in (repo / EXAMPLES).iterdir() if (p / "specs.py").is_file())


def main(argv: list[str] | None = None) -> int:
    """Check every example (or those named) with `make demo` and the layers that depend on the data."""
    names = argv if argv is not None else sys.argv[1:]
    repo = Path.cwd()
    chosen = [p for p in examples(repo) if not names or p.name in names]
    try:
        results = [check(example.relative_to(repo), repo, FORK_TARGETS) for example in chosen]
    finally:
        restore_environments(repo)
    lines = []
    for change, failed, unjudged in results:
        verdict = f"`make {' '.join(FORK_TARGETS)}` passed" if not failed else f"FAILED: make {', '.join(failed)}"
        lines.append(f"- {change.line()}; {verdict}")
        lines += [f"  - not judged: {why} ({count} tests)" for why, count in unjudged.items()]
    summary = "## Fork examples (`make fork-check`)\n\n" + "\n".join(lines) + "\n"
    write_text(repo / "reports" / "fork-check.md", summary)
    facts = [{**asdict(change), "failed": failed, "not_judged": unjudged} for change, failed, unjudged in results]
    write_text(repo / "reports" / "fork-check.json", json.dumps(facts, indent=2))
    print("\n" + summary)
    return 0 if all(not failed for _, failed, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
