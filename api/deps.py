"""Dependencies every route declares: the session (one commit point), the clock, the user and its level.

All async: an authenticated request pays one thread hop and one statement for its token, level and scope
(FastAPI runs each plain `def` dependency, and each sync generator's entry and exit, in a thread of its own).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import datetime
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from core.clock import utcnow
from db.models.user import User
from db.session import MAX_CONNECTIONS, get_sessionmaker
from domain.errors import Forbidden, Unauthorized
from domain.permissions import Permission
from domain.scope import UnitScope
from domain.users import authenticate_token

TOKEN_PREFIX = "Token token="
T = TypeVar("T")


def get_session() -> Iterator[Session]:
    """The request's unit of work: committed once after the route returns, rolled back on any error.
    (A sync generator, for code that opens it in its own thread hop: `contextmanager(get_session)`.)"""
    session = get_sessionmaker()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _has_work(session: Session) -> bool:
    return session.in_transaction() or bool(session.new or session.dirty or session.deleted)


def _finish(session: Session, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


# Ending a transaction hands its connection back, so it must never wait behind requests that are waiting
# for a connection: under a burst every thread of the default pool can be such a request, and a connection
# held until one of them is free would deadlock the pool until its checkout timeout. Ends get threads of
# their own, one for each connection there can be. One limiter per event loop (tests run several).
_ending_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _ending_limiter() -> anyio.CapacityLimiter:
    loop = asyncio.get_running_loop()
    limiter = _ending_limiters.get(loop)
    if limiter is None:
        limiter = _ending_limiters[loop] = anyio.CapacityLimiter(MAX_CONNECTIONS)
    return limiter


async def _end(session: Session, commit: bool) -> None:
    await anyio.to_thread.run_sync(_finish, session, commit, limiter=_ending_limiter())


async def get_request_session() -> AsyncIterator[Session]:
    """The same unit of work as `get_session`, as an async dependency: FastAPI runs a sync generator's
    entry and exit in a thread each, so this one hops only when there is a transaction to end (a route
    that committed in its own hop, or touched no table, ends the request with no hop and no I/O)."""
    session = get_sessionmaker()()
    try:
        yield session
    except BaseException:
        if _has_work(session):
            await _end(session, False)
        else:
            session.close()
        raise
    if _has_work(session):
        await _end(session, True)
    else:
        session.close()


def _autocommit(session: Session, work: Callable[..., T], args: tuple) -> T:
    if session.in_transaction():  # the request already began its unit of work: stay in it
        return work(*args)
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    try:
        result = work(*args)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return result


async def autocommit_in_thread(session: Session, work: Callable[..., T], *args: Any) -> T:
    """`work(session, *args)` in one thread hop and in autocommit, for work that needs no transaction
    (reads: under READ COMMITTED each statement sees its own snapshot anyway; or one self-contained
    statement). Each statement goes alone, with no BEGIN and COMMIT round trips, and the connection is
    handed back in the same hop, so the request ends with no further hop."""
    return await run_in_threadpool(_autocommit, session, work, (session, *args))


# scope="function": commit before the response is sent, so a 2xx always means "stored".
SessionDep = Annotated[Session, Depends(get_request_session, scope="function")]


# Dependencies that do no I/O are `async def`: FastAPI runs plain `def` ones in a thread, a hop each.
async def get_clock() -> Callable[[], datetime]:
    """Overridden by tests that need to move time (token expiry)."""
    return utcnow


ClockDep = Annotated[Callable[[], datetime], Depends(get_clock)]


def bearer_token(request: Request) -> str:
    """The request's API token (`Authorization: Token token=...`); 401 when there is none."""
    header = request.headers.get("Authorization", "")
    token = header[len(TOKEN_PREFIX) :].strip() if header.startswith(TOKEN_PREFIX) else ""
    if not token:
        raise Unauthorized("Your token is invalid or not present")
    return token


async def get_current_user(request: Request, session: SessionDep, clock: ClockDep) -> User:
    """The token's user: one thread hop and one statement (the lookup, the user, the sliding expiry)."""
    token = bearer_token(request)
    # Autocommit: an expiry the statement slid is kept even if the request fails later.
    user = await autocommit_in_thread(session, authenticate_token, token, clock())
    session.info["actor"] = user.username
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def check_level(user: User, level: Permission) -> None:
    """403 below `level` (the doc's permissions are hierarchical)."""
    if user.permission < level:
        raise Forbidden(f"Your user is not allowed to access this resource: {level.name} permission required")


def require(level: Permission) -> Callable[[User], Awaitable[User]]:
    """A dependency that lets through users at `level` or above."""

    async def check(user: CurrentUser) -> User:
        check_level(user, level)
        return user

    check.__name__ = f"require_{level.name.lower()}"
    return check


def _user_then(
    session: Session, token: str, now: datetime, level: Permission, then: Callable[..., None], args: tuple
) -> tuple[User, UnitScope]:
    user = authenticate_token(session, token, now)
    check_level(user, level)
    scope = UnitScope.for_user(user)
    then(session, scope, *args)
    return user, scope


async def authenticate_then(
    request: Request,
    session: Session,
    clock: Callable[[], datetime],
    level: Permission,
    then: Callable[..., None],
    *args: Any,
) -> tuple[User, UnitScope]:
    """The token, the level, then `then(session, scope, *args)` (a scope check that raises), in one
    thread hop and in that order: for routes whose scope check reads the database, which otherwise
    pays a second hop and a second connection checkout after the token's."""
    token = bearer_token(request)
    user, scope = await autocommit_in_thread(session, _user_then, token, clock(), level, then, args)
    session.info["actor"] = user.username
    return user, scope


OverviewUser = Annotated[User, Depends(require(Permission.OVERVIEW))]
TechnicalUser = Annotated[User, Depends(require(Permission.TECHNICAL))]
AdminUser = Annotated[User, Depends(require(Permission.ADMIN))]
FactoryUser = Annotated[User, Depends(require(Permission.FACTORY))]
SystemUser = Annotated[User, Depends(require(Permission.SYSTEM))]


async def get_unit_scope(user: CurrentUser) -> UnitScope:
    return UnitScope.for_user(user)


ScopeDep = Annotated[UnitScope, Depends(get_unit_scope)]


def client_address(request: Request) -> str:
    """The peer's address (behind a proxy, run uvicorn with --proxy-headers so this is the client's)."""
    return request.client.host if request.client else "unknown"
