"""`smartsolar`: the command line. `run` is what `make run` calls; `users` manages accounts."""

from __future__ import annotations

import argparse
import sys

from core.settings import get_settings
from db.session import session_scope
from domain.errors import AppError
from domain.permissions import Permission, Scope
from domain.users import create_user, list_users
from simulator import cli as simulator_cli
from smartsolar import rtc_consumer


def _users_add(args: argparse.Namespace) -> int:
    with session_scope(actor="system:cli") as session:
        user = create_user(
            session,
            username=args.username,
            password=args.password,
            permissions=Permission[args.permissions],
            scope=Scope[args.scope],
            entity_id=args.entity,
            display_name=args.display_name,
        )
        print(f"created {user.username} ({user.permissions}, {user.user_product_visibility})")
    return 0


def _users_list(_args: argparse.Namespace) -> int:
    with session_scope(actor="system:cli") as session:
        for user in list_users(session):
            entity = "" if user.entity_id is None else f" entity={user.entity_id}"
            print(f"{user.username}\t{user.permissions}\t{user.user_product_visibility}{entity}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from smartsolar.run import run

    return run(get_settings(), fleet=args.fleet, demo=args.demo, rtc=args.rtc)


def _demo_data(_args: argparse.Namespace) -> int:
    from smartsolar.run import load_demo

    print(load_demo(get_settings()))
    return 0


def _api(_args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    uvicorn.run("api.app:create_app", factory=True, host=settings.api_host, port=settings.api_port)
    return 0


def _worker(_args: argparse.Namespace) -> int:
    from smartsolar.worker import main as worker_main

    worker_main()
    return 0


def _rtc_consumer(_args: argparse.Namespace) -> int:
    rtc_consumer.main()
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    from smartsolar.run import migrate

    migrate(get_settings().database_url)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="smartsolar", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="the whole stack (what `make run` calls)")
    run.add_argument("--fleet", type=int, default=0, help="also run this many simulated units")
    run.add_argument("--rtc", type=int, default=0, help="this many of the simulated units are RTC units")
    run.add_argument(
        "--demo", action="store_true", help="load the demo data set first (smartsolar demo-data)"
    )
    run.set_defaults(func=_run)
    sub.add_parser("demo-data", help="load a small demo data set (entities, types, units)").set_defaults(
        func=_demo_data
    )
    sub.add_parser("api", help="the API alone (scale out behind a proxy)").set_defaults(func=_api)
    sub.add_parser("worker", help="a Temporal worker alone (scale out freely)").set_defaults(func=_worker)
    sub.add_parser(
        "rtc-consumer", help="the RTC consumer alone: messages from RTC units (scale out apart)"
    ).set_defaults(func=_rtc_consumer)
    sub.add_parser("migrate", help="upgrade the database to the latest schema").set_defaults(func=_migrate)

    simulator_cli.add_parser(sub)

    users = sub.add_parser("users", help="manage user accounts").add_subparsers(dest="action", required=True)
    add = users.add_parser("add", help="create a user")
    add.add_argument("username")
    add.add_argument("password")
    add.add_argument("--permissions", choices=list(Permission.__members__), default="OVERVIEW")
    add.add_argument("--scope", choices=list(Scope.__members__), default="GLOBAL")
    add.add_argument("--entity", type=int, help="entity_id (required for ENTITY scope)")
    add.add_argument("--display-name")
    add.set_defaults(func=_users_add)
    users.add_parser("list", help="list users").set_defaults(func=_users_list)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except AppError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C before a command installed its own handling: stop, quietly
        return 130


if __name__ == "__main__":
    sys.exit(main())
