"""Test results from JUnit XML: what every CI system and pytest (`--junitxml`) write, so the
reports read results the same way from one run or from many jobs' artifacts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class TestCase:
    __test__ = False  # a record of a test, not a test: pytest must not collect it

    layer: str
    name: str
    outcome: str  # passed, failed, error, skipped
    message: str
    seconds: float
    properties: dict[str, str] = field(default_factory=dict)  # pytest's user_properties (record_property)


def _layer(junit: Path, classname: str) -> str:
    """`junit-<layer>.xml` names its layer; in a whole-suite file the test's package does."""
    stem = junit.stem.removeprefix("junit")
    if stem.startswith("-"):
        return stem[1:]
    parts = classname.split(".")
    return parts[1] if len(parts) > 2 and parts[0] == "tests" else "other"


def _outcome(case: ET.Element) -> tuple[str, str]:
    for tag, outcome in (("failure", "failed"), ("error", "error"), ("skipped", "skipped")):
        found = case.find(tag)
        if found is not None:
            first_line = (found.get("message") or found.text or "").strip().splitlines()
            return outcome, first_line[0][:200] if first_line else ""
    return "passed", ""


def read_junit(paths: list[Path]) -> list[TestCase]:
    """Test cases from JUnit XML files. A test counts once per layer: the whole-suite junit.xml and
    a layer's own file do not double it, while each Python version of a matrix job keeps its row."""
    cases: dict[tuple[str, str, str], TestCase] = {}
    for path in sorted(paths, key=lambda p: (p.name != "junit.xml", p.name)):
        for case in ET.parse(path).getroot().iter("testcase"):
            classname, name = case.get("classname", ""), case.get("name", "")
            outcome, message = _outcome(case)
            layer = _layer(path, classname)
            seconds = float(case.get("time") or 0.0)
            properties = {p.get("name", ""): p.get("value", "") for p in case.iter("property")}
            cases[(layer, classname, name)] = TestCase(
                layer, f"{classname}::{name}", outcome, message, seconds, properties
            )
    return list(cases.values())
