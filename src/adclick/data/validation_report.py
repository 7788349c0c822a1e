"""The validation report in markdown: for people, and for CI job summaries."""

from __future__ import annotations

from typing import Any

from adclick.markdown import markdown_table


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
