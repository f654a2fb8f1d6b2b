"""A shorter flow: swap the battery, charge, load-test, and send the unit back (or terminate it).

    swap_intake -> replace_battery -> charge -> load_test -+-> refurbish -> refurbished
                                                           +-> terminate_unit -> terminated

Chosen per repair centre by a repair_workflow_selector rule (workflow_name "battery_swap").
"""

from __future__ import annotations

from repair_flows.flows.common import (
    ARRIVAL_DATE,
    BATTERY_VOLTAGE,
    CHARGE,
    CLOSE_REFURBISHED,
    CLOSE_TERMINATED,
    DEFAULT_CONFIG,
    FIT_NEW_BATTERY,
    PASS_FAIL,
    RECORD_ARRIVAL,
    RECORD_SYMPTOMS,
    REFURBISH,
    REFURBISHED,
    REPLACE_BATTERY,
    SYMPTOMS,
    TERMINATE_UNIT,
    TERMINATED,
    equals,
)
from repair_flows.i18n import N_
from repair_flows.spec import Flow, InputSpec, StateSpec, TransitionSpec

SWAP_INTAKE = StateSpec(
    ident="swap_intake",
    name=N_("Battery Swap Intake"),
    description=N_("Record the date the unit arrived and the symptoms reported with it, then open the unit."),
    inputs=(ARRIVAL_DATE, SYMPTOMS),
)

LOAD_TEST = StateSpec(
    ident="load_test",
    name=N_("Load Test"),
    description=N_(
        "Switch on every output under load for ten minutes, then enter the result and the battery voltage."
    ),
    inputs=(
        InputSpec(
            ident="load_test_result",
            label=N_("Load test result"),
            data_type="selection",
            selection_type="single",
            options=PASS_FAIL,
        ),
        BATTERY_VOLTAGE,
    ),
)

T = TransitionSpec

FLOW = Flow(
    name="battery_swap",
    title=N_("Battery swap"),
    initial=SWAP_INTAKE.ident,
    default_config=DEFAULT_CONFIG,
    states=[
        SWAP_INTAKE,
        REPLACE_BATTERY,
        CHARGE,
        LOAD_TEST,
        REFURBISH,
        TERMINATE_UNIT,
        REFURBISHED,
        TERMINATED,
    ],
    conditions={"load_test_passed": equals("load_test_result", "pass")},
    transitions=[
        T(source="swap_intake", dest="replace_battery", effects=(RECORD_ARRIVAL, RECORD_SYMPTOMS)),
        T(source="replace_battery", dest="charge", effects=(FIT_NEW_BATTERY,)),
        T(source="charge", dest="load_test", trigger="battery.charged"),
        T(source="load_test", dest="refurbish", conditions=("load_test_passed",)),
        T(source="load_test", dest="terminate_unit"),
        T(source="refurbish", dest="refurbished", effects=(CLOSE_REFURBISHED,)),
        T(source="terminate_unit", dest="terminated", effects=(CLOSE_TERMINATED,)),
    ],
)
