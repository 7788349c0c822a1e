"""A project with the session's model registered and promoted: the shared registry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from adclick.config import Settings
from adclick.model.build import FittedModels
from adclick.tracking.evaluation import evaluate_model
from adclick.tracking.promotion import promote
from adclick.tracking.registry import CHAMPION, ModelRef, connect, find
from adclick.tracking.training import TrainResult, train_and_register


@dataclass
class TrainedProject:
    """A temp project whose MLflow store holds the session's model as version 1, the champion."""

    settings: Settings
    config: Path
    client: Any
    first: TrainResult
    champion: ModelRef
    train: pd.DataFrame
    test: pd.DataFrame

    def champion_version(self) -> str | None:
        ref = find(self.client, self.settings.model.registered_name, CHAMPION)
        return None if ref is None else ref.version


def register_and_promote(
    settings: Settings, config: Path, split: tuple[pd.DataFrame, pd.DataFrame], fitted: FittedModels
) -> TrainedProject:
    """Register already fitted models (no second training), evaluate them, promote through the gates."""
    train, test = split
    client = connect(settings)
    first = train_and_register(settings, train, test, fitted=fitted)
    champion = promote(client, settings.gates, evaluate_model(settings, first.ref.uri, test, data_source="test"))
    return TrainedProject(settings, config, client, first, champion, train, test)
