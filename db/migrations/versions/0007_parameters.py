"""parameters: part_parameter, an index for the unit's parameters, the energy-limit parameter types

Revision ID: 0007
Revises: 0006

The parameter types are frozen here on purpose: a migration must keep meaning what it meant when it
ran, whatever domain/parameters/energy_limit.py becomes.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STATUS = ("active", "removed", "expired", "pending")
# suggest_energy_limit sends `energy_limit`; `energy_limit_cap` and `total_accessory_energy` are how a
# unit's cap and its accessories' energy are set (README, "Readings of the doc").
PARAMETER_TYPES = [
    ("energy_limit", "Daily energy the unit may deliver", {"min": 0}),
    ("energy_limit_cap", "Highest energy_limit suggest_energy_limit may apply", {"min": 0}),
    (
        "total_accessory_energy",
        "Energy of the accessories sold with the unit; fixes its energy_limit",
        {"min": 0},
    ),
]


def upgrade() -> None:
    op.create_table(
        "part_parameter",
        sa.Column("part_parameter_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("parameter_type_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("date_added", sa.DateTime(), nullable=True),
        sa.Column("date_removed", sa.DateTime(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(*STATUS, name="status", native_enum=False, create_constraint=True, length=15),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column("modified_at", sa.DateTime(), nullable=True),
        sa.Column("modified_by", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parameter_type_id"],
            ["parameter_type.parameter_type_id"],
            name="fk_part_parameter_parameter_type_id_parameter_type",
        ),
        sa.ForeignKeyConstraint(["part_id"], ["part.part_id"], name="fk_part_parameter_part_id_part"),
        sa.PrimaryKeyConstraint("part_parameter_id", name="pk_part_parameter"),
    )
    op.create_index("ix_part_parameter_part_id", "part_parameter", ["part_id"], unique=False)
    op.create_index("ix_parameter_product_imei", "parameter", ["product_imei"], unique=False)
    bind = op.get_bind()
    for name, description, rules in PARAMETER_TYPES:
        bind.execute(
            sa.text(
                "INSERT INTO parameter_type (name, data_type, validation_rules, description, repeatable, setting) "
                "SELECT :name, 'float', :rules, :description, false, true "
                "WHERE NOT EXISTS (SELECT 1 FROM parameter_type WHERE name = :name)"
            ).bindparams(sa.bindparam("rules", type_=sa.JSON)),
            {"name": name, "rules": rules, "description": description},
        )


def downgrade() -> None:
    op.drop_index("ix_parameter_product_imei", table_name="parameter")
    op.drop_index("ix_part_parameter_part_id", table_name="part_parameter")
    op.drop_table("part_parameter")
