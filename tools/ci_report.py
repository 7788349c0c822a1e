"""One markdown report from everything a test run leaves under reports/, for pull-request comments,
CI job summaries and people: tests per layer, failures, the ML Test Score, coverage, model gates
and checks, data validation and benchmarks. Both CIs and `make report` call `python -m tools report`.

Every input is optional: a missing one is reported as not run, never as a crash, because a
report is most needed when part of the pipeline failed.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from adclick.markdown import VERDICT_HEADERS, markdown_table, verdict_rows
from tools import ml_test_score
from tools.benchmarks import benchmarks_markdown
from tools.dependencies import changes_markdown, lock_changes
from tools.junit import TestCase, read_junit

MARKER = "<!-- adclick-ci-report -->"  # finds the pull-request comment to update in place
NOT_RUN = "_Not run"  # how a section without its input starts
LOCK_BASELINE = "uv.lock.base"  # the target branch's uv.lock, saved by `make lock-baseline`
LAYER_ORDER = (
    "data",
    "model",
    "deepchecks",
    "performance",
    "api",
    "monitoring",
    "versioning",
    "docs",
    "cli",
    "ci",
)  # then any other, by name


# A skipped test whose message starts so could not judge this data (tests/helpers/judged.py).
NOT_JUDGED = "not judged: "
OUTCOMES = ("passed", "failed", "error", "not judged", "skipped")


def _outcome(case: TestCase) -> str:
    return "not judged" if case.outcome == "skipped" and case.message.startswith(NOT_JUDGED) else case.outcome


def not_judged_reasons(cases: list[TestCase]) -> dict[str, int]:
    """What the data left unchecked: each reason, with how many tests it held back."""
    reasons = Counter(c.message.removeprefix(NOT_JUDGED) for c in cases if _outcome(c) == "not judged")
    return dict(sorted(reasons.items()))


def _not_judged(cases: list[TestCase]) -> str:
    reasons = not_judged_reasons(cases)
    if not reasons:
        return ""
    lines = "".join(f"- {why} ({count} test{'s' if count > 1 else ''})\n" for why, count in reasons.items())
    return "\nNot judged on this data (what it lacks):\n\n" + lines


def _tests_section(cases: list[TestCase]) -> tuple[str, int]:
    if not cases:
        return f"### Tests\n\n{NOT_RUN}: no `junit*.xml` found._\n", 0

    def order(layer: str) -> tuple[int, str]:
        base = layer.split("-")[0]
        return (LAYER_ORDER.index(base) if base in LAYER_ORDER else len(LAYER_ORDER), layer)

    layers = sorted({c.layer for c in cases}, key=order)
    rows = []
    for layer in layers:
        mine = [c for c in cases if c.layer == layer]
        count = {o: sum(_outcome(c) == o for c in mine) for o in OUTCOMES}
        status = "pass" if not (count["failed"] or count["error"]) else "**FAIL**"
        seconds = sum(c.seconds for c in mine)
        rows.append((layer, len(mine), *(count[o] for o in OUTCOMES), f"{seconds:.0f} s", status))
    headers = ("layer", "tests", "passed", "failed", "errors", "not judged", "skipped", "time", "result")
    text = "### Tests\n\n" + markdown_table(headers, rows) + _not_judged(cases)
    broken = [c for c in cases if c.outcome in ("failed", "error")]
    if broken:
        text += "\nFailed tests:\n\n" + "".join(f"- `{c.name}` ({c.layer}): {c.message}\n" for c in broken[:20])
        if len(broken) > 20:
            text += f"- ... and {len(broken) - 20} more\n"
    return text, len(broken)


def _coverage_section(path: Path, floor: float | None) -> tuple[str, bool]:
    if not path.is_file():
        return f"### Coverage\n\n{NOT_RUN}: no `coverage.xml` found._\n", True
    root = ET.parse(path).getroot()
    lines, branches = float(root.get("line-rate", 0)) * 100, float(root.get("branch-rate", 0)) * 100
    ok = floor is None or lines >= floor
    against = "" if floor is None else f" (floor {floor:.0f}%: {'pass' if ok else '**FAIL**'})"
    return f"### Coverage\n\nLines {lines:.1f}%, branches {branches:.1f}%{against}.\n", ok


def _model_section(folder: Path) -> tuple[str, bool]:
    """The model layer's report (model-report.json), else the pipeline's (evaluation.json)."""
    for name in ("model-report.json", "evaluation.json"):
        if (folder / name).is_file():
            report = json.loads((folder / name).read_text(encoding="utf-8"))
            break
    else:
        return f"### Model\n\n{NOT_RUN}: no `model-report.json` or `evaluation.json` found._\n", True
    model = report.get("model") or {}
    failed = [r for r in report["gates"] + report.get("checks", []) if not r["passed"]]
    metrics = report["metrics"]
    champion = report.get("champion")
    versus = f", champion (version {champion['version']}) {champion['metrics']['roc_auc']:.4f}" if champion else ""
    verdict = f"**{len(failed)} failed**: {', '.join(r['name'] for r in failed)}." if failed else "All passed."
    text = f"### Model: {model.get('name', 'model')} version {model.get('version', '?')}\n\n"
    text += f"ROC AUC {metrics['roc_auc']:.4f}{versus}; log loss {metrics['log_loss']:.4f}, "
    text += f"Brier {metrics['brier']:.4f}. {verdict}\n\n"
    text += "Gates:\n\n" + markdown_table(VERDICT_HEADERS, verdict_rows(report["gates"]))
    if report.get("checks"):
        text += "\n<details><summary>Model checks (slices, calibration, behaviour)</summary>\n\n"
        text += markdown_table(VERDICT_HEADERS, verdict_rows(report["checks"])) + "\n</details>\n"
    if report.get("slices"):
        rows = [
            (s["slice"], s["value"], s["rows"], f"{s['roc_auc']:.4f}", "too small" if s["too_small"] else "")
            for s in report["slices"]
        ]
        text += "\n<details><summary>Slices</summary>\n\n"
        text += markdown_table(("slice", "value", "rows", "ROC AUC", "note"), rows) + "\n</details>\n"
    return text, not failed


def _validation_section(path: Path) -> tuple[str, bool]:
    if not path.is_file():
        return f"### Data validation\n\n{NOT_RUN}: no `validation.json` found._\n", True
    report = json.loads(path.read_text(encoding="utf-8"))
    if report["passed"]:
        return f"### Data validation\n\n`{report['source']}`: {report['rows']} rows, valid.\n", True
    rows = [(f"`{f['column']}`", f["check"], f["failures"], ", ".join(f["examples"][:3])) for f in report["failures"]]
    text = f"### Data validation\n\n`{report['source']}`: {report['rows']} rows, **invalid**.\n\n"
    return text + markdown_table(("column", "check", "failures", "examples"), rows), False


def _benchmarks_section(path: Path, baseline: Path | None) -> tuple[str, bool]:
    if not path.is_file():
        return f"### Benchmarks\n\n{NOT_RUN}: no `benchmarks.json` found._\n", True
    run = json.loads(path.read_text(encoding="utf-8"))
    before = json.loads(baseline.read_text(encoding="utf-8")) if baseline and baseline.is_file() else None
    text = benchmarks_markdown(run, before).replace("## Benchmarks", "### Benchmarks", 1)
    over = any(b.get("extra_info", {}).get("passed") is False for b in run.get("benchmarks", []))
    return text, not over


def _forks_section(path: Path) -> tuple[str, bool]:
    """`make fork-check`: each real data set applied to a fresh copy, its change and its layers."""
    if not path.is_file():
        return f"### Fork examples\n\n{NOT_RUN}: no `fork-check.json` found (`make fork-check`)._\n", True
    forks = json.loads(path.read_text(encoding="utf-8"))
    rows = [
        (
            f["name"],
            len(f["files"]),
            f["drafted_lines"],
            f["hand_lines"],
            "FAILED: " + ", ".join(f["failed"]) if f["failed"] else "pass",
            sum(f["not_judged"].values()),
        )
        for f in forks
    ]
    header = ("example", "files", "lines drafted", "lines by hand", "make demo + the data layers", "tests not judged")
    return "### Fork examples\n\n" + markdown_table(header, rows), not any(f["failed"] for f in forks)


def _ml_test_score_section(cases: list[TestCase], manual: Path) -> tuple[str, bool]:
    """The ML Test Score of the tests in this report: informs, never fails the report."""
    if not any(ml_test_score.PROPERTY in c.properties for c in cases):
        return f"### ML Test Score\n\n{NOT_RUN}: no test result names its rubric items._\n", True
    card = ml_test_score.score(cases, ml_test_score.load_manual(manual))
    return ml_test_score.markdown(card), True


def _dependencies_section(baseline: Path, lock: Path) -> tuple[str, bool]:
    """The packages `uv.lock` changes against the target branch (its lock saved as `baseline`)."""
    if not baseline.is_file() or not lock.is_file():
        return f"### Dependencies\n\n{NOT_RUN}: no `{baseline.name}` (the target branch's uv.lock)._\n", True
    changes = lock_changes(baseline.read_text(encoding="utf-8"), lock.read_text(encoding="utf-8"))
    return changes_markdown(changes, "the target branch"), True


def _weekly_section(path: Path) -> tuple[str, bool]:
    """The fault drill's or mutation testing's markdown (`make faults`, `make mutation`), when
    the run has one: they run weekly and on demand, so a pull request's report leaves them out."""
    if not path.is_file():
        return "", True
    return path.read_text(encoding="utf-8").replace("\n## ", "\n### ").replace("## ", "### ", 1), True


def ci_report(
    folder: Path, *, baseline: Path | None = None, coverage_floor: float | None = None, present_only: bool = False
) -> str:
    """The whole report from the files under `folder` (usually reports/). With `present_only`
    (one CI job's own summary), sections whose inputs are missing are left out."""
    folder = Path(folder)
    cases = read_junit(sorted(folder.glob("junit*.xml")))
    tests, broken = _tests_section(cases)
    sections = [
        (tests, broken == 0),
        _ml_test_score_section(cases, ml_test_score.MANUAL_FILE),
        _coverage_section(folder / "coverage.xml", coverage_floor),
        _model_section(folder),
        _validation_section(folder / "validation.json"),
        _benchmarks_section(folder / "benchmarks.json", baseline),
        _forks_section(folder / "fork-check.json"),
        _dependencies_section(folder / LOCK_BASELINE, Path("uv.lock")),
        _weekly_section(folder / "faults.md"),
        _weekly_section(folder / "mutation.md"),
    ]
    sections = [(text, ok) for text, ok in sections if text]
    if present_only:
        sections = [(text, ok) for text, ok in sections if NOT_RUN not in text]
    failing = sum(not ok for _, ok in sections)
    title = "all green" if not failing else f"{failing} section{'s' if failing > 1 else ''} failing"
    header = f"{MARKER}\n## adclick CI report: {title}\n\n"
    return header + "\n".join(text for text, _ in sections)
