"""The doc's timestamp forms, to nanoseconds and back (pure rules)."""

from __future__ import annotations

import pytest

from domain.telemetry import timestamps

DAY = 1472688000 * 10**9  # 2016-09-01T00:00:00Z


@pytest.mark.parametrize(
    "value, ns",
    [
        (1472688000000, DAY),
        ("1472688000000", DAY),
        (1475685693839, 1475685693839 * 10**6),
        ("2016-09-01T00:00:00Z", DAY),
        ("2016-09-01T00:00:00.000000001Z", DAY + 1),
        ("2016-09-01 00:00:00.123456789", DAY + 123456789),
        ("2016-09-01T02:00:00+02:00", DAY),
        ("2016-09-01", DAY),
        ("Thu, September 1st 2016", DAY),
        ("Tue, October 4th 2016", DAY + 33 * 86400 * 10**9),
    ],
)
def test_forms(value, ns):
    assert timestamps.to_ns(value) == ns


@pytest.mark.parametrize("value", ["", "soon", True, None, [1], "x" * 100, 10**20])
def test_refused(value):
    with pytest.raises(timestamps.BadTimestamp):
        timestamps.to_ns(value)


def test_text_trims_the_fraction():
    assert timestamps.to_text(DAY) == "2016-09-01T00:00:00Z"
    assert timestamps.to_text(DAY + 120_000_000) == "2016-09-01T00:00:00.12Z"
