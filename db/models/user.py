"""Users and their API tokens (implied by the doc's Authentication and Permissions section)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.permissions import Permission, Scope
from db.base import Base


class User(Base):
    """A person or system that calls the API. Only a slow hash of the password is kept."""

    __tablename__ = "user"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(255), nullable=False, unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    display_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    permissions: Mapped[str] = mapped_column(
        Enum(
            *Permission.__members__, name="permissions", native_enum=False, create_constraint=True, length=16
        ),
        nullable=False,
    )
    user_product_visibility: Mapped[str] = mapped_column(
        Enum(
            *Scope.__members__,
            name="user_product_visibility",
            native_enum=False,
            create_constraint=True,
            length=16,
        ),
        nullable=False,
    )
    entity_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("entity.entity_id"), nullable=True)
    hub_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("hub.hub_id"), nullable=True)
    shop_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("shop.shop_id"), nullable=True)

    @property
    def permission(self) -> Permission:
        return Permission[self.permissions]

    @property
    def scope(self) -> Scope:
        return Scope[self.user_product_visibility]


class ApiToken(Base):
    """A login token. Only its SHA-256 is stored; it slides to 3 hours after its last use."""

    __tablename__ = "api_token"

    api_token_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    user_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("user.user_id", ondelete="CASCADE"), nullable=False
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")
