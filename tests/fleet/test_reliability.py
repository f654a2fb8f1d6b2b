"""connectivity_reliability_rate: the doc's pessimistic count for regular, sparse and bursty histories,
the cap, the defaults, both date formats, query or JSON body, and each 400."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from domain.errors import ValidationFailed
from domain.fleet import reliability
from domain.permissions import Permission
from tests.utils.factories import make_product
from tests.utils.fleet_data import connect, headers
from tests.utils.response_schema import assert_conforms

NOW = datetime(2026, 6, 1, 12, 0, 0)
WEEK = timedelta(days=7)


@pytest.mark.parametrize(
    ("connections", "span", "expected"),
    [
        (42, WEEK, 1.0),  # regular: every 4 hours for 7 days
        (36, WEEK, 0.86),  # 36 / 42
        (10, WEEK, 0.24),  # sparse
        (400, WEEK, 1.0),  # bursty (wake-ups): capped
        (1, timedelta(hours=7), 1.0),  # the doc: a 7-hour window expects one connection
        (2, timedelta(hours=7, minutes=59), 1.0),
        (1, timedelta(hours=8), 0.5),
        (0, timedelta(hours=3), 0.0),  # under 4 hours still expects one
        (0, timedelta(0), 0.0),
    ],
)
def test_rate(connections, span, expected):
    assert reliability.rate(connections, span) == expected


def test_window_defaults_and_formats():
    assert reliability.window(None, None, NOW) == reliability.Window(NOW - WEEK, NOW)
    iso = reliability.window("2026-05-01T00:00:00", "2026-05-02T06:30:00.5", NOW)
    plain = reliability.window("2026-05-01 00:00:00", "2026-05-02 06:30:00.5", NOW)
    assert iso == plain == reliability.Window(datetime(2026, 5, 1), datetime(2026, 5, 2, 6, 30, 0, 500000))
    zoned = reliability.window("2026-05-01T02:00:00+02:00", None, NOW)
    assert zoned.start == datetime(2026, 5, 1)
    assert reliability.window(None, "2026-05-30 00:00:00", NOW).start == NOW - WEEK


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (None, "2026-06-01 12:00:01", "end"),  # in the future
        ("2026-05-02 00:00:00", "2026-05-01 00:00:00", "end"),  # before start
        ("yesterday", None, "start"),
        ("01/05/2026", None, "start"),
        (None, 1717243200, "end"),
    ],
)
def test_window_refusals(start, end, field):
    with pytest.raises(ValidationFailed) as refused:
        reliability.window(start, end, NOW)
    assert set(refused.value.validation_errors) == {field}


@pytest.fixture(scope="module")
def histories(fleet_session, fleet):
    """Three units over the week before `fleet.now`: regular, sparse, bursty."""
    now, session = fleet.now, fleet_session
    units = {kind: make_product(session, entity=fleet.entity_a) for kind in ("regular", "sparse", "bursty")}
    for hours in range(0, 7 * 24, 4):
        connect(session, units["regular"], now - timedelta(hours=hours, minutes=30))
    for day in (1, 4):
        connect(session, units["sparse"], now - timedelta(days=day))
    for minute in range(60):  # a wake-up storm on one afternoon, then silence
        connect(session, units["bursty"], now - timedelta(days=2, minutes=minute))
    return units


def rate(api, auth, imei, status=200, body=None, **params):
    url = f"/v1/products/{imei}/connectivity_reliability_rate"
    response = api.request(
        "GET", url, params=params, headers=auth, content=json.dumps(body) if body else None
    )
    assert response.status_code == status, response.text
    return assert_conforms(response, "/v1/products/{imei}/connectivity_reliability_rate")


@pytest.fixture(scope="module")
def overview(fleet_session):
    return headers(fleet_session, Permission.OVERVIEW)


def test_default_window_per_history(api, overview, histories):
    got = {kind: rate(api, overview, unit.product_imei) for kind, unit in histories.items()}
    assert got["regular"] == {
        "status": "success",
        "message": "Successfully computed product connectivity reliability rate",
        "data": {"connectivity_reliability_rate": 1.0},
    }
    assert got["sparse"]["data"]["connectivity_reliability_rate"] == 0.05  # 2 / 42
    # 60 connections in an hour: capped, as the doc says, though the unit was silent for days
    assert got["bursty"]["data"]["connectivity_reliability_rate"] == 1.0


def test_window_in_query_or_body(api, overview, histories, fleet):
    unit = histories["regular"].product_imei
    start = (fleet.now - timedelta(hours=8)).isoformat()
    end = fleet.now.strftime("%Y-%m-%d %H:%M:%S")
    by_query = rate(api, overview, unit, start=start, end=end)
    by_body = rate(api, overview, unit, body={"start": start, "end": end})
    # 8 hours expect 2; the unit connected at -0:30 and -4:30
    assert by_query["data"] == by_body["data"] == {"connectivity_reliability_rate": 1.0}
    month = rate(api, overview, unit, body={"start": (fleet.now - timedelta(days=28)).isoformat()})
    assert month["data"]["connectivity_reliability_rate"] == 0.25  # one week of four


@pytest.mark.parametrize(
    ("params", "body", "field"),
    [
        ({"end": "2999-01-01 00:00:00"}, None, "end"),
        ({"start": "2026-05-02 00:00:00", "end": "2026-05-01 00:00:00"}, None, "end"),
        ({"start": "last week"}, None, "start"),
        ({"start": "2026-02-30 00:00:00"}, None, "start"),  # typed: a day the calendar lacks is a 400
        ({"end": "2026-05-01T00:00:00+25:00"}, None, "end"),
        ({}, {"end": "2026-05-01T25:00:00"}, "end"),
        ({}, {"start": 5}, "start"),
        ({}, {"begin": "2026-05-01 00:00:00"}, "begin"),
    ],
)
def test_400s(api, overview, histories, params, body, field):
    answer = rate(api, overview, histories["regular"].product_imei, status=400, body=body, **params)
    assert field in answer["validation_errors"]


def test_body_must_be_an_object(api, overview, histories):
    url = f"/v1/products/{histories['regular'].product_imei}/connectivity_reliability_rate"
    assert api.request("GET", url, headers=overview, content="[1, 2]").status_code == 400
    assert api.request("GET", url, headers=overview, content="{oops").status_code == 400


def test_unknown_and_other_entitys_units_are_404(api, fleet_session, fleet, histories):
    entity_b_user = headers(fleet_session, Permission.OVERVIEW, fleet.entity_b)
    assert rate(api, entity_b_user, histories["regular"].product_imei, status=404)["status"] == "error"
    assert rate(api, entity_b_user, "999999999999999", status=404)["status"] == "error"
    assert rate(api, entity_b_user, fleet.other.product_imei)["status"] == "success"
