"""`make bench`: every bench in bench/, one after the other, each against its raw baseline in its own run;
one table (figure, baseline, ratio, goal, met?) at the end, and bench/results.json.

    .venv/bin/python -m bench.all [--only device,repair] [--quick]

Each bench runs as its own process (its own throw-away database, dev server, API and worker) with the
sizes below; `--quick` makes every one small (a smoke run: the figures then say little).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import RESULTS_ENV

HERE = Path(__file__).resolve().parent
# name -> (arguments of a full run, arguments of a quick one). rtc is run when bench/rtc.py exists.
BENCHES: dict[str, tuple[list[str], list[str]]] = {
    "device": (["--units", "300", "--concurrency", "16"], ["--units", "40", "--concurrency", "8"]),
    "unit_connection": (["--requests", "3000"], ["--requests", "300"]),
    "repair": (["--queries", "300", "--repairs", "60"], ["--queries", "40", "--repairs", "6"]),
    "dcm": (["--units", "300", "--concurrency", "16"], ["--units", "40", "--concurrency", "8"]),
    "table_api": (["--products", "100000", "--requests", "200"], ["--products", "5000", "--requests", "30"]),
    "telemetry": ([], ["--requests", "5", "--queries", "5"]),
    "fleet_views": (["--units", "100000", "--requests", "50"], ["--units", "5000", "--requests", "10"]),
    "rtc": ([], []),
}


SLOW_TASK = "Workflow task duration exceeded"  # the worker's warning for a workflow task over 5 s


def run(name: str, args: list[str], results: Path) -> tuple[int, float, int]:
    """Run one bench, echoing its output; its exit code, wall time and the slow workflow task warnings."""
    started = time.monotonic()
    print(f"\n=== bench.{name} {' '.join(args)}", flush=True)
    env = os.environ | {RESULTS_ENV: str(results)}
    command = [sys.executable, "-m", f"bench.{name}", *args]
    slow = 0
    with subprocess.Popen(
        command, env=env, cwd=HERE.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as proc:
        for line in proc.stdout:
            slow += SLOW_TASK in line
            print(line, end="", flush=True)
    return proc.returncode, time.monotonic() - started, slow


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    text = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def table(rows: list[dict]) -> str:
    head = ["bench", "figure", "value", "baseline", "ratio", "goal", "met?"]
    lines = [head]
    for r in rows:
        met = {True: "yes", False: "NO", None: "-"}[r["met"]]
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "-"
        value, baseline = fmt(r["value"], r["unit"]), fmt(r["baseline"], r["unit"])
        lines.append([r["bench"], r["figure"], value, baseline, ratio, r["goal"], met])
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) + " |"
        for line in lines
    ]
    out.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default="", help="comma-separated bench names (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    args = parser.parse_args()
    names = [n for n in BENCHES if (HERE / f"{n}.py").exists()]
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    rows: list[dict] = []
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            results = Path(tmp) / f"{name}.jsonl"
            code, seconds, slow = run(name, BENCHES[name][1 if args.quick else 0], results)
            runs[name] = {"exit_code": code, "seconds": round(seconds, 1), "slow_workflow_tasks": slow}
            if results.exists():
                rows.extend(json.loads(line) for line in results.read_text().splitlines())
            rows.append(
                {"bench": name, "figure": "'Workflow task duration exceeded' warnings", "value": slow}
                | {"baseline": None, "ratio": None, "goal": "0", "met": slow == 0, "unit": ""}
            )
            if code != 0:
                rows.append(
                    {"bench": name, "figure": f"FAILED (exit {code})", "value": None, "baseline": None}
                    | {"ratio": None, "goal": "", "met": False, "unit": ""}
                )
    print("\n" + table(rows))
    load = os.getloadavg()
    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_end": [round(x, 2) for x in load],
    }
    report = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "quick": args.quick, "machine": machine}
    report |= {"runs": runs, "figures": rows}
    (HERE / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{sum(r['met'] is True for r in rows)}/{len(rows)} goals met; bench/results.json written")
    return 0 if all(run["exit_code"] == 0 for run in runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
