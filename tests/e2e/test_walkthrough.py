"""README's "From an empty database to a repaired unit", run as written (bash, curl, jq) against
`smartsolar run` on free ports with an empty database."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from core.settings import ROOT
from tests.e2e.conftest import ADMIN, free_port

HEADING = "## From an empty database to a repaired unit"


def walkthrough() -> str:
    readme = (ROOT / "README.md").read_text()
    section = readme.split(HEADING, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(blocks) == 1, "the walkthrough is one sh block"
    return blocks[0]


@pytest.mark.skipif(
    not (shutil.which("curl") and shutil.which("jq")), reason="the walkthrough uses curl and jq"
)
def test_the_readme_walkthrough_repairs_a_unit_from_an_empty_database(smartsolar_run, tmp_path):
    proc, ports, banner, var_dir, _output = smartsolar_run
    assert proc.poll() is None, banner
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTSOLAR_")} | {
        "API": f"http://127.0.0.1:{ports['api']}/v1",
        "TEMPORAL": f"127.0.0.1:{ports['temporal']}",
        "SIM_PORT": str(free_port()),
        "ADMIN_USER": ADMIN[0],
        "ADMIN_PASSWORD": ADMIN[1],
        "SMARTSOLAR_VAR_DIR": str(var_dir),  # `smartsolar users add` writes to the stack's database
        "TMPDIR": str(tmp_path),
    }
    script = "set -euo pipefail\n" + walkthrough()
    done = subprocess.run(
        ["timeout", "240", "bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    out = done.stdout
    unit_log = tmp_path / "smartsolar-walkthrough-unit.log"
    assert done.returncode == 0, f"{out}\n{done.stderr}\n{unit_log.read_text() if unit_log.exists() else ''}"
    lines = out.splitlines()
    assert lines[0] == "new pcb part and sim successfully created"
    assert re.fullmatch(r"Home2Product: HB\d{6}-\d{6}-[0-9A-Z] - \(010101234560005\) created\.", lines[1])
    assert lines[2] == '{"010101234560005":["SunCo Kenya"]}'
    assert "Product state changed" in lines and "Product enabled" in lines and "enabled" in lines
    # Each repair step's next screen, in French, to the end.
    assert "Test de diagnostic USB" in lines and "Inspection visuelle" in lines
    assert lines.index("Remis à neuf") > lines.index("Inspection visuelle")
    assert '{"prev_state_type":8,"current_state_type":5}' in lines
    # The unit's workflows, found by ProductImei as in the Temporal UI.
    assert "DeviceWorkflow" in out and "RepairWorkflow" in out
