"""lifecycle: the reference data the doc fixes, product.solar_panel_wattage, device keys as digests

Revision ID: 0006
Revises: 0005

Reference data: entity #1 "Unknown Entity", the part types the factory endpoints default to (SIM 43,
PCBs 44, 77, 122, 158) and the product types their answers return (4, 6, 7, 10); the State Types are
migration 0003's. A row is only added when neither its id nor its name is taken. The values are frozen
here on purpose: a migration must keep meaning what it meant when it ran.

Device keys: before this revision `PUT /v1/products/<imei>` stored a `device_key` as given, so every
stored key becomes its digest, except those of the simulator's units (product type SIMULATED_UNIT),
which the simulator already stored as digests.
"""

import base64
import hashlib
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UNKNOWN_ENTITY = (1, "Unknown Entity")
CATEGORIES = ["PCB", "SIM"]
PART_TYPES = [
    (43, "SIM", "SIM"),
    (44, "BBOXX Home 2 PCB (Tiger 2)", "PCB"),
    (77, "Hyena PCB", "PCB"),
    (122, "Koala PCB", "PCB"),
    (158, "Jackal PCB", "PCB"),
]
PRODUCT_TYPES = [(4, "BBOXX Enterprise"), (6, "BBOXX Home 2"), (7, "BBOXX Hub 2"), (10, "BBOXX Home 3")]
ACTOR = "system:migration"


def _digest(device_key: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(device_key.encode()).digest()).decode()[:24]


def _advance_sequence(bind, table: str, column: str) -> None:
    if bind.dialect.name == "postgresql":
        bind.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                f"GREATEST((SELECT MAX({column}) FROM {table}), 1))"
            )
        )


def upgrade() -> None:
    with op.batch_alter_table("product") as batch:
        batch.add_column(sa.Column("solar_panel_wattage", sa.Integer(), nullable=True))

    bind = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    meta = {"now": now, "actor": ACTOR}
    bind.execute(
        sa.text(
            "INSERT INTO entity (entity_id, name, bboxx_company_flag, created_at, created_by) "
            "SELECT :id, :name, false, :now, :actor "
            "WHERE NOT EXISTS (SELECT 1 FROM entity WHERE entity_id = :id OR name = :name)"
        ),
        {"id": UNKNOWN_ENTITY[0], "name": UNKNOWN_ENTITY[1], **meta},
    )
    for name in CATEGORIES:
        bind.execute(
            sa.text(
                "INSERT INTO part_type_category (name, created_at, created_by) SELECT :name, :now, :actor "
                "WHERE NOT EXISTS (SELECT 1 FROM part_type_category WHERE name = :name)"
            ),
            {"name": name, **meta},
        )
    for part_type_id, name, category in PART_TYPES:
        bind.execute(
            sa.text(
                "INSERT INTO part_type (part_type_id, name, part_type_category_id, serial_number_category, "
                "created_at, created_by) "
                "SELECT :id, :name, c.part_type_category_id, 'known', :now, :actor "
                "FROM part_type_category c WHERE c.name = :category "
                "AND NOT EXISTS (SELECT 1 FROM part_type WHERE part_type_id = :id OR name = :name)"
            ),
            {"id": part_type_id, "name": name, "category": category, **meta},
        )
    for product_type_id, name in PRODUCT_TYPES:
        bind.execute(
            sa.text(
                "INSERT INTO product_type (product_type_id, name, created_at, created_by) "
                "SELECT :id, :name, :now, :actor "
                "WHERE NOT EXISTS (SELECT 1 FROM product_type WHERE product_type_id = :id OR name = :name)"
            ),
            {"id": product_type_id, "name": name, **meta},
        )
    _advance_sequence(bind, "entity", "entity_id")
    _advance_sequence(bind, "part_type", "part_type_id")
    _advance_sequence(bind, "product_type", "product_type_id")

    plain = bind.execute(
        sa.text(
            "SELECT p.product_imei, p.device_key FROM product p "
            "JOIN product_type t ON t.product_type_id = p.product_type_id "
            "WHERE p.device_key IS NOT NULL AND t.name <> 'SIMULATED_UNIT'"
        )
    ).all()
    for imei, device_key in plain:
        bind.execute(
            sa.text("UPDATE product SET device_key = :digest WHERE product_imei = :imei"),
            {"digest": _digest(device_key), "imei": imei},
        )


def downgrade() -> None:
    # Digests cannot be turned back into keys, and reference rows may be in use: both stay.
    with op.batch_alter_table("product") as batch:
        batch.drop_column("solar_panel_wattage")
