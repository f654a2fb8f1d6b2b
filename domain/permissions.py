"""Permission levels and scopes (defined in `core.permissions`, below `db`, whose user table stores them)."""

from core.permissions import Permission, Scope

__all__ = ["Permission", "Scope"]
