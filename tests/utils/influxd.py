"""A throw-away InfluxDB 1.x (Debian's `influxdb` package) on private ports, for the telemetry tests and
the telemetry bench. Installs the package when `influxd` is missing (as root, under the shared apt lock)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

CONFIG = """\
reporting-disabled = true
bind-address = "127.0.0.1:{rpc_port}"
[meta]
  dir = "{root}/meta"
  logging-enabled = false
[data]
  dir = "{root}/data"
  wal-dir = "{root}/wal"
  query-log-enabled = false
  wal-fsync-delay = "100ms"
[monitor]
  store-enabled = false
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
[retention]
  enabled = false
[shard-precreation]
  enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:{http_port}"
  auth-enabled = false
  log-enabled = false
  pprof-enabled = false
[logging]
  level = "warn"
  suppress-logo = true
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def influxd_binary() -> str:
    found = shutil.which("influxd")
    if found:
        return found
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    install = ["flock", "/tmp/apt.lock", "apt-get", "install", "-y", "-q", "influxdb"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["flock", "/tmp/apt.lock", "apt-get", "update", "-q"], env=env, capture_output=True)
        done = subprocess.run(install, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"could not install influxdb (root needed): {done.stderr[-500:]}")
    found = shutil.which("influxd") or "/usr/bin/influxd"
    if not Path(found).exists():
        raise RuntimeError("influxdb installed but no influxd binary")
    return found


@contextmanager
def running_influxd(root: Path) -> Iterator[str]:
    """Start influxd with its data and meta under `root`; yield its URL; stop it at the end."""
    http_port, rpc_port = free_port(), free_port()
    config = root / "influxdb.conf"
    config.write_text(CONFIG.format(root=root, http_port=http_port, rpc_port=rpc_port))
    log = (root / "influxd.log").open("wb")
    process = subprocess.Popen(
        [influxd_binary(), "-config", str(config)], stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/ping", timeout=1).status_code == 204:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"influxd did not start: {(root / 'influxd.log').read_text()[-1000:]}")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
