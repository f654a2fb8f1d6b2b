"""Models: organisation tables of the SMARTSolar schema."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base


class Entity(Base):
    """Contains details of all of the entities who own BBOXX products"""

    __tablename__ = "entity"

    entity_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    bboxx_company_flag: Mapped[bool] = mapped_column(Boolean, nullable=False)
    tariff: Mapped[str | None] = mapped_column(String(255), nullable=True)
    financier: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    geic: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)

    hubs: Mapped[list[Hub]] = relationship(foreign_keys="Hub.entity_id", lazy="raise", viewonly=True)
    product_entity_linker: Mapped[list[ProductEntityLinker]] = relationship(
        foreign_keys="ProductEntityLinker.entity_id", lazy="raise", viewonly=True
    )


class EntityFacilityLinker(Base):
    """Indicates which entities have access to manufacturing and repair facilities"""

    __tablename__ = "entity_facility_linker"

    entity_facility_linker_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("entity.entity_id"), nullable=False, unique=True
    )
    test_jig: Mapped[bool] = mapped_column(Boolean, nullable=False)
    test_bench: Mapped[bool] = mapped_column(Boolean, nullable=False)
    usb_diag_tool: Mapped[bool] = mapped_column(Boolean, nullable=False)
    rework_process: Mapped[bool] = mapped_column(Boolean, nullable=False)

    entity: Mapped[Entity] = relationship(foreign_keys=[entity_id], lazy="raise")


class Hub(Base):
    """Contains details of all every BBOXX hub-centre (obselete)"""

    __tablename__ = "hub"

    hub_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    guid: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    entity_id: Mapped[int] = mapped_column(Integer, ForeignKey("entity.entity_id"), nullable=False)
    latitude: Mapped[str | None] = mapped_column(String(12), nullable=True)
    longitude: Mapped[str | None] = mapped_column(String(12), nullable=True)

    entity: Mapped[Entity] = relationship(foreign_keys=[entity_id], lazy="raise")
    products: Mapped[list[Product]] = relationship(foreign_keys="Product.hub_id", lazy="raise", viewonly=True)
    shops: Mapped[list[Shop]] = relationship(foreign_keys="Shop.hub_id", lazy="raise", viewonly=True)


class Shop(Base):
    """Contains details of all the BBOXX shops. (obselete)"""

    __tablename__ = "shop"

    shop_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    guid: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    hub_id: Mapped[int] = mapped_column(Integer, ForeignKey("hub.hub_id"), nullable=False)
    latitude: Mapped[str | None] = mapped_column(String(12), nullable=True)
    longitude: Mapped[str | None] = mapped_column(String(12), nullable=True)

    hub: Mapped[Hub] = relationship(foreign_keys=[hub_id], lazy="raise")
    products: Mapped[list[Product]] = relationship(
        foreign_keys="Product.shop_id", lazy="raise", viewonly=True
    )


class RepairCentre(Base):
    """Details of Repair Centres"""

    __tablename__ = "repair_centre"

    repair_centre_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    entity_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("entity.entity_id"), nullable=False, unique=True
    )

    entity: Mapped[Entity] = relationship(foreign_keys=[entity_id], lazy="raise")


class UserRepairCentreLink(Base):
    """Associates Smart Solar users with Repair Centres"""

    __tablename__ = "user_repair_centre_link"

    user_repair_centre_link_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    repair_centre_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("repair_centre.repair_centre_id"), nullable=False, unique=True
    )

    repair_centre: Mapped[RepairCentre] = relationship(foreign_keys=[repair_centre_id], lazy="raise")
