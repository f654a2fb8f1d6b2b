"""Models: history tables of the SMARTSolar schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from db.base import Base

ENABLE_STATES = ("pending_disabled", "pending_enabled", "init", "enabled", "disabled")


class State(Base):
    """Contains the current and historical state of every unit"""

    __tablename__ = "state"

    state_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    prev_state_type: Mapped[int] = mapped_column(
        Integer, ForeignKey("state_type.state_type_id"), nullable=False
    )
    current_state_type: Mapped[int] = mapped_column(
        Integer, ForeignKey("state_type.state_type_id"), nullable=False
    )

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")


class StateType(Base):
    """Contains details of the possible types of state that a product can be in"""

    __tablename__ = "state_type"

    state_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)


class EnableStateRow:
    """The columns of an enable-state history row: enable_history and tamper_enable_history alike."""

    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    prev_enable_state: Mapped[str | None] = mapped_column(
        Enum(*ENABLE_STATES, name="prev_enable_state", native_enum=False, create_constraint=True, length=24),
        nullable=True,
    )
    current_enable_state: Mapped[str] = mapped_column(
        Enum(
            *ENABLE_STATES, name="current_enable_state", native_enum=False, create_constraint=True, length=24
        ),
        nullable=False,
    )
    user: Mapped[str] = mapped_column(String(255), nullable=False)
    date: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    @declared_attr
    def product(cls) -> Mapped[Product]:
        return relationship(foreign_keys=[cls.product_imei], lazy="raise")


class EnableHistory(EnableStateRow, Base):
    """Contains a history of the enable-state of every product"""

    __tablename__ = "enable_history"

    enable_history_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True, sort_order=-1
    )

    sms_history: Mapped[list[SmsHistory]] = relationship(
        foreign_keys="SmsHistory.enable_history_id", lazy="raise", viewonly=True
    )


class TamperEnableHistory(EnableStateRow, Base):
    """History of the tamper switch's enable-state (the doc's tamper_enable_history), as enable_history."""

    __tablename__ = "tamper_enable_history"

    tamper_enable_history_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True, sort_order=-1
    )


class Connection(Base):
    """Contains details of every connection that every product makes to the SMARTSolar Application."""

    __tablename__ = "connection"

    connection_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str | None] = mapped_column(
        String(15), ForeignKey("product.product_imei"), nullable=True
    )
    location_failed_flag: Mapped[bool] = mapped_column(Boolean, nullable=False)
    date: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    mcc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mnc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_1_lac: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_1_cid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_1_signal: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_1_mcc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_1_mnc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_2_lac: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_2_cid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_2_signal: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_2_mcc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_2_mnc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_3_lac: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_3_cid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_3_signal: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_3_mcc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_3_mnc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_4_lac: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_4_cid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_4_signal: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_4_mcc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_4_mnc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_5_lac: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_5_cid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_5_signal: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_5_mcc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_5_mnc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_6_lac: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_6_cid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_6_signal: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_6_mcc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_6_mnc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_7_lac: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_7_cid: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_7_signal: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_7_mcc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cell_7_mnc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    frequency: Mapped[int | None] = mapped_column(Integer, nullable=True)
    timing_advance: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latitude: Mapped[str | None] = mapped_column(String(12), nullable=True)
    longitude: Mapped[str | None] = mapped_column(String(12), nullable=True)
    error_radius: Mapped[int | None] = mapped_column(Integer, nullable=True)
    address: Mapped[str | None] = mapped_column(String(255), nullable=True)
    country_code: Mapped[int | None] = mapped_column(Integer, nullable=True)

    product: Mapped[Product | None] = relationship(foreign_keys=[product_imei], lazy="raise")


class SmsHistory(Base):
    """This description is not yet complete it should be filled in!"""

    __tablename__ = "sms_history"

    sms_history_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    attempted_retries: Mapped[int] = mapped_column(Integer, nullable=False)
    enable_history_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("enable_history.enable_history_id"), nullable=True
    )
    message_reference: Mapped[str | None] = mapped_column(String(255), nullable=True)
    message: Mapped[str | None] = mapped_column(String(255), nullable=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    sent_time: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    sms_timeout: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    status: Mapped[str | None] = mapped_column(String(255), nullable=True)
    trigger: Mapped[str | None] = mapped_column(String(255), nullable=True)

    enable_history: Mapped[EnableHistory | None] = relationship(
        foreign_keys=[enable_history_id], lazy="raise"
    )
    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")


class AnalysisHistory(Base):
    """Records which analyses have been run on which units and at what time."""

    __tablename__ = "analysis_history"

    analysis_history_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    alert_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("alert_type.alert_type_id"), nullable=False
    )
    timestamp: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    status: Mapped[str] = mapped_column(
        Enum("success", "failure", name="status", native_enum=False, create_constraint=True, length=15),
        nullable=False,
    )

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
    alert_type: Mapped[AlertType] = relationship(foreign_keys=[alert_type_id], lazy="raise")


class FactoryLog(Base):
    """Product logs from factory and repair centres. (Used to be stored in influx)"""

    __tablename__ = "factory_log"

    factory_log_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    app_name: Mapped[str] = mapped_column(String(255), nullable=False)
    product_imei: Mapped[str | None] = mapped_column(
        String(15), ForeignKey("product.product_imei"), nullable=True
    )
    repair_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("repair.repair_id"), nullable=True)
    timestamp: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    tags: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    fields: Mapped[Any | None] = mapped_column(JSON, nullable=True)

    product: Mapped[Product | None] = relationship(foreign_keys=[product_imei], lazy="raise")
    repair: Mapped[Repair | None] = relationship(foreign_keys=[repair_id], lazy="raise")


class InfluxShardData(Base):
    """Record of Influx shard identifiers and timespans"""

    __tablename__ = "influx_shard_data"

    influx_shard_data_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shard_data: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    anomalies: Mapped[Any | None] = mapped_column(JSON, nullable=True)


class Network(Base):
    """A table holding the available networks that a unit might connect on."""

    __tablename__ = "network"

    mccmnc: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    mcc: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mnc: Mapped[int | None] = mapped_column(Integer, nullable=True)


class SimProvider(Base):
    """Contains a list of SIM providers"""

    __tablename__ = "sim_provider"

    sim_provider_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)


class SimProviderNetworkLinker(Base):
    """Specifies which networks are available to each SIM provider"""

    __tablename__ = "sim_provider_network_linker"

    sim_provider_network_linker_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sim_provider_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("sim_provider.sim_provider_id"), nullable=False
    )
    network_id: Mapped[int] = mapped_column(Integer, ForeignKey("network.mccmnc"), nullable=False)

    sim_provider: Mapped[SimProvider] = relationship(foreign_keys=[sim_provider_id], lazy="raise")
    network: Mapped[Network] = relationship(foreign_keys=[network_id], lazy="raise")


class SimPartTypeSimProviderLinker(Base):
    """Specifies which SIM types are associated with which provider"""

    __tablename__ = "sim_part_type_sim_provider_linker"

    sim_part_type_sim_provider_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    sim_part_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("part_type.part_type_id"), nullable=False, unique=True
    )
    sim_provider_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("sim_provider.sim_provider_id"), nullable=False
    )

    sim_part_type: Mapped[PartType] = relationship(foreign_keys=[sim_part_type_id], lazy="raise")
    sim_provider: Mapped[SimProvider] = relationship(foreign_keys=[sim_provider_id], lazy="raise")
