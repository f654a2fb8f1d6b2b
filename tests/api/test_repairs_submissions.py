"""send_inputs / send_events: bad submissions refused with per-input errors (in the caller's language)
and no trace, retried submissions applied once."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from db.models.repair import RepairSymptomTypeLinker, RepairWorkflowEvent
from tests.utils.repair_data import RepairApi, technician, unit_in_repair

INVALID = "Your request contained invalid data. See 'data' or 'validation_errors' for exact details"


def count(db, model, repair_id: int) -> int:
    return db.scalar(select(func.count()).select_from(model).where(model.repair_id == repair_id))


async def history_ids(stack, repair_id: int) -> list[int]:
    handle = stack.client.get_workflow_handle(f"repair/{repair_id}")
    return [e.event_id async for e in handle.fetch_history_events()]


async def opened(stack, db, language: str | None = None):
    unit = unit_in_repair(db)
    _, headers = technician(db)
    api = RepairApi(stack.http, headers, language)
    return unit, api, await api.open(unit.imei)


async def test_invalid_inputs_are_refused_per_input_and_leave_no_trace(stack, db):
    unit, api, repair_id = await opened(stack, db)
    before = await history_ids(stack, repair_id)
    response = await api.send_inputs(
        repair_id, {"arrival_date": "2024-13-01", "symptoms": [999], "voltage": 4}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "validation-error" and body["message"] == INVALID
    assert body["validation_errors"] == {
        "arrival_date": "Must be a date or time as HH:MM:SS, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ.",
        "symptoms": "Choose only among the options offered.",
        "voltage": "Unknown input for this step.",
    }
    assert body["data"] == body["validation_errors"]
    await api.step(repair_id, "inputs", {"arrival_date": "2024-03-01"})
    missing = (await api.send_inputs(repair_id, {"battery_voltage": 15.5})).json()["validation_errors"]
    assert missing == {"battery_voltage": "Must be at most 15.", "usb_diag_result": "This value is required."}
    step = (await api.send_inputs(repair_id, {"usb_diag_result": "maybe", "battery_voltage": 12.345})).json()
    assert step["validation_errors"] == {
        "usb_diag_result": "Choose one of the options offered.",
        "battery_voltage": "Must be in steps of 0.01.",
    }
    assert await api.ident(repair_id) == "usb_diag_test"
    accepted = await history_ids(stack, repair_id)
    assert len(accepted) > len(before)  # the one valid step; the refused ones added nothing:
    await api.send_inputs(repair_id, {"usb_diag_result": 3})
    assert await history_ids(stack, repair_id) == accepted
    assert count(db, RepairWorkflowEvent, repair_id) == 1


async def test_validation_messages_in_french(stack, db):
    _, api, repair_id = await opened(stack, db, "fr-FR")
    await api.step(repair_id, "inputs", {"arrival_date": "2024-03-01"})
    body = (await api.send_inputs(repair_id, {"usb_diag_result": "pass", "battery_voltage": 15.25})).json()
    assert (
        body["message"]
        == "Votre requête contient des données invalides. Voir 'data' ou 'validation_errors' pour le détail"
    )
    assert body["validation_errors"] == {"battery_voltage": "Doit être inférieur ou égal à 15."}
    body = (await api.send_inputs(repair_id, {"usb_diag_result": "pass", "battery_voltage": 0.005})).json()
    assert body["validation_errors"] == {"battery_voltage": "Doit être un multiple de 0,01."}
    body = (await api.send_event(repair_id, "battery.charged")).json()
    assert body["validation_errors"] == {
        "event": "L'événement battery.charged n'est pas autorisé à cette étape."
    }


async def test_events_not_allowed_in_this_state(stack, db):
    _, api, repair_id = await opened(stack, db)
    before = await history_ids(stack, repair_id)
    response = await api.send_event(repair_id, "battery.charged")
    assert response.status_code == 400
    assert response.json()["validation_errors"] == {
        "event": "The event battery.charged is not allowed in this step."
    }
    malformed = await api.http.put(
        f"/v1/repairs/{repair_id}/send_events", json={"evt": "x"}, headers=api.headers
    )
    # The body's shape is the schema's to refuse: one `event`, nothing else.
    assert malformed.status_code == 400
    assert set(malformed.json()["validation_errors"]) == {"event", "evt"}
    assert await history_ids(stack, repair_id) == before
    assert await api.ident(repair_id) == "ss_state_check"


async def test_bad_requests_answer_400_or_404_in_the_envelope(stack, db):
    _, api, repair_id = await opened(stack, db)
    url = f"/v1/repairs/{repair_id}/send_inputs"
    not_json = await api.http.put(
        url, content=b"{arrival", headers={**api.headers, "Content-Type": "application/json"}
    )
    assert not_json.status_code == 400 and not_json.json()["message"].startswith(
        "The request body is not valid JSON"
    )
    assert (await api.http.put(url, content=b"", headers=api.headers)).status_code == 400
    assert (await api.send_inputs(repair_id, [1, 2])).status_code == 400
    assert (await api.send_inputs(repair_id, "2024-01-01")).status_code == 400
    assert (await api.send_inputs(repair_id, {})).json()["validation_errors"] == {
        "inputs": "No inputs were sent."
    }
    # The doc writes its payloads as a list of pairs: a list of one-key objects is read as one object.
    assert (await api.send_inputs(repair_id, [{"arrival_date": "2024-03-01"}])).status_code == 200
    assert (await api.current_state(0)).status_code == 400
    assert (await api.http.get("/v1/repairs/abc/current_state", headers=api.headers)).status_code == 400
    missing = await api.current_state(repair_id + 999)
    assert missing.status_code == 404 and missing.json()["message"] == f"Repair {repair_id + 999} not found"


async def test_a_retried_submission_is_applied_once(stack, db):
    unit, api, repair_id = await opened(stack, db)
    payload = {"arrival_date": "2024-03-01", "symptoms": [unit.catalog.symptom_id("no_light")]}
    for _ in range(3):  # the app lost the answer and sent it again
        response = await api.send_inputs(repair_id, payload)
        assert response.status_code == 200, response.text
    assert await api.ident(repair_id) == "usb_diag_test"
    assert count(db, RepairWorkflowEvent, repair_id) == 1
    assert count(db, RepairSymptomTypeLinker, repair_id) == 1


async def test_concurrent_copies_of_a_submission_are_applied_once(stack, db):
    unit, api, repair_id = await opened(stack, db)
    await api.step(repair_id, "inputs", {"arrival_date": "2024-03-01"})
    payload = {"usb_diag_result": "pass", "battery_voltage": 12.0}
    responses = await asyncio.gather(*(api.send_inputs(repair_id, payload) for _ in range(4)))
    assert [r.status_code for r in responses] == [200] * 4
    assert await api.ident(repair_id) == "battery_test"
    assert count(db, RepairWorkflowEvent, repair_id) == 2


async def test_an_idempotency_key_is_never_applied_twice(stack, db):
    _, api, repair_id = await opened(stack, db)
    key = {"Idempotency-Key": "tablet-7/req-0001"}
    assert (await api.send_inputs(repair_id, {"arrival_date": "2024-03-01"}, **key)).status_code == 200
    await api.step(repair_id, "inputs", {"usb_diag_result": "pass", "battery_voltage": 12.0})
    await api.step(repair_id, "inputs", {"battery_test_result": "pass"})
    # Much later the first request arrives again: the repair is elsewhere, nothing is applied.
    late = await api.send_inputs(repair_id, {"arrival_date": "2024-03-01"}, **key)
    assert late.status_code == 200
    assert await api.ident(repair_id) == "charge"
    assert count(db, RepairWorkflowEvent, repair_id) == 3
    event_key = {"Idempotency-Key": "tablet-7/req-0002"}
    for _ in range(2):
        assert (await api.send_event(repair_id, "battery.charged", **event_key)).status_code == 200
    assert await api.ident(repair_id) == "clean"
    assert count(db, RepairWorkflowEvent, repair_id) == 4
