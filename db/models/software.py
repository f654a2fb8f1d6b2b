"""Models: software tables of the SMARTSolar schema."""

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


class SoftwareVersionType(Base):
    """Contains the details of the possible software-version-types that a unit can have running."""

    __tablename__ = "software_version_type"

    software_version_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)
    link: Mapped[str | None] = mapped_column(String(255), nullable=True)
    checksum: Mapped[str | None] = mapped_column(String(8), nullable=True)
    release_date: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    parameter_types: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    status: Mapped[str | None] = mapped_column(
        Enum(
            "outdated",
            "stable",
            "beta",
            "bad",
            name="status",
            native_enum=False,
            create_constraint=True,
            length=16,
        ),
        nullable=True,
    )

    product_type_software_version_type_linker: Mapped[list[ProductTypeSoftwareVersionTypeLinker]] = (
        relationship(
            foreign_keys="ProductTypeSoftwareVersionTypeLinker.software_version_type_id",
            lazy="raise",
            viewonly=True,
        )
    )
    product_software_linker: Mapped[list[ProductSoftwareLinker]] = relationship(
        foreign_keys="ProductSoftwareLinker.software_version_type_id", lazy="raise", viewonly=True
    )
    latest_software: Mapped[list[LatestSoftware]] = relationship(
        foreign_keys="LatestSoftware.software_version_type_id", lazy="raise", viewonly=True
    )


class ProductSoftwareLinker(Base):
    """Specifies which software-version-type is currently on each product."""

    __tablename__ = "product_software_linker"

    product_software_linker_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_imei: Mapped[str] = mapped_column(
        String(15), ForeignKey("product.product_imei"), nullable=False, index=True
    )
    software_version_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("software_version_type.software_version_type_id"), nullable=False
    )
    date_added: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    date_removed: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    update_attempts: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Not in the doc: the life of the row, so a pending update has a place and an outcome.
    # NULL is an installed row written without it (older rows, the table API); see domain/device/software.py.
    status: Mapped[str | None] = mapped_column(
        Enum(
            "pending",
            "active",
            "removed",
            "expired",
            "failed",
            name="status",
            native_enum=False,
            create_constraint=True,
            length=16,
        ),
        nullable=True,
    )

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")
    software_version_type: Mapped[SoftwareVersionType] = relationship(
        foreign_keys=[software_version_type_id], lazy="raise"
    )


class ProductTypeSoftwareVersionTypeLinker(Base):
    """Specifies which software-version-types can be installed on each product-type."""

    __tablename__ = "product_type_software_version_type_linker"

    product_type_software_version_type_linker_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=True
    )
    product_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("product_type.product_type_id"), nullable=False
    )
    software_version_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("software_version_type.software_version_type_id"), nullable=False
    )

    product_type: Mapped[ProductType] = relationship(foreign_keys=[product_type_id], lazy="raise")
    software_version_type: Mapped[SoftwareVersionType] = relationship(
        foreign_keys=[software_version_type_id], lazy="raise"
    )


class LatestSoftware(Base):
    """Contains details of the most recent software for each product_type"""

    __tablename__ = "latest_software"

    latest_software_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("product_type.product_type_id"), nullable=False
    )
    software_version_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("software_version_type.software_version_type_id"), nullable=False
    )
    date_added: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    date_removed: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    product_type: Mapped[ProductType] = relationship(foreign_keys=[product_type_id], lazy="raise")
    software_version_type: Mapped[SoftwareVersionType] = relationship(
        foreign_keys=[software_version_type_id], lazy="raise"
    )


class ParameterValue:
    """The life of one parameter value, shared by a unit's `parameter` rows and its parts' `part_parameter`
    rows: its type, the value, when it was added and removed, and its status. `sort_order` keeps each table's
    columns in the order the migrations created them (after the key and the owner's column)."""

    parameter_type_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("parameter_type.parameter_type_id"), nullable=False, sort_order=10
    )
    value: Mapped[str] = mapped_column(String(255), nullable=False, sort_order=20)
    date_added: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, sort_order=21)
    date_removed: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, sort_order=22)
    status: Mapped[str | None] = mapped_column(
        Enum(
            "active",
            "removed",
            "expired",
            "pending",
            name="status",
            native_enum=False,
            create_constraint=True,
            length=15,
        ),
        nullable=True,
        sort_order=23,
    )

    @declared_attr
    def parameter_type(cls) -> Mapped[ParameterType]:
        return relationship(foreign_keys=[cls.parameter_type_id], lazy="raise")


class Parameter(ParameterValue, Base):
    """A table containing the values of all parameters set on all unit. Each parameter is of a particular parameter type"""

    __tablename__ = "parameter"

    parameter_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Every RC-GET reads a unit's pending parameters.
    product_imei: Mapped[str] = mapped_column(
        String(15), ForeignKey("product.product_imei"), nullable=False, index=True, sort_order=11
    )

    product: Mapped[Product] = relationship(foreign_keys=[product_imei], lazy="raise")


class ParameterType(Base):
    """A table of the possible types of Parameter that may be set. Each ParameterType is linked to oneor more ProductTypes."""

    __tablename__ = "parameter_type"

    parameter_type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    data_type: Mapped[str] = mapped_column(
        Enum(
            "float",
            "datetime",
            "int",
            "string",
            "bool",
            name="data_type",
            native_enum=False,
            create_constraint=True,
            length=16,
        ),
        nullable=False,
    )
    validation_rules: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)
    units: Mapped[str | None] = mapped_column(String(255), nullable=True)
    repeatable: Mapped[bool] = mapped_column(Boolean, nullable=False)
    setting: Mapped[bool] = mapped_column(Boolean, nullable=False)

    product_parameters: Mapped[list[ProductParameter]] = relationship(
        foreign_keys="ProductParameter.parameter_type_id", lazy="raise", viewonly=True
    )
