"""initial schema: every table of the SMARTSolar doc

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 13:18:59.031645
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('action_type',
    sa.Column('action_type_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('action_type_id', name=op.f('pk_action_type')),
    sa.UniqueConstraint('label', name=op.f('uq_action_type_label')),
    sa.UniqueConstraint('name', name=op.f('uq_action_type_name'))
    )
    op.create_table('alert_type',
    sa.Column('alert_type_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=255), nullable=True),
    sa.Column('purpose', sa.String(length=255), nullable=True),
    sa.Column('message', sa.String(length=255), nullable=True),
    sa.Column('status', sa.String(length=255), nullable=False),
    sa.Column('severity', sa.String(length=255), nullable=True),
    sa.Column('analysis_frequency', sa.DateTime(), nullable=False),
    sa.Column('cooling_off_period', sa.DateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('alert_type_id', name=op.f('pk_alert_type')),
    sa.UniqueConstraint('label', name=op.f('uq_alert_type_label'))
    )
    op.create_table('appliance_action_type',
    sa.Column('appliance_action_type_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('appliance_action_type_id', name=op.f('pk_appliance_action_type')),
    sa.UniqueConstraint('name', name=op.f('uq_appliance_action_type_name'))
    )
    op.create_table('appliance_part_type',
    sa.Column('appliance_part_type_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('erp_code', sa.String(length=255), nullable=True),
    sa.Column('image', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('appliance_part_type_id', name=op.f('pk_appliance_part_type'))
    )
    op.create_table('appliance_symptom',
    sa.Column('appliance_symptom_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('appliance_symptom_id', name=op.f('pk_appliance_symptom')),
    sa.UniqueConstraint('name', name=op.f('uq_appliance_symptom_name'))
    )
    op.create_table('appliance_type',
    sa.Column('appliance_type_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('category', sa.String(length=255), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('erp_code', sa.String(length=255), nullable=True),
    sa.Column('tracked', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('appliance_type_id', name=op.f('pk_appliance_type')),
    sa.UniqueConstraint('erp_code', name=op.f('uq_appliance_type_erp_code')),
    sa.UniqueConstraint('name', name=op.f('uq_appliance_type_name'))
    )
    op.create_table('channel',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_channel'))
    )
    op.create_table('entity',
    sa.Column('entity_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('bboxx_company_flag', sa.Boolean(), nullable=False),
    sa.Column('tariff', sa.String(length=255), nullable=True),
    sa.Column('financier', sa.Boolean(), nullable=True),
    sa.Column('geic', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('entity_id', name=op.f('pk_entity')),
    sa.UniqueConstraint('geic', name=op.f('uq_entity_geic')),
    sa.UniqueConstraint('name', name=op.f('uq_entity_name'))
    )
    op.create_table('influx_shard_data',
    sa.Column('influx_shard_data_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('shard_data', sa.JSON(), nullable=True),
    sa.Column('anomalies', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('influx_shard_data_id', name=op.f('pk_influx_shard_data'))
    )
    op.create_table('network',
    sa.Column('mccmnc', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('mcc', sa.Integer(), nullable=True),
    sa.Column('mnc', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('mccmnc', name=op.f('pk_network'))
    )
    op.create_table('parameter_type',
    sa.Column('parameter_type_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('data_type', sa.Enum('float', 'datetime', 'int', 'string', 'bool', name='data_type', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('validation_rules', sa.JSON(), nullable=True),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('units', sa.String(length=255), nullable=True),
    sa.Column('repeatable', sa.Boolean(), nullable=False),
    sa.Column('setting', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('parameter_type_id', name=op.f('pk_parameter_type')),
    sa.UniqueConstraint('name', name=op.f('uq_parameter_type_name'))
    )
    op.create_table('part_type_category',
    sa.Column('part_type_category_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('part_type_category_id', name=op.f('pk_part_type_category')),
    sa.UniqueConstraint('name', name=op.f('uq_part_type_category_name'))
    )
    op.create_table('product_group',
    sa.Column('product_group_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('product_group_id', name=op.f('pk_product_group')),
    sa.UniqueConstraint('name', name=op.f('uq_product_group_name'))
    )
    op.create_table('product_type',
    sa.Column('product_type_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('erp_code', sa.String(length=255), nullable=True),
    sa.Column('parameter_types', sa.JSON(), nullable=True),
    sa.Column('credit_type', sa.Enum('gas', 'time', name='credit_type', native_enum=False, create_constraint=True, length=12), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('product_type_id', name=op.f('pk_product_type')),
    sa.UniqueConstraint('name', name=op.f('uq_product_type_name'))
    )
    op.create_table('rtc_dead_letter',
    sa.Column('rtc_dead_letter_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('queue_name', sa.Text(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('discarded', 'replayed', name='status', native_enum=False, create_constraint=True, length=17), nullable=True),
    sa.Column('status_time', sa.DateTime(), nullable=True),
    sa.Column('replay_status', sa.Enum('failure', 'success', name='replay_status', native_enum=False, create_constraint=True, length=15), nullable=True),
    sa.Column('replay_status_text', sa.Text(), nullable=True),
    sa.Column('replay_status_time', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('rtc_dead_letter_id', name=op.f('pk_rtc_dead_letter'))
    )
    op.create_table('serial',
    sa.Column('serial_number', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('serial_number', name=op.f('pk_serial'))
    )
    op.create_table('sim_provider',
    sa.Column('sim_provider_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('sim_provider_id', name=op.f('pk_sim_provider')),
    sa.UniqueConstraint('name', name=op.f('uq_sim_provider_name'))
    )
    op.create_table('software_version_type',
    sa.Column('software_version_type_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('link', sa.String(length=255), nullable=True),
    sa.Column('checksum', sa.String(length=8), nullable=True),
    sa.Column('release_date', sa.DateTime(), nullable=False),
    sa.Column('parameter_types', sa.JSON(), nullable=True),
    sa.Column('status', sa.Enum('outdated', 'stable', 'beta', 'bad', name='status', native_enum=False, create_constraint=True, length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('software_version_type_id', name=op.f('pk_software_version_type')),
    sa.UniqueConstraint('name', name=op.f('uq_software_version_type_name'))
    )
    op.create_table('state_type',
    sa.Column('state_type_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('state_type_id', name=op.f('pk_state_type')),
    sa.UniqueConstraint('name', name=op.f('uq_state_type_name'))
    )
    op.create_table('symptom_type',
    sa.Column('symptom_type_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('symptom_type_id', name=op.f('pk_symptom_type')),
    sa.UniqueConstraint('label', name=op.f('uq_symptom_type_label')),
    sa.UniqueConstraint('name', name=op.f('uq_symptom_type_name'))
    )
    op.create_table('action_type_product_type_linker',
    sa.Column('action_type_product_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_type_id', sa.Integer(), nullable=False),
    sa.Column('action_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['action_type_id'], ['action_type.action_type_id'], name=op.f('fk_action_type_product_type_linker_action_type_id_action_type')),
    sa.ForeignKeyConstraint(['product_type_id'], ['product_type.product_type_id'], name=op.f('fk_action_type_product_type_linker_product_type_id_product_type')),
    sa.PrimaryKeyConstraint('action_type_product_type_linker_id', name=op.f('pk_action_type_product_type_linker'))
    )
    op.create_table('alert_type_entity_anti_linker',
    sa.Column('alert_type_entity_anti_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('alert_type_id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['alert_type_id'], ['alert_type.alert_type_id'], name=op.f('fk_alert_type_entity_anti_linker_alert_type_id_alert_type')),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.entity_id'], name=op.f('fk_alert_type_entity_anti_linker_entity_id_entity')),
    sa.PrimaryKeyConstraint('alert_type_entity_anti_linker_id', name=op.f('pk_alert_type_entity_anti_linker'))
    )
    op.create_table('alert_type_product_type_linker',
    sa.Column('alert_type_product_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('alert_type_id', sa.Integer(), nullable=False),
    sa.Column('product_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['alert_type_id'], ['alert_type.alert_type_id'], name=op.f('fk_alert_type_product_type_linker_alert_type_id_alert_type')),
    sa.ForeignKeyConstraint(['product_type_id'], ['product_type.product_type_id'], name=op.f('fk_alert_type_product_type_linker_product_type_id_product_type')),
    sa.PrimaryKeyConstraint('alert_type_product_type_linker_id', name=op.f('pk_alert_type_product_type_linker'))
    )
    op.create_table('alert_type_state_type_linker',
    sa.Column('alert_type_state_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('alert_type_id', sa.Integer(), nullable=False),
    sa.Column('state_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['alert_type_id'], ['alert_type.alert_type_id'], name=op.f('fk_alert_type_state_type_linker_alert_type_id_alert_type')),
    sa.ForeignKeyConstraint(['state_type_id'], ['state_type.state_type_id'], name=op.f('fk_alert_type_state_type_linker_state_type_id_state_type')),
    sa.PrimaryKeyConstraint('alert_type_state_type_linker_id', name=op.f('pk_alert_type_state_type_linker'))
    )
    op.create_table('appliance',
    sa.Column('appliance_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appliance_type_id', sa.Integer(), nullable=False),
    sa.Column('serial_number', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['appliance_type_id'], ['appliance_type.appliance_type_id'], name=op.f('fk_appliance_appliance_type_id_appliance_type')),
    sa.PrimaryKeyConstraint('appliance_id', name=op.f('pk_appliance')),
    sa.UniqueConstraint('serial_number', name=op.f('uq_appliance_serial_number'))
    )
    op.create_table('appliance_action_type_appliance_type_linker',
    sa.Column('appliance_action_type_appliance_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appliance_type_id', sa.Integer(), nullable=False),
    sa.Column('appliance_action_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['appliance_action_type_id'], ['appliance_action_type.appliance_action_type_id'], name=op.f('fk_appliance_action_type_appliance_type_linker_appliance_action_type_id_appliance_action_type')),
    sa.ForeignKeyConstraint(['appliance_type_id'], ['appliance_type.appliance_type_id'], name=op.f('fk_appliance_action_type_appliance_type_linker_appliance_type_id_appliance_type')),
    sa.PrimaryKeyConstraint('appliance_action_type_appliance_type_linker_id', name=op.f('pk_appliance_action_type_appliance_type_linker'))
    )
    op.create_table('appliance_part_type_replacement_linker',
    sa.Column('appliance_part_type_replacement_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appliance_type_id', sa.Integer(), nullable=False),
    sa.Column('existing_appliance_part_type_id', sa.Integer(), nullable=False),
    sa.Column('replacement_appliance_part_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['appliance_type_id'], ['appliance_type.appliance_type_id'], name=op.f('fk_appliance_part_type_replacement_linker_appliance_type_id_appliance_type')),
    sa.ForeignKeyConstraint(['existing_appliance_part_type_id'], ['appliance_part_type.appliance_part_type_id'], name=op.f('fk_appliance_part_type_replacement_linker_existing_appliance_part_type_id_appliance_part_type')),
    sa.ForeignKeyConstraint(['replacement_appliance_part_type_id'], ['appliance_part_type.appliance_part_type_id'], name=op.f('fk_appliance_part_type_replacement_linker_replacement_appliance_part_type_id_appliance_part_type')),
    sa.PrimaryKeyConstraint('appliance_part_type_replacement_linker_id', name=op.f('pk_appliance_part_type_replacement_linker'))
    )
    op.create_table('appliance_symptom_appliance_type_linker',
    sa.Column('appliance_symptom_appliance_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appliance_type_id', sa.Integer(), nullable=True),
    sa.Column('appliance_symptom_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['appliance_symptom_id'], ['appliance_symptom.appliance_symptom_id'], name=op.f('fk_appliance_symptom_appliance_type_linker_appliance_symptom_id_appliance_symptom')),
    sa.ForeignKeyConstraint(['appliance_type_id'], ['appliance_type.appliance_type_id'], name=op.f('fk_appliance_symptom_appliance_type_linker_appliance_type_id_appliance_type')),
    sa.PrimaryKeyConstraint('appliance_symptom_appliance_type_linker_id', name=op.f('pk_appliance_symptom_appliance_type_linker'))
    )
    op.create_table('entity_facility_linker',
    sa.Column('entity_facility_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('test_jig', sa.Boolean(), nullable=False),
    sa.Column('test_bench', sa.Boolean(), nullable=False),
    sa.Column('usb_diag_tool', sa.Boolean(), nullable=False),
    sa.Column('rework_process', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.entity_id'], name=op.f('fk_entity_facility_linker_entity_id_entity')),
    sa.PrimaryKeyConstraint('entity_facility_linker_id', name=op.f('pk_entity_facility_linker')),
    sa.UniqueConstraint('entity_id', name=op.f('uq_entity_facility_linker_entity_id'))
    )
    op.create_table('hub',
    sa.Column('hub_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('guid', sa.String(length=255), nullable=True),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('latitude', sa.String(length=12), nullable=True),
    sa.Column('longitude', sa.String(length=12), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.entity_id'], name=op.f('fk_hub_entity_id_entity')),
    sa.PrimaryKeyConstraint('hub_id', name=op.f('pk_hub')),
    sa.UniqueConstraint('guid', name=op.f('uq_hub_guid')),
    sa.UniqueConstraint('name', name=op.f('uq_hub_name'))
    )
    op.create_table('latest_software',
    sa.Column('latest_software_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_type_id', sa.Integer(), nullable=False),
    sa.Column('software_version_type_id', sa.Integer(), nullable=False),
    sa.Column('date_added', sa.DateTime(), nullable=False),
    sa.Column('date_removed', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_type_id'], ['product_type.product_type_id'], name=op.f('fk_latest_software_product_type_id_product_type')),
    sa.ForeignKeyConstraint(['software_version_type_id'], ['software_version_type.software_version_type_id'], name=op.f('fk_latest_software_software_version_type_id_software_version_type')),
    sa.PrimaryKeyConstraint('latest_software_id', name=op.f('pk_latest_software'))
    )
    op.create_table('part_type',
    sa.Column('part_type_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('erp_code', sa.String(length=255), nullable=True),
    sa.Column('part_type_category_id', sa.Integer(), nullable=False),
    sa.Column('serial_number_category', sa.Enum('known', 'hidden', 'unknown', name='serial_number_category', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('parameter_types', sa.JSON(), nullable=True),
    sa.Column('part_type_metadata_validator', sa.String(length=255), nullable=True),
    sa.Column('is_sent_by_unit', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['part_type_category_id'], ['part_type_category.part_type_category_id'], name=op.f('fk_part_type_part_type_category_id_part_type_category')),
    sa.PrimaryKeyConstraint('part_type_id', name=op.f('pk_part_type')),
    sa.UniqueConstraint('name', name=op.f('uq_part_type_name'))
    )
    op.create_table('product_type_software_version_type_linker',
    sa.Column('product_type_software_version_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_type_id', sa.Integer(), nullable=False),
    sa.Column('software_version_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_type_id'], ['product_type.product_type_id'], name=op.f('fk_product_type_software_version_type_linker_product_type_id_product_type')),
    sa.ForeignKeyConstraint(['software_version_type_id'], ['software_version_type.software_version_type_id'], name=op.f('fk_product_type_software_version_type_linker_software_version_type_id_software_version_type')),
    sa.PrimaryKeyConstraint('product_type_software_version_type_linker_id', name=op.f('pk_product_type_software_version_type_linker'))
    )
    op.create_table('repair_centre',
    sa.Column('repair_centre_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.entity_id'], name=op.f('fk_repair_centre_entity_id_entity')),
    sa.PrimaryKeyConstraint('repair_centre_id', name=op.f('pk_repair_centre')),
    sa.UniqueConstraint('entity_id', name=op.f('uq_repair_centre_entity_id')),
    sa.UniqueConstraint('name', name=op.f('uq_repair_centre_name'))
    )
    op.create_table('repair_workflow_selector',
    sa.Column('repair_workflow_selector_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_type_id', sa.Integer(), nullable=False),
    sa.Column('workflow_name', sa.String(length=255), nullable=True),
    sa.Column('selector_type', sa.Enum('USER', 'ENTITY', name='selector_type', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('selector_value', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_type_id'], ['product_type.product_type_id'], name=op.f('fk_repair_workflow_selector_product_type_id_product_type')),
    sa.PrimaryKeyConstraint('repair_workflow_selector_id', name=op.f('pk_repair_workflow_selector'))
    )
    op.create_table('sim_provider_network_linker',
    sa.Column('sim_provider_network_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sim_provider_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['network.mccmnc'], name=op.f('fk_sim_provider_network_linker_network_id_network')),
    sa.ForeignKeyConstraint(['sim_provider_id'], ['sim_provider.sim_provider_id'], name=op.f('fk_sim_provider_network_linker_sim_provider_id_sim_provider')),
    sa.PrimaryKeyConstraint('sim_provider_network_linker_id', name=op.f('pk_sim_provider_network_linker'))
    )
    op.create_table('subscriber',
    sa.Column('subscriber_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('url', sa.String(length=255), nullable=False),
    sa.Column('channel_name', sa.String(length=255), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('key', sa.String(length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['channel_name'], ['channel.name'], name=op.f('fk_subscriber_channel_name_channel')),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.entity_id'], name=op.f('fk_subscriber_entity_id_entity')),
    sa.PrimaryKeyConstraint('subscriber_id', name=op.f('pk_subscriber'))
    )
    op.create_table('symptom_type_product_type_linker',
    sa.Column('symptom_type_product_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_type_id', sa.Integer(), nullable=False),
    sa.Column('symptom_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_type_id'], ['product_type.product_type_id'], name=op.f('fk_symptom_type_product_type_linker_product_type_id_product_type')),
    sa.ForeignKeyConstraint(['symptom_type_id'], ['symptom_type.symptom_type_id'], name=op.f('fk_symptom_type_product_type_linker_symptom_type_id_symptom_type')),
    sa.PrimaryKeyConstraint('symptom_type_product_type_linker_id', name=op.f('pk_symptom_type_product_type_linker'))
    )
    op.create_table('appliance_repair',
    sa.Column('appliance_repair_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appliance_id', sa.Integer(), nullable=False),
    sa.Column('arrival_date', sa.Date(), nullable=True),
    sa.Column('refurbishment_date', sa.Date(), nullable=True),
    sa.Column('pending_status', sa.Boolean(), nullable=True),
    sa.Column('process', sa.Enum('Repair and Return', 'Replaced', 'Repossessed', 'Broken on Arrival', name='process', native_enum=False, create_constraint=True, length=25), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['appliance_id'], ['appliance.appliance_id'], name=op.f('fk_appliance_repair_appliance_id_appliance')),
    sa.PrimaryKeyConstraint('appliance_repair_id', name=op.f('pk_appliance_repair'))
    )
    op.create_table('default_energy_limit',
    sa.Column('default_energy_limit_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('battery_type_id', sa.Integer(), nullable=False),
    sa.Column('state_type_id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('energy_limit', sa.Float(), nullable=False),
    sa.Column('max_energy_limit', sa.Float(), nullable=False),
    sa.Column('min_energy_limit', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['battery_type_id'], ['part_type.part_type_id'], name=op.f('fk_default_energy_limit_battery_type_id_part_type')),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.entity_id'], name=op.f('fk_default_energy_limit_entity_id_entity')),
    sa.ForeignKeyConstraint(['state_type_id'], ['state_type.state_type_id'], name=op.f('fk_default_energy_limit_state_type_id_state_type')),
    sa.PrimaryKeyConstraint('default_energy_limit_id', name=op.f('pk_default_energy_limit'))
    )
    op.create_table('part',
    sa.Column('part_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('serial_number', sa.String(length=255), nullable=True),
    sa.Column('part_type_id', sa.Integer(), nullable=False),
    sa.Column('properties', sa.JSON(), nullable=True),
    sa.Column('manufacturer', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['part_type_id'], ['part_type.part_type_id'], name=op.f('fk_part_part_type_id_part_type')),
    sa.PrimaryKeyConstraint('part_id', name=op.f('pk_part')),
    sa.UniqueConstraint('serial_number', name=op.f('uq_part_serial_number'))
    )
    op.create_table('part_type_product_type_linker',
    sa.Column('part_type_product_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_type_id', sa.Integer(), nullable=False),
    sa.Column('part_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['part_type_id'], ['part_type.part_type_id'], name=op.f('fk_part_type_product_type_linker_part_type_id_part_type')),
    sa.ForeignKeyConstraint(['product_type_id'], ['product_type.product_type_id'], name=op.f('fk_part_type_product_type_linker_product_type_id_product_type')),
    sa.PrimaryKeyConstraint('part_type_product_type_linker_id', name=op.f('pk_part_type_product_type_linker'))
    )
    op.create_table('part_type_replacement_linker',
    sa.Column('part_type_replacement_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_type_id', sa.Integer(), nullable=True),
    sa.Column('existing_part_type_id', sa.Integer(), nullable=False),
    sa.Column('replacement_part_type_id', sa.Integer(), nullable=False),
    sa.Column('default_part_type', sa.Boolean(), nullable=False),
    sa.Column('critical_part_type', sa.Boolean(), nullable=False),
    sa.Column('non_transferable', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['existing_part_type_id'], ['part_type.part_type_id'], name=op.f('fk_part_type_replacement_linker_existing_part_type_id_part_type')),
    sa.ForeignKeyConstraint(['product_type_id'], ['product_type.product_type_id'], name=op.f('fk_part_type_replacement_linker_product_type_id_product_type')),
    sa.ForeignKeyConstraint(['replacement_part_type_id'], ['part_type.part_type_id'], name=op.f('fk_part_type_replacement_linker_replacement_part_type_id_part_type')),
    sa.PrimaryKeyConstraint('part_type_replacement_linker_id', name=op.f('pk_part_type_replacement_linker'))
    )
    op.create_table('shop',
    sa.Column('shop_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('guid', sa.String(length=255), nullable=True),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('latitude', sa.String(length=12), nullable=True),
    sa.Column('longitude', sa.String(length=12), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['hub_id'], ['hub.hub_id'], name=op.f('fk_shop_hub_id_hub')),
    sa.PrimaryKeyConstraint('shop_id', name=op.f('pk_shop')),
    sa.UniqueConstraint('guid', name=op.f('uq_shop_guid')),
    sa.UniqueConstraint('name', name=op.f('uq_shop_name'))
    )
    op.create_table('sim_part_type_sim_provider_linker',
    sa.Column('sim_part_type_sim_provider_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sim_part_type_id', sa.Integer(), nullable=False),
    sa.Column('sim_provider_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['sim_part_type_id'], ['part_type.part_type_id'], name=op.f('fk_sim_part_type_sim_provider_linker_sim_part_type_id_part_type')),
    sa.ForeignKeyConstraint(['sim_provider_id'], ['sim_provider.sim_provider_id'], name=op.f('fk_sim_part_type_sim_provider_linker_sim_provider_id_sim_provider')),
    sa.PrimaryKeyConstraint('sim_part_type_sim_provider_linker_id', name=op.f('pk_sim_part_type_sim_provider_linker')),
    sa.UniqueConstraint('sim_part_type_id', name=op.f('uq_sim_part_type_sim_provider_linker_sim_part_type_id'))
    )
    op.create_table('user_repair_centre_link',
    sa.Column('user_repair_centre_link_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=255), nullable=False),
    sa.Column('repair_centre_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['repair_centre_id'], ['repair_centre.repair_centre_id'], name=op.f('fk_user_repair_centre_link_repair_centre_id_repair_centre')),
    sa.PrimaryKeyConstraint('user_repair_centre_link_id', name=op.f('pk_user_repair_centre_link')),
    sa.UniqueConstraint('repair_centre_id', name=op.f('uq_user_repair_centre_link_repair_centre_id')),
    sa.UniqueConstraint('username', name=op.f('uq_user_repair_centre_link_username'))
    )
    op.create_table('appliance_repair_appliance_action_type_linker',
    sa.Column('appliance_repair_appliance_action_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appliance_repair_id', sa.Integer(), nullable=False),
    sa.Column('appliance_action_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['appliance_action_type_id'], ['appliance_action_type.appliance_action_type_id'], name=op.f('fk_appliance_repair_appliance_action_type_linker_appliance_action_type_id_appliance_action_type')),
    sa.ForeignKeyConstraint(['appliance_repair_id'], ['appliance_repair.appliance_repair_id'], name=op.f('fk_appliance_repair_appliance_action_type_linker_appliance_repair_id_appliance_repair')),
    sa.PrimaryKeyConstraint('appliance_repair_appliance_action_type_linker_id', name=op.f('pk_appliance_repair_appliance_action_type_linker'))
    )
    op.create_table('appliance_repair_appliance_part_type_linker',
    sa.Column('appliance_repair_appliance_part_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appliance_repair_id', sa.Integer(), nullable=False),
    sa.Column('old_appliance_part_type_id', sa.Integer(), nullable=False),
    sa.Column('new_appliance_part_type_id', sa.Integer(), nullable=True),
    sa.Column('repaired_parts_count', sa.Integer(), nullable=True),
    sa.Column('requested_date', sa.DateTime(), nullable=True),
    sa.Column('replaced_date', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['appliance_repair_id'], ['appliance_repair.appliance_repair_id'], name=op.f('fk_appliance_repair_appliance_part_type_linker_appliance_repair_id_appliance_repair')),
    sa.ForeignKeyConstraint(['new_appliance_part_type_id'], ['appliance_part_type.appliance_part_type_id'], name=op.f('fk_appliance_repair_appliance_part_type_linker_new_appliance_part_type_id_appliance_part_type')),
    sa.ForeignKeyConstraint(['old_appliance_part_type_id'], ['appliance_part_type.appliance_part_type_id'], name=op.f('fk_appliance_repair_appliance_part_type_linker_old_appliance_part_type_id_appliance_part_type')),
    sa.PrimaryKeyConstraint('appliance_repair_appliance_part_type_linker_id', name=op.f('pk_appliance_repair_appliance_part_type_linker'))
    )
    op.create_table('appliance_repair_appliance_symptom_linker',
    sa.Column('appliance_repair_appliance_symptom_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appliance_repair_id', sa.Integer(), nullable=True),
    sa.Column('appliance_symptom_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['appliance_repair_id'], ['appliance_repair.appliance_repair_id'], name=op.f('fk_appliance_repair_appliance_symptom_linker_appliance_repair_id_appliance_repair')),
    sa.ForeignKeyConstraint(['appliance_symptom_id'], ['appliance_symptom.appliance_symptom_id'], name=op.f('fk_appliance_repair_appliance_symptom_linker_appliance_symptom_id_appliance_symptom')),
    sa.PrimaryKeyConstraint('appliance_repair_appliance_symptom_linker_id', name=op.f('pk_appliance_repair_appliance_symptom_linker'))
    )
    op.create_table('product',
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('analysis_timestamp', sa.DateTime(), nullable=True),
    sa.Column('current_enable_flag', sa.Boolean(), nullable=False),
    sa.Column('desired_enable_flag', sa.Boolean(), nullable=False),
    sa.Column('disable_date', sa.DateTime(), nullable=True),
    sa.Column('device_key', sa.String(length=24), nullable=True),
    sa.Column('hub_id', sa.Integer(), nullable=True),
    sa.Column('imsi', sa.String(length=15), nullable=False),
    sa.Column('iccid', sa.String(length=255), nullable=True),
    sa.Column('latest_connection_id', sa.Integer(), nullable=True),
    sa.Column('latest_connection_location_id', sa.Integer(), nullable=True),
    sa.Column('latest_state_id', sa.Integer(), nullable=True),
    sa.Column('latest_enable_history_id', sa.Integer(), nullable=True),
    sa.Column('product_type_id', sa.Integer(), nullable=False),
    sa.Column('serial_number', sa.String(length=255), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('software_lock', sa.Integer(), nullable=True),
    sa.Column('rtc_network_name', sa.Enum('Test-SIM-Provider', 'Aeris', 'Eseye', 'Wireless-Logic', name='rtc_network_name', native_enum=False, create_constraint=True, length=25), nullable=True),
    sa.Column('ip_address', sa.String(length=15), nullable=True),
    sa.Column('latest_rtc_connection_history_id', sa.Integer(), nullable=True),
    sa.Column('latest_rtc_mo_status_report_time', sa.DateTime(), nullable=True),
    sa.Column('latest_rtc_mt_status_update_time', sa.DateTime(), nullable=True),
    sa.Column('rtc_enabled_flag', sa.Boolean(), nullable=False),
    sa.Column('dcm_enabled_flag', sa.Boolean(), nullable=False),
    sa.Column('assembler', sa.String(length=255), nullable=True),
    sa.Column('gps_lat', sa.Float(), nullable=True),
    sa.Column('gps_lon', sa.Float(), nullable=True),
    sa.Column('warranty_start_date', sa.Date(), nullable=True),
    sa.Column('is_payg', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['hub_id'], ['hub.hub_id'], name=op.f('fk_product_hub_id_hub')),
    sa.ForeignKeyConstraint(['latest_enable_history_id'], ['enable_history.enable_history_id'], name=op.f('fk_product_latest_enable_history_id_enable_history'), use_alter=True),
    sa.ForeignKeyConstraint(['latest_state_id'], ['state.state_id'], name=op.f('fk_product_latest_state_id_state'), use_alter=True),
    sa.ForeignKeyConstraint(['product_type_id'], ['product_type.product_type_id'], name=op.f('fk_product_product_type_id_product_type')),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.shop_id'], name=op.f('fk_product_shop_id_shop')),
    sa.ForeignKeyConstraint(['software_lock'], ['software_version_type.software_version_type_id'], name=op.f('fk_product_software_lock_software_version_type')),
    sa.PrimaryKeyConstraint('product_imei', name=op.f('pk_product')),
    sa.UniqueConstraint('device_key', name=op.f('uq_product_device_key')),
    sa.UniqueConstraint('iccid', name=op.f('uq_product_iccid')),
    sa.UniqueConstraint('imsi', name=op.f('uq_product_imsi')),
    sa.UniqueConstraint('serial_number', name=op.f('uq_product_serial_number'))
    )
    op.create_table('user',
    sa.Column('user_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=255), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('display_name', sa.String(length=255), nullable=True),
    sa.Column('name', sa.String(length=255), nullable=True),
    sa.Column('permissions', sa.Enum('OVERVIEW', 'TECHNICAL', 'ADMIN', 'FACTORY', 'SYSTEM', name='permissions', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('user_product_visibility', sa.Enum('GLOBAL', 'ENTITY', name='user_product_visibility', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('hub_id', sa.Integer(), nullable=True),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.entity_id'], name=op.f('fk_user_entity_id_entity')),
    sa.ForeignKeyConstraint(['hub_id'], ['hub.hub_id'], name=op.f('fk_user_hub_id_hub')),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.shop_id'], name=op.f('fk_user_shop_id_shop')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user')),
    sa.UniqueConstraint('username', name=op.f('uq_user_username'))
    )
    op.create_table('analysis_history',
    sa.Column('analysis_history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('alert_type_id', sa.Integer(), nullable=False),
    sa.Column('timestamp', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Enum('success', 'failure', name='status', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['alert_type_id'], ['alert_type.alert_type_id'], name=op.f('fk_analysis_history_alert_type_id_alert_type')),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_analysis_history_product_imei_product')),
    sa.PrimaryKeyConstraint('analysis_history_id', name=op.f('pk_analysis_history'))
    )
    op.create_table('api_token',
    sa.Column('api_token_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.user_id'], name=op.f('fk_api_token_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('api_token_id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    op.create_index(op.f('ix_api_token_expires_at'), 'api_token', ['expires_at'], unique=False)
    op.create_table('balance',
    sa.Column('balance_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('balance', sa.Integer(), nullable=False),
    sa.Column('expected_expiry', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_balance_product_imei_product')),
    sa.PrimaryKeyConstraint('balance_id', name=op.f('pk_balance'))
    )
    op.create_table('connection',
    sa.Column('connection_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=True),
    sa.Column('location_failed_flag', sa.Boolean(), nullable=False),
    sa.Column('date', sa.DateTime(), nullable=False),
    sa.Column('mcc', sa.Integer(), nullable=True),
    sa.Column('mnc', sa.Integer(), nullable=True),
    sa.Column('cell_1_lac', sa.Integer(), nullable=True),
    sa.Column('cell_1_cid', sa.Integer(), nullable=True),
    sa.Column('cell_1_signal', sa.Integer(), nullable=True),
    sa.Column('cell_1_mcc', sa.Integer(), nullable=True),
    sa.Column('cell_1_mnc', sa.Integer(), nullable=True),
    sa.Column('cell_2_lac', sa.Integer(), nullable=True),
    sa.Column('cell_2_cid', sa.Integer(), nullable=True),
    sa.Column('cell_2_signal', sa.Integer(), nullable=True),
    sa.Column('cell_2_mcc', sa.Integer(), nullable=True),
    sa.Column('cell_2_mnc', sa.Integer(), nullable=True),
    sa.Column('cell_3_lac', sa.Integer(), nullable=True),
    sa.Column('cell_3_cid', sa.Integer(), nullable=True),
    sa.Column('cell_3_signal', sa.Integer(), nullable=True),
    sa.Column('cell_3_mcc', sa.Integer(), nullable=True),
    sa.Column('cell_3_mnc', sa.Integer(), nullable=True),
    sa.Column('cell_4_lac', sa.Integer(), nullable=True),
    sa.Column('cell_4_cid', sa.Integer(), nullable=True),
    sa.Column('cell_4_signal', sa.Integer(), nullable=True),
    sa.Column('cell_4_mcc', sa.Integer(), nullable=True),
    sa.Column('cell_4_mnc', sa.Integer(), nullable=True),
    sa.Column('cell_5_lac', sa.Integer(), nullable=True),
    sa.Column('cell_5_cid', sa.Integer(), nullable=True),
    sa.Column('cell_5_signal', sa.Integer(), nullable=True),
    sa.Column('cell_5_mcc', sa.Integer(), nullable=True),
    sa.Column('cell_5_mnc', sa.Integer(), nullable=True),
    sa.Column('cell_6_lac', sa.Integer(), nullable=True),
    sa.Column('cell_6_cid', sa.Integer(), nullable=True),
    sa.Column('cell_6_signal', sa.Integer(), nullable=True),
    sa.Column('cell_6_mcc', sa.Integer(), nullable=True),
    sa.Column('cell_6_mnc', sa.Integer(), nullable=True),
    sa.Column('cell_7_lac', sa.Integer(), nullable=True),
    sa.Column('cell_7_cid', sa.Integer(), nullable=True),
    sa.Column('cell_7_signal', sa.Integer(), nullable=True),
    sa.Column('cell_7_mcc', sa.Integer(), nullable=True),
    sa.Column('cell_7_mnc', sa.Integer(), nullable=True),
    sa.Column('frequency', sa.Integer(), nullable=True),
    sa.Column('timing_advance', sa.Integer(), nullable=True),
    sa.Column('latitude', sa.String(length=12), nullable=True),
    sa.Column('longitude', sa.String(length=12), nullable=True),
    sa.Column('error_radius', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=255), nullable=True),
    sa.Column('country_code', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_connection_product_imei_product')),
    sa.PrimaryKeyConstraint('connection_id', name=op.f('pk_connection'))
    )
    op.create_table('enable_history',
    sa.Column('enable_history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('prev_enable_state', sa.Enum('pending_disabled', 'pending_enabled', 'init', 'enabled', 'disabled', name='prev_enable_state', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.Column('current_enable_state', sa.Enum('pending_disabled', 'pending_enabled', 'init', 'enabled', 'disabled', name='current_enable_state', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('user', sa.String(length=255), nullable=False),
    sa.Column('date', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_enable_history_product_imei_product')),
    sa.PrimaryKeyConstraint('enable_history_id', name=op.f('pk_enable_history'))
    )
    op.create_table('home2_stock_preparation_tracking',
    sa.Column('home2_stock_preparation_tracking_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('serial_number', sa.String(length=255), nullable=False),
    sa.Column('activated', sa.Boolean(), nullable=False),
    sa.Column('software_updated', sa.Boolean(), nullable=False),
    sa.Column('temperature_check', sa.Boolean(), nullable=False),
    sa.Column('battery_charged', sa.Boolean(), nullable=False),
    sa.Column('recent_data', sa.Boolean(), nullable=False),
    sa.Column('online_disable', sa.Boolean(), nullable=False),
    sa.Column('contact_support', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_home2_stock_preparation_tracking_product_imei_product')),
    sa.PrimaryKeyConstraint('home2_stock_preparation_tracking_id', name=op.f('pk_home2_stock_preparation_tracking'))
    )
    op.create_table('parameter',
    sa.Column('parameter_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('parameter_type_id', sa.Integer(), nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('date_added', sa.DateTime(), nullable=True),
    sa.Column('date_removed', sa.DateTime(), nullable=True),
    sa.Column('status', sa.Enum('active', 'removed', 'expired', 'pending', name='status', native_enum=False, create_constraint=True, length=15), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['parameter_type_id'], ['parameter_type.parameter_type_id'], name=op.f('fk_parameter_parameter_type_id_parameter_type')),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_parameter_product_imei_product')),
    sa.PrimaryKeyConstraint('parameter_id', name=op.f('pk_parameter'))
    )
    op.create_table('payment_command',
    sa.Column('payment_command_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('payment', 'bad-payment', 'zero-command', 'force-reset', name='category', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('void', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=255), nullable=True),
    sa.Column('transaction_id', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_payment_command_product_imei_product')),
    sa.PrimaryKeyConstraint('payment_command_id', name=op.f('pk_payment_command')),
    sa.UniqueConstraint('transaction_id', name=op.f('uq_payment_command_transaction_id'))
    )
    op.create_table('product_entity_linker',
    sa.Column('product_entity_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('date_added', sa.DateTime(), nullable=False),
    sa.Column('date_removed', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['entity_id'], ['entity.entity_id'], name=op.f('fk_product_entity_linker_entity_id_entity')),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_product_entity_linker_product_imei_product')),
    sa.PrimaryKeyConstraint('product_entity_linker_id', name=op.f('pk_product_entity_linker'))
    )
    op.create_table('product_note',
    sa.Column('product_note_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('note_text', sa.String(length=255), nullable=False),
    sa.Column('product_imei', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_product_note_product_imei_product')),
    sa.PrimaryKeyConstraint('product_note_id', name=op.f('pk_product_note'))
    )
    op.create_table('product_parameter',
    sa.Column('product_parameter_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('parameter_type_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('expired', 'removed', 'active', 'pending', name='status', native_enum=False, create_constraint=True, length=15), nullable=True),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('date_added', sa.DateTime(), nullable=True),
    sa.Column('date_removed', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['parameter_type_id'], ['parameter_type.parameter_type_id'], name=op.f('fk_product_parameter_parameter_type_id_parameter_type')),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_product_parameter_product_imei_product')),
    sa.PrimaryKeyConstraint('product_parameter_id', name=op.f('pk_product_parameter'))
    )
    op.create_table('product_product_group_linker',
    sa.Column('product_product_group_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_group_id', sa.Integer(), nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('date_added', sa.DateTime(), nullable=True),
    sa.Column('date_removed', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_group_id'], ['product_group.product_group_id'], name=op.f('fk_product_product_group_linker_product_group_id_product_group')),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_product_product_group_linker_product_imei_product')),
    sa.PrimaryKeyConstraint('product_product_group_linker_id', name=op.f('pk_product_product_group_linker'))
    )
    op.create_table('product_software_linker',
    sa.Column('product_software_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('software_version_type_id', sa.Integer(), nullable=False),
    sa.Column('date_added', sa.DateTime(), nullable=True),
    sa.Column('date_removed', sa.DateTime(), nullable=True),
    sa.Column('update_attempts', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_product_software_linker_product_imei_product')),
    sa.ForeignKeyConstraint(['software_version_type_id'], ['software_version_type.software_version_type_id'], name=op.f('fk_product_software_linker_software_version_type_id_software_version_type')),
    sa.PrimaryKeyConstraint('product_software_linker_id', name=op.f('pk_product_software_linker'))
    )
    op.create_table('repair',
    sa.Column('repair_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('arrival_date', sa.Date(), nullable=True),
    sa.Column('refurbishment_date', sa.Date(), nullable=True),
    sa.Column('measured_battery_capacity', sa.Float(), nullable=True),
    sa.Column('process', sa.Enum('Repair and Return', 'Replaced', 'Repossessed', 'Broken on Arrival', name='process', native_enum=False, create_constraint=True, length=25), nullable=True),
    sa.Column('pending_status', sa.Boolean(), nullable=True),
    sa.Column('workflow_name', sa.String(length=255), nullable=True),
    sa.Column('workflow_state_id', sa.String(length=255), nullable=True),
    sa.Column('context', sa.JSON(), nullable=True),
    sa.Column('latest_workflow_event_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_repair_product_imei_product')),
    sa.PrimaryKeyConstraint('repair_id', name=op.f('pk_repair'))
    )
    op.create_table('rtc_connection_history',
    sa.Column('rtc_connection_history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('connection_status', sa.Enum('online', 'offline', name='connection_status', native_enum=False, create_constraint=True, length=15), nullable=False),
    sa.Column('connection_status_time', sa.DateTime(), nullable=False),
    sa.Column('connection_status_reason', sa.Enum('user-request', 'unknown', 'low-battery-voltage', 'inactivity', 'sleep-mode', 'message-received', name='connection_status_reason', native_enum=False, create_constraint=True, length=27), nullable=False),
    sa.Column('connection_status_info', sa.String(length=255), nullable=True),
    sa.Column('latest_message_time', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_rtc_connection_history_product_imei_product')),
    sa.PrimaryKeyConstraint('rtc_connection_history_id', name=op.f('pk_rtc_connection_history'))
    )
    op.create_table('rtc_fallback_message_history',
    sa.Column('rtc_fallback_message_history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('message_sent_time', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_rtc_fallback_message_history_product_imei_product')),
    sa.PrimaryKeyConstraint('rtc_fallback_message_history_id', name=op.f('pk_rtc_fallback_message_history'))
    )
    op.create_table('rtc_message_history',
    sa.Column('rtc_message_history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('message_reference', sa.String(length=255), nullable=True),
    sa.Column('message_bin', sa.LargeBinary(), nullable=True),
    sa.Column('message_sent_time', sa.DateTime(), nullable=False),
    sa.Column('delivery_status', sa.Enum('failed', 'delivered', name='delivery_status', native_enum=False, create_constraint=True, length=17), nullable=True),
    sa.Column('delivery_status_time', sa.DateTime(), nullable=True),
    sa.Column('delivery_status_info', sa.String(length=255), nullable=True),
    sa.Column('message_json', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_rtc_message_history_product_imei_product')),
    sa.PrimaryKeyConstraint('rtc_message_history_id', name=op.f('pk_rtc_message_history'))
    )
    op.create_table('rtc_mo_message_history',
    sa.Column('rtc_mo_message_history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('message_bin', sa.LargeBinary(), nullable=True),
    sa.Column('message_json', sa.String(length=255), nullable=True),
    sa.Column('message_received_time', sa.DateTime(), nullable=False),
    sa.Column('processing_status', sa.Enum('failed', 'processed', name='processing_status', native_enum=False, create_constraint=True, length=17), nullable=True),
    sa.Column('processing_status_info', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_rtc_mo_message_history_product_imei_product')),
    sa.PrimaryKeyConstraint('rtc_mo_message_history_id', name=op.f('pk_rtc_mo_message_history'))
    )
    op.create_table('state',
    sa.Column('state_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('prev_state_type', sa.Integer(), nullable=False),
    sa.Column('current_state_type', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['current_state_type'], ['state_type.state_type_id'], name=op.f('fk_state_current_state_type_state_type')),
    sa.ForeignKeyConstraint(['prev_state_type'], ['state_type.state_type_id'], name=op.f('fk_state_prev_state_type_state_type')),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_state_product_imei_product')),
    sa.PrimaryKeyConstraint('state_id', name=op.f('pk_state'))
    )
    op.create_table('test_jig_test_result',
    sa.Column('test_jig_test_result_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('jig_id', sa.String(length=255), nullable=True),
    sa.Column('machine_id', sa.String(length=255), nullable=True),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('jig_software_version', sa.String(length=255), nullable=True),
    sa.Column('user', sa.String(length=255), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_test_jig_test_result_product_imei_product')),
    sa.PrimaryKeyConstraint('test_jig_test_result_id', name=op.f('pk_test_jig_test_result'))
    )
    op.create_table('alert',
    sa.Column('alert_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('alert_type_id', sa.Integer(), nullable=False),
    sa.Column('start_time', sa.DateTime(), nullable=True),
    sa.Column('dismissed_at', sa.DateTime(), nullable=True),
    sa.Column('dismissed_by', sa.String(length=255), nullable=True),
    sa.Column('dismissal_reason', sa.String(length=255), nullable=True),
    sa.Column('repair_id', sa.Integer(), nullable=True),
    sa.Column('extra_info', sa.String(length=255), nullable=True),
    sa.Column('customer_contact_date', sa.DateTime(), nullable=True),
    sa.Column('customer_contact_type', sa.Enum('visit', 'sms', 'phone', name='customer_contact_type', native_enum=False, create_constraint=True, length=13), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['alert_type_id'], ['alert_type.alert_type_id'], name=op.f('fk_alert_alert_type_id_alert_type')),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_alert_product_imei_product')),
    sa.ForeignKeyConstraint(['repair_id'], ['repair.repair_id'], name=op.f('fk_alert_repair_id_repair')),
    sa.PrimaryKeyConstraint('alert_id', name=op.f('pk_alert'))
    )
    op.create_table('battery_failure',
    sa.Column('battery_failure_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('repair_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('battery_failure_date', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['part_id'], ['part.part_id'], name=op.f('fk_battery_failure_part_id_part')),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_battery_failure_product_imei_product')),
    sa.ForeignKeyConstraint(['repair_id'], ['repair.repair_id'], name=op.f('fk_battery_failure_repair_id_repair')),
    sa.PrimaryKeyConstraint('battery_failure_id', name=op.f('pk_battery_failure'))
    )
    op.create_table('factory_log',
    sa.Column('factory_log_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('app_name', sa.String(length=255), nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=True),
    sa.Column('repair_id', sa.Integer(), nullable=True),
    sa.Column('timestamp', sa.DateTime(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['repair_id'], ['repair.repair_id'], name=op.f('fk_factory_log_repair_id_repair')),
    sa.PrimaryKeyConstraint('factory_log_id', name=op.f('pk_factory_log'))
    )
    op.create_table('final_balance',
    sa.Column('final_balance_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('final_balance', sa.Integer(), nullable=False),
    sa.Column('total_added', sa.Integer(), nullable=False),
    sa.Column('zero_command_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_final_balance_product_imei_product')),
    sa.ForeignKeyConstraint(['zero_command_id'], ['payment_command.payment_command_id'], name=op.f('fk_final_balance_zero_command_id_payment_command')),
    sa.PrimaryKeyConstraint('final_balance_id', name=op.f('pk_final_balance'))
    )
    op.create_table('part_product_linker',
    sa.Column('part_product_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('date_added', sa.DateTime(), nullable=True),
    sa.Column('date_removed', sa.DateTime(), nullable=True),
    sa.Column('added_repair_id', sa.Integer(), nullable=True),
    sa.Column('removed_repair_id', sa.Integer(), nullable=True),
    sa.Column('replaced_part_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['added_repair_id'], ['repair.repair_id'], name=op.f('fk_part_product_linker_added_repair_id_repair')),
    sa.ForeignKeyConstraint(['part_id'], ['part.part_id'], name=op.f('fk_part_product_linker_part_id_part')),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_part_product_linker_product_imei_product')),
    sa.ForeignKeyConstraint(['removed_repair_id'], ['repair.repair_id'], name=op.f('fk_part_product_linker_removed_repair_id_repair')),
    sa.ForeignKeyConstraint(['replaced_part_id'], ['part.part_id'], name=op.f('fk_part_product_linker_replaced_part_id_part')),
    sa.PrimaryKeyConstraint('part_product_linker_id', name=op.f('pk_part_product_linker'))
    )
    op.create_table('repair_action_type_linker',
    sa.Column('repair_action_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('repair_id', sa.Integer(), nullable=False),
    sa.Column('action_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['action_type_id'], ['action_type.action_type_id'], name=op.f('fk_repair_action_type_linker_action_type_id_action_type')),
    sa.ForeignKeyConstraint(['repair_id'], ['repair.repair_id'], name=op.f('fk_repair_action_type_linker_repair_id_repair')),
    sa.PrimaryKeyConstraint('repair_action_type_linker_id', name=op.f('pk_repair_action_type_linker'))
    )
    op.create_table('repair_part_type_linker',
    sa.Column('repair_part_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('repair_id', sa.Integer(), nullable=False),
    sa.Column('old_part_type_id', sa.Integer(), nullable=True),
    sa.Column('new_part_id', sa.Integer(), nullable=True),
    sa.Column('new_part_type_id', sa.Integer(), nullable=True),
    sa.Column('requested_date', sa.DateTime(), nullable=True),
    sa.Column('replaced_date', sa.DateTime(), nullable=True),
    sa.Column('non_transferable', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['new_part_id'], ['part.part_id'], name=op.f('fk_repair_part_type_linker_new_part_id_part')),
    sa.ForeignKeyConstraint(['new_part_type_id'], ['part_type.part_type_id'], name=op.f('fk_repair_part_type_linker_new_part_type_id_part_type')),
    sa.ForeignKeyConstraint(['old_part_type_id'], ['part_type.part_type_id'], name=op.f('fk_repair_part_type_linker_old_part_type_id_part_type')),
    sa.ForeignKeyConstraint(['repair_id'], ['repair.repair_id'], name=op.f('fk_repair_part_type_linker_repair_id_repair')),
    sa.PrimaryKeyConstraint('repair_part_type_linker_id', name=op.f('pk_repair_part_type_linker'))
    )
    op.create_table('repair_product_linker',
    sa.Column('repair_product_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('repair_id', sa.Integer(), nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['repair_id'], ['repair.repair_id'], name=op.f('fk_repair_product_linker_repair_id_repair')),
    sa.PrimaryKeyConstraint('repair_product_linker_id', name=op.f('pk_repair_product_linker'))
    )
    op.create_table('repair_symptom_type_linker',
    sa.Column('repair_symptom_type_linker_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('repair_id', sa.Integer(), nullable=False),
    sa.Column('symptom_type_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['repair_id'], ['repair.repair_id'], name=op.f('fk_repair_symptom_type_linker_repair_id_repair')),
    sa.ForeignKeyConstraint(['symptom_type_id'], ['symptom_type.symptom_type_id'], name=op.f('fk_repair_symptom_type_linker_symptom_type_id_symptom_type')),
    sa.PrimaryKeyConstraint('repair_symptom_type_linker_id', name=op.f('pk_repair_symptom_type_linker'))
    )
    op.create_table('repair_workflow_event',
    sa.Column('repair_workflow_event_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('repair_id', sa.Integer(), nullable=False),
    sa.Column('current_state_id', sa.String(length=255), nullable=False),
    sa.Column('event_id', sa.String(length=255), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('next_state_id', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['repair_id'], ['repair.repair_id'], name=op.f('fk_repair_workflow_event_repair_id_repair')),
    sa.PrimaryKeyConstraint('repair_workflow_event_id', name=op.f('pk_repair_workflow_event'))
    )
    op.create_table('repair_workflow_history',
    sa.Column('repair_workflow_history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('repair_id', sa.Integer(), nullable=False),
    sa.Column('start_state_id', sa.String(length=255), nullable=True),
    sa.Column('end_state_id', sa.String(length=255), nullable=True),
    sa.Column('update_commands_bin', sa.LargeBinary(), nullable=True),
    sa.Column('can_undo', sa.Boolean(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['repair_id'], ['repair.repair_id'], name=op.f('fk_repair_workflow_history_repair_id_repair')),
    sa.PrimaryKeyConstraint('repair_workflow_history_id', name=op.f('pk_repair_workflow_history'))
    )
    op.create_table('repair_workflow_state',
    sa.Column('repair_workflow_state_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('repair_id', sa.Integer(), nullable=False),
    sa.Column('state_id', sa.String(length=255), nullable=True),
    sa.Column('entry_time', sa.DateTime(), nullable=True),
    sa.Column('exit_time', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['repair_id'], ['repair.repair_id'], name=op.f('fk_repair_workflow_state_repair_id_repair')),
    sa.PrimaryKeyConstraint('repair_workflow_state_id', name=op.f('pk_repair_workflow_state'))
    )
    op.create_table('sms_history',
    sa.Column('sms_history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('attempted_retries', sa.Integer(), nullable=False),
    sa.Column('enable_history_id', sa.Integer(), nullable=True),
    sa.Column('message_reference', sa.String(length=255), nullable=True),
    sa.Column('message', sa.String(length=255), nullable=True),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('sent_time', sa.DateTime(), nullable=False),
    sa.Column('sms_timeout', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=255), nullable=True),
    sa.Column('trigger', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['enable_history_id'], ['enable_history.enable_history_id'], name=op.f('fk_sms_history_enable_history_id_enable_history')),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_sms_history_product_imei_product')),
    sa.PrimaryKeyConstraint('sms_history_id', name=op.f('pk_sms_history'))
    )
    op.create_table('battery_test_result',
    sa.Column('battery_test_result_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('product_imei', sa.String(length=15), nullable=False),
    sa.Column('type', sa.String(length=255), nullable=False),
    sa.Column('result', sa.String(length=255), nullable=False),
    sa.Column('problem', sa.String(length=255), nullable=True),
    sa.Column('message', sa.String(length=255), nullable=True),
    sa.Column('lvd_time', sa.DateTime(), nullable=True),
    sa.Column('energy', sa.Float(), nullable=True),
    sa.Column('battery_part_id', sa.Integer(), nullable=True),
    sa.Column('repair_workflow_event_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('created_by', sa.Text(), nullable=True),
    sa.Column('modified_at', sa.DateTime(), nullable=True),
    sa.Column('modified_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['battery_part_id'], ['part.part_id'], name=op.f('fk_battery_test_result_battery_part_id_part')),
    sa.ForeignKeyConstraint(['product_imei'], ['product.product_imei'], name=op.f('fk_battery_test_result_product_imei_product')),
    sa.ForeignKeyConstraint(['repair_workflow_event_id'], ['repair_workflow_event.repair_workflow_event_id'], name=op.f('fk_battery_test_result_repair_workflow_event_id_repair_workflow_event')),
    sa.PrimaryKeyConstraint('battery_test_result_id', name=op.f('pk_battery_test_result'))
    )
    # product <-> state / enable_history form a cycle: SQLite takes the FKs inline above,
    # PostgreSQL needs them added once both tables exist.
    if op.get_bind().dialect.name != "sqlite":
        op.create_foreign_key(op.f('fk_product_latest_enable_history_id_enable_history'), 'product', 'enable_history', ['latest_enable_history_id'], ['enable_history_id'])
        op.create_foreign_key(op.f('fk_product_latest_state_id_state'), 'product', 'state', ['latest_state_id'], ['state_id'])


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f('fk_product_latest_enable_history_id_enable_history'), 'product', type_='foreignkey')
        op.drop_constraint(op.f('fk_product_latest_state_id_state'), 'product', type_='foreignkey')
    op.drop_table('battery_test_result')
    op.drop_table('sms_history')
    op.drop_table('repair_workflow_state')
    op.drop_table('repair_workflow_history')
    op.drop_table('repair_workflow_event')
    op.drop_table('repair_symptom_type_linker')
    op.drop_table('repair_product_linker')
    op.drop_table('repair_part_type_linker')
    op.drop_table('repair_action_type_linker')
    op.drop_table('part_product_linker')
    op.drop_table('final_balance')
    op.drop_table('factory_log')
    op.drop_table('battery_failure')
    op.drop_table('alert')
    op.drop_table('test_jig_test_result')
    op.drop_table('state')
    op.drop_table('rtc_mo_message_history')
    op.drop_table('rtc_message_history')
    op.drop_table('rtc_fallback_message_history')
    op.drop_table('rtc_connection_history')
    op.drop_table('repair')
    op.drop_table('product_software_linker')
    op.drop_table('product_product_group_linker')
    op.drop_table('product_parameter')
    op.drop_table('product_note')
    op.drop_table('product_entity_linker')
    op.drop_table('payment_command')
    op.drop_table('parameter')
    op.drop_table('home2_stock_preparation_tracking')
    op.drop_table('enable_history')
    op.drop_table('connection')
    op.drop_table('balance')
    op.drop_index(op.f('ix_api_token_expires_at'), table_name='api_token')
    op.drop_table('api_token')
    op.drop_table('analysis_history')
    op.drop_table('user')
    op.drop_table('product')
    op.drop_table('appliance_repair_appliance_symptom_linker')
    op.drop_table('appliance_repair_appliance_part_type_linker')
    op.drop_table('appliance_repair_appliance_action_type_linker')
    op.drop_table('user_repair_centre_link')
    op.drop_table('sim_part_type_sim_provider_linker')
    op.drop_table('shop')
    op.drop_table('part_type_replacement_linker')
    op.drop_table('part_type_product_type_linker')
    op.drop_table('part')
    op.drop_table('default_energy_limit')
    op.drop_table('appliance_repair')
    op.drop_table('symptom_type_product_type_linker')
    op.drop_table('subscriber')
    op.drop_table('sim_provider_network_linker')
    op.drop_table('repair_workflow_selector')
    op.drop_table('repair_centre')
    op.drop_table('product_type_software_version_type_linker')
    op.drop_table('part_type')
    op.drop_table('latest_software')
    op.drop_table('hub')
    op.drop_table('entity_facility_linker')
    op.drop_table('appliance_symptom_appliance_type_linker')
    op.drop_table('appliance_part_type_replacement_linker')
    op.drop_table('appliance_action_type_appliance_type_linker')
    op.drop_table('appliance')
    op.drop_table('alert_type_state_type_linker')
    op.drop_table('alert_type_product_type_linker')
    op.drop_table('alert_type_entity_anti_linker')
    op.drop_table('action_type_product_type_linker')
    op.drop_table('symptom_type')
    op.drop_table('state_type')
    op.drop_table('software_version_type')
    op.drop_table('sim_provider')
    op.drop_table('serial')
    op.drop_table('rtc_dead_letter')
    op.drop_table('product_type')
    op.drop_table('product_group')
    op.drop_table('part_type_category')
    op.drop_table('parameter_type')
    op.drop_table('network')
    op.drop_table('influx_shard_data')
    op.drop_table('entity')
    op.drop_table('channel')
    op.drop_table('appliance_type')
    op.drop_table('appliance_symptom')
    op.drop_table('appliance_part_type')
    op.drop_table('appliance_action_type')
    op.drop_table('alert_type')
    op.drop_table('action_type')
