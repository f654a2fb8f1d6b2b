"""The fleet soak in the shape of a deployment on a cluster (`python -m bench.fleet_soak --cluster`):

two API processes on their own ports, the simulated units spread over both (even ones on A, odd on B), and
two workers on the same task queue and database; half-way through the load worker B is SIGKILLed (no
graceful shutdown: its workflow and activity tasks in flight are lost with it, and Temporal hands them to A
once their timeouts pass). Then the same checks as the one-process soak: nothing lost, nothing settled twice,
no workflow left open. The processes share what a cluster's must (README "Running on a cluster"): the
SECRET_KEY, and the failed-attempt windows in ATTEMPT_STORAGE_URI, which a probe unit checks (wrong keys
through API A lock it out of API B too) when a Redis answers.
"""

from __future__ import annotations

import argparse
import secrets
import signal
import socket
from contextlib import ExitStack
from urllib.parse import urlsplit

import httpx
import redis

from bench.harness import api_process, free_port, start_temporal_and_env, worker_process
from bench.soak_checks import Check
from bench.soak_load import (
    CpuMeter,
    Ledger,
    Outcome,
    Timings,
    drive,
    parameter_type,
    provision,
    temporal_pid,
    uvicorn_pid,
)
from bench.soak_verdict import conclude
from db.session import session_scope
from simulator.fleet import Fleet, serve_network
from simulator.provision import provision_units

LOCAL_REDIS = "redis://127.0.0.1:6379/15"
KILLED = "worker B (killed)"


class KillWorker:
    """`drive`'s midway step: SIGKILL one worker, keeping its CPU figure."""

    def __init__(self, proc, name: str) -> None:
        self.proc, self.name, self.done = proc, name, False

    def __call__(self, meter: CpuMeter) -> None:
        meter.freeze(self.name)
        self.proc.send_signal(signal.SIGKILL)
        self.done = True
        print(f"SIGKILLed {self.name} (pid {self.proc.pid})", flush=True)

    def check(self, outcome: Outcome, survivor) -> list[Check]:
        code = self.proc.wait(timeout=10) if self.done else None
        at = f"{outcome.midway_at:.0f} s" if outcome.midway_at is not None else "never"
        return [
            Check(
                "one worker SIGKILLed half-way",
                code == -signal.SIGKILL,
                f"at {at} of {outcome.wall:.0f} s, exit status {code}",
            ),
            Check(
                "the other worker ran to the end", survivor.poll() is None, f"exit status {survivor.poll()}"
            ),
        ]


def attempt_storage(choice: str) -> str:
    """`auto`: the local Redis when one answers, else `memory://` (per process: the probe is skipped)."""
    if choice != "auto":
        return choice
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return "memory://"
    return LOCAL_REDIS


async def shared_attempts(uri: str, urls: list[str]) -> Check:
    """10 wrong device keys for a probe unit through API A (the per-imei limit), then its right key through
    API B: refused (429) only when the processes share the windows. The probe's windows are removed after."""
    name = "failed-attempt windows shared by the API processes"
    if uri.startswith("memory://"):
        return Check(name, True, "memory:// is per process (no Redis answered; --attempt-storage URI)", True)
    with session_scope(actor="bench") as session:
        (probe,) = provision_units(session, 1, prefix="79", software="2.0")
    print(
        f"probe {probe.imei}: 10 wrong device keys through API A (the API logs each), then the right one through B"
    )
    codes = []
    async with httpx.AsyncClient(timeout=30) as http:
        for _ in range(10):
            r = await http.post(f"{urls[0]}/v1/rc_data", json=probe.report(), auth=(probe.imei, "wrong-key"))
            codes.append(r.status_code)
        r = await http.post(f"{urls[1]}/v1/rc_data", json=probe.report(), auth=(probe.imei, probe.device_key))
    _forget_probe(uri, probe.imei)
    ok = codes == [401] * 10 and r.status_code == 429
    return Check(
        name, ok, f"{uri}: API A answered {sorted(set(codes))} x10, then API B {r.status_code} (429 wanted)"
    )


def _forget_probe(uri: str, imei: str) -> None:
    """Drop the probe's windows (its imei's and the loopback address's) so a rerun starts clean."""
    client = redis.Redis.from_url(uri)
    host = urlsplit(uri).hostname or ""
    stale = [k for k in client.scan_iter(match="LIMITS*") if imei.encode() in k or b"127.0.0.1" in k]
    if stale and host in ("127.0.0.1", "localhost"):
        client.delete(*stale)
    client.close()


async def main(args: argparse.Namespace) -> int:
    env, base_env = await start_temporal_and_env()
    try:
        fleet, headers = provision(args.units)
        uri = attempt_storage(args.attempt_storage)
        network_port = free_port()
        shared = {"SMARTSOLAR_SECRET_KEY": secrets.token_urlsafe(32), "SMARTSOLAR_ATTEMPT_STORAGE_URI": uri}
        api_env = base_env | shared
        worker_env = api_env | {"SMARTSOLAR_SMS_SIMULATOR_URL": f"http://127.0.0.1:{network_port}"}
        timings, ledger = Timings(), Ledger()
        with ExitStack() as stack:
            workers = [stack.enter_context(worker_process(worker_env)) for _ in range(2)]
            urls = [stack.enter_context(api_process(free_port(), api_env)) for _ in range(2)]
            pids = {"worker A": workers[0].pid, KILLED: workers[1].pid}
            pids |= {"API A": uvicorn_pid(urls[0]), "API B": uvicorn_pid(urls[1])}
            pids["Temporal server"] = temporal_pid(env)
            # The SMS provider posts its receipts to one address: API A's.
            sims = Fleet(urls[0], fleet, interval=3600, receipt_key="simulated-gateway-key")
            server = await serve_network(sims, network_port)
            kill = KillWorker(workers[1], KILLED)
            try:
                async with timings.client(urls[0]) as a, timings.client(urls[1]) as b:
                    side = {unit.imei: (a, b)[i % 2] for i, unit in enumerate(fleet)}

                    def client_for(unit) -> httpx.AsyncClient:
                        return side[unit.imei]

                    probe = await shared_attempts(uri, urls)
                    kind = await parameter_type(a, headers)
                    outcome = await drive(
                        fleet,
                        client_for,
                        timings,
                        headers,
                        kind[0],
                        args.rate,
                        args.minutes,
                        args.seed,
                        ledger,
                        pids,
                        kill,
                        share=args.changes,
                    )
                    print(
                        f"\ncluster: 2 API processes {urls}, 2 workers on task queue {base_env['SMARTSOLAR_TASK_QUEUE']}"
                    )
                    verdict = await conclude(
                        bench="fleet_soak_cluster",
                        rate=args.rate,
                        minutes=args.minutes,
                        outcome=outcome,
                        timings=timings,
                        ledger=ledger,
                        fleet=fleet,
                        client_for=client_for,
                        kind=kind,
                        temporal_client=env.client,
                        grace=args.grace,
                        extra=[*kill.check(outcome, workers[0]), probe],
                    )
            finally:
                server.should_exit = True
    finally:
        await env.shutdown()
    return verdict.exit_code(args.require_goals)
