"""The factory endpoints as the factory bench calls them."""

from __future__ import annotations

import pytest

from domain.permissions import Permission
from tests.utils.factories import auth_headers, make_software, reference_data


@pytest.fixture
def factory(client, db):
    """Headers of a FACTORY user, on a database holding the reference data."""
    reference_data(db)
    return auth_headers(db, Permission.FACTORY)


def pcb_payload(n: int = 1, **extra) -> dict:
    return {
        "imei": f"0101012345{n:05d}",
        "imsi": f"2135141351{n:05d}",
        "device_key": f"4ab1ab3ab1ab7ab9ab1a{n:04d}",
        "manufacturer": "A Factory",
        **extra,
    }


def unit_logs_in(client, db, imei: str, device_key: str) -> int:
    """The status of an RC-POST by unit `imei` with `device_key` (HTTP Basic, as the units do)."""
    make_software(db, "3.6")
    report = {"enable_flag": False, "tamper_flag": False, "software": "3.6"}
    return client.post("/v1/rc_data", json=report, auth=(imei, device_key)).status_code
