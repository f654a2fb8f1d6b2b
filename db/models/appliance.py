"""Models: appliance tables of the SMARTSolar schema."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


class Appliance(Base):
    """Lists the appliances that BBOXX handles.Appliances can be 'tracked' (known serial) or 'untracked' (invented serial)"""

    __tablename__ = "appliance"

    appliance_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appliance_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("appliance_type.appliance_type_id"), nullable=False
    )
    serial_number: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)

    appliance_type: Mapped[ApplianceType] = relationship(foreign_keys=[appliance_type_id], lazy="raise")
    appliance_repairs: Mapped[list[ApplianceRepair]] = relationship(
        foreign_keys="ApplianceRepair.appliance_id", lazy="raise", viewonly=True
    )


class ApplianceType(Base):
    """Lists the types of appliance that BBOXX handles."""

    __tablename__ = "appliance_type"

    appliance_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    category: Mapped[str | None] = mapped_column(String(255), nullable=True)
    name: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)
    erp_code: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    tracked: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    appliances: Mapped[list[Appliance]] = relationship(
        foreign_keys="Appliance.appliance_type_id", lazy="raise", viewonly=True
    )


class ApplianceActionType(Base):
    """Listing possible actions that could be taken during an appliance repair."""

    __tablename__ = "appliance_action_type"

    appliance_action_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)

    appliance_action_type_appliance_type_linker: Mapped[list[ApplianceActionTypeApplianceTypeLinker]] = (
        relationship(
            foreign_keys="ApplianceActionTypeApplianceTypeLinker.appliance_action_type_id",
            lazy="raise",
            viewonly=True,
        )
    )


class ApplianceActionTypeApplianceTypeLinker(Base):
    """Determines which appliance-actions can be performed on which appliance-types"""

    __tablename__ = "appliance_action_type_appliance_type_linker"

    appliance_action_type_appliance_type_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    appliance_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("appliance_type.appliance_type_id"), nullable=False
    )
    appliance_action_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("appliance_action_type.appliance_action_type_id"), nullable=False
    )

    appliance_type: Mapped[ApplianceType] = relationship(foreign_keys=[appliance_type_id], lazy="raise")
    appliance_action_type: Mapped[ApplianceActionType] = relationship(
        foreign_keys=[appliance_action_type_id], lazy="raise"
    )


class AppliancePartType(Base):
    """Lists the types of part that can be used during appliance repair"""

    __tablename__ = "appliance_part_type"

    appliance_part_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)
    erp_code: Mapped[str | None] = mapped_column(String(255), nullable=True)
    image: Mapped[str | None] = mapped_column(String(255), nullable=True)


class AppliancePartTypeReplacementLinker(Base):
    """Lists which part_types can replace which during an appliance repair.Can also be used to determine valid appliance part_types for an appliance"""

    __tablename__ = "appliance_part_type_replacement_linker"

    appliance_part_type_replacement_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    appliance_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("appliance_type.appliance_type_id"), nullable=False
    )
    existing_appliance_part_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("appliance_part_type.appliance_part_type_id"), nullable=False
    )
    replacement_appliance_part_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("appliance_part_type.appliance_part_type_id"), nullable=False
    )

    appliance_type: Mapped[ApplianceType] = relationship(foreign_keys=[appliance_type_id], lazy="raise")
    existing_appliance_part_type: Mapped[AppliancePartType] = relationship(
        foreign_keys=[existing_appliance_part_type_id], lazy="raise"
    )
    replacement_appliance_part_type: Mapped[AppliancePartType] = relationship(
        foreign_keys=[replacement_appliance_part_type_id], lazy="raise"
    )


class ApplianceRepair(Base):
    """Lists repairs of BBOXX appliances"""

    __tablename__ = "appliance_repair"

    appliance_repair_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    appliance_id: Mapped[int] = mapped_column(Integer, ForeignKey("appliance.appliance_id"), nullable=False)
    arrival_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    refurbishment_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    pending_status: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
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

    appliance: Mapped[Appliance] = relationship(foreign_keys=[appliance_id], lazy="raise")


class ApplianceRepairApplianceActionTypeLinker(Base):
    """Contains which appliance actions occured during each appliance repair"""

    __tablename__ = "appliance_repair_appliance_action_type_linker"

    appliance_repair_appliance_action_type_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    appliance_repair_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("appliance_repair.appliance_repair_id"), nullable=False
    )
    appliance_action_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("appliance_action_type.appliance_action_type_id"), nullable=False
    )

    appliance_repair: Mapped[ApplianceRepair] = relationship(foreign_keys=[appliance_repair_id], lazy="raise")
    appliance_action_type: Mapped[ApplianceActionType] = relationship(
        foreign_keys=[appliance_action_type_id], lazy="raise"
    )


class ApplianceRepairAppliancePartTypeLinker(Base):
    """Lists the appliance part_types that were used in a given appliance_repair"""

    __tablename__ = "appliance_repair_appliance_part_type_linker"

    appliance_repair_appliance_part_type_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    appliance_repair_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("appliance_repair.appliance_repair_id"), nullable=False
    )
    old_appliance_part_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("appliance_part_type.appliance_part_type_id"), nullable=False
    )
    new_appliance_part_type_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("appliance_part_type.appliance_part_type_id"), nullable=True
    )
    repaired_parts_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    requested_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    replaced_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    appliance_repair: Mapped[ApplianceRepair] = relationship(foreign_keys=[appliance_repair_id], lazy="raise")
    old_appliance_part_type: Mapped[AppliancePartType] = relationship(
        foreign_keys=[old_appliance_part_type_id], lazy="raise"
    )
    new_appliance_part_type: Mapped[AppliancePartType | None] = relationship(
        foreign_keys=[new_appliance_part_type_id], lazy="raise"
    )


class ApplianceRepairApplianceSymptomLinker(Base):
    """Lists the symptoms that a particular appliance had for a particular repair"""

    __tablename__ = "appliance_repair_appliance_symptom_linker"

    appliance_repair_appliance_symptom_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    appliance_repair_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("appliance_repair.appliance_repair_id"), nullable=True
    )
    appliance_symptom_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("appliance_symptom.appliance_symptom_id"), nullable=True
    )

    appliance_repair: Mapped[ApplianceRepair | None] = relationship(
        foreign_keys=[appliance_repair_id], lazy="raise"
    )
    appliance_symptom: Mapped[ApplianceSymptom | None] = relationship(
        foreign_keys=[appliance_symptom_id], lazy="raise"
    )


class ApplianceSymptom(Base):
    """Lists the possible symptoms that a BBOXX appliance could have."""

    __tablename__ = "appliance_symptom"

    appliance_symptom_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)

    appliance_symptom_appliance_type_linker: Mapped[list[ApplianceSymptomApplianceTypeLinker]] = relationship(
        foreign_keys="ApplianceSymptomApplianceTypeLinker.appliance_symptom_id", lazy="raise", viewonly=True
    )
    appliance_repair_appliance_symptom_linker: Mapped[list[ApplianceRepairApplianceSymptomLinker]] = (
        relationship(
            foreign_keys="ApplianceRepairApplianceSymptomLinker.appliance_symptom_id",
            lazy="raise",
            viewonly=True,
        )
    )


class ApplianceSymptomApplianceTypeLinker(Base):
    """Lists the symptoms that a particular appliance can have."""

    __tablename__ = "appliance_symptom_appliance_type_linker"

    appliance_symptom_appliance_type_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    appliance_type_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("appliance_type.appliance_type_id"), nullable=True
    )
    appliance_symptom_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("appliance_symptom.appliance_symptom_id"), nullable=True
    )

    appliance_type: Mapped[ApplianceType | None] = relationship(
        foreign_keys=[appliance_type_id], lazy="raise"
    )
    appliance_symptom: Mapped[ApplianceSymptom | None] = relationship(
        foreign_keys=[appliance_symptom_id], lazy="raise"
    )
