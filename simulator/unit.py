"""A simulated unit: it speaks the unit protocol (RC-POST then RC-GET) and obeys what RC-GET tells it.

As a DCM unit it keeps its own balance (seconds of credit), applies each payment command once (by
transaction_id, in order, flooring at 0), and acknowledges it in its next RC-POST, again each time it is
offered (so a lost report costs nothing); a zero-command is answered with the final balance. An offered
software update is installed before the next report, unless the unit is told to refuse updates. Offered
parameters (its own and its parts') are applied at once, and every report lists what it runs.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx


@dataclass
class SimulatedUnit:
    imei: str
    device_key: str
    software: str = "3.6"
    enable_flag: bool = False
    tamper_flag: bool = False
    connections: int = 0
    sms_received: int = 0
    errors: list[str] = field(default_factory=list)
    balance: int = 0
    installs_updates: bool = True
    applied: dict[str, int | None] = field(
        default_factory=dict
    )  # transaction_id -> final balance (zero-commands)
    readings_per_post: int = 12  # 5-minute readings posted with each connection (the last hour)
    parameters: dict[str, str] = field(default_factory=dict)  # parameter_type name -> value
    part_parameters: dict[tuple[int, str], str] = field(default_factory=dict)  # (part_id, type) -> value
    _acks: list[str] = field(default_factory=list)
    _final: dict | None = None

    def report(self) -> dict:
        body = {"enable_flag": self.enable_flag, "tamper_flag": self.tamper_flag, "software": self.software}
        if self.applied:  # a DCM unit reports its balance and what it applied
            body["balance"] = self.balance
            body["payment_acks"] = list(self._acks)
        if self._final is not None:
            body["final_balance"] = self._final
        if self.parameters:
            body["parameters"] = [{"parameter_type": t, "value": v} for t, v in self.parameters.items()]
        if self.part_parameters:
            body["part_parameters"] = [
                {"part_id": part_id, "parameter_type": t, "value": v}
                for (part_id, t), v in self.part_parameters.items()
            ]
        return body

    def take_parameters(self, desired: dict) -> None:
        for item in desired.get("parameters") or []:
            self.parameters[item["parameter_type"]] = item["value"]
        for item in desired.get("part_parameters") or []:
            self.part_parameters[(item["part_id"], item["parameter_type"])] = item["value"]

    def use(self, seconds: int) -> None:
        """Time passes with the unit on: credit is used."""
        self.balance = max(0, self.balance - seconds)

    def take_commands(self, commands: list[dict]) -> None:
        for command in commands:
            transaction_id = command["transaction_id"]
            if transaction_id not in self.applied:
                self.applied[transaction_id] = self._apply(command["category"], int(command["value"]))
            final = self.applied[transaction_id]
            if final is not None:
                self._final = {"transaction_id": transaction_id, "balance": final}
            elif transaction_id not in self._acks:
                self._acks.append(transaction_id)

    def take_sms(self, message: str) -> bool:
        """A `DCM <transaction_id> <category> <value>` SMS: the same command as in an RC-GET."""
        parts = message.split()
        if len(parts) != 4 or parts[0] != "DCM":
            return False
        self.take_commands([{"transaction_id": parts[1], "category": parts[2], "value": parts[3]}])
        return True

    def _apply(self, category: str, value: int) -> int | None:
        if category == "zero-command":
            final, self.balance = self.balance, 0
            return final
        self.balance = 0 if category == "force-reset" else max(0, self.balance + value)
        return None

    async def connect(self, http: httpx.AsyncClient) -> None:
        """One connection cycle: tell the system what it is, then take what it should be."""
        auth = (self.imei, self.device_key)
        posted = await http.post("/v1/rc_data", json=self.report(), auth=auth)
        if posted.status_code != 200:
            self.errors.append(f"RC-POST {posted.status_code}")
            return
        self._acks, self._final = [], None  # reported; offered again, they are acknowledged again
        answer = await http.get("/v1/rc_data", auth=auth)
        if answer.status_code != 200:
            self.errors.append(f"RC-GET {answer.status_code}")
            return
        desired = answer.json()
        self.enable_flag = desired["enable_flag"]
        self.tamper_flag = desired["tamper_flag"]
        self.take_commands(desired.get("payment_commands") or [])
        self.take_parameters(desired)
        if desired.get("software") and self.installs_updates:
            self.software = desired["software"]["name"]
        self.connections += 1
        await self.post_telemetry(http, datetime.now(UTC))

    def readings(self, now: datetime) -> dict:
        """The last hour of 5-minute readings, as a solar home system's day looks: the panel charges by day,
        the battery's charge and voltage follow, lights draw current in the evening."""
        fields: dict[str, list] = {
            "voltage": [],
            "current": [],
            "temperature": [],
            "state_of_charge_percent": [],
        }
        for i in range(self.readings_per_post):
            moment = now - timedelta(minutes=5 * (self.readings_per_post - 1 - i))
            hour = moment.hour + moment.minute / 60
            sun = max(0.0, math.sin((hour - 6) / 12 * math.pi))
            charge = 50 + 40 * math.sin((hour - 10) / 24 * 2 * math.pi)
            stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
            fields["voltage"].append(
                [stamp, round(11.8 + 2.4 * charge / 100 + random.uniform(-0.05, 0.05), 3)]
            )
            fields["current"].append([stamp, round(1.5 * sun - (0.8 if 18 <= hour <= 23 else 0.1), 3)])
            fields["temperature"].append([stamp, round(22 + 8 * sun + random.uniform(-0.5, 0.5), 2)])
            fields["state_of_charge_percent"].append([stamp, int(charge)])
        return {"measurement": "telemetry", "fields": fields}

    async def post_telemetry(self, http: httpx.AsyncClient, now: datetime) -> None:
        """RM-POST: the readings since the last connection."""
        posted = await http.post("/v1/rm_data", json=self.readings(now), auth=(self.imei, self.device_key))
        if posted.status_code != 200:
            self.errors.append(f"RM-POST {posted.status_code}")
