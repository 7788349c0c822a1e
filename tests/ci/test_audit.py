"""`make audit` judges the lock offline here: its own pip-audit command line, fed a recorded OSV
answer, names the vulnerable package, the advisory and the fixed version, and exits 1; a clean
answer exits 0. The real question to osv.dev is asked by CI only (the `audit` jobs)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from tests.helpers import project
from tests.helpers.ci import GITHUB_AUDIT_WORKFLOW, GITLAB_CI, github_commands, gitlab_jobs

# What api.osv.dev answered for jinja2 3.1.4 (trimmed to the fields pip-audit reads).
RECORDED_ADVISORY = {
    "vulns": [
        {
            "id": "GHSA-q2x7-8rv6-6q7h",
            "aliases": ["CVE-2024-56326"],
            "summary": "Jinja has a sandbox breakout through indirect reference to format method",
            "published": "2024-12-23T17:56:56Z",
            "affected": [
                {
                    "package": {"name": "jinja2", "ecosystem": "PyPI"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.1.5"}]}],
                }
            ],
        }
    ]
}


def _audit_command(requirements: Path, output: Path, cache: Path) -> list[str]:
    """pip-audit's arguments as `make audit` passes them, on these files."""
    planned = subprocess.run(
        ["make", "-n", "audit", f"REPORTS={output.parent}"], cwd=project.REPO_ROOT, capture_output=True, text=True
    ).stdout
    line = next(line for line in planned.splitlines() if " pip-audit " in line)
    words = shlex.split(line.split(";")[0])
    arguments = words[words.index("pip-audit") + 1 :]
    arguments[arguments.index("--requirement") + 1] = str(requirements)
    return [*arguments, "--cache-dir", str(cache)]


def _audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answers: dict[str, Any], status: int = 200
) -> tuple[int, str]:
    """Run pip-audit in this process on two pinned packages, OSV answering `status` and `answers`."""
    from pip_audit import _cli

    requirements = tmp_path / "requirements.txt"
    requirements.write_text("jinja2==3.1.4\nidna==3.10\n")
    output = tmp_path / "audit.md"

    def recorded(self: requests.Session, url: str, data: str, **_: Any) -> requests.Response:
        response = requests.Response()
        response.status_code, response.url = status, url
        response._content = json.dumps(answers.get(json.loads(data)["package"]["name"], {})).encode()
        return response

    monkeypatch.setattr(requests.Session, "post", recorded)
    monkeypatch.setattr(sys, "argv", ["pip-audit", *_audit_command(requirements, output, tmp_path / "cache")])
    try:
        _cli.audit()
        code = 0
    except SystemExit as exited:  # pip-audit exits only when it found something
        code = int(exited.code or 0)
    except Exception:  # an advisory service that fails is a failed audit (the process exits 1), never a pass
        code = 1
    return code, output.read_text() if output.is_file() else ""


def test_a_locked_package_with_an_advisory_fails_the_audit_naming_it_and_its_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, report = _audited(tmp_path, monkeypatch, {"jinja2": RECORDED_ADVISORY})
    assert code == 1
    row = next(line for line in report.splitlines() if line.startswith("[jinja2]"))
    cells = [cell.strip() for cell in row.split(" | ")]
    assert cells[1] == "3.1.4"
    assert "CVE-2024-56326" in cells[2]  # the advisory, by its CVE alias
    assert cells[3] == "3.1.5"


def test_a_lock_without_advisories_passes_the_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, report = _audited(tmp_path, monkeypatch, {})
    assert code == 0, report


def test_an_advisory_service_that_fails_fails_the_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _ = _audited(tmp_path, monkeypatch, {}, status=503)
    assert code != 0


def test_the_audit_runs_in_both_cis_on_a_schedule_and_when_the_lock_changes() -> None:
    github = yaml.safe_load(GITHUB_AUDIT_WORKFLOW.read_text())
    triggers = github[True]  # YAML 1.1 reads the key `on` as true
    assert "schedule" in triggers
    assert triggers["push"]["paths"] == triggers["pull_request"]["paths"] == ["uv.lock"]
    assert "make audit" in github_commands(github)["audit"]
    gitlab = gitlab_jobs(yaml.safe_load(GITLAB_CI.read_text()))["audit"]
    assert gitlab["script"] == ["make audit"]
    assert {"changes": ["uv.lock"]} in gitlab["rules"]
