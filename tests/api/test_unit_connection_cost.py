"""A unit's connection with nothing waiting for it (nearly every connection) costs one read for RC-GET and a
read plus its writes for RC-POST, and never reaches Temporal; with something pending, or a report owed
since an outage, RC-GET reports to the unit's workflow."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from clients.temporal import WorkflowUnavailable
from core.clock import utcnow
from db.models.history import EnableHistory
from db.models.product import Product
from db.session import get_engine
from domain.device.outstanding import owe_report, unit_columns_with_outstanding
from domain.permissions import Permission
from tests.utils.factories import auth_headers, make_product, run_software, unit_auth

REPORT = {"enable_flag": False, "tamper_flag": False, "software": "2.0"}


class CountingTemporal:
    """Stands for the app's Temporal client: counts every use and answers it like an outage."""

    def __init__(self) -> None:
        self.uses: list[str] = []

    def __getattr__(self, name: str):
        self.uses.append(name)
        raise WorkflowUnavailable(f"no Temporal in this test ({name})")


@pytest.fixture
def temporal(app):
    counting = CountingTemporal()
    app.state.temporal_client = counting
    return counting


@contextmanager
def statements():
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.split(None, 1)[0].upper())

    engine = get_engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_nothing_pending_costs_one_read_and_no_temporal(client, db, temporal):
    unit = make_product(db)
    run_software(db, unit, "2.0")
    with statements() as seen:
        answer = client.get("/v1/rc_data", auth=unit_auth(unit))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "enable_flag": False,
        "tamper_flag": False,
        "software": None,
        "payment_commands": [],
        "parameters": [],
        "part_parameters": [],
    }
    assert seen == ["SELECT"]
    with statements() as seen:
        posted = client.post("/v1/rc_data", json=REPORT | {"enable_flag": True}, auth=unit_auth(unit))
    assert posted.status_code == 200, posted.text
    assert seen == ["SELECT", "INSERT", "UPDATE"]  # the locked row; the connection; the row's new flags
    db.expire_all()
    assert db.get(Product, unit.product_imei).current_enable_flag is True
    assert temporal.uses == []


def test_a_pending_change_is_reported_to_the_units_workflow(client, db, temporal):
    unit = make_product(db)
    headers = auth_headers(db, Permission.TECHNICAL)
    assert client.put(f"/v1/products/{unit.product_imei}/enable", headers=headers).status_code == 503
    temporal.uses.clear()
    answer = client.get("/v1/rc_data", auth=unit_auth(unit))
    assert answer.status_code == 200 and answer.json()["enable_flag"] is True
    assert temporal.uses  # outage or not, the unit has its answer; the next RC-GET reports again


def test_a_report_that_settles_nothing_still_records_new_software(client, db, temporal):
    unit = make_product(db)
    run_software(db, unit, "2.0")
    run_software(db, unit, "2.1")  # installed now; the unit reports 2.0 again (it rolled back)
    with statements() as seen:
        assert client.post("/v1/rc_data", json=REPORT, auth=unit_auth(unit)).status_code == 200
    assert seen.count("INSERT") == 2  # the connection and the software link
    assert temporal.uses == []


def test_an_owed_report_is_made_with_nothing_pending_and_stays_owed_while_it_fails(client, db, temporal):
    unit = make_product(db)
    run_software(db, unit, "2.0")
    owe_report(db, unit.product_imei, utcnow())  # an earlier report was lost
    db.commit()
    with statements() as seen:
        answer = client.get("/v1/rc_data", auth=unit_auth(unit))
    assert answer.status_code == 200, answer.text
    assert seen[0] == "SELECT" and "DELETE" not in seen  # the one read says it is owed; not cleared
    assert temporal.uses  # it tried to report
    assert unit_columns_with_outstanding(db, unit.product_imei)[1].owed_reports == 2


def test_an_rc_get_settling_an_enable_writes_it_in_few_statements(client, db, temporal):
    """The settling RC-GET's own transaction: the locked unit with its latest history rows and state in one
    read, the `enabled` row, the (empty) webhook subscribers, the unit's new flags; one UPDATE for all."""
    unit = make_product(db)
    headers = auth_headers(db, Permission.TECHNICAL)
    client.put(f"/v1/products/{unit.product_imei}/enable", headers=headers)
    with statements() as seen:
        answer = client.get("/v1/rc_data", auth=unit_auth(unit))
    assert answer.status_code == 200 and answer.json()["enable_flag"] is True
    assert seen[:5] == ["SELECT", "SELECT", "INSERT", "SELECT", "UPDATE"], seen
    assert seen[5:] == ["INSERT"]  # Temporal is out in this test: the report to the workflow is owed
    db.expire_all()
    product = db.get(Product, unit.product_imei)
    assert product.current_enable_flag is True
    latest = db.get(EnableHistory, product.latest_enable_history_id)  # the new row, not the pending one
    assert (latest.prev_enable_state, latest.current_enable_state) == ("pending_enabled", "enabled")
