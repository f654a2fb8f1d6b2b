"""SimulatedSmsGateway: the default SMS gateway. It records every SMS and, when a simulated fleet is
listening (`SMARTSOLAR_SMS_SIMULATOR_URL`), hands it to that fleet's network, which wakes the unit and
posts the delivery receipt back to the API, as a real provider would."""

from __future__ import annotations

import itertools
import logging
import threading
import uuid
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SentSms:
    imei: str
    imsi: str
    message: str
    message_reference: str


class SimulatedSmsGateway:
    def __init__(self, network_url: str = "") -> None:
        self._network_url = network_url
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self.sent: list[SentSms] = []

    def send(self, *, imei: str, imsi: str, message: str) -> str:
        reference = f"/sim/{uuid.uuid4().hex[:16]}/{next(self._counter)}"
        sms = SentSms(imei=imei, imsi=imsi, message=message, message_reference=reference)
        with self._lock:
            self.sent.append(sms)
        if self._network_url:
            try:
                httpx.post(f"{self._network_url}/sms", json=sms.__dict__, timeout=5)
            except httpx.HTTPError as exc:  # the fleet being down is the same as a phone out of coverage
                log.warning("simulated network unreachable for %s: %s", imei, exc)
        return reference
