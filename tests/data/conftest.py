"""Fixtures of the data layer.

`data_under_test` is the labelled data the layer judges: the configured source's data by
default (a demo sample, or your file), or the file given with `pytest tests/data --data PATH`.
Tests that are about the generator or the schema itself use their own frames.
"""

from __future__ import annotations

import pandas as pd
import pytest

from adclick.config import Settings
from adclick.data.files import read_frame
from adclick.data.sources import canonical
from adclick.data.split import split
from adclick.data.synthetic import generate
from adclick.data.validation import validate
from tests.helpers.data import SCENARIO_ROWS, DataUnderTest


@pytest.fixture(scope="session")
def reference_frame() -> pd.DataFrame:
    """The reference sample every scenario is compared with (same seed, same size)."""
    return generate(SCENARIO_ROWS, seed=7)


@pytest.fixture(scope="session")
def data_under_test(request: pytest.FixtureRequest, small_data: pd.DataFrame) -> DataUnderTest:
    path = request.config.getoption("--data")
    if path is None:
        return DataUnderTest("generated sample", small_data)
    return DataUnderTest(str(path), canonical(read_frame(path), source=str(path)))


@pytest.fixture(scope="session")
def valid_data(data_under_test: DataUnderTest, params: Settings) -> pd.DataFrame:
    """The data under test, typed by the raw schema (tests that need it error if it is invalid)."""
    return validate(data_under_test.frame, limits=params.data_checks, source=data_under_test.source)


@pytest.fixture(scope="session")
def split_under_test(valid_data: pd.DataFrame, params: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The split the pipeline would make of the data under test (same fraction, same seed)."""
    return split(valid_data, params.data.test_fraction, params.seed)
