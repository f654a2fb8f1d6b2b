"""Permission levels and scopes, as the doc's "Permissions and Scope" defines them."""

from __future__ import annotations

import enum


class Permission(enum.IntEnum):
    """Hierarchical: each level can do everything the ones below it can."""

    OVERVIEW = 1
    TECHNICAL = 2
    ADMIN = 3
    FACTORY = 4
    SYSTEM = 5


class Scope(enum.Enum):
    GLOBAL = "GLOBAL"
    ENTITY = "ENTITY"
