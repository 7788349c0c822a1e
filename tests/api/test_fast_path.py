"""The request body's fast path (msgspec, `serve/fastpath.py`) says yes only where the contract
(pydantic) says yes, and reads the records into exactly the frame the contract's path builds;
every valid body takes it, so the speed it buys is real."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from adclick.data.declarations import category, number
from adclick.serve.fastpath import body_decoder, fast_frame
from adclick.serve.request_contract import PredictRequest, records_frame
from tests.helpers.api import fuzzed_records


def _contract_frame(body: bytes) -> pd.DataFrame | None:
    try:
        return records_frame(PredictRequest.model_validate_json(body).records)
    except ValidationError:
        return None


@given(batch=st.lists(fuzzed_records(), max_size=4))
def test_the_fast_path_accepts_only_what_the_contract_accepts(batch: list[dict[str, Any]]) -> None:
    body = json.dumps({"records": batch}, allow_nan=True).encode()
    fast = fast_frame(body)
    if fast is not None:
        assert _contract_frame(body) is not None, body


@given(batch=st.lists(fuzzed_records(broken=False), min_size=1, max_size=4))
def test_a_valid_body_takes_the_fast_path_to_the_contracts_frame(batch: list[dict[str, Any]]) -> None:
    body = json.dumps({"records": batch}).encode()
    fast, slow = fast_frame(body), _contract_frame(body)
    assert slow is not None, body
    assert fast is not None, body
    pd.testing.assert_frame_equal(fast, slow)


def test_an_empty_batch_leaves_the_fast_path_for_the_contracts_422() -> None:
    assert fast_frame(b'{"records": []}') is None


def test_the_fast_path_reads_columns_whose_names_are_not_identifiers() -> None:
    """A team's columns may hold spaces or dashes: the decoder still builds and reads them under
    their own names."""
    specs = (number("first reading", 0, 10), category("kind-2", ("a", "b"), nullable=True))
    decoder = body_decoder(specs, "row id")
    body = {"records": [{"row id": "r-1", "first reading": 2.5, "kind-2": None}]}
    (record,) = decoder.decode(json.dumps(body).encode()).records
    assert msgspec.structs.astuple(record) == ("r-1", 2.5, None)
