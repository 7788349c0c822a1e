"""The compiled model (`serve/compiled/trees.py`) is the same model as the pipeline it comes from,
whether Treelite walks its trees or they run as machine code (`serve/compiled/machine_code.py`): its
probabilities stay within `serve.compiled_max_difference` of the pipeline's on the test split,
on one row, on gaps and on categories outside the vocabulary; and a pipeline it cannot
reproduce is refused, so that the pipeline itself serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from adclick.config import Settings
from adclick.data import contract
from adclick.model.build import build_candidate, fit
from adclick.model.predict import probabilities
from adclick.serve.compiled.trees import compile_pipeline
from tests.helpers.cases import NO_CATEGORY, NO_NUMBER, NO_OPTIONAL
from tests.helpers.compiled import ENGINES, compiled_as
from tests.helpers.judged import each, needs

pytestmark = pytest.mark.ml_test_score("monitor-3")

CATEGORICAL = [c for c in contract.MODEL_FEATURES if c in contract.CATEGORICAL_FEATURES]
OPTIONAL = [c for c in contract.MODEL_FEATURES if c in contract.OPTIONAL_FEATURES]
NUMERIC = [c for c in contract.MODEL_FEATURES if c in contract.NUMERIC_FEATURES]


@pytest.fixture(scope="module", params=ENGINES)
def compiled(request: pytest.FixtureRequest, small_model: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The session's candidate compiled, its trees walked by each engine in turn (built once per module)."""
    return compiled_as(small_model, request.param, tmp_path_factory.mktemp(request.param))


def _assert_same_probabilities(compiled: Any, model: Any, rows: pd.DataFrame, params: Settings) -> None:
    np.testing.assert_allclose(
        compiled.predict_proba(rows)[:, 1],
        probabilities(model, rows),
        rtol=0,
        atol=params.serve.compiled_max_difference,
    )


def test_the_compiled_model_gives_the_pipelines_probabilities(
    compiled: Any, small_model: Any, small_split: Any, params
) -> None:
    _assert_same_probabilities(compiled, small_model, small_split[1], params)


def test_one_row_gives_the_pipelines_probability(compiled: Any, small_model: Any, small_split: Any, params) -> None:
    _assert_same_probabilities(compiled, small_model, small_split[1].head(1), params)


def test_both_probabilities_of_a_row_add_up_to_one(compiled: Any, small_split: Any) -> None:
    proba = compiled.predict_proba(small_split[1].head(50))
    np.testing.assert_array_equal(proba.sum(axis=1), np.ones(len(proba)))


@pytest.mark.parametrize("column", each(CATEGORICAL, NO_CATEGORY))
def test_a_category_outside_the_vocabulary_is_read_as_the_pipeline_reads_it(
    compiled: Any, small_model: Any, small_split: Any, params, column: str
) -> None:
    rows = small_split[1].head(20).assign(**{column: "a level nobody declared"})
    _assert_same_probabilities(compiled, small_model, rows, params)


@pytest.mark.parametrize("column", each(OPTIONAL, NO_OPTIONAL))
def test_a_gap_is_read_as_the_pipeline_reads_it(
    compiled: Any, small_model: Any, small_split: Any, params, column: str
) -> None:
    rows = small_split[1].head(20).copy()
    rows[column] = np.nan if rows[column].dtype.kind in "fiub" else None
    _assert_same_probabilities(compiled, small_model, rows, params)


def test_a_model_other_than_the_candidate_is_refused(small_fitted: Any) -> None:
    assert compile_pipeline(small_fitted.baselines["logistic"]) is None


@needs(CATEGORICAL, NO_CATEGORY)
def test_a_model_that_never_saw_a_declared_category_is_refused(small_split: Any, params: Settings) -> None:
    """Its trees remap the codes onto the categories seen in training, which Treelite reads
    otherwise: the pipeline serves such a model."""
    train, column = small_split[0], CATEGORICAL[0]
    absent = train[column].value_counts().index[-1]
    model = fit(build_candidate(params), train[train[column] != absent])
    assert compile_pipeline(model) is None


@needs(NUMERIC, NO_NUMBER)
def test_a_model_without_category_inputs_compiles_too(small_split: Any, params: Settings, tmp_path: Path) -> None:
    """A team's data may hold only numbers (the breast cancer example does)."""
    model = fit(build_candidate(params, inputs=NUMERIC), small_split[0])
    _assert_same_probabilities(compiled_as(model, "treelite", tmp_path), model, small_split[1], params)


@needs(NUMERIC, NO_NUMBER)
def test_a_model_without_category_inputs_runs_as_machine_code_too(
    small_split: Any, params: Settings, tmp_path: Path
) -> None:
    model = fit(build_candidate(params, inputs=NUMERIC), small_split[0])
    _assert_same_probabilities(compiled_as(model, "native", tmp_path), model, small_split[1], params)
