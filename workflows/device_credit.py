"""What the device workflow keeps about pending payment commands and software: which RC-GETs carried each
command, how long the unit has been silent, and when the SMS fallback is due. Plain state (no Temporal
calls), so DeviceWorkflow stays about orchestration; times come from the workflow's clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.device.models import CommandDelivery, CreditPolicy, PendingCommand, PendingSoftware


class CreditTracker:
    def __init__(self, policy: CreditPolicy) -> None:
        self._policy = policy
        self.commands: dict[str, CommandDelivery] = {}
        self.software: PendingSoftware | None = None
        self.sms_rounds = 0  # SMS rounds sent since the unit was last heard of
        self._silent_since: datetime | None = None

    def update(self, commands: list[PendingCommand], software: PendingSoftware | None, now: datetime) -> None:
        """Take what the database says is pending; keep the counters of commands still pending."""
        before = self.commands
        self.commands = {
            c.transaction_id: CommandDelivery(
                transaction_id=c.transaction_id,
                category=c.category,
                value=c.value,
                status=c.status,
                offered=before[c.transaction_id].offered if c.transaction_id in before else 0,
                sms_sent=before[c.transaction_id].sms_sent if c.transaction_id in before else 0,
            )
            for c in commands
        }
        self.software = software
        if not self.commands:
            self._silent_since, self.sms_rounds = None, 0
        elif self._silent_since is None:
            self._silent_since = now

    @property
    def pending(self) -> bool:
        return bool(self.commands or self.software)

    def connected(self, offered: list[str], now: datetime) -> None:
        """An RC-GET: the offered commands reached the unit; the SMS fallback starts counting again."""
        for transaction_id in offered:
            if transaction_id in self.commands:
                self.commands[transaction_id].offered += 1
        self._silent_since = now if self.commands else None
        self.sms_rounds = 0

    def sms_due_at(self) -> datetime | None:
        if not self.commands or self._silent_since is None or self.sms_rounds >= self._policy.sms_max_rounds:
            return None
        return self._silent_since + timedelta(seconds=self._policy.sms_after_seconds)

    def sms_sent(self, transaction_ids: list[str], now: datetime) -> None:
        self.sms_rounds += 1
        self._silent_since = now
        for transaction_id in transaction_ids:
            if transaction_id in self.commands:
                self.commands[transaction_id].sms_sent += 1

    def describe(self) -> str:
        parts = [
            f"{c.category} {c.value:+d} [{c.transaction_id}] {c.status or 'pending'}, "
            f"in {c.offered} RC-GET(s), {c.sms_sent} SMS"
            for c in self.commands.values()
        ]
        if self.software is not None:
            parts.append(f"software {self.software.name} (offered {self.software.update_attempts}x)")
        due = self.sms_due_at()
        if due is not None:
            parts.append(f"SMS fallback at {due:%Y-%m-%d %H:%M:%S}")
        return "; ".join(parts)
