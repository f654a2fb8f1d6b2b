"""Migration 0006: every fresh database holds the doc's reference data (the same rows
`ensure_reference_data` writes), and plain device keys stored before it become digests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from core.settings import ROOT
from db.models.history import StateType
from db.models.organisation import Entity
from db.models.parts import PartType, PartTypeCategory
from db.models.product import ProductType
from domain.device.unit_protocol import device_key_digest
from domain.lifecycle import reference as ref


def _config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    return config


def _reference_rows(session: Session) -> dict:
    categories = dict(
        session.execute(select(PartTypeCategory.part_type_category_id, PartTypeCategory.name)).all()
    )
    return {
        "state_types": dict(session.execute(select(StateType.state_type_id, StateType.name)).all()),
        "entities": dict(session.execute(select(Entity.entity_id, Entity.name)).all()),
        "part_types": {
            p.part_type_id: (p.name, categories[p.part_type_category_id])
            for p in session.scalars(select(PartType))
        },
        "product_types": dict(session.execute(select(ProductType.product_type_id, ProductType.name)).all()),
    }


def test_a_fresh_database_has_the_reference_data_the_domain_expects(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    command.upgrade(_config(url), "head")
    engine = create_engine(url)
    with Session(engine) as session:
        rows = _reference_rows(session)
        assert rows == {
            "state_types": ref.STATE_TYPES,
            "entities": {ref.UNKNOWN_ENTITY_ID: ref.UNKNOWN_ENTITY_NAME},
            "part_types": ref.PART_TYPES,
            "product_types": ref.PRODUCT_TYPES,
        }
        ref.ensure_reference_data(session)  # nothing missing: nothing added
        session.flush()
        assert _reference_rows(session) == rows
    engine.dispose()


def test_plain_device_keys_become_digests(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    command.upgrade(_config(url), "0005")
    engine = create_engine(url)
    product = (
        "INSERT INTO product (product_imei, device_key, imsi, serial_number, product_type_id, current_enable_flag, "
        "desired_enable_flag, rtc_enabled_flag, dcm_enabled_flag, is_payg) "
        "VALUES (:imei, :key, :imei, :imei, :type, false, false, false, false, true)"
    )
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO product_type (product_type_id, name) VALUES (100, 'Legacy'), (101, 'SIMULATED_UNIT')"
            )
        )
        conn.execute(text(product), {"imei": "111111111111111", "key": "plain-key-1", "type": 100})
        conn.execute(
            text(product), {"imei": "222222222222222", "key": device_key_digest("sim-key"), "type": 101}
        )
    command.upgrade(_config(url), "head")
    with engine.connect() as conn:
        keys = dict(conn.execute(text("SELECT product_imei, device_key FROM product")).all())
    engine.dispose()
    assert keys == {
        "111111111111111": device_key_digest("plain-key-1"),
        "222222222222222": device_key_digest("sim-key"),
    }
