"""The OpenAPI document lists the envelope on the error codes routes answer, no 422, and /docs is offline."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def document(shared_app) -> dict:
    shared_app.openapi_schema = None
    return shared_app.openapi()


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_no_operation_documents_422(document):
    assert all("422" not in op["responses"] for _, _, op in _operations(document))
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_every_operation_documents_400_and_503_with_the_envelope(document):
    for path, method, op in _operations(document):
        for code in ("400", "503"):
            assert code in op["responses"], (path, method, code)
    envelope = document["components"]["schemas"]["ErrorEnvelope"]
    assert set(envelope["properties"]) == {"status", "message", "validation_errors", "data"}


def test_token_routes_document_401_and_403_and_unit_routes_401(document):
    enable = document["paths"]["/v1/products/{imei}/enable"]["put"]["responses"]
    assert {"401", "403", "404"} <= set(enable)
    rc_get = document["paths"]["/v1/rc_data"]["get"]["responses"]
    assert "401" in rc_get and "403" not in rc_get
    home = document["paths"]["/v1/home"]["get"]["responses"]
    assert "404" not in home


def test_docs_are_served_from_packaged_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert "/static-offline-docs/swagger-ui-bundle.js" in page.text
    bundle = client.get("/static-offline-docs/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    redoc = client.get("/redoc")
    assert redoc.status_code == 200 and "/static-offline-docs/redoc.standalone.js" in redoc.text
    # ReDoc's bundle asks a CDN for its logo: the pages' policy keeps the browser to the API's own origin.
    for answer in (page, redoc):
        assert "img-src 'self' data:" in answer.headers["content-security-policy"]
    assert "content-security-policy" not in client.get("/v1/home").headers
