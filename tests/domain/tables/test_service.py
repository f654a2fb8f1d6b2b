"""The generic table service on PostgreSQL: refusals the database makes at flush time come back
as the API's errors (409 / 400), never as a 500, and leave nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from db.models.organisation import Entity, Hub
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.scope import UnitScope
from domain.tables import service

GLOBAL = UnitScope(entity_id=None)


def test_a_unique_violation_found_only_at_flush_is_a_conflict(db, monkeypatch):
    service.create_row(db, Entity, {"name": "Acme", "bboxx_company_flag": False}, GLOBAL)
    db.commit()
    # As if another request took the name between our check and our insert.
    monkeypatch.setattr(service, "_check_unique", lambda *args, **kwargs: None)
    with pytest.raises(Conflict) as refused:
        service.create_row(db, Entity, {"name": "Acme", "bboxx_company_flag": False}, GLOBAL)
    assert list(refused.value.validation_errors) == ["name"]
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Entity)) == 1


def test_a_missing_parent_found_only_at_flush_is_a_validation_error(db, monkeypatch):
    monkeypatch.setattr(service, "_check_foreign_keys", lambda *args, **kwargs: None)
    with pytest.raises(ValidationFailed):
        service.create_row(db, Hub, {"name": "h", "entity_id": 4242}, GLOBAL)


def test_the_service_checks_on_its_own(db):
    with pytest.raises(ValidationFailed) as unknown:
        service.create_row(db, Entity, {"name": "x", "bboxx_company_flag": True, "colour": "red"}, GLOBAL)
    assert unknown.value.validation_errors == {"colour": "Unknown field"}
    with pytest.raises(ValidationFailed) as missing:
        service.create_row(db, Entity, {"tariff": "x"}, GLOBAL)
    assert set(missing.value.validation_errors) == {"name", "bboxx_company_flag"}
    with pytest.raises(NotFound):
        service.get_row(db, Entity, 2**40, GLOBAL)
