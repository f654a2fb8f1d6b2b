"""The fuzzer's stack and seed: the app over real HTTP with the real worker, PostgreSQL and Temporal dev
server, and a few rows (entities, units, users) so that path parameters can name something that exists.

The fuzzer may log its own token out, delete its own user or the units: before each operation the seed
is checked (three small queries) and put back when something is gone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core.settings import get_settings
from db.models.organisation import Entity
from db.models.product import Product
from db.models.user import ApiToken, User
from db.session import get_engine, get_sessionmaker
from domain.events import CHANNELS
from domain.passwords import hash_token
from domain.permissions import Permission, Scope
from tests.utils.background_stack import BackgroundStack
from tests.utils.factories import make_product, make_user, reference_data, token_for
from tests.utils.fixtures import truncate_all

ENTITY_NAME = "SunCo Kenya"
OTHER_ENTITY_NAME = "Other Co"
# imeis the fuzzer is steered to (it cannot guess a 15-digit number that exists).
ENTITY_IMEIS = ("010101234560005", "010101234560013")
OTHER_IMEI = "010101234560021"
IMEIS = (*ENTITY_IMEIS, OTHER_IMEI)
# username -> (level, scope); the ENTITY admin's entity is ENTITY_NAME.
USERS = {
    "fuzz-system@example.com": (Permission.SYSTEM, Scope.GLOBAL),
    "fuzz-entity@example.com": (Permission.ADMIN, Scope.ENTITY),
}


@dataclass
class Seed:
    """What the fuzzer knows exists: a token header per user kind, values for named path parameters."""

    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    path_values: dict[str, list[str]] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)


def _entity(session: Session, name: str) -> Entity:
    entity = session.scalar(select(Entity).where(Entity.name == name))
    if entity is None:
        entity = Entity(name=name, bboxx_company_flag=False)
        session.add(entity)
        session.commit()
    return entity


def _user(session: Session, username: str, entity_id: int) -> User:
    permission, scope = USERS[username]
    entity_id = entity_id if scope is Scope.ENTITY else None
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        return make_user(session, permission, scope=scope, entity_id=entity_id, username=username)
    # The fuzzer may have edited it: put its level and scope back.
    user.permissions, user.user_product_visibility, user.entity_id = permission.name, scope.name, entity_id
    session.commit()
    return user


def ensure_seed(session: Session) -> Seed:
    """Entities, units and the two users, whatever the fuzzer did to them; fresh tokens for both users."""
    reference_data(session)
    entity, other = _entity(session, ENTITY_NAME), _entity(session, OTHER_ENTITY_NAME)
    for imei in IMEIS:
        if session.get(Product, imei) is None:
            make_product(session, imei=imei, entity=entity if imei in ENTITY_IMEIS else other)
    seed = Seed()
    for kind, username in zip(("system", "entity"), USERS):
        token = token_for(session, _user(session, username, entity.entity_id))
        seed.tokens.append(token)
        seed.headers[kind] = {"Authorization": f"Token token={token}"}
    seed.path_values = {
        "imei": list(IMEIS),
        "product_imei": list(IMEIS),
        "channel_name": list(CHANNELS),
        "entity_id": [str(entity.entity_id), str(other.entity_id)],
    }
    return seed


def seed_intact(session: Session, seed: Seed) -> bool:
    """The units exist, both tokens are live, and both users still have their level and scope."""
    units = session.scalar(select(func.count()).where(Product.product_imei.in_(IMEIS)))
    live = session.scalar(
        select(func.count()).where(
            ApiToken.token_hash.in_([hash_token(t) for t in seed.tokens]),
            ApiToken.expires_at > func.now(),
        )
    )
    users = session.execute(
        select(User.username, User.permissions, User.user_product_visibility).where(User.username.in_(USERS))
    ).all()
    as_seeded = {name: (p.name, s.name) for name, (p, s) in USERS.items()}
    return units == len(IMEIS) and live == len(seed.tokens) and {u: (p, s) for u, p, s in users} == as_seeded


def _synchronous_commit(setting: str) -> None:
    """Per database: the fuzzer's thousands of commits need no fsync each (the database is thrown away)."""
    with get_engine().connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{conn.engine.url.database}" SET synchronous_commit = {setting}'))
        conn.commit()
    get_engine().dispose()  # pooled connections read the setting when they open


@pytest.fixture(scope="module")
def fuzz_stack(local_env, fuzz_app) -> Iterator[BackgroundStack]:
    """`fuzz_app` (the test module's) and the worker in their own thread and loop, on an emptied database."""
    truncate_all()
    _synchronous_commit("off")
    try:
        with pytest.MonkeyPatch.context() as patch:
            settings = get_settings()
            patch.setattr(settings, "task_queue", f"fuzz-{id(fuzz_app)}")
            target = local_env.client.service_client.config.target_host
            with BackgroundStack(fuzz_app, target, settings) as stack:
                yield stack
    finally:
        _synchronous_commit("on")


@pytest.fixture(scope="module")
def seed_session(fuzz_stack) -> Iterator[Session]:
    session = get_sessionmaker()(info={"actor": "test"})
    try:
        yield session
    finally:
        session.close()


@pytest.fixture(scope="module")
def module_seed(seed_session) -> list[Seed]:
    return [ensure_seed(seed_session)]


@pytest.fixture
def seed(seed_session, module_seed) -> Seed:
    """The seed as the next operation needs it (put back if the previous one broke it)."""
    seed_session.rollback()
    if not seed_intact(seed_session, module_seed[0]):
        module_seed[0] = ensure_seed(seed_session)
    seed_session.rollback()  # end the checking transaction: it must not hold locks while the fuzzer runs
    return module_seed[0]
