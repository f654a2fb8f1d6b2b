"""`smartsolar simulate`: run a fleet of simulated units against a running API, with a live progress line."""

from __future__ import annotations

import asyncio
import signal
import sys

import httpx

from core.settings import Settings
from simulator.fleet import Fleet, serve_network
from simulator.provision import login, make_rtc_units, provision_through_api
from simulator.unit import SimulatedUnit


async def simulate(
    settings: Settings,
    *,
    units: int,
    interval: float,
    api_url: str,
    network_port: int,
    prefix: str,
    duration: float | None,
    existing: list[str] = (),
    username: str = "",
    password: str = "",
    rtc: int = 0,
) -> int:
    if existing:  # units made elsewhere (the README's walkthrough): imei:device_key each
        fleet_units = [SimulatedUnit(*unit.split(":", 1)) for unit in existing]
    else:
        async with httpx.AsyncClient(base_url=api_url, timeout=30) as http:
            headers = await login(
                http, username or settings.admin_username, password or settings.admin_password
            )
            fleet_units = await provision_through_api(http, headers, units, prefix=prefix)
            await make_rtc_units(http, headers, fleet_units[:rtc])
    fleet = Fleet(
        api_url,
        fleet_units,
        interval=interval,
        receipt_key=settings.sms_receipt_key,
        rtc_units=fleet_units[:rtc],
        amqp_url=settings.amqp_url,
        amqp_prefix=settings.amqp_prefix,
    )
    network = await serve_network(fleet, network_port)
    print(
        f"simulating {len(fleet_units)} units against {api_url}, connecting every {interval:g}s\n"
        f"imeis: {' '.join(unit.imei for unit in fleet_units)}\n"
        f"RTC units (over the broker): {' '.join(unit.imei for unit in fleet_units[:rtc]) or 'none'}\n"
        f"SMS network at http://127.0.0.1:{network_port}: start the worker with "
        f"SMARTSOLAR_SMS_SIMULATOR_URL=http://127.0.0.1:{network_port} so WAKEUP SMS reach these units",
        flush=True,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if duration:
        loop.call_later(duration, stop.set)
    runner = asyncio.create_task(fleet.run(stop))
    while not stop.is_set():
        line = fleet.progress()
        print(
            f"\r{line}" if sys.stdout.isatty() else line, end="" if sys.stdout.isatty() else "\n", flush=True
        )
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0 if sys.stdout.isatty() else 10.0)
        except TimeoutError:
            pass
    await runner
    network.should_exit = True
    print(f"\n{fleet.progress()}", flush=True)
    return 0


def add_parser(sub) -> None:
    parser = sub.add_parser("simulate", help="run simulated units against a running API")
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between a unit's connections")
    parser.add_argument("--api", default="", help="API base URL (default: this machine's API_HOST:API_PORT)")
    parser.add_argument(
        "--network-port", type=int, default=8765, help="where the simulated SMS network listens"
    )
    parser.add_argument(
        "--rtc", type=int, default=0, help="how many of the units are RTC units (the first ones)"
    )
    parser.add_argument("--prefix", default="99", help="imei prefix of the simulated units")
    parser.add_argument("--duration", type=float, default=None, help="stop after this many seconds")
    parser.add_argument(
        "--unit",
        action="append",
        default=[],
        metavar="IMEI:DEVICE_KEY",
        help="simulate this existing unit (repeatable)",
    )
    parser.add_argument(
        "--username", default="", help="FACTORY+SYSTEM user that creates the units (default: the admin)"
    )
    parser.add_argument("--password", default="")
    parser.set_defaults(func=_run)


def _run(args) -> int:
    from core.settings import get_settings

    settings = get_settings()
    api_url = args.api or f"http://{settings.api_host}:{settings.api_port}"
    return asyncio.run(
        simulate(
            settings,
            units=args.units,
            interval=args.interval,
            api_url=api_url,
            network_port=args.network_port,
            prefix=args.prefix,
            duration=args.duration,
            existing=args.unit,
            username=args.username,
            password=args.password,
            rtc=args.rtc,
        )
    )
