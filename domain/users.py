"""User accounts: creation, listing and login. Used by the API, the CLI and `make run`."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from core.settings import get_settings
from db.models.organisation import Entity
from db.models.user import ApiToken, User
from domain.errors import BadRequest, Conflict, Unauthorized
from domain.passwords import hash_password, hash_token, new_token, verify_password
from domain.permissions import Permission, Scope


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    permissions: Permission,
    scope: Scope = Scope.GLOBAL,
    entity_id: int | None = None,
    display_name: str | None = None,
    hub_id: int | None = None,
    shop_id: int | None = None,
) -> User:
    """Create a user; ENTITY scope needs an existing entity. Refuses a taken username (409)."""
    if not username or not password:
        raise BadRequest("username and password are required")
    if scope is Scope.ENTITY and entity_id is None:
        raise BadRequest("a user with ENTITY scope needs an entity_id")
    if entity_id is not None and session.get(Entity, entity_id) is None:
        raise BadRequest(f"entity {entity_id} does not exist")
    if session.scalar(select(User.user_id).where(User.username == username)) is not None:
        raise Conflict(f"user {username} already exists")
    user = User(
        username=username,
        password_hash=hash_password(password, get_settings().password_hash_cost),
        display_name=display_name or username,
        name="",
        permissions=permissions.name,
        user_product_visibility=scope.value,
        entity_id=entity_id,
        hub_id=hub_id,
        shop_id=shop_id,
    )
    session.add(user)
    session.flush()
    return user


def ensure_user(session: Session, *, username: str, password: str, permissions: Permission) -> bool:
    """Create a GLOBAL user unless one by that name exists. Returns whether it was created."""
    if session.scalar(select(User.user_id).where(User.username == username)) is not None:
        return False
    create_user(session, username=username, password=password, permissions=permissions)
    return True


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


@lru_cache
def _dummy_hash(cost: int) -> str:
    return hash_password(secrets.token_urlsafe(16), cost)


def check_password(session: Session, username: str, password: str) -> User | None:
    """The user, when the password is theirs. An unknown username costs the same scrypt as a known
    one (a dummy hash at the configured cost), so the answer's timing does not tell which exist."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        verify_password(password, _dummy_hash(get_settings().password_hash_cost))
        return None
    if not verify_password(password, user.password_hash):
        return None
    return user


def login(session: Session, username: str, password: str, now: datetime) -> tuple[User, str, datetime]:
    """Check the password and issue a new token; only the token's hash is stored."""
    user = check_password(session, username, password)
    if user is None:
        raise Unauthorized("Invalid username or password")
    token = new_token()
    expires_at = now + timedelta(seconds=get_settings().token_lifetime_seconds)
    session.add(ApiToken(token_hash=hash_token(token), user_id=user.user_id, expires_at=expires_at))
    session.flush()
    return user, token, expires_at


# A live token whose expiry is at least `token_refresh_seconds` behind where this use puts it. Built
# once: constructing the statements and their cache keys cost more per request than running them.
_SLIDE = (
    update(ApiToken)
    .where(
        ApiToken.token_hash == bindparam("digest"),
        ApiToken.expires_at > bindparam("now"),
        ApiToken.expires_at <= bindparam("refresh_before"),
    )
    .values(expires_at=bindparam("slid_to"))
)
_LOOKUP = (
    select(User, ApiToken.expires_at)
    .join(ApiToken, ApiToken.user_id == User.user_id)
    .where(ApiToken.token_hash == bindparam("digest"))
)
_LOOKUP_AND_SLIDE = _LOOKUP.add_cte(_SLIDE.cte("slid"))


def authenticate_token(session: Session, token: str, now: datetime) -> User:
    """The user behind a live token, sliding its expiry to `lifetime` after this use.

    One statement on PostgreSQL: the token and its user are read, and the expiry rewritten in a
    data-modifying CTE, only when it would move by `token_refresh_seconds` or more (so most requests
    write nothing). Both parts see the same snapshot, so the expiry checked is the one before this use.
    """
    settings = get_settings()
    slid_to = now + timedelta(seconds=settings.token_lifetime_seconds)
    params = {
        "digest": hash_token(token),
        "now": now,
        "refresh_before": slid_to - timedelta(seconds=settings.token_refresh_seconds),
        "slid_to": slid_to,
    }
    one_statement = session.get_bind().dialect.name == "postgresql"
    row = session.execute(_LOOKUP_AND_SLIDE if one_statement else _LOOKUP, params).first()
    if row is None:
        raise Unauthorized("Your token is invalid or not present")
    user, expires_at = row
    if expires_at <= now:
        raise Unauthorized("Your token has expired, please log in again")
    if not one_statement:
        session.execute(_SLIDE, params)
    return user


def purge_expired_tokens(session: Session, now: datetime) -> int:
    result = session.execute(delete(ApiToken).where(ApiToken.expires_at <= now))
    return result.rowcount or 0
