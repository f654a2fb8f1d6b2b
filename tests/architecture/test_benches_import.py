"""Benches stay out of `make test`, so one that no longer imports (a helper renamed in another bench) would
only show in `make bench`, half an hour in: every bench module is imported here, in a process of its own
(importing some sets the bench's throw-away database in the environment)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMPORT_ALL = """
import importlib, pkgutil, bench
names = [m.name for m in pkgutil.iter_modules(bench.__path__)]
for name in names:
    importlib.import_module(f"bench.{name}")
print(len(names))
"""


def test_every_bench_module_imports():
    done = subprocess.run([sys.executable, "-c", IMPORT_ALL], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) >= len(list((ROOT / "bench").glob("*.py"))) - 1  # all but __init__
