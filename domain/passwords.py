"""Slow password hashing (scrypt, from the standard library) and token hashing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string

TOKEN_ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 64


def hash_password(password: str, cost: int) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=cost, r=8, p=1, maxmem=128 * 1024 * 1024)
    return f"scrypt${cost}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, cost, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(), salt=_unb64(salt), n=int(cost), r=8, p=1, maxmem=128 * 1024 * 1024
    )
    return hmac.compare_digest(candidate, _unb64(digest))


def new_token() -> str:
    """The doc's token: a random 64-character string."""
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


def hash_token(token: str) -> str:
    # Tokens are long and random, so a fast hash is enough to make a leaked table useless.
    return hashlib.sha256(token.encode()).hexdigest()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text)
