"""Markdown renderings of the pipeline's JSON reports: for people, and for CI job summaries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub-flavoured markdown table; pipes inside cells are escaped."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def validation_markdown(report: dict[str, Any]) -> str:
    """The validation report: verdict, source and one table row per failed check."""
    verdict = "passed" if report["passed"] else f"**failed** ({len(report['failures'])} checks)"
    kind = "labelled" if report["labelled"] else "unlabelled"
    text = f"## Data validation: {verdict}\n\n`{report['source']}`: {report['rows']} rows, {kind}.\n"
    if report["failures"]:
        rows = [
            (f"`{f['column']}`", f["check"], f["failures"], ", ".join(f"`{e}`" for e in f["examples"]))
            for f in report["failures"]
        ]
        text += "\n" + markdown_table(("column", "check", "failures", "examples"), rows)
    return text
