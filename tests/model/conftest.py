"""Fixtures of the model layer: one registry per session, with a champion already promoted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pytest

from adclick import schema
from adclick.config import Settings
from adclick.errors import PromotionRefusedError
from adclick.evaluate import evaluate_model
from adclick.registry import CHALLENGER, CHAMPION, alias_uri, connect, find, promote
from adclick.train import TrainResult, train_and_register


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
