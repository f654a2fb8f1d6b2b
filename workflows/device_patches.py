"""DeviceWorkflow's behaviour added while runs were already in deployments: each behind `workflow.patched`,
decided once at the start of a run, so a run's old history takes its old path on replay.

The names are recorded in running workflows' histories: never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

from temporalio import workflow

# Payment commands, software updates and the SMS fallback (offers, reloads).
CREDIT_AND_SOFTWARE = "device-payment-commands-and-software-updates"
# Waiting for pending parameters (the run stays while one is pending and lists it).
PARAMETERS = "device-parameters"
# RC-GETs heard while the worker was away settle their changes before any wake-up for them is started.
CONNECTIONS_FIRST = "device-connections-before-wakeups"
# RTC units are pushed their pending changes over the broker (workflows/device_rtc.py).
RTC_PUSH = "rtc-push"
# A wake-up child that closed before the run heard of it (ended at a connection, or terminated by an
# operator) is forgotten: a signal that no longer finds it is not the run's failure.
CLOSED_WAKEUP = "device-wakeup-closed-before-its-signal"


@dataclass(frozen=True)
class DevicePatches:
    """Which of the patched behaviours this run has (all of them for a run started on this code)."""

    credit: bool = True
    parameters: bool = True
    connections_first: bool = True
    rtc_push: bool = True
    closed_wakeup: bool = True

    @classmethod
    def of_this_run(cls) -> DevicePatches:
        """Asked in this order at the start of `run`: the order is part of the recorded commands."""
        credit = workflow.patched(CREDIT_AND_SOFTWARE)
        return cls(
            credit=credit,
            parameters=credit and workflow.patched(PARAMETERS),
            connections_first=workflow.patched(CONNECTIONS_FIRST),
            rtc_push=workflow.patched(RTC_PUSH),
            closed_wakeup=workflow.patched(CLOSED_WAKEUP),
        )
