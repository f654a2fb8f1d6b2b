"""Models: rtc tables of the SMARTSolar schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


class RtcConnectionHistory(Base):
    """Contains a history of each RTC unit's connection status changes"""

    __tablename__ = "rtc_connection_history"

    rtc_connection_history_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    connection_status: Mapped[str] = mapped_column(
        Enum(
            "online",
            "offline",
            name="connection_status",
            native_enum=False,
            create_constraint=True,
            length=15,
        ),
        nullable=False,
    )
    connection_status_time: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    connection_status_reason: Mapped[str] = mapped_column(
        Enum(
            "user-request",
            "unknown",
            "low-battery-voltage",
            "inactivity",
            "sleep-mode",
            "message-received",
            name="connection_status_reason",
            native_enum=False,
            create_constraint=True,
            length=27,
        ),
        nullable=False,
    )
    connection_status_info: Mapped[str | None] = mapped_column(String(255), nullable=True)
    latest_message_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")


class RtcDeadLetter(Base):
    """Lists RTC mobile-orginated (MO) messages that could not be processed by SMART Solar."""

    __tablename__ = "rtc_dead_letter"

    rtc_dead_letter_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    queue_name: Mapped[str] = mapped_column(Text, nullable=False)
    payload: Mapped[Any] = mapped_column(JSON, nullable=False)
    status: Mapped[str | None] = mapped_column(
        Enum("discarded", "replayed", name="status", native_enum=False, create_constraint=True, length=17),
        nullable=True,
    )
    status_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    replay_status: Mapped[str | None] = mapped_column(
        Enum(
            "failure", "success", name="replay_status", native_enum=False, create_constraint=True, length=15
        ),
        nullable=True,
    )
    replay_status_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    replay_status_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class RtcFallbackMessageHistory(Base):
    """Contains a history of occurrences of RTC Status Update messages sent to units by the fallback process"""

    __tablename__ = "rtc_fallback_message_history"

    rtc_fallback_message_history_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    message_sent_time: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")


class RtcMessageHistory(Base):
    """Contains a history of RTC messages sent to each unit."""

    __tablename__ = "rtc_message_history"

    rtc_message_history_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    message_reference: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    message_bin: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    message_sent_time: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    delivery_status: Mapped[str | None] = mapped_column(
        Enum(
            "failed",
            "delivered",
            name="delivery_status",
            native_enum=False,
            create_constraint=True,
            length=17,
        ),
        nullable=True,
    )
    delivery_status_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    delivery_status_info: Mapped[str | None] = mapped_column(String(255), nullable=True)
    message_json: Mapped[str | None] = mapped_column(String(255), nullable=True)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")


class RtcMoMessageHistory(Base):
    """Contains a history of RTC messages received from each unit."""

    __tablename__ = "rtc_mo_message_history"

    rtc_mo_message_history_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    message_bin: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    message_json: Mapped[str | None] = mapped_column(String(255), nullable=True)
    message_received_time: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    processing_status: Mapped[str | None] = mapped_column(
        Enum(
            "failed",
            "processed",
            name="processing_status",
            native_enum=False,
            create_constraint=True,
            length=17,
        ),
        nullable=True,
    )
    processing_status_info: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # Added (not in the doc): the message's own id, so a message delivered twice is processed once.
    message_reference: Mapped[str | None] = mapped_column(String(32), nullable=True)

    __table_args__ = (
        UniqueConstraint("product_imei", "message_reference", name="uq_rtc_mo_message_history_reference"),
    )

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
