"""`make run`: migrate, create the admin, start Temporal (unless one is configured), the worker and the API.

Children run in their own sessions so that Ctrl-C reaches only this process, which then stops them
in order (API, worker, Temporal) and waits for each. The embedded Temporal dev server writes to its own log
file under the var directory (its start banner and its shutdown warnings are not the operator's news).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from alembic import command
from alembic.config import Config

from contracts.search import SEARCH_ATTRIBUTES
from core.clock import utcnow
from core.settings import ROOT, Settings, get_settings
from db.session import session_scope
from domain.lifecycle.demo import PASSWORD as DEMO_PASSWORD
from domain.lifecycle.demo import load_demo_data
from domain.permissions import Permission
from domain.rtc import broker
from domain.telemetry.service import prepare_store
from domain.users import ensure_user
from smartsolar.temporal import binary


def migrate(database_url: str) -> None:
    get_settings().var_dir.mkdir(parents=True, exist_ok=True)
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", database_url)
    command.upgrade(config, "head")


def ensure_admin(settings: Settings) -> bool:
    with session_scope(actor="system:run") as session:
        return ensure_user(
            session,
            username=settings.admin_username,
            password=settings.admin_password,
            permissions=Permission.SYSTEM,
        )


def load_demo(settings: Settings) -> str:
    """Migrate, load the demo data set and say what it holds (units with their keys, users)."""
    migrate(settings.database_url)
    with session_scope(actor="system:demo-data") as session:
        demo = load_demo_data(session, utcnow())
    lines = [
        "Demo data "
        + ("loaded" if demo.created else "already loaded")
        + f" (users' password: {DEMO_PASSWORD}):"
    ]
    lines += [f"  user {name}: {what}" for name, what in demo.users.items()]
    lines += [
        f"  unit {u.imei} key {u.device_key}: {u.state}, {u.entity or 'Unknown Entity'}" for u in demo.units
    ]
    return "\n".join(lines)


def temporal_dev_server_command(settings: Settings) -> list[str]:
    cmd = [
        binary("temporal"),
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        str(settings.temporal_port),
        "--ui-port",
        str(settings.temporal_ui_port),
        "--db-filename",
        str(settings.var_dir / "temporal.db"),
        "--namespace",
        settings.temporal_namespace,
        "--log-level",
        "warn",
    ]
    for name, kind in SEARCH_ATTRIBUTES.items():
        cmd += ["--search-attribute", f"{name}={kind}"]
    return cmd


def wait_for_port(
    host: str, port: int, timeout: float, proc: subprocess.Popen | None = None, log: Path | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            where = f" (its log: {log})" if log is not None else ""
            raise RuntimeError(
                f"{proc.args[0]} exited with {proc.returncode} before listening on {port}{where}"
            )
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listening on {host}:{port} after {timeout:.0f}s")


class Stack:
    """The child processes of `make run`, stopped in reverse start order."""

    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.stopping = False

    def start(
        self, name: str, cmd: list[str], env: dict[str, str], log: Path | None = None
    ) -> subprocess.Popen:
        """Start a child; with `log`, its stdout and stderr are appended to that file instead."""
        if log is None:
            proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
        else:
            with log.open("ab") as out:  # the child keeps its own copy of the descriptor
                proc = subprocess.Popen(
                    cmd, env=env, cwd=ROOT, start_new_session=True, stdout=out, stderr=subprocess.STDOUT
                )
        self.children.append((name, proc))
        return proc

    def stop(self, *_args) -> None:
        self.stopping = True

    def shutdown(self, grace: float = 15) -> None:
        for name, proc in reversed(self.children):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=grace)
                except subprocess.TimeoutExpired:
                    print(f"{name} did not stop in {grace:g} s, killing it", file=sys.stderr)
                    proc.kill()
                    proc.wait()

    def watch(self) -> int:
        while not self.stopping:
            for name, proc in self.children:
                if proc.poll() is not None:
                    print(f"{name} exited with {proc.returncode}; stopping the stack", file=sys.stderr)
                    return 1
            time.sleep(0.3)
        return 0


def temporal_log_path(settings: Settings) -> Path:
    return settings.var_dir / "temporal.log"


def run(settings: Settings, fleet: int = 0, demo: bool = False, rtc: int = 0) -> int:
    migrate(settings.database_url)
    created = ensure_admin(settings)
    print(prepare_store(settings), flush=True)
    if demo:
        print(load_demo(settings), flush=True)
    stack = Stack()
    signal.signal(signal.SIGINT, stack.stop)
    signal.signal(signal.SIGTERM, stack.stop)
    env = dict(os.environ)
    try:
        if not settings.temporal_address:
            log = temporal_log_path(settings)
            temporal = stack.start("temporal", temporal_dev_server_command(settings), env, log=log)
            wait_for_port("127.0.0.1", settings.temporal_port, 60, temporal, log=log)
            env["SMARTSOLAR_TEMPORAL_ADDRESS"] = settings.temporal_target
        if fleet:
            env["SMARTSOLAR_SMS_SIMULATOR_URL"] = f"http://127.0.0.1:{settings.simulator_port}"
        stack.start("worker", [sys.executable, "-m", "smartsolar.worker"], env)
        rtc_off = broker.probe(settings)
        if rtc_off is None:
            stack.start("rtc-consumer", [sys.executable, "-m", "smartsolar.rtc_consumer"], env)
        api = stack.start(
            "api",
            [
                sys.executable,
                "-m",
                "uvicorn",
                "api.app:create_app",
                "--factory",
                "--host",
                settings.api_host,
                "--port",
                str(settings.api_port),
                "--log-level",
                "warning",
            ],
            env,
        )
        wait_for_port(settings.api_host, settings.api_port, 60, api)
        rtc = min(rtc, fleet) if rtc_off is None else 0
        print(banner(settings, created, rtc_off), flush=True)
        if fleet:
            print(fleet_line(fleet, rtc, rtc_off), flush=True)
            stack.start(
                "simulator",
                [
                    sys.executable,
                    "-m",
                    "smartsolar.cli",
                    "simulate",
                    "--units",
                    str(fleet),
                    "--interval",
                    "60",
                    "--network-port",
                    str(settings.simulator_port),
                    "--rtc",
                    str(rtc),
                ],
                env,
            )
        return stack.watch()
    finally:
        # The worker may take its shutdown grace to let activities in flight finish.
        stack.shutdown(grace=settings.worker_shutdown_grace_seconds + 10)


def rtc_line(settings: Settings, rtc_off: str | None) -> str:
    if rtc_off is not None:
        return f"  RTC:          OFF: {rtc_off}; RTC endpoints answer 503"
    return f"  RTC:          on, RabbitMQ at {broker.safe_url(settings.amqp_url)} (RTC-MO consumer running)"


def fleet_line(fleet: int, rtc: int, rtc_off: str | None) -> str:
    line = f"  Fleet:        {fleet} simulated units (imeis 99000000000000N), connecting every 60 s"
    if rtc:
        line += f"; {rtc} of them RTC units over the broker: a change reaches them in under a second"
    elif rtc_off is not None:
        line += "; no RTC units (the broker is off)"
    return line


def banner(settings: Settings, admin_created: bool, rtc_off: str | None = None) -> str:
    api = f"http://{settings.api_host}:{settings.api_port}"
    ui = (
        f"http://127.0.0.1:{settings.temporal_ui_port}"
        if not settings.temporal_address
        else f"the UI of {settings.temporal_address}"
    )
    admin = "created" if admin_created else "exists"
    return "\n".join(
        [
            "SMARTSolar is running (Ctrl-C stops everything)",
            f"  API:          {api}/v1/home   (OpenAPI docs: {api}/docs)",
            f"  Technician app: {api}/app/   (log in as a TECHNICAL user, e.g. `smartsolar users add`)",
            f"  Temporal UI:  {ui}",
            f"  Temporal:     {settings.temporal_target}, task queue {settings.task_queue}",
            *([] if settings.temporal_address else [f"  Temporal log: {temporal_log_path(settings)}"]),
            f"  Database:     {settings.database_url.split('@')[-1]}",
            rtc_line(settings, rtc_off),
            f"  Admin user:   {settings.admin_username} ({admin}, SYSTEM, GLOBAL)",
            "  Log in:       curl -s -X POST "
            f"-d username={settings.admin_username} -d password=... {api}/v1/auth/login",
            "  then send:    Authorization: Token token=<API_token>",
        ]
    )
