"""Models: alert tables of the SMARTSolar schema."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


class Alert(Base):
    """Contains all of the alerts that exist for each product."""

    __tablename__ = "alert"

    alert_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    alert_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("alert_type.alert_type_id"), nullable=False
    )
    start_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    dismissed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    dismissed_by: Mapped[str | None] = mapped_column(String(255), nullable=True)
    dismissal_reason: Mapped[str | None] = mapped_column(String(255), nullable=True)
    repair_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("repair.repair_id"), nullable=True)
    extra_info: Mapped[str | None] = mapped_column(String(255), nullable=True)
    customer_contact_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    customer_contact_type: Mapped[str | None] = mapped_column(
        Enum(
            "visit",
            "sms",
            "phone",
            name="customer_contact_type",
            native_enum=False,
            create_constraint=True,
            length=13,
        ),
        nullable=True,
    )

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
    alert_type: Mapped[AlertType] = relationship(foreign_keys=[alert_type_id], lazy="raise")
    repair: Mapped[Repair | None] = relationship(foreign_keys=[repair_id], lazy="raise")


class AlertType(Base):
    """Contains details of the different alert-types that can be raised."""

    __tablename__ = "alert_type"

    alert_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    category: Mapped[str | None] = mapped_column(String(255), nullable=True)
    purpose: Mapped[str | None] = mapped_column(String(255), nullable=True)
    message: Mapped[str | None] = mapped_column(String(255), nullable=True)
    status: Mapped[str] = mapped_column(String(255), nullable=False)
    severity: Mapped[str | None] = mapped_column(String(255), nullable=True)
    analysis_frequency: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    cooling_off_period: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    label: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)

    alerts: Mapped[list[Alert]] = relationship(
        foreign_keys="Alert.alert_type_id", lazy="raise", viewonly=True
    )
    alert_type_entity_anti_linker: Mapped[list[AlertTypeEntityAntiLinker]] = relationship(
        foreign_keys="AlertTypeEntityAntiLinker.alert_type_id", lazy="raise", viewonly=True
    )
    alert_type_product_type_linker: Mapped[list[AlertTypeProductTypeLinker]] = relationship(
        foreign_keys="AlertTypeProductTypeLinker.alert_type_id", lazy="raise", viewonly=True
    )
    analysis_histories: Mapped[list[AnalysisHistory]] = relationship(
        foreign_keys="AnalysisHistory.alert_type_id", lazy="raise", viewonly=True
    )
    alert_type_state_type_linker: Mapped[list[AlertTypeStateTypeLinker]] = relationship(
        foreign_keys="AlertTypeStateTypeLinker.alert_type_id", lazy="raise", viewonly=True
    )


class AlertTypeEntityAntiLinker(Base):
    """Specifies which alert-types can be raised on each entity"""

    __tablename__ = "alert_type_entity_anti_linker"

    alert_type_entity_anti_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    alert_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("alert_type.alert_type_id"), nullable=False
    )
    entity_id: Mapped[int] = mapped_column(Integer, ForeignKey("entity.entity_id"), nullable=False)

    alert_type: Mapped[AlertType] = relationship(foreign_keys=[alert_type_id], lazy="raise")
    entity: Mapped[Entity] = relationship(foreign_keys=[entity_id], lazy="raise")


class AlertTypeProductTypeLinker(Base):
    """Specifies which alert-types can be raised on each product-types"""

    __tablename__ = "alert_type_product_type_linker"

    alert_type_product_type_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    alert_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("alert_type.alert_type_id"), nullable=False
    )
    product_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("product_type.product_type_id"), nullable=False
    )

    alert_type: Mapped[AlertType] = relationship(foreign_keys=[alert_type_id], lazy="raise")
    product_type: Mapped[ProductType] = relationship(foreign_keys=[product_type_id], lazy="raise")


class AlertTypeStateTypeLinker(Base):
    """Specifies which alert-types can be raised on each state-types"""

    __tablename__ = "alert_type_state_type_linker"

    alert_type_state_type_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    alert_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("alert_type.alert_type_id"), nullable=False
    )
    state_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("state_type.state_type_id"), nullable=False
    )

    alert_type: Mapped[AlertType] = relationship(foreign_keys=[alert_type_id], lazy="raise")
    state_type: Mapped[StateType] = relationship(foreign_keys=[state_type_id], lazy="raise")


class Channel(Base):
    """A table containing a list of available channels to subscribe to our API service"""

    __tablename__ = "channel"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)


class Subscriber(Base):
    """A table containing subscribers to our API service"""

    __tablename__ = "subscriber"

    subscriber_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(255), nullable=False)
    channel_name: Mapped[str] = mapped_column(String(255), ForeignKey("channel.name"), nullable=False)
    entity_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("entity.entity_id"), nullable=True)
    key: Mapped[str] = mapped_column(String(24), nullable=False)

    entity: Mapped[Entity | None] = relationship(foreign_keys=[entity_id], lazy="raise")
