"""Fixtures of the model layer: the session's registry, and the model under test with its report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from adclick.atomic import write_json, write_text
from adclick.config import load_settings
from adclick.data import contract
from adclick.data.sources import labelled
from adclick.data.split import split
from adclick.model.report import model_markdown, write_reliability_png
from adclick.tracking.evaluation import assess
from adclick.tracking.registry import CHALLENGER, CHAMPION, set_alias
from tests.helpers.model import ModelUnderTest, load_under_test
from tests.helpers.project import REPO_ROOT, USER_ENVIRON
from tests.helpers.store import TrainedProject


@pytest.fixture(scope="session")
def registry(trained_project: TrainedProject) -> TrainedProject:
    """The session's registry: version 1 (the session's model) is champion."""
    return trained_project


@pytest.fixture
def promotion_registry(registry: TrainedProject) -> Iterator[TrainedProject]:
    """The session's registry for a test that registers versions and moves aliases: its champion
    and challenger point at the first version again afterwards, as the other tests expect."""
    yield registry
    for alias in (CHAMPION, CHALLENGER):
        set_alias(registry.client, registry.champion, alias)


@pytest.fixture
def shuffled_train(small_split: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    """The training split with its labels shuffled: a model of it can learn nothing real."""
    train = small_split[0].copy()
    train[contract.LABEL] = train[contract.LABEL].sample(frac=1.0, random_state=0).to_numpy()
    return train


@pytest.fixture(scope="session")
def model_under_test(request: pytest.FixtureRequest) -> ModelUnderTest:
    uri = request.config.getoption("--model-uri")
    if uri is None:
        registry: TrainedProject = request.getfixturevalue("registry")
        first = registry.first.ref
        return load_under_test(
            registry.settings, f"models:/{first.name}/{first.version}", registry.test, "temp registry"
        )
    settings = load_settings(REPO_ROOT / "params.yaml", environ=USER_ENVIRON)
    test = split(labelled(settings), settings.data.test_fraction, settings.seed)[1]
    return load_under_test(settings, uri, test, uri)


@pytest.fixture(scope="session")
def model_report(model_under_test: ModelUnderTest, reports_dir: Path) -> dict[str, Any]:
    """The evaluation report of the model under test, written as reports/model-report.md (+ .json, PNG)."""
    under_test = model_under_test
    report = assess(
        under_test.settings,
        under_test.model,
        under_test.test,
        baselines=under_test.baselines,
        champion=under_test.champion,
        threshold=under_test.threshold,
    )
    report = {"model": under_test.ref.as_dict(), **report, "data": {"source": "test split", **report["data"]}}
    write_json(reports_dir / "model-report.json", report)
    png = write_reliability_png(report["calibration"], reports_dir / "model-reliability.png")
    write_text(reports_dir / "model-report.md", model_markdown(report, reliability_png=png.name))
    return report
