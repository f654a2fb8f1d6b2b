"""indexes for fleet views and the ENTITY scope (db/models/indexes.py says what reads each)

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEXES = (
    (
        "ix_product_entity_linker_product_imei_entity_id",
        "product_entity_linker",
        ["product_imei", "entity_id"],
    ),
    (
        "ix_product_entity_linker_entity_id_product_imei",
        "product_entity_linker",
        ["entity_id", "product_imei"],
    ),
    ("ix_connection_product_imei_date", "connection", ["product_imei", "date"]),
    ("ix_parameter_product_imei_parameter_type_id", "parameter", ["product_imei", "parameter_type_id"]),
    ("ix_alert_product_imei", "alert", ["product_imei"]),
    ("ix_product_note_product_imei", "product_note", ["product_imei"]),
    ("ix_part_product_linker_product_imei", "part_product_linker", ["product_imei"]),
    ("ix_sim_provider_network_linker_sim_provider_id", "sim_provider_network_linker", ["sim_provider_id"]),
    ("ix_network_mcc", "network", ["mcc"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
