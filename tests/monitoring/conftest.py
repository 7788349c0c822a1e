"""Fixtures of the drift and monitoring layer: a project whose champion and split files are in
place, as `adclick pipeline` leaves them, so that drift, degradation and monitor run on it."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import pytest

from adclick.data.files import write_frame
from adclick.pipeline import Layout
from tests.helpers.api import service
from tests.helpers.store import TrainedProject


@pytest.fixture(scope="session")
def monitored_project(trained_project: TrainedProject) -> TrainedProject:
    """The session's registry (champion: the session's model) with its train and test splits
    written where the pipeline writes them."""
    layout = Layout(trained_project.settings)
    for frame, path in ((trained_project.train, layout.train), (trained_project.test, layout.test)):
        if not path.is_file():
            write_frame(frame, path)
    return trained_project


@pytest.fixture(scope="session")
def healthy(monitored_project: TrainedProject, small_model: Any) -> Any:
    """What a healthy day looks like for the session's model."""
    from adclick.monitoring.replay import expected

    return expected(small_model, monitored_project.train, monitored_project.test)


@pytest.fixture
def watched_app(monitored_project: TrainedProject) -> Any:
    """A fresh service (its own metrics) whose drift gauge compares with the training split."""
    return service(monitored_project.settings, reference=monitored_project.train)


@pytest.fixture(scope="session")
def sample_pair(data_like: Any, params: Any) -> Any:
    """`sample_pair(seed)`: two independent samples of `drift_checks.rows` rows like the source's."""

    @functools.cache  # the same pairs serve every test of the layer; a shift makes a new frame
    def pair(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        rows = params.drift_checks.rows
        return data_like(rows, seed, batch=10), data_like(rows, seed, batch=11)

    return pair


@pytest.fixture(scope="session")
def metrics_page(monitored_project: TrainedProject) -> str:
    """A live /metrics page after a valid and a refused request."""
    from fastapi.testclient import TestClient

    from adclick.serve.request_contract import as_records

    app = service(monitored_project.settings, reference=monitored_project.train)
    with TestClient(app) as client:
        client.post("/predict", json={"records": as_records(monitored_project.test.head(5))})
        client.post("/predict", json={"records": [{}]})
        return client.get("/metrics").text


@pytest.fixture(scope="session")
def exposed(metrics_page: str) -> set[str]:
    """Every sample name on that page."""
    from tests.helpers.monitoring import exposed_names

    return exposed_names(metrics_page)


@pytest.fixture(scope="session")
def degradation_table(monitored_project: TrainedProject) -> pd.DataFrame:
    """`adclick degradation` run once on the project: its JSON table, one row per scenario."""
    import json

    from tests.helpers.cli import invoke

    result = invoke("degradation", "--config", monitored_project.config, "--rows", "2000")
    assert result.exit_code == 0, result.stdout + result.stderr
    table = json.loads((monitored_project.settings.reports_dir / "degradation.json").read_text())
    return pd.DataFrame(table).set_index("scenario")
