"""Markdown building blocks shared by every report (validation, model, benchmarks, CI)."""

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


def number(value: float | None, digits: int = 4) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


VERDICT_HEADERS = ("check", "value", "threshold", "result", "detail")


def result(verdict: dict[str, Any]) -> str:
    """A gate's or check's result as the reports write it: pass, **FAIL** or not judged."""
    if not verdict.get("judged", True):
        return "not judged"
    return "pass" if verdict["passed"] else "**FAIL**"


def verdict_rows(results: list[dict[str, Any]]) -> list[tuple[object, ...]]:
    """Gates or checks (`Verdict` as dicts) as table rows."""
    return [(f"`{r['name']}`", number(r["value"]), number(r["threshold"]), result(r), r["detail"]) for r in results]
