"""Every route of the service, fuzzed from its own OpenAPI document by schemathesis, in process.

Schemathesis generates requests from the document (valid and invalid bodies, headers, methods)
and checks each answer: never a 5xx, a status and a body the document describes. A route whose
answers drift from its document fails here, not in a client's code. The routes are read from the
committed document (`openapi.json`), so a new route is fuzzed as soon as it is documented.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import Case
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from adclick.data.contract import ROW_RULES

pytestmark = pytest.mark.slow

# Row rules tie several fields of a record together (data/specs.py), which a JSON schema of
# independent fields cannot say: a record the document allows may break one and get its 422.
TIED_BY_ROW_RULES = {("POST", "/predict")} if ROW_RULES else set()
DOCUMENT = json.loads(Path(__file__).with_name("openapi.json").read_text())
OPERATIONS = [(method.upper(), path) for path, methods in DOCUMENT["paths"].items() for method in methods]


@pytest.fixture(scope="module")
def api_schema(client: TestClient) -> OpenApiSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", client.app)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_route_answers_as_its_document_says_and_never_with_a_5xx(
    api_schema: OpenApiSchema, method: str, path: str
) -> None:
    operation = api_schema[path][method]
    excluded = [positive_data_acceptance] if (method, path) in TIED_BY_ROW_RULES else []

    @given(case=operation.as_strategy())
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    def answered_as_documented(case: Case) -> None:
        case.call_and_validate(excluded_checks=excluded)

    answered_as_documented()
