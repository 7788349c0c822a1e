"""Reading the monitoring files: PromQL expressions of the rules and the dashboard, their metric
names and number literals (through promql-parser's syntax tree), promtool; and whether seeds show
a rate above its bound."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tests.helpers.project import REPO_ROOT

MONITORING = REPO_ROOT / "monitoring"
RULES = MONITORING / "rules.yml"
RULE_TESTS = MONITORING / "rules-test.yml"
DASHBOARD = MONITORING / "grafana" / "dashboard.json"
PROMTOOL_HOW_TO = "promtool not found: `sudo .ci/provision` installs it (Debian's prometheus package)"


def rules() -> list[dict[str, Any]]:
    return [rule for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    return [t["expr"] for p in json.loads(DASHBOARD.read_text())["panels"] for t in p["targets"]]


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for name in dir(node):
        if name.startswith("_") or name in ("parse", "prettify"):
            continue
        value = getattr(node, name)
        for child in value if isinstance(value, list) else [value]:
            if hasattr(child, "prettify"):
                yield from _nodes(child)


def metric_names(expression: str) -> set[str]:
    import promql_parser

    return {n.name for n in _nodes(promql_parser.parse(expression)) if type(n).__name__ == "VectorSelector"}


def threshold_settings(expression: str) -> set[str]:
    """The settings whose `adclick_alert_threshold` series the expression selects."""
    import promql_parser

    selectors = [n for n in _nodes(promql_parser.parse(expression)) if type(n).__name__ == "VectorSelector"]
    return {
        m.value
        for n in selectors
        if n.name == "adclick_alert_threshold"
        for m in n.matchers.matchers
        if m.name == "setting"
    }


def promtool() -> str | None:
    return shutil.which("promtool")


def exposed_names(text: str) -> set[str]:
    """Every sample name a /metrics page exposes (counters as `_total`, histograms as `_bucket`...)."""
    from prometheus_client.parser import text_string_to_metric_families

    return {sample.name for family in text_string_to_metric_families(text) for sample in family.samples}


def samples(text: str, name: str, label: str) -> dict[str, float]:
    """The values of the samples called `name` on a /metrics page, by their `label`."""
    from prometheus_client.parser import text_string_to_metric_families

    found = (s for family in text_string_to_metric_families(text) for s in family.samples)
    return {s.labels[label]: s.value for s in found if s.name == name}


def dotted(settings: Any, key: str) -> Any:
    value = settings
    for part in key.split("."):
        value = getattr(value, part)
    return value


def project_path(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT))


def shown_above(count: int, trials: int, bound: float, significance: float) -> bool:
    """Whether `count` hits in `trials` show the true rate above `bound` (one-sided binomial test
    at `significance`): a rate near its bound by design must not fail on a run of bad luck."""
    from scipy.stats import binomtest

    return bool(binomtest(count, trials, bound, alternative="greater").pvalue < significance)
