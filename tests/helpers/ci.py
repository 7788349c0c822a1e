"""The CI files and the Makefile, read the way the CI tests need them."""

from __future__ import annotations

import re
from typing import Any

from tests.helpers.project import REPO_ROOT

GITHUB_WORKFLOW = REPO_ROOT / ".github" / "workflows" / "ci.yml"
GITLAB_CI = REPO_ROOT / ".gitlab-ci.yml"
DEPENDABOT = REPO_ROOT / ".github" / "dependabot.yml"
GITHUB_SETUP_ACTION = REPO_ROOT / ".github" / "actions" / "setup" / "action.yml"
GITHUB_AUDIT_WORKFLOW = REPO_ROOT / ".github" / "workflows" / "audit.yml"
# GitLab keywords that are not jobs.
GITLAB_KEYWORDS = {"workflow", "stages", "variables", "default", "include", "image", "services", "cache"}


def make_targets_in(commands: list[str]) -> set[str]:
    """Makefile targets named by `make <target>` in shell commands."""
    return {target for command in commands for target in re.findall(r"\bmake\s+(?:-\S+\s+)*([a-z][\w-]*)", command)}


def github_commands(workflow: dict[str, Any]) -> dict[str, list[str]]:
    """Each job's `run` commands."""
    return {
        name: [step["run"] for step in job.get("steps", []) if "run" in step] for name, job in workflow["jobs"].items()
    }


def gitlab_jobs(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Real jobs (not keywords, not hidden `.templates`), with `extends` resolved one level."""
    jobs = {}
    for name, job in config.items():
        if name in GITLAB_KEYWORDS or name.startswith(".") or not isinstance(job, dict):
            continue
        base = config.get(job.get("extends", ""), {}) if isinstance(job.get("extends"), str) else {}
        jobs[name] = {**base, **job}
    return jobs


def gitlab_commands(config: dict[str, Any]) -> dict[str, list[str]]:
    return {
        name: [*job.get("before_script", []), *job.get("script", []), *job.get("after_script", [])]
        for name, job in gitlab_jobs(config).items()
    }


def layer_targets() -> dict[str, str]:
    """Every folder of tests/ holding tests, and the Makefile target that runs it."""
    special = {"performance": "test-perf"}
    folders = sorted(p.parent.name for p in (REPO_ROOT / "tests").glob("*/test_*.py"))
    layers = {folder: special.get(folder, f"test-{folder}") for folder in folders}
    layers["deepchecks"] = "test-deepchecks"  # tests/model/test_deepchecks.py, in its own environment
    return layers
