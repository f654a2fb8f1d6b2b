"""repair workflows: the doc's State Types (fixed ids) and the part type categories the flows use

Revision ID: 0003
Revises: 0002

Data only (no schema change). The values are frozen here on purpose: a migration must keep meaning
what it meant when it ran, whatever domain/repairs/product_state.py becomes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The doc's "/products/<imei>/change_state" table: State Type -> state_type_id.
STATE_TYPES = [
    (1, "NON_EXISTANT"),
    (2, "STORED"),
    (3, "SHIPPED"),
    (4, "ACTIVATING"),
    (5, "ACTIVATED"),
    (6, "MONITORED"),
    (7, "UNMONITORED"),
    (8, "IN_REPAIR_SYSTEM"),
    (9, "TERMINATED"),
]
# Part type categories the repair flows replace parts in (repair_flows/flows/common.py).
PART_TYPE_CATEGORIES = ["PCB", "Battery", "Casing"]


def upgrade() -> None:
    bind = op.get_bind()
    for state_type_id, name in STATE_TYPES:
        bind.execute(
            sa.text(
                "INSERT INTO state_type (state_type_id, name) SELECT :id, :name "
                "WHERE NOT EXISTS (SELECT 1 FROM state_type WHERE state_type_id = :id OR name = :name)"
            ),
            {"id": state_type_id, "name": name},
        )
    for name in PART_TYPE_CATEGORIES:
        bind.execute(
            sa.text(
                "INSERT INTO part_type_category (name) SELECT :name "
                "WHERE NOT EXISTS (SELECT 1 FROM part_type_category WHERE name = :name)"
            ),
            {"name": name},
        )
    if bind.dialect.name == "postgresql":
        # Explicit ids do not advance the sequence; the next state_type POSTed must not collide.
        bind.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('state_type', 'state_type_id'), "
                "(SELECT MAX(state_type_id) FROM state_type))"
            )
        )


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(
        sa.text("DELETE FROM part_type_category WHERE name IN :names").bindparams(
            sa.bindparam("names", expanding=True)
        ),
        {"names": PART_TYPE_CATEGORIES},
    )
    bind.execute(
        sa.text("DELETE FROM state_type WHERE state_type_id IN :ids").bindparams(
            sa.bindparam("ids", expanding=True)
        ),
        {"ids": [state_type_id for state_type_id, _ in STATE_TYPES]},
    )
