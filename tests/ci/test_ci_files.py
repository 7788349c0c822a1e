"""The CI files are valid, thin and complete: every job runs a Makefile target, every test layer
runs in both CIs, every job has a timeout, and permissions are least-privilege."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.ci import (
    DEPENDABOT,
    GITHUB_AUDIT_WORKFLOW,
    GITHUB_SETUP_ACTION,
    GITHUB_WORKFLOW,
    GITLAB_CI,
    github_commands,
    gitlab_commands,
    gitlab_jobs,
    layer_targets,
    make_targets_in,
)


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (GITHUB_WORKFLOW, "vendor.github-workflows"),
        (GITHUB_AUDIT_WORKFLOW, "vendor.github-workflows"),
        (GITHUB_SETUP_ACTION, "vendor.github-actions"),
        (GITLAB_CI, "vendor.gitlab-ci"),
        (DEPENDABOT, "vendor.dependabot"),
    ],
    ids=["github", "github-audit", "github-setup-action", "gitlab", "dependabot"],
)
def test_ci_file_validates_against_its_published_schema(path: Path, schema: str) -> None:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    """The offline validation is real: a job without `runs-on` fails it."""
    broken = tmp_path / "ci.yml"
    broken.write_text("on: push\njobs:\n  test:\n    steps:\n      - run: make test\n")
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(broken)]
    assert subprocess.run(command, capture_output=True, timeout=60, check=False).returncode != 0


def test_every_make_target_a_github_job_calls_exists(github: dict[str, Any], makefile_targets: set[str]) -> None:
    for job, commands in github_commands(github).items():
        missing = make_targets_in(commands) - makefile_targets
        assert not missing, f"GitHub job {job!r} calls make targets the Makefile lacks: {missing}"


def test_every_make_target_a_gitlab_job_calls_exists(gitlab: dict[str, Any], makefile_targets: set[str]) -> None:
    for job, commands in gitlab_commands(gitlab).items():
        missing = make_targets_in(commands) - makefile_targets
        assert not missing, f"GitLab job {job!r} calls make targets the Makefile lacks: {missing}"


# Jobs that only publish what another job built with `make docs`: no make target, no setup.
PUBLISH_ONLY = {"pages"}


def test_every_github_job_runs_make(github: dict[str, Any]) -> None:
    """Thin jobs: the work is a Makefile target, so a laptop runs exactly what CI runs."""
    for job, commands in github_commands(github).items():
        assert job in PUBLISH_ONLY or make_targets_in(commands), f"GitHub job {job!r} runs no make target"


def test_every_gitlab_job_runs_make(gitlab: dict[str, Any]) -> None:
    for job, commands in gitlab_commands(gitlab).items():
        assert make_targets_in(commands), f"GitLab job {job!r} runs no make target"


@pytest.mark.parametrize(("layer", "target"), sorted(layer_targets().items()))
def test_every_test_layer_runs_in_both_cis(
    github: dict[str, Any], gitlab: dict[str, Any], makefile_targets: set[str], layer: str, target: str
) -> None:
    assert target in makefile_targets, f"tests/{layer} has no `make {target}`"
    assert target in make_targets_in([c for cs in github_commands(github).values() for c in cs]), f"GitHub: {target}"
    assert target in make_targets_in([c for cs in gitlab_commands(gitlab).values() for c in cs]), f"GitLab: {target}"


def test_lint_and_report_run_in_both_cis(github: dict[str, Any], gitlab: dict[str, Any]) -> None:
    for commands in (github_commands(github), gitlab_commands(gitlab)):
        assert {"lint", "report"} <= make_targets_in([c for cs in commands.values() for c in cs])


def test_every_github_job_has_a_timeout(github: dict[str, Any]) -> None:
    assert all("timeout-minutes" in job for job in github["jobs"].values())


def test_every_gitlab_job_has_a_timeout(gitlab: dict[str, Any]) -> None:
    default = gitlab.get("default", {}).get("timeout")
    assert all(job.get("timeout", default) for job in gitlab_jobs(gitlab).values())


def test_github_token_is_read_only_except_where_a_job_needs_more(github: dict[str, Any]) -> None:
    assert github["permissions"] == {"contents": "read"}
    writes: dict[str, set[str]] = {}
    for name, job in github["jobs"].items():
        for scope, access in job.get("permissions", {}).items():
            if access == "write":
                writes.setdefault(name, set()).add(scope)
    assert writes == {"report": {"pull-requests"}, "pages": {"pages", "id-token"}}, writes


def test_github_runs_on_push_and_pull_request_and_cancels_superseded_runs(github: dict[str, Any]) -> None:
    triggers = github.get("on") or github.get(True)  # YAML 1.1 reads a bare `on` as true
    assert {"push", "pull_request"} <= set(triggers)
    assert github["concurrency"]["cancel-in-progress"] is True


def test_matrix_jobs_of_github_do_not_fail_fast(github: dict[str, Any]) -> None:
    for name, job in github["jobs"].items():
        if "strategy" in job:
            assert job["strategy"]["fail-fast"] is False, name


def test_gitlab_avoids_duplicate_branch_and_merge_request_pipelines(gitlab: dict[str, Any]) -> None:
    rules = gitlab["workflow"]["rules"]
    assert {"if": "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS", "when": "never"} in rules


def test_gitlab_jobs_are_interruptible_and_report_junit(gitlab: dict[str, Any]) -> None:
    assert gitlab["default"]["interruptible"] is True
    for name, job in gitlab_jobs(gitlab).items():
        if job.get("stage") == "test":
            assert job["artifacts"]["reports"]["junit"], name


def test_gitlab_report_publishes_coverage(gitlab: dict[str, Any]) -> None:
    report = gitlab_jobs(gitlab)["report"]
    assert report["artifacts"]["reports"]["coverage_report"] == {
        "coverage_format": "cobertura",
        "path": "reports/coverage.xml",
    }
    assert "%" in report["coverage"]
    assert "\\%" not in report["coverage"], "GitLab's coverage regex must not escape %"


def test_every_github_job_sets_up_through_the_one_composite_action(github: dict[str, Any]) -> None:
    """Python and uv are set up in one place (.github/actions/setup), not repeated per job."""
    for name, job in github["jobs"].items():
        uses = [step.get("uses", "") for step in job.get("steps", [])]
        assert name in PUBLISH_ONLY or "./.github/actions/setup" in uses, f"{name}: does not use the setup action"
        assert not any(u.startswith(("actions/setup-python", "astral-sh/setup-uv")) for u in uses), name


@pytest.mark.parametrize(
    "path", [GITHUB_WORKFLOW, GITHUB_AUDIT_WORKFLOW, GITHUB_SETUP_ACTION], ids=["workflow", "audit", "setup-action"]
)
def test_every_action_is_pinned_by_commit_with_its_tag_in_a_comment(path: Path) -> None:
    """A tag can be moved to other code after review; a commit cannot (Dependabot keeps both up to date)."""
    used = re.findall(r"^\s*(?:-\s*)?uses:\s*(.+)$", path.read_text(), flags=re.MULTILINE)
    remote = [line for line in used if not line.startswith("./")]
    assert remote
    unpinned = [line for line in remote if not re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*", line)]
    assert not unpinned, f"pin by commit, the tag in a comment: {unpinned}"


@pytest.mark.parametrize(
    "path", [GITHUB_WORKFLOW, GITHUB_AUDIT_WORKFLOW, GITHUB_SETUP_ACTION], ids=["workflow", "audit", "setup-action"]
)
def test_no_expression_is_pasted_into_a_shell_line(path: Path) -> None:
    """`${{ }}` in `run:` is pasted into the script before the shell reads it: a branch name or a
    title can then run code. Expressions go through `env:` instead."""
    document = yaml.safe_load(path.read_text())
    steps = [step for job in document.get("jobs", {}).values() for step in job.get("steps", [])]
    steps += document.get("runs", {}).get("steps", [])
    pasted = [step["run"] for step in steps if "${{" in step.get("run", "")]
    assert not pasted, pasted
