"""Models: product tables of the SMARTSolar schema."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


class Product(Base):
    """Lists all the products in the SMARTSolar Backend."""

    __tablename__ = "product"

    product_imei: Mapped[str] = mapped_column(String(15), primary_key=True)
    analysis_timestamp: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    current_enable_flag: Mapped[bool] = mapped_column(Boolean, nullable=False)
    desired_enable_flag: Mapped[bool] = mapped_column(Boolean, nullable=False)
    disable_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    device_key: Mapped[str | None] = mapped_column(String(24), nullable=True, unique=True)
    hub_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("hub.hub_id"), nullable=True)
    imsi: Mapped[str] = mapped_column(String(15), nullable=False, unique=True)
    iccid: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    latest_connection_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latest_connection_location_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latest_state_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("state.state_id", use_alter=True), nullable=True
    )
    latest_enable_history_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("enable_history.enable_history_id", use_alter=True), nullable=True
    )
    product_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("product_type.product_type_id"), nullable=False
    )
    serial_number: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    shop_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("shop.shop_id"), nullable=True)
    software_lock: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("software_version_type.software_version_type_id"), nullable=True
    )
    rtc_network_name: Mapped[str | None] = mapped_column(
        Enum(
            "Test-SIM-Provider",
            "Aeris",
            "Eseye",
            "Wireless-Logic",
            name="rtc_network_name",
            native_enum=False,
            create_constraint=True,
            length=25,
        ),
        nullable=True,
    )
    ip_address: Mapped[str | None] = mapped_column(String(15), nullable=True)
    latest_rtc_connection_history_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    latest_rtc_mo_status_report_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    latest_rtc_mt_status_update_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    rtc_enabled_flag: Mapped[bool] = mapped_column(Boolean, nullable=False)
    dcm_enabled_flag: Mapped[bool] = mapped_column(Boolean, nullable=False)
    assembler: Mapped[str | None] = mapped_column(String(255), nullable=True)
    gps_lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    gps_lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    warranty_start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    is_payg: Mapped[bool] = mapped_column(Boolean, nullable=False)
    # Not in the doc's product table, but its create_enterprise payload sets it.
    solar_panel_wattage: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Not in the doc's product table, but in its product listings and the tamper-switch endpoints.
    current_tamper_flag: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    desired_tamper_flag: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    latest_tamper_enable_history_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    hub: Mapped[Hub | None] = relationship(foreign_keys=[hub_id], lazy="raise")
    latest_state: Mapped[State | None] = relationship(foreign_keys=[latest_state_id], lazy="raise")
    latest_enable_history: Mapped[EnableHistory | None] = relationship(
        foreign_keys=[latest_enable_history_id], lazy="raise"
    )
    # No foreign key in the doc's schema: the join is given, and the relationship only ever read eagerly.
    latest_tamper_enable_history: Mapped[TamperEnableHistory | None] = relationship(
        primaryjoin="foreign(Product.latest_tamper_enable_history_id) == TamperEnableHistory.tamper_enable_history_id",
        lazy="raise",
        viewonly=True,
    )
    product_type: Mapped[ProductType] = relationship(foreign_keys=[product_type_id], lazy="raise")
    shop: Mapped[Shop | None] = relationship(foreign_keys=[shop_id], lazy="raise")
    connections: Mapped[list[Connection]] = relationship(
        foreign_keys="Connection.product_imei", lazy="raise", viewonly=True
    )
    part_product_linker: Mapped[list[PartProductLinker]] = relationship(
        foreign_keys="PartProductLinker.product_imei", lazy="raise", viewonly=True
    )
    product_product_group_linker: Mapped[list[ProductProductGroupLinker]] = relationship(
        foreign_keys="ProductProductGroupLinker.product_imei", lazy="raise", viewonly=True
    )
    product_entity_linker: Mapped[list[ProductEntityLinker]] = relationship(
        foreign_keys="ProductEntityLinker.product_imei", lazy="raise", viewonly=True
    )
    product_software_linker: Mapped[list[ProductSoftwareLinker]] = relationship(
        foreign_keys="ProductSoftwareLinker.product_imei", lazy="raise", viewonly=True
    )
    repairs: Mapped[list[Repair]] = relationship(
        foreign_keys="Repair.product_imei", lazy="raise", viewonly=True
    )
    sms_history: Mapped[list[SmsHistory]] = relationship(
        foreign_keys="SmsHistory.product_imei", lazy="raise", viewonly=True
    )
    states: Mapped[list[State]] = relationship(foreign_keys="State.product_imei", lazy="raise", viewonly=True)
    product_parameter: Mapped[list[ProductParameter]] = relationship(
        foreign_keys="ProductParameter.product_imei", lazy="raise", viewonly=True
    )
    analysis_histories: Mapped[list[AnalysisHistory]] = relationship(
        foreign_keys="AnalysisHistory.product_imei", lazy="raise", viewonly=True
    )
    rtc_message_history: Mapped[list[RtcMessageHistory]] = relationship(
        foreign_keys="RtcMessageHistory.product_imei", lazy="raise", viewonly=True
    )
    rtc_connection_history: Mapped[list[RtcConnectionHistory]] = relationship(
        foreign_keys="RtcConnectionHistory.product_imei", lazy="raise", viewonly=True
    )
    payment_command: Mapped[list[PaymentCommand]] = relationship(
        foreign_keys="PaymentCommand.product_imei", lazy="raise", viewonly=True
    )
    balance: Mapped[list[Balance]] = relationship(
        foreign_keys="Balance.product_imei", lazy="raise", viewonly=True
    )
    final_balance: Mapped[list[FinalBalance]] = relationship(
        foreign_keys="FinalBalance.product_imei", lazy="raise", viewonly=True
    )


class ProductType(Base):
    """Specifies the different types of product that exist."""

    __tablename__ = "product_type"

    product_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    erp_code: Mapped[str | None] = mapped_column(String(255), nullable=True)
    parameter_types: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    credit_type: Mapped[str | None] = mapped_column(
        Enum("gas", "time", name="credit_type", native_enum=False, create_constraint=True, length=12),
        nullable=True,
    )

    products: Mapped[list[Product]] = relationship(
        foreign_keys="Product.product_type_id", lazy="raise", viewonly=True
    )
    alert_type_product_type_linker: Mapped[list[AlertTypeProductTypeLinker]] = relationship(
        foreign_keys="AlertTypeProductTypeLinker.product_type_id", lazy="raise", viewonly=True
    )
    product_type_software_version_type_linker: Mapped[list[ProductTypeSoftwareVersionTypeLinker]] = (
        relationship(
            foreign_keys="ProductTypeSoftwareVersionTypeLinker.product_type_id", lazy="raise", viewonly=True
        )
    )
    action_type_product_type_linker: Mapped[list[ActionTypeProductTypeLinker]] = relationship(
        foreign_keys="ActionTypeProductTypeLinker.product_type_id", lazy="raise", viewonly=True
    )
    latest_software: Mapped[list[LatestSoftware]] = relationship(
        foreign_keys="LatestSoftware.product_type_id", lazy="raise", viewonly=True
    )


class ProductNote(Base):
    """Product Note Table of notes about each product"""

    __tablename__ = "product_note"

    product_note_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    note_text: Mapped[str] = mapped_column(String(255), nullable=False)
    product_imei: Mapped[str] = mapped_column(String(255), ForeignKey("product.product_imei"), nullable=False)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")


class ProductParameter(Base):
    """Contains details of the parameter settings of every product."""

    __tablename__ = "product_parameter"

    product_parameter_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    parameter_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("parameter_type.parameter_type_id"), nullable=False
    )
    status: Mapped[str | None] = mapped_column(
        Enum(
            "expired",
            "removed",
            "active",
            "pending",
            name="status",
            native_enum=False,
            create_constraint=True,
            length=15,
        ),
        nullable=True,
    )
    value: Mapped[str] = mapped_column(String(255), nullable=False)
    date_added: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    date_removed: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
    parameter_type: Mapped[ParameterType] = relationship(foreign_keys=[parameter_type_id], lazy="raise")


class ProductGroup(Base):
    """Groups of products (implied by product_product_group_linker)."""

    __tablename__ = "product_group"

    product_group_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)


class ProductProductGroupLinker(Base):
    """The intended use for this endpoint is for implementing repairs to BBOXX Units. Product Product Group Linker Specifies which products are associated with which product_groups. Includes a history of which product_group each product is associated with."""

    __tablename__ = "product_product_group_linker"

    product_product_group_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    product_group_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("product_group.product_group_id"), nullable=False
    )
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    date_added: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    date_removed: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    product_group: Mapped[ProductGroup] = relationship(foreign_keys=[product_group_id], lazy="raise")
    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")


class ProductEntityLinker(Base):
    """Which entity each product belongs to, with history (implied by the doc; drives ENTITY scope)."""

    __tablename__ = "product_entity_linker"

    product_entity_linker_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    entity_id: Mapped[int] = mapped_column(Integer, ForeignKey("entity.entity_id"), nullable=False)
    date_added: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    date_removed: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
    entity: Mapped[Entity] = relationship(foreign_keys=[entity_id], lazy="raise")


class Serial(Base):
    """Table used to generate new serial_numbers"""

    __tablename__ = "serial"

    serial_number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)


class Home2StockPreparationTracking(Base):
    """Stores results from home2 stock preparation page."""

    __tablename__ = "home2_stock_preparation_tracking"

    home2_stock_preparation_tracking_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    serial_number: Mapped[str] = mapped_column(String(255), nullable=False)
    activated: Mapped[bool] = mapped_column(Boolean, nullable=False)
    software_updated: Mapped[bool] = mapped_column(Boolean, nullable=False)
    temperature_check: Mapped[bool] = mapped_column(Boolean, nullable=False)
    battery_charged: Mapped[bool] = mapped_column(Boolean, nullable=False)
    recent_data: Mapped[bool] = mapped_column(Boolean, nullable=False)
    online_disable: Mapped[bool] = mapped_column(Boolean, nullable=False)
    contact_support: Mapped[bool] = mapped_column(Boolean, nullable=False)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
