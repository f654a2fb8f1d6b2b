"""Models: credit tables of the SMARTSolar schema."""

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


class PaymentCommand(Base):
    """PaymentCommands received and then forwarded sent to the unit."""

    __tablename__ = "payment_command"

    payment_command_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(
        String(15), ForeignKey("product.product_imei"), nullable=False, index=True
    )
    value: Mapped[int] = mapped_column(Integer, nullable=False)
    category: Mapped[str] = mapped_column(
        Enum(
            "payment",
            "bad-payment",
            "zero-command",
            "force-reset",
            name="category",
            native_enum=False,
            create_constraint=True,
            length=20,
        ),
        nullable=False,
    )
    void: Mapped[bool] = mapped_column(Boolean, nullable=False)
    status: Mapped[str | None] = mapped_column(String(255), nullable=True)
    transaction_id: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
    final_balance: Mapped[list[FinalBalance]] = relationship(
        foreign_keys="FinalBalance.zero_command_id", lazy="raise", viewonly=True
    )


class Balance(Base):
    """Most recent balance remaining on each DCM unit."""

    __tablename__ = "balance"

    balance_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    balance: Mapped[int] = mapped_column(Integer, nullable=False)
    expected_expiry: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")


class FinalBalance(Base):
    """Most recent credit_balance remaining on each DCM unit."""

    __tablename__ = "final_balance"

    final_balance_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    final_balance: Mapped[int] = mapped_column(Integer, nullable=False)
    total_added: Mapped[int] = mapped_column(Integer, nullable=False)
    zero_command_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("payment_command.payment_command_id"), nullable=False
    )
    status: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # Not in the doc: a force-reset's final balance also keeps the unacknowledged credit it
    # voided, so a repeated /force_reset answers exactly what the first one did. NULL for zero-commands.
    outstanding_payments: Mapped[int | None] = mapped_column(Integer, nullable=True)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
    zero_command: Mapped[PaymentCommand] = relationship(foreign_keys=[zero_command_id], lazy="raise")
