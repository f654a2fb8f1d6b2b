"""ds_interval / ds_function: every function, on both stores, value for value against the same numbers."""

from __future__ import annotations

import statistics

import pytest

from domain.telemetry.query import FUNCTIONS
from tests.telemetry.data import DATASET, read

DAYS = ["2016-01-01T00:00:00Z", "2016-01-02T00:00:00Z", "2016-01-03T00:00:00Z"]
CURRENT_BY_DAY = [DATASET["current"][0:6], DATASET["current"][6:12], DATASET["current"][12:]]
EXPECTED = {  # written out here, apart from the stores' code
    "mean": lambda v: sum(v) / len(v),
    "median": lambda v: (
        sorted(v)[len(v) // 2] if len(v) % 2 else sum(sorted(v)[len(v) // 2 - 1 : len(v) // 2 + 1]) / 2
    ),
    "sum": sum,
    "min": min,
    "max": max,
    "spread": lambda v: max(v) - min(v),
    "stddev": lambda v: statistics.stdev(v) if len(v) > 1 else None,
    "count": len,
    "first": lambda v: v[0],
    "last": lambda v: v[-1],
}


def test_every_function_is_tested():
    assert set(EXPECTED) == set(FUNCTIONS)


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_daily_buckets(client, db, store_backend, unit, headers, dataset, function):
    data = read(
        client,
        unit,
        headers,
        start="2016-01-01",
        end="2016-01-04",
        fields="current",
        ds_interval="1d",
        ds_function=function,
    )
    assert [day for _, day in data["current"]] == DAYS
    assert [v for v, _ in data["current"]] == pytest.approx([EXPECTED[function](v) for v in CURRENT_BY_DAY])


def test_mean_is_the_default_and_empty_buckets_are_left_out(
    client, db, store_backend, unit, headers, dataset
):
    data = read(client, unit, headers, start="2015-12-31T20:00:00", end="2016-01-04", ds_interval="8h")
    temperature = [t for t in DATASET["temperature"]]
    expected = [
        [statistics.fmean([v for v in pair if v is not None]), None]
        for pair in zip(temperature[::2], temperature[1::2] + [None])
    ]
    assert [v for v, _ in data["temperature"]] == pytest.approx([v for v, _ in expected])
    assert data["current"][0] == [pytest.approx((1.234 + 2.234) / 2), "2016-01-01T00:00:00Z"]
    assert len(data["current"]) == 7 and sorted(data) == [
        "current",
        "measurement",
        "tags",
        "temperature",
        "voltage",
    ]
    limited = read(
        client,
        unit,
        headers,
        start="2016-01-01",
        ds_interval="4h",
        ds_function="max",
        where="voltage > 14",
        limit=2,
    )
    # As InfluxDB does it, the limit counts each field's buckets apart (temperature has none at 04:00).
    assert limited["voltage"] == [
        [14.243, "2016-01-01T00:00:00Z"],
        [14.723, "2016-01-01T04:00:00Z"],
        [None, "2016-01-01T08:00:00Z"],
    ]
    assert limited["temperature"] == [
        [21.345, "2016-01-01T00:00:00Z"],
        [None, "2016-01-01T04:00:00Z"],
        [21.345, "2016-01-01T08:00:00Z"],
    ]
