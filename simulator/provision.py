"""Simulated units, with keys the simulator knows (never for real units).

`provision_through_api` makes them as the factory makes real units: `POST /v1/products/create_hub2`
(a hyena PCB, its SIM and a hub 2 product), then one RC-POST each, the unit's power-on report, so the
system knows its software. `provision_units` writes them straight into the database: only the
benchmarks use it, to set up thousands of units in seconds.
"""

from __future__ import annotations

import json

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import utcnow
from db.models.product import Product, ProductEntityLinker, ProductType
from db.models.software import ProductSoftwareLinker, SoftwareVersionType
from domain.device.unit_protocol import device_key_digest
from simulator.unit import SimulatedUnit

PRODUCT_TYPE = "SIMULATED_UNIT"


def _get_or_add(session: Session, model, where, **values):
    row = session.scalar(select(model).where(where))
    if row is None:
        row = model(**values)
        session.add(row)
        session.flush()
    return row


def provision_units(
    session: Session, count: int, *, prefix: str = "99", software: str = "3.6", entity_id: int | None = None
) -> list[SimulatedUnit]:
    """`count` units with imeis `<prefix>000...N` (15 digits); existing ones are reused as they are."""
    now = utcnow()
    product_type = _get_or_add(session, ProductType, ProductType.name == PRODUCT_TYPE, name=PRODUCT_TYPE)
    version = _get_or_add(
        session, SoftwareVersionType, SoftwareVersionType.name == software, name=software, release_date=now
    )
    units = []
    for n in range(1, count + 1):
        imei = f"{prefix}{n:0{15 - len(prefix)}d}"
        key = _key(imei)
        if session.get(Product, imei) is None:
            session.add(
                Product(
                    product_imei=imei,
                    device_key=device_key_digest(key),
                    imsi=f"{imei[::-1]}",
                    serial_number=f"SIM-{imei}",
                    product_type_id=product_type.product_type_id,
                    current_enable_flag=False,
                    desired_enable_flag=False,
                    rtc_enabled_flag=False,
                    dcm_enabled_flag=False,
                    is_payg=True,
                )
            )
            session.flush()
            session.add(
                ProductSoftwareLinker(
                    product_imei=imei,
                    software_version_type_id=version.software_version_type_id,
                    date_added=now,
                )
            )
            if entity_id is not None:
                session.add(ProductEntityLinker(product_imei=imei, entity_id=entity_id, date_added=now))
        units.append(SimulatedUnit(imei=imei, device_key=key, software=software))
    session.flush()
    return units


def _key(imei: str) -> str:
    return f"sim-key-{imei}"


async def ensure_software(http: httpx.AsyncClient, headers: dict[str, str], software: str) -> None:
    """The software version the units report must exist (SYSTEM users create them)."""
    q = json.dumps({"filters": [{"name": "name", "op": "eq", "val": software}]})
    found = await http.get("/v1/software_version_types", params={"q": q}, headers=headers)
    found.raise_for_status()
    if found.json()["num_results"] == 0:
        created = await http.post(
            "/v1/software_version_types",
            json={"name": software, "release_date": utcnow().isoformat()},
            headers=headers,
        )
        created.raise_for_status()


async def provision_through_api(
    http: httpx.AsyncClient, headers: dict[str, str], count: int, *, prefix: str = "99", software: str = "3.6"
) -> list[SimulatedUnit]:
    """`count` hub 2 units with imeis `<prefix>000...N`, made through the factory endpoint (units that
    exist already are reused: the simulator's keys are derived from the imei)."""
    await ensure_software(http, headers, software)
    units = []
    for n in range(1, count + 1):
        imei = f"{prefix}{n:0{15 - len(prefix)}d}"
        unit = SimulatedUnit(imei=imei, device_key=_key(imei), software=software)
        created = await http.post(
            "/v1/products/create_hub2",
            json={
                "imei": imei,
                "imsi": imei[::-1],
                "device_key": unit.device_key,
                "manufacturer": "Simulator",
            },
            headers=headers,
        )
        if created.status_code not in (200, 409):
            raise RuntimeError(f"create_hub2 {imei}: {created.status_code} {created.text}")
        report = await http.post("/v1/rc_data", json=unit.report(), auth=(imei, unit.device_key))
        if report.status_code != 200:
            raise RuntimeError(
                f"unit {imei} cannot log in ({report.status_code}): it exists with another key"
            )
        units.append(unit)
    return units


async def make_rtc_units(
    http: httpx.AsyncClient, headers: dict[str, str], units: list[SimulatedUnit]
) -> None:
    """These units hold an RTC link: `product.rtc_enabled_flag` (the table API's PUT, a SYSTEM user)."""
    for unit in units:
        r = await http.put(f"/v1/products/{unit.imei}", json={"rtc_enabled_flag": True}, headers=headers)
        if r.status_code != 200:
            raise RuntimeError(f"making {unit.imei} an RTC unit: {r.status_code} {r.text}")


async def login(http: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    """Headers with a fresh token of `username`."""
    r = await http.post("/v1/auth/login", data={"username": username, "password": password})
    r.raise_for_status()
    return {"Authorization": f"Token token={r.json()['message']['login_successful']['API_token']}"}
