"""Fixtures of the API layer: a temp registry with a champion, and the app serving it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from tests.helpers.api import Served, as_records, service
from tests.helpers.store import TrainedProject


@pytest.fixture(scope="session")
def served(trained_project: TrainedProject) -> Served:
    """The session's registry, whose champion the app serves."""
    project = trained_project
    return Served(project.settings, project.config, project.champion)


@pytest.fixture(scope="session")
def client(served: Served) -> Iterator[TestClient]:
    with TestClient(service(served.settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def records(small_split: tuple[pd.DataFrame, pd.DataFrame]) -> list[dict[str, Any]]:
    """Valid records to score: the first rows of the small test split."""
    return as_records(small_split[1].head(50))
