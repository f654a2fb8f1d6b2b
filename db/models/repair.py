"""Models: repair tables of the SMARTSolar schema."""

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
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


class Repair(Base):
    """Lists all of the repairs that have been carried out on BBOXX control units."""

    __tablename__ = "repair"

    repair_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    arrival_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    refurbishment_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    measured_battery_capacity: Mapped[float | None] = mapped_column(Float, nullable=True)
    process: Mapped[str | None] = mapped_column(
        Enum(
            "Repair and Return",
            "Replaced",
            "Repossessed",
            "Broken on Arrival",
            name="process",
            native_enum=False,
            create_constraint=True,
            length=25,
        ),
        nullable=True,
    )
    pending_status: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    workflow_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    workflow_state_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    context: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    latest_workflow_event_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(255), nullable=True)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
    alerts: Mapped[list[Alert]] = relationship(foreign_keys="Alert.repair_id", lazy="raise", viewonly=True)
    repair_symptom_type_linker: Mapped[list[RepairSymptomTypeLinker]] = relationship(
        foreign_keys="RepairSymptomTypeLinker.repair_id", lazy="raise", viewonly=True
    )
    repair_action_type_linker: Mapped[list[RepairActionTypeLinker]] = relationship(
        foreign_keys="RepairActionTypeLinker.repair_id", lazy="raise", viewonly=True
    )


class RepairActionTypeLinker(Base):
    """Specifies which action-types were taken on all repairs."""

    __tablename__ = "repair_action_type_linker"

    repair_action_type_linker_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repair_id: Mapped[int] = mapped_column(Integer, ForeignKey("repair.repair_id"), nullable=False)
    action_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("action_type.action_type_id"), nullable=False
    )

    repair: Mapped[Repair] = relationship(foreign_keys=[repair_id], lazy="raise")
    action_type: Mapped[ActionType] = relationship(foreign_keys=[action_type_id], lazy="raise")


class RepairPartTypeLinker(Base):
    """Specifies which part_types were replaced in each repair. Also records which parts the technicin had to wait to repair and how long they had to wait."""

    __tablename__ = "repair_part_type_linker"

    repair_part_type_linker_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repair_id: Mapped[int] = mapped_column(Integer, ForeignKey("repair.repair_id"), nullable=False)
    old_part_type_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("part_type.part_type_id"), nullable=True
    )
    new_part_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("part.part_id"), nullable=True)
    new_part_type_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("part_type.part_type_id"), nullable=True
    )
    requested_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    replaced_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    non_transferable: Mapped[bool] = mapped_column(Boolean, nullable=False)

    repair: Mapped[Repair] = relationship(foreign_keys=[repair_id], lazy="raise")
    old_part_type: Mapped[PartType | None] = relationship(foreign_keys=[old_part_type_id], lazy="raise")
    new_part: Mapped[Part | None] = relationship(foreign_keys=[new_part_id], lazy="raise")
    new_part_type: Mapped[PartType | None] = relationship(foreign_keys=[new_part_type_id], lazy="raise")


class RepairProductLinker(Base):
    """Linked to a repair when a PCB is replaced"""

    __tablename__ = "repair_product_linker"

    repair_product_linker_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repair_id: Mapped[int] = mapped_column(Integer, ForeignKey("repair.repair_id"), nullable=False)
    product_imei: Mapped[str] = mapped_column(String(15), nullable=False)

    repair: Mapped[Repair] = relationship(foreign_keys=[repair_id], lazy="raise")


class RepairSymptomTypeLinker(Base):
    """Specifies which symptoms were diagnosed on each repair"""

    __tablename__ = "repair_symptom_type_linker"

    repair_symptom_type_linker_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repair_id: Mapped[int] = mapped_column(Integer, ForeignKey("repair.repair_id"), nullable=False)
    symptom_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("symptom_type.symptom_type_id"), nullable=False
    )

    repair: Mapped[Repair] = relationship(foreign_keys=[repair_id], lazy="raise")
    symptom_type: Mapped[SymptomType] = relationship(foreign_keys=[symptom_type_id], lazy="raise")


class RepairWorkflowEvent(Base):
    """Audit trail of workflow events associated with product repairs"""

    __tablename__ = "repair_workflow_event"

    repair_workflow_event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repair_id: Mapped[int] = mapped_column(Integer, ForeignKey("repair.repair_id"), nullable=False)
    current_state_id: Mapped[str] = mapped_column(String(255), nullable=False)
    event_id: Mapped[str] = mapped_column(String(255), nullable=False)
    payload: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    next_state_id: Mapped[str | None] = mapped_column(String(255), nullable=True)

    repair: Mapped[Repair] = relationship(foreign_keys=[repair_id], lazy="raise")


class RepairWorkflowHistory(Base):
    """History of actions associated with product repair workflows, to support undo functionality"""

    __tablename__ = "repair_workflow_history"

    repair_workflow_history_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repair_id: Mapped[int] = mapped_column(Integer, ForeignKey("repair.repair_id"), nullable=False)
    start_state_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    end_state_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    update_commands_bin: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    can_undo: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    repair: Mapped[Repair] = relationship(foreign_keys=[repair_id], lazy="raise")


class RepairWorkflowSelector(Base):
    """Rules determining the workflow to use when a repair is created"""

    __tablename__ = "repair_workflow_selector"

    repair_workflow_selector_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("product_type.product_type_id"), nullable=False
    )
    workflow_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    selector_type: Mapped[str] = mapped_column(
        Enum("USER", "ENTITY", name="selector_type", native_enum=False, create_constraint=True, length=14),
        nullable=False,
    )
    selector_value: Mapped[str] = mapped_column(String(255), nullable=False)

    product_type: Mapped[ProductType] = relationship(foreign_keys=[product_type_id], lazy="raise")


class RepairWorkflowState(Base):
    """Records time spent in product repair workflow states"""

    __tablename__ = "repair_workflow_state"

    repair_workflow_state_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repair_id: Mapped[int] = mapped_column(Integer, ForeignKey("repair.repair_id"), nullable=False)
    state_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    entry_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    exit_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    repair: Mapped[Repair] = relationship(foreign_keys=[repair_id], lazy="raise")


class ActionType(Base):
    """Contains details of the types of Action that a technician can take during a repair."""

    __tablename__ = "action_type"

    action_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)
    label: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)

    action_type_product_type_linker: Mapped[list[ActionTypeProductTypeLinker]] = relationship(
        foreign_keys="ActionTypeProductTypeLinker.action_type_id", lazy="raise", viewonly=True
    )
    repair_action_type_linker: Mapped[list[RepairActionTypeLinker]] = relationship(
        foreign_keys="RepairActionTypeLinker.action_type_id", lazy="raise", viewonly=True
    )


class ActionTypeProductTypeLinker(Base):
    """Specifies which action-types can be taken on each product-type during a repair."""

    __tablename__ = "action_type_product_type_linker"

    action_type_product_type_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    product_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("product_type.product_type_id"), nullable=False
    )
    action_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("action_type.action_type_id"), nullable=False
    )

    product_type: Mapped[ProductType] = relationship(foreign_keys=[product_type_id], lazy="raise")
    action_type: Mapped[ActionType] = relationship(foreign_keys=[action_type_id], lazy="raise")


class SymptomType(Base):
    """Lists various symptoms that a product can present when coming in for repair."""

    __tablename__ = "symptom_type"

    symptom_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)
    label: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)

    symptom_type_product_type_linker: Mapped[list[SymptomTypeProductTypeLinker]] = relationship(
        foreign_keys="SymptomTypeProductTypeLinker.symptom_type_id", lazy="raise", viewonly=True
    )
    repair_symptom_type_linker: Mapped[list[RepairSymptomTypeLinker]] = relationship(
        foreign_keys="RepairSymptomTypeLinker.symptom_type_id", lazy="raise", viewonly=True
    )


class SymptomTypeProductTypeLinker(Base):
    """Specifies which symptom_types are valid for which product_types"""

    __tablename__ = "symptom_type_product_type_linker"

    symptom_type_product_type_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    product_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("product_type.product_type_id"), nullable=False
    )
    symptom_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("symptom_type.symptom_type_id"), nullable=False
    )

    product_type: Mapped[ProductType] = relationship(foreign_keys=[product_type_id], lazy="raise")
    symptom_type: Mapped[SymptomType] = relationship(foreign_keys=[symptom_type_id], lazy="raise")
