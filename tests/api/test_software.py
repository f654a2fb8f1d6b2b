"""Software updates: update_software -> pending -> offered in RC-GET -> completed by the RC-POST reporting it;
lock_software, expire_software_updates, and an update failing after the configured number of attempts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.settings import get_settings
from db.models.software import ProductSoftwareLinker, ProductTypeSoftwareVersionTypeLinker
from db.session import get_sessionmaker
from domain.permissions import Permission, Scope
from simulator.unit import SimulatedUnit
from tests.dcm.helpers import workflow_done, workflow_status
from tests.utils.factories import (
    auth_headers,
    make_entity,
    make_product,
    make_product_type,
    make_software,
    run_software,
)
from tests.utils.waiting import eventually


@pytest.fixture
def system(db):
    return auth_headers(db, Permission.SYSTEM)


@pytest.fixture
def unit(db):
    """A unit running 2.0, whose product type may run 2.0, 2.1 and 2.2 (not 9.9)."""
    product_type = make_product_type(db)
    for name in ("2.0", "2.1", "2.2"):
        software = make_software(db, name)
        db.add(
            ProductTypeSoftwareVersionTypeLinker(
                product_type_id=product_type.product_type_id,
                software_version_type_id=software.software_version_type_id,
            )
        )
    make_software(db, "9.9")
    db.commit()
    product = make_product(db, product_type=product_type)
    run_software(db, product, "2.0")
    return SimulatedUnit(imei=product.product_imei, device_key=product.raw_device_key, software="2.0")


def links(imei: str) -> list[tuple[str, str | None, bool, bool, int | None]]:
    """(version, status, installed (date_added set), removed (date_removed set), update_attempts), oldest first."""
    from db.models.software import SoftwareVersionType

    with get_sessionmaker()() as session:
        rows = session.execute(
            select(SoftwareVersionType.name, ProductSoftwareLinker)
            .join(
                ProductSoftwareLinker,
                ProductSoftwareLinker.software_version_type_id
                == SoftwareVersionType.software_version_type_id,
            )
            .where(ProductSoftwareLinker.product_imei == imei)
            .order_by(ProductSoftwareLinker.product_software_linker_id)
        ).all()
        return [
            (n, r.status, r.date_added is not None, r.date_removed is not None, r.update_attempts)
            for n, r in rows
        ]


async def _pending_software(stack, imei: str):
    status = await workflow_status(stack, imei)
    return status if status.software is not None else None


async def put(stack, headers, imei: str, action: str, body=None):
    return await stack.http.put(f"/v1/products/{imei}/{action}", json=body, headers=headers)


async def test_update_pending_offered_completed(stack, db, system, unit):
    imei = unit.imei
    r = await put(stack, system, imei, "update_software", {"software": "2.1"})
    assert r.status_code == 200, r.text
    assert r.json() == {
        "status": "success",
        "message": f"#{imei} updated to software_version 2.1",
        "data": None,
    }
    assert links(imei) == [("2.0", None, True, False, None), ("2.1", "pending", False, False, 0)]
    status = await eventually(lambda: _pending_software(stack, imei))
    assert (status.software.name, status.software.update_attempts) == ("2.1", 0)

    answer = (await stack.http.get("/v1/rc_data", auth=(imei, unit.device_key))).json()
    assert answer["software"] == {"name": "2.1", "link": "https://fw.example/2.1", "checksum": "abcd1234"}
    await eventually(lambda: links(imei)[-1][-1] == 1)  # the workflow counted the offer
    unit.software = "2.1"  # installed
    r = await stack.http.post("/v1/rc_data", json=unit.report(), auth=(imei, unit.device_key))
    assert r.status_code == 200
    await workflow_done(stack, imei)
    assert links(imei) == [("2.0", "removed", True, True, None), ("2.1", "active", True, False, 1)]
    assert (await stack.http.get("/v1/rc_data", auth=(imei, unit.device_key))).json()["software"] is None


async def test_refusals_write_nothing(stack, db, system, unit):
    imei = unit.imei
    for body, status, text in (
        ({"software": "no-such"}, 400, "Unknown software"),
        ({"software": 999999}, 400, "Unknown software"),
        ({"software": "9.9"}, 400, "not allowed on product type"),
        ({"software": True}, 400, "software"),
        ({}, 400, "software"),
    ):
        r = await put(stack, system, imei, "update_software", body)
        assert r.status_code == status, (body, r.text)
        assert text in r.json()["message"] + str(r.json()["validation_errors"])
    assert links(imei) == [("2.0", None, True, False, None)]
    assert (
        await put(stack, auth_headers(db, Permission.ADMIN), imei, "update_software", {"software": "2.1"})
    ).status_code == 403
    other, mine = make_entity(db), make_entity(db)
    theirs = make_product(db, entity=other)
    entity_system = auth_headers(db, Permission.SYSTEM, scope=Scope.ENTITY, entity_id=mine.entity_id)
    for action in ("update_software", "lock_software", "expire_software_updates"):
        r = await put(
            stack,
            entity_system,
            theirs.product_imei,
            action,
            {"software": "2.1"} if action != "expire_software_updates" else None,
        )
        assert r.status_code == 404, (action, r.text)


async def test_by_id_repeats_and_replacement(stack, db, system, unit):
    imei = unit.imei
    v21, v22 = make_software(db, "2.1"), make_software(db, "2.2")
    for _ in range(2):  # a repeated request does not add a second pending update
        assert (
            await put(stack, system, imei, "update_software", {"software": v21.software_version_type_id})
        ).status_code == 200
    assert links(imei)[1:] == [("2.1", "pending", False, False, 0)]
    await put(stack, system, imei, "update_software", {"software": v22.name})  # replaces it
    assert links(imei)[1:] == [("2.1", "expired", False, True, 0), ("2.2", "pending", False, False, 0)]
    await put(stack, system, imei, "update_software", {"software": "2.0"})  # what it runs: nothing pending
    assert links(imei)[1:] == [("2.1", "expired", False, True, 0), ("2.2", "expired", False, True, 0)]
    await workflow_done(stack, imei)


async def test_lock_and_unlock(stack, db, system, unit):
    imei = unit.imei
    v22 = make_software(db, "2.2")
    r = await put(stack, system, imei, "lock_software", {"software": "2.2"})
    assert r.json() == {
        "status": "success",
        "message": f"#{imei} updated and locked to software_version 2.2",
        "data": {"software_lock_id": v22.software_version_type_id, "software_lock_name": "2.2"},
    }
    assert links(imei)[-1] == ("2.2", "pending", False, False, 0)
    r = await put(stack, system, imei, "update_software", {"software": "2.1"})
    assert r.status_code == 409 and "locked to software 2.2" in r.json()["message"]
    assert [link[0] for link in links(imei)] == ["2.0", "2.2"]
    assert (
        await put(stack, system, imei, "update_software", {"software": "2.2"})
    ).status_code == 200  # its own lock
    assert (await put(stack, system, imei, "lock_software", {"software": "9.9"})).status_code == 400
    for body in ({"software": None}, None):  # null, or a blank payload, removes the lock
        r = await put(stack, system, imei, "lock_software", body)
        assert r.json() == {
            "status": "success",
            "message": f"#{imei} software_lock is now removed",
            "data": {"software_lock_id": None, "software_lock_name": None},
        }
    assert (await put(stack, system, imei, "update_software", {"software": "2.1"})).status_code == 200


async def test_expire_software_updates(stack, db, system, unit):
    imei = unit.imei
    r = await put(stack, system, imei, "expire_software_updates")
    assert r.json() == {
        "status": "success",
        "message": f"Product {imei} had no pending updates to expire",
        "data": None,
    }
    await put(stack, system, imei, "update_software", {"software": "2.1"})
    await eventually(lambda: _pending_software(stack, imei))
    r = await put(stack, system, imei, "expire_software_updates")
    assert r.json() == {
        "status": "success",
        "message": f"Product {imei} had 1 software update(s) expired",
        "data": None,
    }
    assert links(imei)[-1] == ("2.1", "expired", False, True, 0)
    await workflow_done(stack, imei)  # nothing left to wait for
    assert (await stack.http.get("/v1/rc_data", auth=(imei, unit.device_key))).json()["software"] is None


async def test_update_fails_after_the_configured_attempts(stack, db, system, unit, monkeypatch):
    monkeypatch.setattr(get_settings(), "software_max_update_attempts", 2)
    imei = unit.imei
    unit.installs_updates = False  # this unit never manages to install it
    await put(stack, system, imei, "update_software", {"software": "2.1"})
    for attempt in (1, 2):
        await unit.connect(stack.http)
        await eventually(lambda: links(imei)[-1][-1] == attempt)
        assert links(imei)[-1][1] == "pending"
    await unit.connect(stack.http)  # back on 2.0 after two offers: failed
    await workflow_done(stack, imei)
    assert links(imei) == [("2.0", None, True, False, None), ("2.1", "failed", False, True, 2)]


async def test_the_operators_cancel_expires_a_pending_update(stack, db, system, unit):
    imei = unit.imei
    await put(stack, system, imei, "update_software", {"software": "2.1"})
    await eventually(lambda: _pending_software(stack, imei))
    r = await stack.http.post(f"/v1/products/{imei}/cancel_pending_changes", headers=system)
    assert r.status_code == 200, r.text
    await workflow_done(stack, imei)
    assert links(imei)[-1] == ("2.1", "expired", False, True, 0)
