"""Failed logins and wrong device keys are limited per username / imei and per client address:
429 with Retry-After, checked before the secret, and every failure recorded."""

from __future__ import annotations

import logging

from domain.attempts import failed_attempts
from tests.utils.factories import make_product, make_user

LIMIT = 10  # the default per username and per imei


def login(client, username, password):
    return client.post("/v1/auth/login", data={"username": username, "password": password})


def test_failed_logins_are_limited_per_username(client, db, caplog):
    make_user(db, username="known@example.com", password="right")
    with caplog.at_level(logging.WARNING):
        for _ in range(LIMIT):
            assert login(client, "known@example.com", "wrong").status_code == 401
    assert caplog.text.count("failed login attempt: username='known@example.com'") == LIMIT
    assert "wrong" not in caplog.text.replace("known@example.com", "")
    limited = login(client, "known@example.com", "right")  # even the right password waits
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["status"] == "error"


def test_failed_logins_are_limited_per_address(client, db):
    make_user(db, username="other@example.com", password="right")
    for n in range(50):
        assert login(client, f"guess{n}@example.com", "x").status_code == 401
    assert login(client, "other@example.com", "right").status_code == 429
    failed_attempts().reset()
    assert login(client, "other@example.com", "right").status_code == 200


def test_wrong_device_keys_are_limited_per_imei(client, db):
    unit = make_product(db)
    for _ in range(LIMIT):
        assert client.get("/v1/rc_data", auth=(unit.product_imei, "wrong")).status_code == 401
    for method, path in (("get", "/v1/rc_data"), ("post", "/v1/rc_data"), ("post", "/v1/rm_data")):
        r = getattr(client, method)(path, auth=(unit.product_imei, unit.raw_device_key))
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1, path
