"""The SMS receipt key written in the source authenticates only the simulated gateway."""

from __future__ import annotations

import logging

import pytest

from api.app import create_app
from api.temporal import get_temporal_client
from core.settings import SIMULATED_RECEIPT_KEY, InsecureSettings, Settings, get_settings
from smartsolar.worker import sms_gateway

RECEIPT = {"message_reference": "ref-1"}


def test_a_real_gateway_needs_its_own_receipt_key():
    with pytest.raises(InsecureSettings):
        Settings(sms_gateway_url="https://sms.example.com").check_sms_receipt_key()
    with pytest.raises(InsecureSettings):
        Settings(sms_gateway_url="https://sms.example.com", sms_receipt_key="").check_sms_receipt_key()
    Settings(sms_gateway_url="https://sms.example.com", sms_receipt_key="k" * 32).check_sms_receipt_key()
    Settings().check_sms_receipt_key()  # the simulator with its key


def test_api_and_worker_refuse_to_start_with_the_default_key(monkeypatch):
    monkeypatch.setattr(get_settings(), "sms_gateway_url", "https://sms.example.com")
    with pytest.raises(InsecureSettings):
        create_app()
    with pytest.raises(InsecureSettings):
        sms_gateway(get_settings())


def test_a_worker_without_a_gateway_says_it_uses_the_simulator(caplog):
    with caplog.at_level(logging.WARNING):
        sms_gateway(Settings())
    assert "SIMULATED gateway" in caplog.text


def test_the_default_key_is_refused_once_a_real_gateway_is_configured(app, client, db, monkeypatch):
    app.dependency_overrides[get_temporal_client] = lambda: None  # no receipt here reaches a workflow
    headers = {"X-SMS-Gateway-Key": SIMULATED_RECEIPT_KEY}
    # With the simulator the default key is accepted (an unknown reference then answers 404).
    assert client.post("/v1/sms/receipts", json=RECEIPT, headers=headers).status_code == 404
    monkeypatch.setattr(get_settings(), "sms_gateway_url", "https://sms.example.com")
    assert client.post("/v1/sms/receipts", json=RECEIPT, headers=headers).status_code == 401
    monkeypatch.setattr(get_settings(), "sms_receipt_key", "gateway-own-key")
    assert client.post("/v1/sms/receipts", json=RECEIPT, headers=headers).status_code == 401
    own = {"X-SMS-Gateway-Key": "gateway-own-key"}
    assert client.post("/v1/sms/receipts", json=RECEIPT, headers=own).status_code == 404
