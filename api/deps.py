"""Dependencies every route declares: the session (one commit point), the clock, the user and its level."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from core.clock import utcnow
from db.models.user import User
from db.session import get_sessionmaker
from domain.errors import Forbidden, Unauthorized
from domain.permissions import Permission
from domain.scope import UnitScope
from domain.users import authenticate_token

TOKEN_PREFIX = "Token token="


def get_session() -> Iterator[Session]:
    """The request's unit of work: committed once after the route returns, rolled back on any error."""
    session = get_sessionmaker()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# scope="function": commit before the response is sent, so a 2xx always means "stored".
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


# Dependencies that do no I/O are `async def`: FastAPI runs plain `def` ones in a thread, a hop each.
async def get_clock() -> Callable[[], datetime]:
    """Overridden by tests that need to move time (token expiry)."""
    return utcnow


ClockDep = Annotated[Callable[[], datetime], Depends(get_clock)]


def get_current_user(request: Request, session: SessionDep, clock: ClockDep) -> User:
    header = request.headers.get("Authorization", "")
    if not header.startswith(TOKEN_PREFIX) or not header[len(TOKEN_PREFIX) :].strip():
        raise Unauthorized("Your token is invalid or not present")
    user = authenticate_token(session, header[len(TOKEN_PREFIX) :].strip(), clock())
    # The sliding expiry is its own fact: keep it even if the request itself fails later.
    session.commit()
    session.info["actor"] = user.username
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def require(level: Permission) -> Callable[[User], User]:
    """A dependency that lets through users at `level` or above (the doc's permissions are hierarchical)."""

    async def check(user: CurrentUser) -> User:
        if user.permission < level:
            raise Forbidden(
                f"Your user is not allowed to access this resource: {level.name} permission required"
            )
        return user

    check.__name__ = f"require_{level.name.lower()}"
    return check


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
