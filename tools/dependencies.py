"""Dependency changes, said on the pull request: which packages a change of `uv.lock` adds,
removes, upgrades or downgrades against the target branch's lock. A new scikit-learn can move
a model's predictions without a line of our code changing; the reviewer should see it named.

(Dependabot, `.github/dependabot.yml`, is the other half: it opens a pull request when a new
version of a locked package or of a CI action is out, and that pull request gets this section.)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from adclick.markdown import markdown_table


@dataclass(frozen=True)
class Change:
    package: str
    before: str | None  # None: added
    after: str | None  # None: removed

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "upgraded" if _key(self.after) > _key(self.before) else "downgraded"


def _key(version: str) -> tuple[tuple[int, str], ...]:
    """A sortable form of a version (numbers as numbers; enough to tell up from down)."""
    parts = version.replace("-", ".").replace("+", ".").split(".")
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts)


def locked_versions(lock_text: str) -> dict[str, str]:
    """Package -> version of a uv.lock; the project itself (an editable source) left out."""
    lock = tomllib.loads(lock_text)
    return {
        package["name"]: package["version"]
        for package in lock.get("package", [])
        if "version" in package and "editable" not in package.get("source", {})
    }


def lock_changes(before_text: str, after_text: str) -> list[Change]:
    before, after = locked_versions(before_text), locked_versions(after_text)
    names = sorted(set(before) | set(after))
    return [Change(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]


def changes_markdown(changes: list[Change], base: str) -> str:
    if not changes:
        return f"### Dependencies\n\n`uv.lock` is unchanged against {base}.\n"
    counts = ", ".join(
        f"{sum(c.kind == k for c in changes)} {k}"
        for k in ("upgraded", "downgraded", "added", "removed")
        if any(c.kind == k for c in changes)
    )
    rows = [(f"`{c.package}`", c.before or "-", c.after or "-", c.kind) for c in changes]
    return (
        f"### Dependencies\n\n**{len(changes)} locked packages changed** against {base} ({counts}): "
        "a new version can change predictions with no code changed; the model and data layers above ran on them.\n\n"
        + markdown_table(("package", "before", "after", "change"), rows)
    )
