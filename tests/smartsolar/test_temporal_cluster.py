"""Connecting to a remote Temporal cluster: TLS (CA, client certificate and key) and API keys; the
embedded dev server stays on loopback."""

from __future__ import annotations

import pytest
from temporalio.service import TLSConfig

from clients.temporal import cluster_options
from core.settings import InsecureSettings, Settings
from smartsolar.run import temporal_dev_server_command


def test_the_embedded_dev_server_needs_no_tls_and_listens_on_loopback_only():
    settings = Settings()
    assert cluster_options(settings) == {}
    cmd = temporal_dev_server_command(settings)
    assert cmd[cmd.index("--ip") + 1] == "127.0.0.1"
    assert "--ui-ip" not in cmd or cmd[cmd.index("--ui-ip") + 1] == "127.0.0.1"


def test_mutual_tls_reads_the_ca_certificate_and_key(tmp_path):
    for name in ("ca.pem", "client.pem", "client.key"):
        (tmp_path / name).write_bytes(f"-- {name} --".encode())
    settings = Settings(
        temporal_address="smartsolar.a1b2c.tmprl.cloud:7233",
        temporal_tls_ca_file=str(tmp_path / "ca.pem"),
        temporal_tls_cert_file=str(tmp_path / "client.pem"),
        temporal_tls_key_file=str(tmp_path / "client.key"),
        temporal_tls_server_name="temporal.internal",
    )
    options = cluster_options(settings)
    assert options["tls"] == TLSConfig(
        server_root_ca_cert=b"-- ca.pem --",
        client_cert=b"-- client.pem --",
        client_private_key=b"-- client.key --",
        domain="temporal.internal",
    )
    assert options["api_key"] is None


def test_an_api_key_is_only_sent_over_tls():
    options = cluster_options(Settings(temporal_address="x.tmprl.cloud:7233", temporal_api_key="k"))
    assert options["api_key"] == "k" and isinstance(options["tls"], TLSConfig)
    plain = cluster_options(Settings(temporal_address="temporal:7233", temporal_tls=True))
    assert plain["tls"] == TLSConfig() and plain["api_key"] is None


def test_a_client_certificate_needs_its_key(tmp_path):
    (tmp_path / "client.pem").write_text("cert")
    with pytest.raises(InsecureSettings):
        cluster_options(Settings(temporal_tls_cert_file=str(tmp_path / "client.pem")))
