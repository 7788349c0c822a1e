"""The contract as a document and under fuzzing.

The OpenAPI document is compared with a committed snapshot, so a changed contract is a visible
diff in review (regenerate it with `UPDATE_SNAPSHOTS=1 pytest tests/api`). Hypothesis sends
records mixing valid values from the schema with wrong ones: the answer is 200 or a 4xx, never 5xx.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from adclick.data import contract
from adclick.data.declarations import FieldSpec, integer, number
from tests.helpers.api import JUNK, fuzzed_records

SNAPSHOT = Path(__file__).with_name("openapi.json")


def test_openapi_document_matches_the_committed_snapshot(client: TestClient) -> None:
    document = json.dumps(client.app.openapi(), indent=2, sort_keys=True) + "\n"  # type: ignore[attr-defined]
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(document)
    assert SNAPSHOT.read_text() == document, "the API contract changed: review, then UPDATE_SNAPSHOTS=1 to accept"


def test_openapi_request_schema_lists_every_column_with_its_rules(client: TestClient) -> None:
    record = client.app.openapi()["components"]["schemas"]["Record"]  # type: ignore[attr-defined]
    assert set(record["required"]) == {contract.ID_COLUMN, *(s.name for s in contract.FEATURE_SPECS if not s.nullable)}
    for spec in contract.FEATURE_SPECS:
        field = record["properties"][spec.name]
        if spec.nullable:  # Optional[...]: the rules sit on the non-null branch
            field = next(branch for branch in field["anyOf"] if branch.get("type") != "null")
        if spec.bounds is not None:
            assert (field["minimum"], field["maximum"]) == spec.bounds, spec.name
        if spec.vocabulary is not None:
            assert field["enum"] == list(spec.vocabulary), spec.name


@pytest.mark.parametrize("nullable", [False, True], ids=["required", "nullable"])
@pytest.mark.parametrize("declare", [integer, number], ids=["integer", "number"])
def test_a_bounded_column_of_any_kind_documents_its_bounds(declare: Callable[..., FieldSpec], nullable: bool) -> None:
    """Whatever a team's file declares, not only the kinds the demo's columns happen to have."""
    from pydantic import create_model

    from adclick.serve.request_contract import _field

    spec = declare("a_column", 1, 9, nullable=nullable)
    field = create_model("OneColumn", a_column=_field(spec)).model_json_schema()["properties"]["a_column"]
    documented = next(branch for branch in field.get("anyOf", [field]) if branch.get("type") != "null")
    assert (documented.get("minimum"), documented.get("maximum")) == spec.bounds, documented


@given(batch=st.lists(fuzzed_records(), max_size=4))
def test_fuzzed_records_get_200_or_4xx_never_5xx(client: TestClient, batch: list[dict[str, Any]]) -> None:
    body = json.dumps({"records": batch}, allow_nan=True)
    answer = client.post("/predict", content=body, headers={"content-type": "application/json"})
    assert answer.status_code in (200, 413, 422), answer.text
    json.loads(answer.text)  # always a JSON body


@given(
    body=st.recursive(JUNK, lambda inner: st.lists(inner) | st.dictionaries(st.text(max_size=8), inner), max_leaves=8)
)
def test_any_json_body_gets_a_4xx_not_a_5xx(client: TestClient, body: Any) -> None:
    answer = client.post(
        "/predict", content=json.dumps(body, allow_nan=True), headers={"content-type": "application/json"}
    )
    assert 400 <= answer.status_code < 500, answer.text
