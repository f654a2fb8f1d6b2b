"""Subscriber keys: derived from a stored salt and the server secret, never stored themselves."""

from __future__ import annotations

import stat

from core.settings import get_settings
from domain.webhooks import keys


def test_the_key_is_24_characters_stable_per_salt_and_secret(monkeypatch):
    salt = keys.new_key_salt()
    assert len(salt) == 24 and salt != keys.new_key_salt()
    key = keys.subscriber_key(salt)
    assert len(key) == 24 and key == keys.subscriber_key(salt) and key != salt
    assert key != keys.subscriber_key(keys.new_key_salt())
    monkeypatch.setattr(get_settings(), "secret_key", "another server secret")
    assert keys.subscriber_key(salt) != key  # a database dump without the secret reveals no key


def test_without_a_configured_secret_one_is_generated_once_and_kept_private(monkeypatch, tmp_path):
    settings = get_settings()
    monkeypatch.setattr(settings, "secret_key", "")
    monkeypatch.setattr(settings, "var_dir", tmp_path / "var")
    first = keys.server_secret()
    assert len(first) >= 48 and keys.server_secret() == first
    path = tmp_path / "var" / "secret_key"
    assert path.read_text().encode() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]  # no draft left behind


def test_signatures_are_the_docs_and_a_timestamped_sha256():
    body, url = b'{"channel":"dcm"}', "http://example_domain/example_endpoint"
    signature = keys.doc_signature("VERY-SECRET-KEY", body, url)
    assert signature != keys.doc_signature("VERY-SECRET-KEY", body, url + "/")  # the exact url is signed
    assert len(signature) == 28  # base64 of a 20-byte SHA-1
    stamped = keys.timestamped_signature("VERY-SECRET-KEY", body, 1_700_000_000)
    assert stamped.startswith("t=1700000000,v1=") and len(stamped.split("v1=")[1]) == 64
