"""Dependency changes result in notification: the CI report names every package a change of
uv.lock moves against the target branch, and Dependabot proposes new versions as pull requests."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers.ci import DEPENDABOT
from tools.ci_report import LOCK_BASELINE, ci_report
from tools.dependencies import lock_changes

pytestmark = pytest.mark.ml_test_score("monitor-1")


def _lock(**versions: str) -> str:
    """A uv.lock with the project itself (editable) and these packages from the registry."""
    packages = ['name = "adclick"\nversion = "0.1.0"\nsource = { editable = "." }']
    registry = 'source = { registry = "https://pypi.org/simple" }'
    packages += [f'name = "{name}"\nversion = "{version}"\n{registry}' for name, version in versions.items()]
    return "version = 1\n" + "".join(f"\n[[package]]\n{package}\n" for package in packages)


def test_an_upgraded_package_is_named_with_both_versions() -> None:
    (change,) = lock_changes(_lock(numpy="2.3.0"), _lock(numpy="2.4.1"))
    assert (change.package, change.before, change.after, change.kind) == ("numpy", "2.3.0", "2.4.1", "upgraded")


def test_a_downgrade_is_told_apart_from_an_upgrade() -> None:
    (change,) = lock_changes(_lock(scipy="1.16.10"), _lock(scipy="1.16.9"))
    assert change.kind == "downgraded"


def test_added_and_removed_packages_are_named() -> None:
    changes = {c.package: c.kind for c in lock_changes(_lock(dvc="3.67.1"), _lock(mutmut="3.8.1"))}
    assert changes == {"dvc": "removed", "mutmut": "added"}


def test_an_unchanged_lock_moves_nothing() -> None:
    assert lock_changes(_lock(numpy="2.4.1"), _lock(numpy="2.4.1")) == []


def test_the_report_names_the_packages_a_change_moves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("uv.lock").write_text(_lock(scikit_learn="1.9.0"))
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / LOCK_BASELINE).write_text(_lock(scikit_learn="1.8.0"))
    report = ci_report(tmp_path / "reports")
    assert "**1 locked packages changed**" in report
    assert "| `scikit_learn` | 1.8.0 | 1.9.0 | upgraded |" in report


def test_dependabot_watches_the_lock_and_the_ci_actions() -> None:
    ecosystems = {update["package-ecosystem"] for update in yaml.safe_load(DEPENDABOT.read_text())["updates"]}
    assert ecosystems == {"uv", "github-actions"}
