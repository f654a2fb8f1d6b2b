"""The data a repair flow is made of: states (with IRT inputs and events), transitions, effects.

Shapes follow the doc's "IRT Input Specifications" and "IRT Event Specifications". A flow is
checked when it is built (`Flow.__init__`), so a broken flow fails at import, not in a repair.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DataType = Literal["int", "float", "string", "text", "datetime", "selection"]
SelectionType = Literal["single", "multi"]

# The trigger of a transition taken when the state's inputs are submitted (send_inputs);
# any other trigger is an event ident (send_events).
INPUTS = "inputs"

# Validation rules each data type accepts (the doc's lists; selection and datetime have none).
RULES_BY_TYPE: dict[str, frozenset[str]] = {
    "int": frozenset({"min", "max", "step", "options"}),
    "float": frozenset({"min", "max", "step", "options"}),
    "string": frozenset({"minlength", "maxlength", "options"}),
    "text": frozenset({"minlength", "maxlength"}),
    "datetime": frozenset(),
    "selection": frozenset(),
}


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(Frozen):
    """One choice of a selection input: `label` is shown, `value` is submitted."""

    value: Any
    label: str


class OptionsSource(Frozen):
    """Options read from the database when the state is entered (e.g. part_type_replacement_linker)."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)


class InputSpec(Frozen):
    """An IRT input: `ident`, `label`, `data_type`, optional `validation_rules` (and selection fields)."""

    ident: str
    label: str
    data_type: DataType
    validation_rules: dict[str, Any] = Field(default_factory=dict)
    selection_type: SelectionType | None = None
    options: tuple[Option, ...] = ()
    options_source: OptionsSource | None = None
    required: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> InputSpec:
        unknown = set(self.validation_rules) - RULES_BY_TYPE[self.data_type]
        if unknown:
            raise ValueError(f"input {self.ident}: rules {sorted(unknown)} do not apply to {self.data_type}")
        if self.data_type == "selection":
            if self.selection_type is None:
                raise ValueError(f"input {self.ident}: a selection needs selection_type")
            # Both once resolved: a state's view carries the options read from `options_source`.
            if not self.options and not self.options_source:
                raise ValueError(f"input {self.ident}: a selection needs options or an options_source")
        elif self.selection_type or self.options or self.options_source:
            raise ValueError(f"input {self.ident}: only selections have options")
        return self


class EventSpec(Frozen):
    """An IRT event: the technician says something happened (e.g. `battery.charged`)."""

    ident: str
    label: str


class StateSpec(Frozen):
    """A screen of the repair. A state with an `outcome` is terminal: the repair ends there."""

    ident: str
    name: str
    description: str
    inputs: tuple[InputSpec, ...] = ()
    events: tuple[EventSpec, ...] = ()
    outcome: Literal["refurbished", "terminated"] | None = None

    @property
    def is_terminal(self) -> bool:
        return self.outcome is not None

    def input(self, ident: str) -> InputSpec | None:
        return next((i for i in self.inputs if i.ident == ident), None)


class EffectSpec(Frozen):
    """A named database effect (domain/repairs/effects.py) applied when a transition is taken."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)


class TransitionSpec(Frozen):
    """`source` -> `dest` on `trigger` when every condition holds and no `unless` does.

    Transitions of one source and trigger are tried in the order declared; the first that
    passes is taken (the `transitions` library's rule), so the last is usually the fallback.
    """

    source: str
    dest: str
    trigger: str = INPUTS
    conditions: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    effects: tuple[EffectSpec, ...] = ()


# A named condition: (all values collected so far incl. this submission, the flow's config) -> bool.
Condition = Callable[[Mapping[str, Any], Mapping[str, Any]], bool]


class Flow:
    """A repair flow: its data (`states`, `transitions`) and the named conditions they refer to."""

    def __init__(
        self,
        *,
        name: str,
        title: str,
        initial: str,
        states: list[StateSpec],
        transitions: list[TransitionSpec],
        conditions: Mapping[str, Condition],
        product_types: tuple[str, ...] = (),
        configs: Mapping[str, Mapping[str, Any]] | None = None,
        default_config: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.title = title
        self.initial = initial
        self.states = {s.ident: s for s in states}
        self.transitions = tuple(transitions)
        self.conditions = dict(conditions)
        # Product type names this flow serves when no repair_workflow_selector rule names one.
        self.product_types = product_types
        self.configs = {k: dict(v) for k, v in (configs or {}).items()}
        self.default_config = dict(default_config or {})
        self._check(states)

    def state(self, ident: str) -> StateSpec:
        return self.states[ident]

    def config_for(self, product_type_name: str | None) -> dict[str, Any]:
        """The `config` get_repair returns: per product type, else the flow's default."""
        return dict(self.configs.get(product_type_name or "", self.default_config))

    def transitions_from(self, source: str, trigger: str) -> list[TransitionSpec]:
        return [t for t in self.transitions if t.source == source and t.trigger == trigger]

    def _check(self, states: list[StateSpec]) -> None:
        if len(self.states) != len(states):
            raise ValueError(f"flow {self.name}: duplicate state idents")
        if self.initial not in self.states:
            raise ValueError(f"flow {self.name}: unknown initial state {self.initial}")
        for t in self.transitions:
            for end in (t.source, t.dest):
                if end not in self.states:
                    raise ValueError(f"flow {self.name}: transition to/from unknown state {end}")
            source = self.states[t.source]
            if source.is_terminal:
                raise ValueError(f"flow {self.name}: terminal state {t.source} has a transition")
            if t.trigger == INPUTS and not source.inputs:
                raise ValueError(f"flow {self.name}: {t.source} takes no inputs")
            if t.trigger != INPUTS and t.trigger not in {e.ident for e in source.events}:
                raise ValueError(f"flow {self.name}: {t.source} has no event {t.trigger}")
            for name in (*t.conditions, *t.unless):
                if name not in self.conditions:
                    raise ValueError(f"flow {self.name}: unknown condition {name}")
        for state in self.states.values():
            triggers = ([INPUTS] if state.inputs else []) + [e.ident for e in state.events]
            if not state.is_terminal and not triggers:
                raise ValueError(f"flow {self.name}: {state.ident} is a dead end")
            for spec in state.inputs:
                if spec.options and spec.options_source:
                    raise ValueError(f"flow {self.name}: {spec.ident} has both options and an options_source")
            for trigger in triggers:
                if not self.transitions_from(state.ident, trigger):
                    raise ValueError(f"flow {self.name}: {state.ident} has no transition on {trigger}")
