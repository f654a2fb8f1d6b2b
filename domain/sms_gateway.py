"""The SMS gateway: the one way SMS leave the system. Two implementations: `HttpSmsGateway` (a real
provider, configured by URL and key) and `simulator.sms_gateway.SimulatedSmsGateway` (the default)."""

from __future__ import annotations

from typing import Protocol

import httpx

from domain.errors import AppError


class SmsGateway(Protocol):
    def send(self, *, imei: str, imsi: str, message: str) -> str:
        """Send `message` to the unit's SIM; returns the provider's message reference."""
        ...


class SmsGatewayError(AppError):
    status_code = 502


class HttpSmsGateway:
    """POSTs `{"to", "message", "client_ref"}` with a bearer key; expects `{"message_reference": ...}` back.
    Delivery receipts come back to `POST /v1/sms/receipts`."""

    def __init__(self, url: str, key: str, timeout: float = 10.0) -> None:
        self._client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=timeout)

    def send(self, *, imei: str, imsi: str, message: str) -> str:
        response = self._client.post("", json={"to": imsi, "message": message, "client_ref": imei})
        if response.status_code >= 300:
            raise SmsGatewayError(f"SMS gateway answered {response.status_code}")
        reference = response.json().get("message_reference")
        if not reference:
            raise SmsGatewayError("SMS gateway gave no message_reference")
        return str(reference)
