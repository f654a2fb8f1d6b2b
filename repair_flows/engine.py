"""The engine: a flow's transitions run on the `transitions` library, one decision at a time.

Pure and deterministic (no I/O, no clock, no randomness), so it runs inside the Temporal workflow.
Conditions are referred to by name, as `transitions` resolves them on its model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from transitions import Machine, MachineError

from repair_flows.spec import Flow, TransitionSpec

# Prefix of the model attributes conditions are bound to, so no flow's condition name can shadow
# what `transitions` itself puts on the model (`state`, `trigger`, `is_<state>`, `may_<trigger>`).
CONDITION_PREFIX = "condition_"


class _Decision:
    """The `transitions` model: the values a decision is made on, and the transition it took."""

    def __init__(self, flow: Flow) -> None:
        self.values: Mapping[str, Any] = {}
        self.config: Mapping[str, Any] = {}
        self.taken: int | None = None
        for name, condition in flow.conditions.items():
            setattr(self, CONDITION_PREFIX + name, self._bind(condition))

    def _bind(self, condition):
        return lambda _event: bool(condition(self.values, self.config))

    def _took(self, index: int):
        def record(_event) -> None:
            self.taken = index

        return record


class FlowEngine:
    """Decides, for a state, a trigger and the values collected so far, which transition to take."""

    def __init__(self, flow: Flow) -> None:
        self.flow = flow
        self._model = _Decision(flow)
        self._machine = Machine(
            model=self._model,
            states=list(flow.states),
            transitions=[self._declare(i, t) for i, t in enumerate(flow.transitions)],
            initial=flow.initial,
            auto_transitions=False,
            send_event=True,
        )

    def _declare(self, index: int, transition: TransitionSpec) -> dict[str, Any]:
        return {
            "trigger": transition.trigger,
            "source": transition.source,
            "dest": transition.dest,
            "conditions": [CONDITION_PREFIX + name for name in transition.conditions],
            "unless": [CONDITION_PREFIX + name for name in transition.unless],
            "after": [self._model._took(index)],
        }

    def triggers(self, state: str) -> list[str]:
        return self._machine.get_triggers(state)

    def decide(
        self, state: str, trigger: str, values: Mapping[str, Any], config: Mapping[str, Any]
    ) -> TransitionSpec | None:
        """The transition `trigger` takes from `state`, or None when none applies."""
        model = self._model
        model.values, model.config, model.taken = values, config, None
        self._machine.set_state(state)
        try:
            model.trigger(trigger)
        except MachineError:
            return None
        return None if model.taken is None else self.flow.transitions[model.taken]
