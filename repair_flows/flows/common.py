"""States, effects and conditions several flows share (a state is data: reuse it, never copy it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from repair_flows.i18n import N_
from repair_flows.spec import Condition, EffectSpec, EventSpec, InputSpec, Option, OptionsSource, StateSpec

# Part type categories (part_type_category.name) the flows replace parts in; seeded by migration 0003.
PCB, BATTERY, CASING = "PCB", "Battery", "Casing"

PASS_FAIL = (Option(value="pass", label=N_("Passed")), Option(value="fail", label=N_("Failed")))
YES_NO = (Option(value="yes", label=N_("Yes")), Option(value="no", label=N_("No")))


# --- conditions: small factories, so each flow names its conditions in one dict ---------------


def equals(ident: str, value: Any) -> Condition:
    """True when the input `ident` (latest submitted) is `value`."""
    return lambda values, _config: values.get(ident) == value


def at_least_config(ident: str, key: str) -> Condition:
    """True when the input `ident` reaches the product type's configured `key` (e.g. pass capacity)."""
    return lambda values, config: values.get(ident) is not None and values[ident] >= config[key]


def at_most_config(ident: str, key: str) -> Condition:
    return lambda values, config: values.get(ident) is not None and values[ident] <= config[key]


# --- inputs ------------------------------------------------------------------------------------

ARRIVAL_DATE = InputSpec(ident="arrival_date", label=N_("Arrival Date"), data_type="datetime")
SYMPTOMS = InputSpec(
    ident="symptoms",
    label=N_("Symptoms reported"),
    data_type="selection",
    selection_type="multi",
    options_source=OptionsSource(name="symptom_types"),
    # Units also come in for routine refurbishment, with nothing reported.
    required=False,
)
BATTERY_VOLTAGE = InputSpec(
    ident="battery_voltage",
    label=N_("Battery Voltage (V)"),
    data_type="float",
    validation_rules={"min": 0.0, "max": 15.0, "step": 0.01},
)


def replacement_choice(
    category: str, label: str, *, multi: bool = False, ident: str = "replacement_part_type"
) -> InputSpec:
    """A selection of part types that may replace this unit's fitted part(s) of `category`.

    The options come from part_type_replacement_linker when the state is entered, never from code.
    """
    return InputSpec(
        ident=ident,
        label=label,
        data_type="selection",
        selection_type="multi" if multi else "single",
        options_source=OptionsSource(name="replacement_part_types", params={"category": category}),
    )


def serial_number(
    ident: str = "new_part_serial", label: str = N_("Serial Number of the new part")
) -> InputSpec:
    return InputSpec(
        ident=ident, label=label, data_type="string", validation_rules={"minlength": 6, "maxlength": 32}
    )


# --- states ------------------------------------------------------------------------------------

REPLACE_BATTERY = StateSpec(
    ident="replace_battery",
    name=N_("Replace Battery"),
    description=N_(
        "Replace the battery with one of the battery types below and enter the serial number "
        "printed on the new battery."
    ),
    inputs=(replacement_choice(BATTERY, N_("Choose one of these replacement batteries")), serial_number()),
)

CHARGE = StateSpec(
    ident="charge",
    name=N_("Charge"),
    description=N_(
        "Connect the unit to the charger and wait until the battery is full. "
        "Click the button below when the battery is charged."
    ),
    events=(EventSpec(ident="battery.charged", label=N_("Battery Charged")),),
)

REFURBISH = StateSpec(
    ident="refurbish",
    name=N_("Refurbishment"),
    description=N_(
        "Leave the battery at the final state of charge for storage and record the refurbishment date. "
        "The unit then goes back to ACTIVATED."
    ),
    inputs=(
        InputSpec(ident="refurb_date", label=N_("Refurbishment Date"), data_type="datetime"),
        InputSpec(
            ident="final_state_of_charge",
            label=N_("Final State of Charge (%)"),
            data_type="int",
            validation_rules={"options": [50, 75, 100]},
        ),
    ),
)

TERMINATE_UNIT = StateSpec(
    ident="terminate_unit",
    name=N_("Terminate Unit"),
    description=N_(
        "This unit cannot be brought back into service. Explain why: the unit is then moved to TERMINATED."
    ),
    inputs=(
        InputSpec(
            ident="termination_reason",
            label=N_("Termination Reason"),
            data_type="text",
            validation_rules={"minlength": 10, "maxlength": 2000},
        ),
        InputSpec(
            ident="process",
            label=N_("Repair process"),
            data_type="selection",
            selection_type="single",
            # The values are repair.process options of the doc.
            options=(
                Option(value="Broken on Arrival", label=N_("Broken on Arrival")),
                Option(value="Replaced", label=N_("Replaced")),
                Option(value="Repossessed", label=N_("Repossessed")),
            ),
        ),
    ),
)

REFURBISHED = StateSpec(
    ident="refurbished",
    name=N_("Refurbished"),
    description=N_("The repair is complete: the unit is ACTIVATED again and can go back to a customer."),
    outcome="refurbished",
)

TERMINATED = StateSpec(
    ident="terminated",
    name=N_("Terminated"),
    description=N_("The unit has been TERMINATED. Send it for recycling."),
    outcome="terminated",
)


# --- effects -----------------------------------------------------------------------------------


def replace_parts(category: str, part_type_input: str, serial_input: str | None = None) -> EffectSpec:
    params: dict[str, Any] = {"category": category, "part_type_input": part_type_input}
    if serial_input:
        params["serial_input"] = serial_input
    return EffectSpec(name="replace_part", params=params)


def set_repair_field(field: str, input_ident: str) -> EffectSpec:
    return EffectSpec(name="set_repair_field", params={"field": field, "input": input_ident})


FIT_NEW_BATTERY = replace_parts(BATTERY, "replacement_part_type", "new_part_serial")
RECORD_ARRIVAL = set_repair_field("arrival_date", ARRIVAL_DATE.ident)
RECORD_SYMPTOMS = EffectSpec(name="record_symptoms", params={"input": SYMPTOMS.ident})
CLOSE_REFURBISHED = EffectSpec(
    name="close_repair",
    params={"outcome": "refurbished", "process": "Repair and Return", "date_input": "refurb_date"},
)
CLOSE_TERMINATED = EffectSpec(
    name="close_repair",
    params={"outcome": "terminated", "process_input": "process", "reason_input": "termination_reason"},
)

# The doc's get_repair example; flows override it per product type.
DEFAULT_CONFIG: Mapping[str, Any] = {
    "12v_load_current": 1.0,
    "usb_load_current": 1.7,
    "connectivity_timeout": 120,
    "discharge_voltage": 6.0,
    "final_state_of_charge": 50,
    "pass_capacity_mah": 8000,
}
