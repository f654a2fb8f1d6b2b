"""Subscriber keys and the signatures that prove a webhook came from us.

A subscriber's key is never stored: `subscriber.key` holds a random salt, and the key is derived
from it with the server secret (`SMARTSOLAR_SECRET_KEY`). The API derives it once, to show it in the
subscribe response; the delivery activity derives it again to sign. A database dump alone does not
reveal any key, and no endpoint can read one back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from core.settings import get_settings

_KEY_CONTEXT = b"smartsolar/webhook-subscriber-key/v1:"


def new_key_salt() -> str:
    """24 characters, the width of `subscriber.key`."""
    return base64.b64encode(secrets.token_bytes(16)).decode("ascii")


def subscriber_key(salt: str) -> str:
    """The subscriber's secret: 24 base64 characters, like the doc's example key."""
    digest = hmac.new(server_secret(), _KEY_CONTEXT + salt.encode("ascii"), hashlib.sha256).digest()
    return base64.b64encode(digest[:16]).decode("ascii")


def doc_signature(key: str, body: bytes, url: str) -> str:
    """`X-BBOXX-Signature`, as the doc's verification code computes it: base64(HMAC-SHA1(key, body + url))."""
    digest = hmac.new(key.encode("utf-8"), body + url.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def timestamped_signature(key: str, body: bytes, timestamp: int) -> str:
    """`X-BBOXX-Signature-256`: `t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>." + body)>`.

    Beyond the doc: the signed timestamp lets a receiver refuse old (replayed) requests.
    """
    digest = hmac.new(key.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def server_secret() -> bytes:
    settings = get_settings()
    return _server_secret(settings.secret_key, settings.var_dir)


@lru_cache
def _server_secret(configured: str, var_dir: Path) -> bytes:
    if configured:
        return configured.encode("utf-8")
    # One machine, no configuration: a random secret kept next to the SQLite database, readable by us only.
    # Written aside then linked into place, so a racing process reads either nothing or the whole secret.
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        draft = var_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip().encode("utf-8")
