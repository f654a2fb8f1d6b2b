"""The browser's first check of inputs (js/validate.js) says what the server's would
(repair_flows/validation.py): same rules, same msgids, same parameters, for every IRT data type."""

from __future__ import annotations

from playwright.async_api import expect

from repair_flows.spec import InputSpec, Option
from repair_flows.validation import validate_inputs

SPECS = [
    InputSpec(ident="count", label="n", data_type="int", validation_rules={"min": 3, "max": 7}),
    InputSpec(ident="soc", label="n", data_type="int", validation_rules={"options": [50, 75, 100]}),
    InputSpec(
        ident="volts", label="n", data_type="float", validation_rules={"min": 0.0, "max": 15.0, "step": 0.01}
    ),
    InputSpec(ident="amps", label="n", data_type="float", validation_rules={"options": [1.5, 2.0]}),
    InputSpec(
        ident="serial", label="s", data_type="string", validation_rules={"minlength": 6, "maxlength": 8}
    ),
    InputSpec(ident="colour", label="s", data_type="string", validation_rules={"options": ["red", "green"]}),
    InputSpec(ident="notes", label="t", data_type="text", validation_rules={"maxlength": 5}, required=False),
    InputSpec(ident="when", label="d", data_type="datetime"),
    InputSpec(
        ident="one",
        label="o",
        data_type="selection",
        selection_type="single",
        options=(Option(value=44, label="a"), Option(value="x", label="b")),
    ),
    InputSpec(
        ident="many",
        label="m",
        data_type="selection",
        selection_type="multi",
        options=(Option(value=12, label="a"), Option(value=62, label="b")),
    ),
]
VALID = {
    "count": 4,
    "soc": 75,
    "volts": 7.25,
    "amps": 2.0,
    "serial": "MC0211",
    "colour": "red",
    "when": "2018-03-30",
    "one": 44,
    "many": [12, 62],
}
# Each case changes the valid payload: one value (None: left out), or extra idents.
CASES = [
    {},
    {"count": 2},
    {"count": 8},
    {"count": 4.5},
    {"count": "4"},
    {"count": True},
    {"soc": 60},
    {"soc": 100},
    {"volts": -1},
    {"volts": 15.5},
    {"volts": 7.123},
    {"volts": 15},
    {"volts": "7,2"},
    {"amps": 1.75},
    {"amps": 1.5},
    {"serial": "MC02"},
    {"serial": "MC0211-999"},
    {"serial": 123456},
    {"serial": "éèàçùô"},
    {"colour": "blue"},
    {"notes": "too long"},
    {"notes": None},
    {"notes": "ok"},
    {"when": "12:30:00"},
    {"when": "2018-03-30T12:30:00Z"},
    {"when": "30/03/2018"},
    {"when": "2018-02-30"},
    {"when": "25:00:00"},
    {"when": 20180330},
    {"one": 45},
    {"one": "x"},
    {"one": [44]},
    {"one": None},
    {"many": []},
    {"many": [12, 12]},
    {"many": [13]},
    {"many": 12},
    {"many": [12]},
    {"unknown": 1},
    {"count": None, "serial": None},
]


def payload_of(case: dict) -> dict:
    payload = {**VALID, **case}
    return {k: v for k, v in payload.items() if v is not None or k == "notes"}


def server_says(payload: dict) -> dict:
    _values, errors = validate_inputs(SPECS, payload)
    return {ident: {"msgid": m.msgid, "params": m.params} for ident, m in errors.items()}


async def test_the_browser_checks_inputs_as_the_server_does(phone):
    page = await phone.context.new_page()
    await page.goto("/app/")
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    specs = [spec.model_dump(mode="json") for spec in SPECS]
    payloads = [payload_of(case) for case in CASES] + [{}]
    browser_says = await page.evaluate(
        """async ([specs, payloads]) => {
            const { validateInputs } = await import("/app/static/js/validate.js");
            return payloads.map((payload) => validateInputs(specs, payload));
        }""",
        [specs, payloads],
    )
    for payload, said in zip(payloads, browser_says, strict=True):
        assert said == server_says(payload), payload
    assert sum(1 for said in browser_says if said) >= 30  # the cases do reach the rules
