"""The alert rules and the dashboard: every expression parses, names only metrics the service
exposes, reads the thresholds of params.yaml from the service instead of copying them, and the
rules pass promtool's checks and unit tests."""

from __future__ import annotations

import os
import subprocess

import pytest
import yaml

from adclick.serve.prometheus import ALERT_SETTINGS
from tests.helpers.monitoring import (
    MONITORING,
    PROMTOOL_HOW_TO,
    RULE_TESTS,
    RULES,
    dashboard_expressions,
    dotted,
    metric_names,
    promtool,
    rules,
    samples,
    threshold_settings,
)

pytestmark = pytest.mark.ml_test_score("monitor-4")

EXPRESSIONS = [r["expr"] for r in rules()] + dashboard_expressions()


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_every_rule_and_panel_expression_parses(expression: str) -> None:
    assert metric_names(expression)


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_every_metric_named_is_exposed_by_the_service(expression: str, exposed: set[str]) -> None:
    assert metric_names(expression) <= exposed, f"not on /metrics: {metric_names(expression) - exposed}"


@pytest.mark.parametrize("rule", [r for r in rules() if "params" in r["annotations"]], ids=lambda r: r["alert"])
def test_a_rule_reads_the_threshold_it_names_from_the_service(rule) -> None:
    key = rule["annotations"]["params"]
    assert threshold_settings(rule["expr"]) == {key}, f"{rule['alert']} should compare with the series of {key}"


def test_every_threshold_the_service_exposes_is_read_by_a_rule() -> None:
    read = set().union(*(threshold_settings(r["expr"]) for r in rules()))
    assert read == set(ALERT_SETTINGS), f"exposed but read by no rule: {set(ALERT_SETTINGS) - read}"


@pytest.mark.parametrize("key", ALERT_SETTINGS)
def test_the_service_exposes_each_alert_threshold_at_its_settings_value(key: str, metrics_page: str, params) -> None:
    exposed = samples(metrics_page, "adclick_alert_threshold", "setting")
    assert exposed.get(key) == float(dotted(params, key)), f"adclick_alert_threshold{{setting={key!r}}}: {exposed}"


def test_the_rules_watch_errors_latency_traffic_predictions_drift_gaps_and_staleness() -> None:
    watched = set().union(*(metric_names(r["expr"]) for r in rules()))
    assert {
        "adclick_requests_total", "adclick_request_seconds_bucket", "adclick_probability_sum", "adclick_drift_share",
        "adclick_missing_values_total", "adclick_model_trained_timestamp_seconds",
    } <= watched  # fmt: skip


def test_the_compose_file_mounts_the_rules_and_the_dashboard_that_exist() -> None:
    compose = yaml.safe_load((MONITORING / "compose.yaml").read_text())
    mounted = [v.split(":")[0] for s in compose["services"].values() for v in s.get("volumes", [])]
    assert all((MONITORING / path).exists() for path in mounted)


def _promtool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = promtool()
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail(PROMTOOL_HOW_TO)
        pytest.skip(PROMTOOL_HOW_TO)
    return subprocess.run([tool, *args], capture_output=True, text=True, timeout=60, cwd=MONITORING)


def test_promtool_accepts_the_rules() -> None:
    result = _promtool("check", "rules", RULES.name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_rules_pass_their_unit_tests() -> None:
    result = _promtool("test", "rules", RULE_TESTS.name)
    assert result.returncode == 0, result.stdout + result.stderr
