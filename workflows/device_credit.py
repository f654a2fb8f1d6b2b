"""What the device workflow keeps about pending payment commands and software: which RC-GETs carried each
command, how long the unit has been silent, and when the SMS fallback is due. Plain state (no Temporal
calls) kept in a `CreditState`, so it is carried through continue-as-new; times come from the workflow's
clock. Runs started before payment commands and software existed follow none of it: `IgnoredCredit`."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from contracts.device import CommandDelivery, CreditPolicy, CreditState, PendingCommand, PendingSoftware


class CreditTracker:
    follows_database = True  # reloads what is pending when told something was written

    def __init__(self, policy: CreditPolicy, state: CreditState) -> None:
        self._policy = policy
        self.state = state

    @property
    def commands(self) -> dict[str, CommandDelivery]:
        return self.state.commands

    @property
    def software(self) -> PendingSoftware | None:
        return self.state.software

    @property
    def sms_rounds(self) -> int:
        return self.state.sms_rounds

    def update(self, commands: list[PendingCommand], software: PendingSoftware | None, now: datetime) -> None:
        """Take what the database says is pending; keep the counters of commands still pending."""
        state, before = self.state, self.state.commands
        state.commands = {
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
        state.software = software
        if not state.commands:
            state.silent_since, state.sms_rounds = None, 0
        elif state.silent_since is None:
            state.silent_since = now

    @property
    def pending(self) -> bool:
        return bool(self.state.commands or self.state.software)

    def connected(self, offered: list[str], now: datetime) -> None:
        """An RC-GET: the offered commands reached the unit; the SMS fallback starts counting again."""
        for transaction_id in offered:
            if transaction_id in self.state.commands:
                self.state.commands[transaction_id].offered += 1
        self.state.silent_since = now if self.state.commands else None
        self.state.sms_rounds = 0

    def sms_due_at(self) -> datetime | None:
        state = self.state
        if (
            not state.commands
            or state.silent_since is None
            or state.sms_rounds >= self._policy.sms_max_rounds
        ):
            return None
        return state.silent_since + timedelta(seconds=self._policy.sms_after_seconds)

    def sms_sent(self, transaction_ids: list[str], now: datetime) -> None:
        self.state.sms_rounds += 1
        self.state.silent_since = now
        for transaction_id in transaction_ids:
            if transaction_id in self.state.commands:
                self.state.commands[transaction_id].sms_sent += 1

    def describe(self) -> str:
        parts = [
            f"{c.category} {c.value:+d} [{c.transaction_id}] {c.status or 'pending'}, "
            f"in {c.offered} RC-GET(s), {c.sms_sent} SMS"
            for c in self.state.commands.values()
        ]
        if self.state.software is not None:
            parts.append(
                f"software {self.state.software.name} (offered {self.state.software.update_attempts}x)"
            )
        due = self.sms_due_at()
        if due is not None:
            parts.append(f"SMS fallback at {due:%Y-%m-%d %H:%M:%S}")
        return "; ".join(parts)


class IgnoredCredit(CreditTracker):
    """A run started before payment commands and software were followed: it keeps none of it, so its
    history replays the way it was recorded."""

    follows_database = False

    def update(self, commands: list[PendingCommand], software: PendingSoftware | None, now: datetime) -> None:
        pass

    @property
    def pending(self) -> bool:
        return False

    def connected(self, offered: list[str], now: datetime) -> None:
        pass

    def sms_due_at(self) -> datetime | None:
        return None
