"""Fleet soak: simulated units (simulator/) connect at a steady rate for a set time, with the field's mix.

    .venv/bin/python -m bench.fleet_soak [--rate 70] [--minutes 10] [--units 3000] [--cluster]   (make soak)

Each connection is the simulator's cycle (RC-POST, RC-GET, RM-POST). About 95% find nothing pending; before
the other 5% the bench writes a change through the API: an enable or disable (most; a tenth of the units
run wake-up software, so theirs send a WAKEUP SMS through the simulated network, which posts the receipt
back), a parameter, or a payment command (DCM units). Arrivals are open-loop (a connection starts on
schedule whether or not earlier ones are done, up to a cap in flight). Reports the achieved rate, RC-POST /
RC-GET p50/p99, the settle lag (RC-GET answered -> `enabled`/`disabled` row) p99, errors, and the CPU the
workers, the APIs and the Temporal server used. Goals: 70 connections/s, RC p99 < 500 ms, settle lag p99
< 2 s, no errors.

Then the units that were given a parameter or a payment command connect once more (their RC-POST settles
those), and the checks read the database and Temporal: every change settled exactly once, no device or
wake-up workflow left open, none failed. `--cluster` runs the same load against two API processes and two
workers on one task queue, and SIGKILLs one worker half-way (bench/cluster_soak.py).

Exit status: 0 when every check passes (goals missed are reported, and make it 3 with --require-goals),
1 when a check fails, 2 when the soak could not run, 130 when interrupted; processes, the dev server and
the throw-away database are cleaned up in every case.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import traceback

from bench.cluster_soak import main as cluster_main
from bench.harness import api_process, bench_database, free_port, start_temporal_and_env, worker_process
from bench.soak_load import Ledger, Timings, drive, parameter_type, provision, temporal_pid, uvicorn_pid
from bench.soak_verdict import conclude
from simulator.fleet import Fleet, serve_network


async def main(args: argparse.Namespace) -> int:
    env, api_env = await start_temporal_and_env()
    try:
        fleet, headers = provision(args.units)
        network_port = free_port()
        worker_env = api_env | {"SMARTSOLAR_SMS_SIMULATOR_URL": f"http://127.0.0.1:{network_port}"}
        timings, ledger = Timings(), Ledger()
        with worker_process(worker_env) as worker, api_process(free_port(), api_env) as url:
            pids = {"worker": worker.pid, "API": uvicorn_pid(url), "Temporal server": temporal_pid(env)}
            sims = Fleet(url, fleet, interval=3600, receipt_key="simulated-gateway-key")
            server = await serve_network(sims, network_port)
            try:
                async with timings.client(url) as http:
                    kind = await parameter_type(http, headers)
                    outcome = await drive(
                        fleet,
                        lambda _unit: http,
                        timings,
                        headers,
                        kind[0],
                        args.rate,
                        args.minutes,
                        args.seed,
                        ledger,
                        pids,
                        share=args.changes,
                    )
                    verdict = await conclude(
                        bench="fleet_soak",
                        rate=args.rate,
                        minutes=args.minutes,
                        outcome=outcome,
                        timings=timings,
                        ledger=ledger,
                        fleet=fleet,
                        client_for=lambda _unit: http,
                        kind=kind,
                        temporal_client=env.client,
                        grace=args.grace,
                    )
            finally:
                server.should_exit = True
    finally:
        await env.shutdown()
    return verdict.exit_code(args.require_goals)


def cancel_on_sigterm() -> None:
    """SIGTERM stops the soak as Ctrl-C does: the main task is cancelled, so every `finally` runs."""
    task = asyncio.current_task()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=float, default=70.0, help="connections per second")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--changes",
        type=float,
        default=0.05,
        help="share of connections preceded by a change (the field's 0.05; more exercises the checks in a short run)",
    )
    parser.add_argument(
        "--cluster", action="store_true", help="two API processes, two workers, one SIGKILLed half-way"
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=120.0,
        help="seconds the checks may wait for the last changes to settle",
    )
    parser.add_argument(
        "--attempt-storage",
        default="auto",
        help="--cluster: the APIs' ATTEMPT_STORAGE_URI (auto: the local Redis when it answers, else memory://)",
    )
    parser.add_argument("--require-goals", action="store_true", help="exit 3 when a goal is missed")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> int:
    async def guarded() -> int:
        cancel_on_sigterm()
        return await (cluster_main(args) if args.cluster else main(args))

    try:
        with bench_database("smartsolar_bench_soak"):
            return asyncio.run(guarded())
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("\nsoak interrupted: processes stopped, the dev server and the soak's database removed")
        return 130
    except Exception as err:  # noqa: BLE001 - the soak's answer is its exit status and the reason
        traceback.print_exc()
        print(f"\nsoak could not run: {type(err).__name__}: {err}")
        return 2


if __name__ == "__main__":
    sys.exit(run(parse()))
