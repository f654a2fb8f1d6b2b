"""Webhooks never reach the host's own services or private networks (SSRF), at subscribe time and
again at send time after DNS resolution, unless the allow-list setting names the address."""

from __future__ import annotations

import ipaddress

import httpx
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.webhooks import WebhookActivities
from contracts.webhooks import SendRequest
from core.settings import get_settings
from domain.permissions import Permission
from domain.webhooks.addresses import AddressPolicy, RefusedAddress
from tests.utils.factories import auth_headers, make_product
from tests.webhooks.helpers import only_delivery, publish_final_balance

STRICT = AddressPolicy()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "::1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "fe80::1",
        "224.0.0.1",
        "ff02::1",
        "0.0.0.0",
        "::",
        "::ffff:127.0.0.1",
        "100.64.0.1",
        "fc00::1",
    ],
)
def test_inside_addresses_are_refused(address):
    assert STRICT.refusal(ipaddress.ip_address(address)) is not None
    with pytest.raises(RefusedAddress):
        STRICT.resolve(address, 80)


def test_public_addresses_pass_and_the_allow_list_opens_named_networks():
    assert STRICT.refusal(ipaddress.ip_address("93.184.216.34")) is None
    assert STRICT.refusal(ipaddress.ip_address("2606:2800:220:1::1")) is None
    policy = AddressPolicy.parse("127.0.0.1, 10.8.0.0/16")
    assert policy.refusal(ipaddress.ip_address("127.0.0.1")) is None
    assert policy.refusal(ipaddress.ip_address("10.8.3.4")) is None
    assert policy.refusal(ipaddress.ip_address("127.0.0.2")) is not None
    assert policy.refusal(ipaddress.ip_address("10.9.0.1")) is not None


def test_a_name_is_checked_after_resolution():
    with pytest.raises(RefusedAddress, match="loopback"):
        STRICT.resolve("localhost", 80)
    assert str(AddressPolicy.parse("127.0.0.0/8,::1").resolve("localhost", 80)) in ("127.0.0.1", "::1")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8233/",
        "http://localhost:8000/v1/home",
        "http://[::1]/",
        "http://169.254.169.254/x",
        "http://10.0.0.5/hook",
        "http://0.0.0.0:7233/",
        "ftp://example.com/x",
        "file:///etc/passwd",
    ],
)
def test_subscribe_refuses_inside_addresses_and_other_schemes(client, db, channels, monkeypatch, url):
    monkeypatch.setattr(get_settings(), "webhook_allowed_networks", "")
    r = client.post(
        "/v1/channels/product-status/subscribe", json={"url": url}, headers=auth_headers(db, Permission.ADMIN)
    )
    assert r.status_code == 400, r.text
    assert r.json()["status"] == "validation-error" and "url" in r.json()["validation_errors"]


def _delivery_to(client, db, receiver, path: str) -> SendRequest:
    """A subscription (made while loopback is allowed, as tests do) and one event for it."""
    url = receiver.url(path)
    r = client.post(
        "/v1/channels/dcm/subscribe", json={"url": url}, headers=auth_headers(db, Permission.ADMIN)
    )
    assert r.status_code == 201, r.text
    receiver.keys[url] = r.json()["data"]["key"]
    publish_final_balance(db, make_product(db))
    return SendRequest(delivery_uuid=only_delivery().delivery_uuid, run_number=1, timeout_seconds=5)


def test_send_time_refuses_an_address_the_policy_no_longer_allows(client, db, channels, receiver):
    request = _delivery_to(client, db, receiver, "/inside")
    activities = WebhookActivities(httpx.Client(trust_env=False), STRICT)
    with pytest.raises(ApplicationError) as refused:
        ActivityEnvironment().run(activities.send, request)
    assert refused.value.non_retryable and "loopback" in str(refused.value)
    assert receiver.all() == []  # nothing was sent
    db.expire_all()
    assert "refused" in only_delivery().last_error


def test_send_connects_to_the_checked_address_with_the_urls_host(client, db, channels, receiver):
    receiver.host_name = "localhost"
    request = _delivery_to(client, db, receiver, "/named")
    activities = WebhookActivities(httpx.Client(trust_env=False), AddressPolicy.parse("127.0.0.1"))
    assert ActivityEnvironment().run(activities.send, request) == "delivered"
    (got,) = receiver.accepted("/named")
    assert got.headers["host"].startswith("localhost:")  # signed for the url as given


def test_a_failed_send_keeps_a_status_line_not_the_answer(client, db, channels, receiver):
    request = _delivery_to(client, db, receiver, "/fails")
    receiver.respond = lambda _n: 500
    receiver.answer_body = b"internal secrets of the host"
    activities = WebhookActivities(httpx.Client(trust_env=False), AddressPolicy.parse("127.0.0.0/8"))
    with pytest.raises(ApplicationError):
        ActivityEnvironment().run(activities.send, request)
    db.expire_all()
    assert only_delivery().last_error == "HTTP 500 Internal Server Error"
