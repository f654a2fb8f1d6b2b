"""The owed-report row: counted per lost report, read inside the unit's one-statement read, and cleared
by a delivered report only if no other report was lost since that read."""

from __future__ import annotations

from core.clock import utcnow
from domain.device.outstanding import owe_report, owed_report_delivered, unit_columns_with_outstanding
from tests.utils.factories import make_product


def owed_reports(db, imei: str) -> int:
    return unit_columns_with_outstanding(db, imei)[1].owed_reports


def test_losses_are_counted_and_a_later_loss_survives_an_earlier_delivery(db):
    imei = make_product(db).product_imei
    assert owed_reports(db, imei) == 0
    owe_report(db, imei, utcnow())
    owe_report(db, imei, utcnow())
    read = owed_reports(db, imei)
    assert read == 2
    owe_report(db, imei, utcnow())  # lost while the delivered report was on its way
    owed_report_delivered(db, imei, read)
    assert owed_reports(db, imei) == 3
    owed_report_delivered(db, imei, 3)
    assert owed_reports(db, imei) == 0
