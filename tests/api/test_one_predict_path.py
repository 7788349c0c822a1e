"""One predict path: the API, `adclick predict` (batch) and MLflow's pyfunc give identical probabilities."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from adclick.data import contract
from adclick.data.contract import PROBABILITY
from tests.helpers.api import Served, as_records
from tests.helpers.cli import invoke

pytestmark = pytest.mark.ml_test_score("monitor-3")


def test_api_batch_command_and_pyfunc_agree(
    client: TestClient, served: Served, small_split: tuple[pd.DataFrame, pd.DataFrame], tmp_path: Path
) -> None:
    import mlflow.pyfunc

    rows = small_split[1].head(200).drop(columns=[contract.LABEL])
    answer = client.post("/predict", json={"records": as_records(rows)}).json()
    api = [p[PROBABILITY] for p in answer["predictions"]]

    source, scored = tmp_path / "to_score.csv", tmp_path / "scored.csv"
    rows.to_csv(source, index=False)
    result = invoke("predict", source, "--output", scored, "--config", served.config)
    assert result.exit_code == 0, result.stderr
    batch = pd.read_csv(scored)[PROBABILITY].to_numpy()

    pyfunc = mlflow.pyfunc.load_model(f"models:/{served.champion.name}/{served.champion.version}")
    served_by_mlflow = np.asarray(pyfunc.predict(rows[list(contract.FEATURES)]))[:, 1]

    np.testing.assert_allclose(api, served_by_mlflow, rtol=0, atol=served.settings.serve.compiled_max_difference)
    np.testing.assert_allclose(
        batch, served_by_mlflow, rtol=0, atol=served.settings.serve.compiled_max_difference
    )  # CSV keeps 17 significant digits
