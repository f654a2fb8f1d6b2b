"""The fleet sweepers' running histories replay on the current code. The histories in
`histories/sweepers/` were recorded from the sweepers as they were when each had its own loop (three rounds,
then continue-as-new), before both moved onto `workflows.rounds.run_rounds`."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from workflows.maintenance import SmsExpirySweeper
from workflows.webhooks import WebhookOutboxSweeper

HISTORIES = sorted((Path(__file__).parent / "histories" / "sweepers").glob("sweeper_v*_*.json"))


def test_both_sweepers_have_a_recorded_history():
    assert {p.stem.split("_")[2] for p in HISTORIES} == {"outbox", "sms"}


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_recorded_sweeper_histories_replay(path: Path):
    replayer = Replayer(
        workflows=[SmsExpirySweeper, WebhookOutboxSweeper], data_converter=pydantic_data_converter
    )
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, result.replay_failure
