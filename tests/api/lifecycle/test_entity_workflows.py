"""An entity change reaches the unit's running workflows: their `EntityId` search attribute follows."""

from __future__ import annotations

import asyncio

from contracts.device import device_workflow_id
from contracts.search import ENTITY_ID
from domain.permissions import Permission
from tests.api.factory.conftest import pcb_payload
from tests.utils.factories import auth_headers, make_entity, reference_data


async def entity_id_of(handle) -> int | None:
    return (await handle.describe()).typed_search_attributes.get(ENTITY_ID)


async def test_assign_and_remove_entity_update_the_running_device_workflow(stack, db):
    reference_data(db)
    admin = auth_headers(db, Permission.SYSTEM)
    payload = pcb_payload(41)
    assert (await stack.http.post("/v1/products/create_hub2", json=payload, headers=admin)).status_code == 200
    imei = payload["imei"]
    assert (await stack.http.put(f"/v1/products/{imei}/enable", headers=admin)).status_code == 200
    handle = stack.client.get_workflow_handle(device_workflow_id(imei))
    assert await entity_id_of(handle) == 1  # Unknown Entity, as the unit had no other

    entity = make_entity(db, "Kenya")
    r = await stack.http.put(
        f"/v1/products/{imei}/assign_entity", json={"entity_id": entity.entity_id}, headers=admin
    )
    assert r.status_code == 200, r.text
    for _ in range(50):
        if await entity_id_of(handle) == entity.entity_id:
            break
        await asyncio.sleep(0.1)
    assert await entity_id_of(handle) == entity.entity_id

    await stack.http.put(
        f"/v1/products/{imei}/remove_entity", json={"entity_id": entity.entity_id}, headers=admin
    )
    for _ in range(50):
        if await entity_id_of(handle) == 1:
            break
        await asyncio.sleep(0.1)
    assert await entity_id_of(handle) == 1
