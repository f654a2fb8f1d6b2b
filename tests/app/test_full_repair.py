"""A whole control-unit repair in French on a phone, from log in to the unit ACTIVATED again."""

from __future__ import annotations

import pytest
from playwright.async_api import expect
from sqlalchemy import select

from db.models.history import State, StateType
from db.models.product import Product
from db.models.repair import Repair
from tests.app.technician import Technician
from tests.utils.repair_data import technician, unit_in_repair


@pytest.mark.parametrize("phone", ["fr-FR"], indirect=True)
async def test_a_control_unit_repair_in_french_from_log_in_to_activated(stack, db, phone):
    unit = unit_in_repair(db)
    user, _headers = technician(db)
    page = await phone.context.new_page()
    tech = Technician(page, phone, "fr")

    await tech.log_in(user.username)
    await tech.check_screen("find")
    await tech.open_unit(unit.product.serial_number)  # by serial number; the imei works the same

    await tech.expect_screen("SMART SOLAR State Check")
    await tech.check_screen("ss_state_check")
    await tech.fill("arrival_date", "2026-11-30")
    await tech.fill("symptoms", ["Lights do not work"])
    await tech.send()

    await tech.expect_screen("USB Diagnostic Test")
    await tech.fill("usb_diag_result", tech._("Passed"))
    await tech.fill("battery_voltage", "7,2")  # typed the French way
    await tech.check_screen("usb_diag_test")
    await tech.send()

    await tech.expect_screen("Battery Test")
    await tech.fill("battery_test_result", tech._("Passed"))
    await tech.send()

    await tech.expect_screen("Charge")
    await tech.check_screen("charge")
    await tech.event("Battery Charged")
    await tech.expect_screen("Clean")
    await tech.event("Unit Cleaned")

    await tech.expect_screen("Visual Inspection")
    await tech.fill("casing_damaged", tech._("No"))
    await tech.check_screen("visual_inspection")
    await tech.send()

    await tech.expect_screen("Capacity Test")
    await tech.fill("measured_capacity_mah", "9000")
    await tech.send()

    await tech.expect_screen("Refurbishment")
    await tech.fill("refurb_date", "2026-12-01")
    await tech.fill("final_state_of_charge", 75)
    await tech.check_screen("refurbish")
    await tech.send()

    await expect(page.get_by_role("heading", level=1)).to_have_text(tech._("Repair finished"))
    await expect(page.locator("[data-outcome=refurbished]")).to_have_text(tech._("Refurbished"))
    steps = page.locator("ol.history li")
    await expect(steps).to_have_count(9)
    await expect(steps.last).to_have_text(tech._("Refurbished"))
    await tech.check_screen("outcome")

    db.expire_all()
    product = db.get(Product, unit.imei)
    state = db.get(State, product.latest_state_id)
    assert db.get(StateType, state.current_state_type).name == "ACTIVATED"
    repair = db.scalar(select(Repair).where(Repair.product_imei == unit.imei))
    assert (repair.outcome, repair.measured_battery_capacity) == ("refurbished", 9000)
