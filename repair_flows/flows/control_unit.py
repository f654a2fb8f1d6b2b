"""The control-unit repair flow (BB17SMART and BBOXX Home 2 units), after the doc's screens.

ss_state_check -> usb_diag_test -+-> replace_pcb -> (usb_diag_test again)
                                 +-> terminate_unit -> terminated
                                 +-> explain_skip_btb -+
                                 +-> battery_test -----+-> (replace_battery ->) charge -> clean
clean -> visual_inspection -+-> select_damaged_casing -+-> capacity_test -+-> refurbish -> refurbished
                            +--------------------------+                 +-> capacity_failed
capacity_failed -> replace_battery | terminate_unit
"""

from __future__ import annotations

from repair_flows.flows.common import (
    ARRIVAL_DATE,
    BATTERY_VOLTAGE,
    CASING,
    CHARGE,
    CLOSE_REFURBISHED,
    CLOSE_TERMINATED,
    DEFAULT_CONFIG,
    FIT_NEW_BATTERY,
    PASS_FAIL,
    PCB,
    RECORD_ARRIVAL,
    RECORD_SYMPTOMS,
    REFURBISH,
    REFURBISHED,
    REPLACE_BATTERY,
    SYMPTOMS,
    TERMINATE_UNIT,
    TERMINATED,
    YES_NO,
    at_least_config,
    at_most_config,
    equals,
    replace_parts,
    replacement_choice,
    serial_number,
    set_repair_field,
)
from repair_flows.i18n import N_
from repair_flows.spec import EventSpec, Flow, InputSpec, Option, StateSpec, TransitionSpec

SS_STATE_CHECK = StateSpec(
    ident="ss_state_check",
    name=N_("SMART SOLAR State Check"),
    description=N_(
        "Check in SMART Solar that the unit is IN_REPAIR_SYSTEM. Record the date it arrived at the "
        "repair centre and the symptoms reported with it."
    ),
    inputs=(ARRIVAL_DATE, SYMPTOMS),
)

USB_DIAG_TEST = StateSpec(
    ident="usb_diag_test",
    name=N_("USB Diagnostic Test"),
    description=N_(
        "Connect the USB diagnostic tool and run its test. "
        "Enter the result and the battery voltage it reports."
    ),
    inputs=(
        InputSpec(
            ident="usb_diag_result",
            label=N_("Diagnostic result"),
            data_type="selection",
            selection_type="single",
            options=(
                Option(value="pass", label=N_("Passed")),
                Option(value="pcb_fault", label=N_("PCB fault")),
                Option(value="no_response", label=N_("No response from the unit")),
            ),
        ),
        BATTERY_VOLTAGE,
    ),
)

BATTERY_TEST = StateSpec(
    ident="battery_test",
    name=N_("Battery Test"),
    description=N_("Run the battery test on the test bench and enter its result."),
    inputs=(
        InputSpec(
            ident="battery_test_result",
            label=N_("Battery test result"),
            data_type="selection",
            selection_type="single",
            options=PASS_FAIL,
        ),
    ),
)

EXPLAIN_SKIP_BTB = StateSpec(
    ident="explain_skip_btb",
    name=N_("Skip the Battery Test"),
    description=N_(
        "The battery is too deeply discharged to be tested. Skip the battery test: charge the unit "
        "first; its capacity is measured at the end of the repair."
    ),
    events=(EventSpec(ident="battery_test.skipped", label=N_("Understood, skip the test")),),
)

CLEAN = StateSpec(
    ident="clean",
    name=N_("Clean"),
    description=N_(
        "Clean the casing, the ports and the solar panel connector. "
        "Click the button below when this has been done."
    ),
    events=(EventSpec(ident="unit.cleaned", label=N_("Unit Cleaned")),),
)

VISUAL_INSPECTION = StateSpec(
    ident="visual_inspection",
    name=N_("Visual Inspection"),
    description=N_("Inspect the casing for cracks, burns and broken parts."),
    inputs=(
        InputSpec(
            ident="casing_damaged",
            label=N_("Is the casing damaged?"),
            data_type="selection",
            selection_type="single",
            options=YES_NO,
        ),
        InputSpec(
            ident="inspection_notes",
            label=N_("Inspection notes"),
            data_type="text",
            validation_rules={"maxlength": 1000},
            required=False,
        ),
    ),
)

SELECT_DAMAGED_CASING = StateSpec(
    ident="select_damaged_casing",
    name=N_("Select Damaged Casing"),
    description=N_("Select the damaged casing parts: each one is replaced by the part type shown."),
    inputs=(replacement_choice(CASING, N_("Damaged casing parts"), multi=True, ident="damaged_parts"),),
)

REPLACE_PCB = StateSpec(
    ident="replace_pcb",
    name=N_("Replace PCB"),
    description=N_(
        "The test jig indicates that this unit has a faulty PCB. Replace the PCB. "
        "Click the button below when this has been done"
    ),
    inputs=(
        replacement_choice(PCB, N_("Choose one of these replacement PCB's")),
        serial_number("new_pcb_serial", N_("Serial Number of the new PCB")),
    ),
)

CAPACITY_TEST = StateSpec(
    ident="capacity_test",
    name=N_("Capacity Test"),
    description=N_(
        "Discharge the charged battery at the configured load current down to the discharge voltage, "
        "and enter the capacity measured."
    ),
    inputs=(
        InputSpec(
            ident="measured_capacity_mah",
            label=N_("Measured capacity (mAh)"),
            data_type="int",
            validation_rules={"min": 0, "max": 50000},
        ),
    ),
)

CAPACITY_FAILED = StateSpec(
    ident="capacity_failed",
    name=N_("Capacity Too Low"),
    description=N_(
        "The battery holds less than this product type requires. Replace the battery, or terminate the "
        "unit if it is not worth repairing."
    ),
    inputs=(
        InputSpec(
            ident="capacity_decision",
            label=N_("What next?"),
            data_type="selection",
            selection_type="single",
            options=(
                Option(value="replace_battery", label=N_("Replace the battery")),
                Option(value="terminate", label=N_("Terminate the unit")),
            ),
        ),
    ),
)

FIT_NEW_PCB = replace_parts(PCB, "replacement_part_type", "new_pcb_serial")
FIT_NEW_CASING_PARTS = replace_parts(CASING, "damaged_parts")
RECORD_CAPACITY = set_repair_field("measured_battery_capacity", "measured_capacity_mah")

T = TransitionSpec

FLOW = Flow(
    name="control_unit_repair",
    title=N_("Control unit repair"),
    initial=SS_STATE_CHECK.ident,
    product_types=("BB17SMART_v1", "BB17SMART_v2", "BBOXX Home 2"),
    default_config=DEFAULT_CONFIG,
    configs={
        "BB17SMART_v1": {**DEFAULT_CONFIG, "pass_capacity_mah": 7000},
        "BB17SMART_v2": dict(DEFAULT_CONFIG),
        "BBOXX Home 2": {**DEFAULT_CONFIG, "usb_load_current": 2.0, "pass_capacity_mah": 9000},
    },
    states=[
        SS_STATE_CHECK,
        USB_DIAG_TEST,
        BATTERY_TEST,
        EXPLAIN_SKIP_BTB,
        REPLACE_BATTERY,
        CHARGE,
        CLEAN,
        VISUAL_INSPECTION,
        SELECT_DAMAGED_CASING,
        REPLACE_PCB,
        CAPACITY_TEST,
        CAPACITY_FAILED,
        REFURBISH,
        TERMINATE_UNIT,
        REFURBISHED,
        TERMINATED,
    ],
    conditions={
        "pcb_faulty": equals("usb_diag_result", "pcb_fault"),
        "unit_unresponsive": equals("usb_diag_result", "no_response"),
        "battery_too_low_to_test": at_most_config("battery_voltage", "discharge_voltage"),
        "battery_test_failed": equals("battery_test_result", "fail"),
        "casing_damaged": equals("casing_damaged", "yes"),
        "capacity_sufficient": at_least_config("measured_capacity_mah", "pass_capacity_mah"),
        "chose_termination": equals("capacity_decision", "terminate"),
    },
    transitions=[
        T(source="ss_state_check", dest="usb_diag_test", effects=(RECORD_ARRIVAL, RECORD_SYMPTOMS)),
        T(source="usb_diag_test", dest="replace_pcb", conditions=("pcb_faulty",)),
        T(source="usb_diag_test", dest="terminate_unit", conditions=("unit_unresponsive",)),
        T(source="usb_diag_test", dest="explain_skip_btb", conditions=("battery_too_low_to_test",)),
        T(source="usb_diag_test", dest="battery_test"),
        T(source="replace_pcb", dest="usb_diag_test", effects=(FIT_NEW_PCB,)),
        T(source="battery_test", dest="replace_battery", conditions=("battery_test_failed",)),
        T(source="battery_test", dest="charge"),
        T(source="explain_skip_btb", dest="charge", trigger="battery_test.skipped"),
        T(source="replace_battery", dest="charge", effects=(FIT_NEW_BATTERY,)),
        T(source="charge", dest="clean", trigger="battery.charged"),
        T(source="clean", dest="visual_inspection", trigger="unit.cleaned"),
        T(source="visual_inspection", dest="select_damaged_casing", conditions=("casing_damaged",)),
        T(source="visual_inspection", dest="capacity_test"),
        T(source="select_damaged_casing", dest="capacity_test", effects=(FIT_NEW_CASING_PARTS,)),
        T(
            source="capacity_test",
            dest="refurbish",
            conditions=("capacity_sufficient",),
            effects=(RECORD_CAPACITY,),
        ),
        T(source="capacity_test", dest="capacity_failed", effects=(RECORD_CAPACITY,)),
        T(source="capacity_failed", dest="terminate_unit", conditions=("chose_termination",)),
        T(source="capacity_failed", dest="replace_battery"),
        T(source="refurbish", dest="refurbished", effects=(CLOSE_REFURBISHED,)),
        T(source="terminate_unit", dest="terminated", effects=(CLOSE_TERMINATED,)),
    ],
)
