"""The end of a soak, either shape: settle what the last connections left, read the figures, check that every
change settled exactly once, print pass/fail lines and the goals, and say how the process should exit."""

from __future__ import annotations

from dataclasses import dataclass

from bench.harness import percentile, record
from bench.soak_checks import Check, settle_lags, verify
from bench.soak_load import Ledger, Outcome, Timings, drain, report

GOAL_RATE = 70.0


@dataclass(frozen=True)
class Verdict:
    checks: list[Check]
    goals: list[Check]

    def exit_code(self, require_goals: bool) -> int:
        failed = [c.name for c in self.checks if not c.ok]
        missed = [g.name for g in self.goals if not g.ok]
        if failed:
            print(f"\nsoak FAILED: {'; '.join(failed)}")
            return 1
        if missed and require_goals:
            print(f"\nsoak PASSED its checks but missed goals (--require-goals): {'; '.join(missed)}")
            return 3
        print(
            f"\nsoak PASSED: every change settled exactly once{'; goals missed: ' + '; '.join(missed) if missed else ''}"
        )
        return 0


async def conclude(
    *,
    bench: str,
    rate: float,
    minutes: float,
    outcome: Outcome,
    timings: Timings,
    ledger: Ledger,
    fleet: list,
    client_for,
    kind: tuple[int, str],
    temporal_client,
    grace: float,
    extra: list[Check] = (),
) -> Verdict:
    failures = list(outcome.failures)
    await drain(fleet, ledger.units_changed(), client_for, failures)
    lags = await settle_lags(ledger.settle)
    units = {unit.imei: unit for unit in fleet}
    checks = list(extra) + await verify(ledger, kind, units, temporal_client, grace)
    errors = sum(timings.errors.values()) + len(failures)
    detail = f"http {timings.errors or 0}, failed connections {len(failures)}"
    checks.insert(len(extra), Check("no errors", errors == 0, detail))
    report(rate, minutes, outcome, timings, lags, ledger)
    goals = _goals(bench, outcome, timings, lags, ledger, errors)
    print("\nchecks (from the database and Temporal, after the drain):")
    for check in checks:
        print(check.line())
    print("goals:")
    for goal in goals:
        print(goal.line().replace("PASS", "met ").replace("FAIL", "NOT "))
    return Verdict(checks, goals)


def _goals(bench: str, outcome: Outcome, timings: Timings, lags: list[float], ledger: Ledger, errors: int):
    achieved = outcome.done / outcome.wall
    goals = [Check(f"{GOAL_RATE:g} connections/s sustained", achieved >= GOAL_RATE, f"{achieved:.1f} /s")]
    record(
        bench, "connections/s sustained", achieved, None, f">= {GOAL_RATE:g} /s", achieved >= GOAL_RATE, "/s"
    )
    for route in ("POST /v1/rc_data", "GET /v1/rc_data"):
        p99 = percentile(timings.latency.get(route, [0.0]), 99) * 1000
        goals.append(Check(f"{route} p99 < 500 ms", p99 < 500, f"{p99:.0f} ms"))
        record(bench, f"{route} p99", p99, None, "< 500 ms", p99 < 500, "ms")
    lag99 = percentile(lags or [0.0], 99)
    all_seen = len(lags) == len(ledger.settle)
    detail = f"{lag99:.2f} s over {len(lags)} of {len(ledger.settle)} delivered switch changes"
    goals.append(Check("settle lag p99 < 2 s", lag99 < 2 and all_seen, detail))
    record(bench, "settle lag p99", lag99, None, "< 2 s", lag99 < 2 and all_seen, "s")
    record(bench, "errors", errors, None, "0", errors == 0, "")
    return goals
