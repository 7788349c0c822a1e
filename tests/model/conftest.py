"""Fixtures of the model layer: one registry per session, with a champion already promoted."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from adclick import schema
from adclick.config import Settings
from adclick.errors import PromotionRefusedError
from adclick.evaluate import evaluate_model
from adclick.registry import CHALLENGER, CHAMPION, alias_uri, connect, find, promote
from adclick.train import TrainResult, train_and_register
from tests.conftest import REPO_ROOT, USER_ENVIRON


@dataclass
class Registry:
    """A temp MLflow store holding the first trained model, promoted to champion."""

    settings: Settings
    client: Any
    first: TrainResult
    train: pd.DataFrame
    test: pd.DataFrame

    def champion_version(self) -> str | None:
        ref = find(self.client, self.settings.model.registered_name, CHAMPION)
        return None if ref is None else ref.version

    def train_and_try_to_promote(self, train: pd.DataFrame) -> tuple[TrainResult, dict[str, Any], Exception | None]:
        """Register a challenger trained on `train`, evaluate it on the test split, try promotion."""
        result = train_and_register(self.settings, train, self.test)
        report = evaluate_model(self.settings, alias_uri(self.settings, CHALLENGER), self.test, data_source="test")
        try:
            promote(self.client, report)
        except PromotionRefusedError as refused:
            return result, report, refused
        return result, report, None


@pytest.fixture(scope="session")
def registry(small_settings: Settings, small_split: tuple[pd.DataFrame, pd.DataFrame]) -> Registry:
    train, test = small_split
    client = connect(small_settings)
    first = train_and_register(small_settings, train, test)
    report = evaluate_model(small_settings, alias_uri(small_settings, CHALLENGER), test, data_source="test")
    promote(client, report)
    return Registry(small_settings, client, first, train, test)


@pytest.fixture
def shuffled_train(small_split: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    """The training split with its labels shuffled: a model of it can learn nothing real."""
    train = small_split[0].copy()
    train[schema.LABEL] = train[schema.LABEL].sample(frac=1.0, random_state=0).to_numpy()
    return train


# -- the model under test ------------------------------------------------------------------


@dataclass
class ModelUnderTest:
    """A registered model, loaded back through MLflow, with everything its report needs.

    By default, version 1 of the session's temp registry (trained on the small sample);
    with `pytest tests/model --model-uri models:/adclick@challenger`, that model from the
    store params.yaml names, tested on the test split of params.yaml's data.
    """

    source: str
    settings: Settings
    model: Any
    ref: Any
    test: pd.DataFrame
    baselines: dict[str, Any]
    champion: tuple[str, Any] | None


def _load_under_test(settings: Settings, uri: str, test: pd.DataFrame, source: str) -> ModelUnderTest:
    from adclick.registry import load_sklearn
    from adclick.train import load_baselines

    client = connect(settings)
    model, ref = load_sklearn(client, uri)
    champion_ref = find(client, ref.name, CHAMPION)
    champion = None if champion_ref is None else (champion_ref.version, load_sklearn(client, champion_ref.uri)[0])
    return ModelUnderTest(source, settings, model, ref, test, load_baselines(ref.run_id), champion)


@pytest.fixture(scope="session")
def model_under_test(request: pytest.FixtureRequest) -> ModelUnderTest:
    uri = request.config.getoption("--model-uri")
    if uri is None:
        registry: Registry = request.getfixturevalue("registry")
        return _load_under_test(registry.settings, registry.first.ref.uri, registry.test, "temp registry")
    from adclick.config import load_settings
    from adclick.data import generate, split

    settings = load_settings(REPO_ROOT / "params.yaml", environ=USER_ENVIRON)
    test = split(generate(settings.data.n_rows, settings.seed), settings.data.test_fraction, settings.seed)[1]
    return _load_under_test(settings, uri, test, uri)


@pytest.fixture(scope="session")
def model_report(model_under_test: ModelUnderTest, reports_dir: Path) -> dict[str, Any]:
    """The evaluation report of the model under test, written as reports/model-report.md (+ .json, PNG)."""
    from adclick.evaluate import assess
    from adclick.files import write_json, write_text
    from adclick.reports import model_markdown, write_reliability_png

    under_test = model_under_test
    report = assess(
        under_test.settings,
        under_test.model,
        under_test.test,
        baselines=under_test.baselines,
        champion=under_test.champion,
    )
    report = {"model": under_test.ref.as_dict(), **report, "data": {"source": "test split", **report["data"]}}
    write_json(reports_dir / "model-report.json", report)
    png = write_reliability_png(report["calibration"], reports_dir / "model-reliability.png")
    write_text(reports_dir / "model-report.md", model_markdown(report, reliability_png=png.name))
    return report


def verdict(report: dict[str, Any], name: str) -> dict[str, Any]:
    """One gate or check of a report, by name."""
    found = [r for r in report["gates"] + report["checks"] if r["name"] == name]
    assert found, f"no gate or check named {name!r} in the report"
    return found[0]


def assert_passes(report: dict[str, Any], name: str) -> None:
    result = verdict(report, name)
    assert result["passed"], (
        f"{name}: {result['value']} against threshold {result['threshold']} ({result['detail']}); "
        "thresholds are in params.yaml"
    )
