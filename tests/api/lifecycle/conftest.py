"""Units made by the factory endpoints, for the lifecycle endpoints."""

from __future__ import annotations

import pytest

from domain.permissions import Permission
from tests.api.factory.conftest import pcb_payload
from tests.utils.factories import auth_headers, reference_data


@pytest.fixture
def admin(db):
    reference_data(db)
    return auth_headers(db, Permission.ADMIN)


def factory_unit(http, db, n: int = 1) -> str:
    """A hub 2 made through /v1/products/create_hub2 (STORED, Unknown Entity); its imei."""
    payload = pcb_payload(n)
    response = http.post(
        "/v1/products/create_hub2", json=payload, headers=auth_headers(db, Permission.FACTORY)
    )
    assert response.status_code == 200, response.text
    return payload["imei"]
