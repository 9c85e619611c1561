"""The committed OpenAPI document is the one the code makes: an integrator reading
`docs/openapi.json` reads the API as it is."""

from __future__ import annotations

from pathlib import Path

from crm_agents.api.server import openapi_document

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_committed_openapi_document_is_current():
    assert COMMITTED.read_text(encoding="utf-8") == openapi_document(), (
        "docs/openapi.json is out of date: run `make openapi` and commit it"
    )


def test_a_customer_id_in_a_path_is_documented_with_the_configured_pattern():
    from core.settings import Settings
    from crm_agents.api.server import create_api

    document = create_api(Settings(customer_id_pattern=r"C\d{4}")).openapi()
    patterns = {
        parameter["schema"].get("pattern")
        for operations in document["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "customer_id"
    }
    assert patterns == {r"^(?:C\d{4})$"}


def test_no_header_query_or_path_parameter_is_documented_as_null():
    """An HTTP parameter is absent or text: a documented null cannot be sent, and a generator
    that draws one throws the request away (how the contract test once failed in CI)."""
    import json

    document = json.loads(openapi_document())
    nullable = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if '"null"' in json.dumps(parameter["schema"])
    ]
    assert nullable == []
