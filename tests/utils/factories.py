"""Factories for test data: small, explicit, one commit each."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.clock import utcnow
from db.models.organisation import Entity
from db.models.product import Product, ProductEntityLinker, ProductType
from db.models.software import ParameterType, ProductSoftwareLinker, SoftwareVersionType
from db.models.user import ApiToken, User
from domain.device.unit_protocol import device_key_digest
from domain.lifecycle.reference import ensure_reference_data
from domain.passwords import hash_token, new_token
from domain.permissions import Permission, Scope
from domain.users import create_user

_seq = count(1)


def reference_data(session: Session) -> None:
    """The rows migration 0006 writes (the `db` fixture empties every table)."""
    ensure_reference_data(session)
    session.commit()


def make_entity(session: Session, name: str | None = None) -> Entity:
    entity = Entity(name=name or f"Entity {next(_seq)}", bboxx_company_flag=False)
    session.add(entity)
    session.commit()
    return entity


def make_user(
    session: Session,
    permissions: Permission = Permission.SYSTEM,
    *,
    scope: Scope = Scope.GLOBAL,
    entity_id: int | None = None,
    username: str | None = None,
    password: str = "secret-password",
) -> User:
    user = create_user(
        session,
        username=username or f"user{next(_seq)}@example.com",
        password=password,
        permissions=permissions,
        scope=scope,
        entity_id=entity_id,
    )
    session.commit()
    return user


def token_for(session: Session, user: User) -> str:
    """A live token for `user` without going through /auth/login."""
    token = new_token()
    session.add(
        ApiToken(token_hash=hash_token(token), user_id=user.user_id, expires_at=utcnow() + timedelta(hours=3))
    )
    session.commit()
    return token


def auth_headers(session: Session, permissions: Permission = Permission.SYSTEM, **kwargs) -> dict[str, str]:
    user = make_user(session, permissions, **kwargs)
    return {"Authorization": f"Token token={token_for(session, user)}"}


def make_product_type(session: Session, name: str | None = None) -> ProductType:
    product_type = ProductType(name=name or f"BB17SMART_v{next(_seq)}")
    session.add(product_type)
    session.commit()
    return product_type


def make_product(
    session: Session,
    *,
    imei: str | None = None,
    product_type: ProductType | None = None,
    entity: Entity | None = None,
    **fields,
) -> Product:
    n = next(_seq)
    product_type = product_type or make_product_type(session)
    device_key = fields.pop("device_key", f"device-key-{n}")
    product = Product(
        device_key=device_key_digest(device_key),
        product_imei=imei or f"{n:015d}",
        product_type_id=product_type.product_type_id,
        serial_number=fields.pop("serial_number", f"SN-{n}"),
        imsi=fields.pop("imsi", f"{n + 10**14:015d}"),
        current_enable_flag=fields.pop("current_enable_flag", False),
        desired_enable_flag=fields.pop("desired_enable_flag", False),
        rtc_enabled_flag=fields.pop("rtc_enabled_flag", False),
        dcm_enabled_flag=fields.pop("dcm_enabled_flag", False),
        is_payg=fields.pop("is_payg", True),
        **fields,
    )
    session.add(product)
    session.flush()
    if entity is not None:
        session.add(
            ProductEntityLinker(
                product_imei=product.product_imei, entity_id=entity.entity_id, date_added=utcnow()
            )
        )
    session.commit()
    product.raw_device_key = device_key  # only the digest is stored; tests need the key itself
    return product


def make_software(session: Session, name: str) -> SoftwareVersionType:
    software = session.scalar(select(SoftwareVersionType).where(SoftwareVersionType.name == name))
    if software is None:
        software = SoftwareVersionType(
            name=name, release_date=utcnow(), link=f"https://fw.example/{name}", checksum="abcd1234"
        )
        session.add(software)
        session.commit()
    return software


def run_software(session: Session, product: Product, name: str) -> None:
    """The unit runs `name` (as if it had reported it in an RC-POST)."""
    software = make_software(session, name)
    session.add(
        ProductSoftwareLinker(
            product_imei=product.product_imei,
            software_version_type_id=software.software_version_type_id,
            date_added=utcnow(),
        )
    )
    session.commit()


def unit_auth(product: Product, device_key: str | None = None) -> tuple[str, str]:
    """HTTP Basic credentials of a unit made by `make_product` (its default key)."""
    return product.product_imei, device_key or product.raw_device_key


def make_parameter_type(
    session: Session, name: str | None = None, data_type: str = "float", rules=None, repeatable: bool = False
) -> ParameterType:
    parameter_type = session.scalar(select(ParameterType).where(ParameterType.name == name)) if name else None
    if parameter_type is None:
        parameter_type = ParameterType(
            name=name or f"param_{next(_seq)}",
            data_type=data_type,
            validation_rules=rules,
            repeatable=repeatable,
            setting=True,
        )
        session.add(parameter_type)
        session.commit()
    return parameter_type
