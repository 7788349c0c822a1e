"""Fixtures of the API layer: a temp registry with a champion, and the app serving it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from adclick import schema
from adclick.config import Settings, load_settings
from adclick.registry import CHAMPION, ModelRef, connect, set_alias
from adclick.serve import create_app
from adclick.train import train_and_register


@dataclass(frozen=True)
class Served:
    settings: Settings
    config: Path
    champion: ModelRef


@pytest.fixture(scope="session")
def served(make_project: Callable[..., Path], small_split: tuple[pd.DataFrame, pd.DataFrame]) -> Served:
    """A project whose registry holds one version, promoted to champion."""
    config = make_project("api") / "params.yaml"
    settings = load_settings(config, environ={})
    result = train_and_register(settings, *small_split)
    return Served(settings, config, set_alias(connect(settings), result.ref, CHAMPION))


@pytest.fixture(scope="session")
def client(served: Served) -> Iterator[TestClient]:
    with TestClient(create_app(served.settings)) as test_client:
        yield test_client


def as_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(frame.drop(columns=[schema.LABEL], errors="ignore").to_json(orient="records"))


@pytest.fixture(scope="session")
def records(small_split: tuple[pd.DataFrame, pd.DataFrame]) -> list[dict[str, Any]]:
    """Valid records to score: the first rows of the small test split."""
    return as_records(small_split[1].head(50))
