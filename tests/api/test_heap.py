"""`adclick serve` keeps what lives as long as the process out of the garbage collector's walks
(`serve.heap`): a full collection walked 120,000 objects for 60-90 ms while every request waited,
and set the batch loads' p95 (docs/serving.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.api import Served

pytestmark = pytest.mark.ml_test_score("infra-6")


@pytest.fixture(scope="module")
def walked(served: Served) -> dict[str, bool]:
    """Which objects a collection walks in a service started as `adclick serve` starts it."""
    command = [sys.executable, "-m", "tests.helpers.heap_probe", str(served.config), served.champion.uri]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=Path.cwd(), timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_model_loaded_at_start_up_is_out_of_the_collectors_walks(walked: dict[str, bool]) -> None:
    assert walked["model loaded at start-up"] is False


def test_the_training_rows_read_after_start_up_are_out_of_the_collectors_walks(walked: dict[str, bool]) -> None:
    assert walked["training rows read after start-up"] is False


def test_a_model_loaded_by_a_reload_is_out_of_the_collectors_walks(walked: dict[str, bool]) -> None:
    assert walked["model loaded by a reload"] is False


def test_what_the_service_makes_afterwards_is_collected_as_before(walked: dict[str, bool]) -> None:
    assert walked["object made afterwards"] is True
