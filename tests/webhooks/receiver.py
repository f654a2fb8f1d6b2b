"""A real webhook receiver on loopback that checks every request the way the doc tells subscribers to.

`doc_signature_is_valid` is the doc's "Authenticating BBOXX Notifications" code, ported to Python 3
line by line (payload + url, HMAC-SHA1 with the key, base64 without the newline).
"""

from __future__ import annotations

import base64
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import sha1, sha256
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REPLAY_TOLERANCE_SECONDS = 300


def doc_signature_is_valid(payload: bytes, url: str, key: str, header: str) -> bool:
    # The string is the json-dumped payload with the url appended
    raw = payload + url.encode("utf-8")
    # Get the hash using HMAC-SHA1
    hashed = hmac.new(key.encode("utf-8"), raw, sha1)
    # Get the signature (Python 2's .encode("base64") is base64.encodebytes)
    signature = base64.encodebytes(hashed.digest()).decode("ascii").rstrip("\n")
    # Compare to the signature in the request headers
    return signature == header


def signature_256_is_valid(payload: bytes, key: str, header: str, now: float) -> bool:
    """`t=<unix>,v1=<hex>`: HMAC-SHA256 over "<t>." + body, and not older than the replay tolerance."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    expected = hmac.new(key.encode("utf-8"), f"{timestamp}.".encode("ascii") + payload, sha256).hexdigest()
    fresh = abs(now - timestamp) <= REPLAY_TOLERANCE_SECONDS
    return hmac.compare_digest(expected, fields.get("v1", "")) and fresh


@dataclass
class Received:
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    status: int  # what the receiver answered
    doc_signature_ok: bool
    signature_256_ok: bool

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    @property
    def delivery_id(self) -> str:
        return self.headers["x-bboxx-delivery"]


class WebhookReceiver:
    """Answers 200 to authentic requests, 401 to forged ones, or whatever `respond` says (e.g. 500: down)."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}  # url -> the key the subscribe response gave
        self.received: list[Received] = []
        self.respond: Callable[[int], int] = lambda _n: 200  # request number (1-based) -> status
        self.host_name = "127.0.0.1"  # how urls name this receiver (e.g. "localhost")
        self.answer_body = b""  # what every answer carries (a leak test puts something in it)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        port = self._server.server_address[1]
        return f"http://{self.host_name}:{port}{path}"

    def accepted(self, path: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self.received if 200 <= r.status < 300 and (path is None or r.path == path)]

    def all(self, path: str | None = None) -> list[Received]:
        with self._lock:
            return [r for r in self.received if path is None or r.path == path]

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> int:
        key = self.keys.get(self.url(path))
        doc_ok = key is not None and doc_signature_is_valid(
            body, self.url(path), key, headers.get("x-bboxx-signature", "")
        )
        sig256_ok = key is not None and signature_256_is_valid(
            body, key, headers.get("x-bboxx-signature-256", ""), time.time()
        )
        with self._lock:
            number = len(self.received) + 1
            status = self.respond(number) if doc_ok and sig256_ok else 401
            self.received.append(Received(path, headers, body, status, doc_ok, sig256_ok))
        return status

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver._handle(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                self.send_response(status)
                self.send_header("Content-Length", str(len(receiver.answer_body)))
                self.end_headers()
                self.wfile.write(receiver.answer_body)

            def log_message(self, *_args) -> None:  # keep test output quiet
                pass

        return Handler
