"""Models: parts tables of the SMARTSolar schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.models.software import ParameterValue


class Part(Base):
    """Contains details of all of the parts in each BBOXX product."""

    __tablename__ = "part"

    part_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    serial_number: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    part_type_id: Mapped[int] = mapped_column(Integer, ForeignKey("part_type.part_type_id"), nullable=False)
    properties: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    manufacturer: Mapped[str | None] = mapped_column(String(255), nullable=True)

    part_type: Mapped[PartType] = relationship(foreign_keys=[part_type_id], lazy="raise")


class PartType(Base):
    """Lists the available part types"""

    __tablename__ = "part_type"

    part_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)
    erp_code: Mapped[str | None] = mapped_column(String(255), nullable=True)
    part_type_category_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("part_type_category.part_type_category_id"), nullable=False
    )
    serial_number_category: Mapped[str] = mapped_column(
        Enum(
            "known",
            "hidden",
            "unknown",
            name="serial_number_category",
            native_enum=False,
            create_constraint=True,
            length=15,
        ),
        nullable=False,
    )
    parameter_types: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    part_type_metadata_validator: Mapped[str | None] = mapped_column(String(255), nullable=True)
    is_sent_by_unit: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    part_type_category: Mapped[PartTypeCategory] = relationship(
        foreign_keys=[part_type_category_id], lazy="raise"
    )
    parts: Mapped[list[Part]] = relationship(foreign_keys="Part.part_type_id", lazy="raise", viewonly=True)
    default_energy_limits: Mapped[list[DefaultEnergyLimit]] = relationship(
        foreign_keys="DefaultEnergyLimit.battery_type_id", lazy="raise", viewonly=True
    )


class PartTypeCategory(Base):
    """The category of parts that each part_type belongs to"""

    __tablename__ = "part_type_category"

    part_type_category_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)

    part_types: Mapped[list[PartType]] = relationship(
        foreign_keys="PartType.part_type_category_id", lazy="raise", viewonly=True
    )


class PartProductLinker(Base):
    """Specifies which parts are associated with which product.Includes a history of which product each part is associated with.Includes the repair during which the new part was added and what it replaced."""

    __tablename__ = "part_product_linker"

    part_product_linker_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    part_id: Mapped[int] = mapped_column(Integer, ForeignKey("part.part_id"), nullable=False)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    date_added: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    date_removed: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    added_repair_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("repair.repair_id"), nullable=True
    )
    removed_repair_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("repair.repair_id"), nullable=True
    )
    replaced_part_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("part.part_id"), nullable=True)

    part: Mapped[Part] = relationship(foreign_keys=[part_id], lazy="raise")
    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
    added_repair: Mapped[Repair | None] = relationship(foreign_keys=[added_repair_id], lazy="raise")
    removed_repair: Mapped[Repair | None] = relationship(foreign_keys=[removed_repair_id], lazy="raise")
    replaced_part: Mapped[Part | None] = relationship(foreign_keys=[replaced_part_id], lazy="raise")


class PartTypeProductTypeLinker(Base):
    """Specifies which part_types are allowed to be linked to which product_types."""

    __tablename__ = "part_type_product_type_linker"

    part_type_product_type_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    product_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("product_type.product_type_id"), nullable=False
    )
    part_type_id: Mapped[int] = mapped_column(Integer, ForeignKey("part_type.part_type_id"), nullable=False)

    product_type: Mapped[ProductType] = relationship(foreign_keys=[product_type_id], lazy="raise")
    part_type: Mapped[PartType] = relationship(foreign_keys=[part_type_id], lazy="raise")


class PartTypeReplacementLinker(Base):
    """Specifies which parts can replace which other parts.This table can be used to generate list of possible parts for each product_type."""

    __tablename__ = "part_type_replacement_linker"

    part_type_replacement_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    product_type_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("product_type.product_type_id"), nullable=True
    )
    existing_part_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("part_type.part_type_id"), nullable=False
    )
    replacement_part_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("part_type.part_type_id"), nullable=False
    )
    default_part_type: Mapped[bool] = mapped_column(Boolean, nullable=False)
    critical_part_type: Mapped[bool] = mapped_column(Boolean, nullable=False)
    non_transferable: Mapped[bool] = mapped_column(Boolean, nullable=False)

    product_type: Mapped[ProductType | None] = relationship(foreign_keys=[product_type_id], lazy="raise")
    existing_part_type: Mapped[PartType] = relationship(foreign_keys=[existing_part_type_id], lazy="raise")
    replacement_part_type: Mapped[PartType] = relationship(
        foreign_keys=[replacement_part_type_id], lazy="raise"
    )


class BatteryTestResult(Base):
    """Test results from the BBOXX Battery Test"""

    __tablename__ = "battery_test_result"

    battery_test_result_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    type: Mapped[str] = mapped_column(String(255), nullable=False)
    result: Mapped[str] = mapped_column(String(255), nullable=False)
    problem: Mapped[str | None] = mapped_column(String(255), nullable=True)
    message: Mapped[str | None] = mapped_column(String(255), nullable=True)
    lvd_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    energy: Mapped[float | None] = mapped_column(Float, nullable=True)
    battery_part_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("part.part_id"), nullable=True)
    repair_workflow_event_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("repair_workflow_event.repair_workflow_event_id"), nullable=True
    )

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
    battery_part: Mapped[Part | None] = relationship(foreign_keys=[battery_part_id], lazy="raise")
    repair_workflow_event: Mapped[RepairWorkflowEvent | None] = relationship(
        foreign_keys=[repair_workflow_event_id], lazy="raise"
    )


class BatteryFailure(Base):
    """This table lists all battery failures that have occurred from analysis"""

    __tablename__ = "battery_failure"

    battery_failure_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    repair_id: Mapped[int] = mapped_column(Integer, ForeignKey("repair.repair_id"), nullable=False)
    part_id: Mapped[int] = mapped_column(Integer, ForeignKey("part.part_id"), nullable=False)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    battery_failure_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    repair: Mapped[Repair] = relationship(foreign_keys=[repair_id], lazy="raise")
    part: Mapped[Part] = relationship(foreign_keys=[part_id], lazy="raise")
    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")


class TestJigTestResult(Base):
    """Test results from the BBOXX test jig"""

    __tablename__ = "test_jig_test_result"

    test_jig_test_result_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    jig_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    machine_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    product_imei: Mapped[str] = mapped_column(String(15), ForeignKey("product.product_imei"), nullable=False)
    jig_software_version: Mapped[str | None] = mapped_column(String(255), nullable=True)
    user: Mapped[str] = mapped_column(String(255), nullable=False)
    passed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    results: Mapped[Any | None] = mapped_column(JSON, nullable=True)

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")


class DefaultEnergyLimit(Base):
    """Default energy_limits for each type of battery in each lifecycle state."""

    __tablename__ = "default_energy_limit"

    default_energy_limit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    battery_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("part_type.part_type_id"), nullable=False
    )
    state_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("state_type.state_type_id"), nullable=False
    )
    entity_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("entity.entity_id"), nullable=True)
    energy_limit: Mapped[float] = mapped_column(Float, nullable=False)
    max_energy_limit: Mapped[float] = mapped_column(Float, nullable=False)
    min_energy_limit: Mapped[float] = mapped_column(Float, nullable=False)

    battery_type: Mapped[PartType] = relationship(foreign_keys=[battery_type_id], lazy="raise")
    state_type: Mapped[StateType] = relationship(foreign_keys=[state_type_id], lazy="raise")
    entity: Mapped[Entity | None] = relationship(foreign_keys=[entity_id], lazy="raise")


class PartParameter(ParameterValue, Base):
    """The parameters of a unit's parts (the doc's `part_parameters` in a unit's parameter history; the
    doc shows its rows without listing the table): the same life as a unit's `parameter` rows."""

    __tablename__ = "part_parameter"

    part_parameter_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    part_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("part.part_id"), nullable=False, index=True, sort_order=1
    )

    part: Mapped[Part] = relationship(foreign_keys=[part_id], lazy="raise")
