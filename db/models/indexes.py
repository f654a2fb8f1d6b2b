"""Indexes for the read paths that span the fleet: the ENTITY scope (every table API list of an ENTITY
user, every action's 404 check), dashboard2, current_enable_status and the connectivity diagnosis.

Kept apart from the table classes, so each says what reads it; migration 0010 creates them.
"""

from sqlalchemy import Index, text

from db.models.alert import Alert
from db.models.history import Connection, Network, SimProviderNetworkLinker, SmsHistory
from db.models.parts import PartProductLinker
from db.models.product import ProductEntityLinker, ProductNote
from db.models.software import Parameter

READ_INDEXES = (
    # UnitScope.imei_visible: EXISTS (linker WHERE product_imei = ? AND entity_id = ? AND date_removed IS NULL).
    Index(
        "ix_product_entity_linker_product_imei_entity_id",
        ProductEntityLinker.product_imei,
        ProductEntityLinker.entity_id,
    ),
    # The other way round: an entity's units (ENTITY lists as a semi-join, dashboard2's `entities` filter).
    Index(
        "ix_product_entity_linker_entity_id_product_imei",
        ProductEntityLinker.entity_id,
        ProductEntityLinker.product_imei,
    ),
    # connectivity_reliability_rate counts a unit's connections between two dates.
    Index("ix_connection_product_imei_date", Connection.product_imei, Connection.date),
    # dashboard2's capacity_limit and current_enable_status's total_accessory_energy: a unit's value of a type.
    Index("ix_parameter_product_imei_parameter_type_id", Parameter.product_imei, Parameter.parameter_type_id),
    # dashboard2 reads the open alerts and the notes of a page's units.
    Index("ix_alert_product_imei", Alert.product_imei),
    Index("ix_product_note_product_imei", ProductNote.product_imei),
    # available_networks: the unit's fitted parts, its SIM provider's networks, by country.
    Index("ix_part_product_linker_product_imei", PartProductLinker.product_imei),
    Index("ix_sim_provider_network_linker_sim_provider_id", SimProviderNetworkLinker.sim_provider_id),
    Index("ix_network_mcc", Network.mcc),
    # A delivery receipt finds its SMS by the gateway's reference (migration 0012).
    Index("ix_sms_history_message_reference", SmsHistory.message_reference),
    # The SMS expiry sweep: the SMS still without an outcome, by deadline (few rows: a partial index).
    Index(
        "ix_sms_history_open_sms_timeout",
        SmsHistory.sms_timeout,
        postgresql_where=text("status IS NULL"),
        sqlite_where=text("status IS NULL"),
    ),
)
