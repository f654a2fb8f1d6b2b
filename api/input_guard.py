"""The one gate every request passes before any route: text a client sends is checked here, once.

PostgreSQL cannot store NUL, terminals and logs misread other control characters, and a JSON body nested
hundreds deep costs every later parser a recursion. So before routing, the path, the query string, HTTP
Basic credentials, form fields and JSON bodies are checked for control characters, length and depth, and
anything refused is a 400 in the doc's envelope. A query parameter given twice is refused too: every
parameter of this API is a single value, and silently taking one of two is how clients get surprised.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, unquote

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_PATH_LENGTH = 2048
MAX_QUERY_VALUE_LENGTH = 8192
MAX_FORM_FIELD_LENGTH = 4096
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_JSON_DEPTH = 32
# Parameters that are lists by nature and may be given once per value (`?fields=a&fields=b`).
REPEATABLE_QUERY_PARAMETERS = frozenset({"fields"})

# C0 controls and DEL, but tab, newline and carriage return, which free text (notes, logs) may hold.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters written as JSON escapes (\u0000 ...), when the backslash is not itself escaped.
JSON_CONTROL_ESCAPE = re.compile(rb"(?<!\\)(?:\\\\)*\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])")


class InputRefused(ValueError):
    """What was wrong, and under which name the client sent it (for `validation_errors`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def preview(text: str, limit: int = 40) -> str:
    """A short, escaped prefix of what was sent: enough to recognise it, never the whole of it."""
    shown = text[:limit].encode("unicode_escape").decode("ascii")
    return shown + ("..." if len(text) > limit else "")


def check_text(field: str, value: str, max_length: int) -> None:
    if CONTROL.search(value):
        raise InputRefused(field, f"'{field}' contains a control character: {preview(value)}")
    if len(value) > max_length:
        raise InputRefused(field, f"'{field}' is longer than {max_length} characters")


def check_query(query_string: bytes) -> None:
    seen: set[str] = set()
    try:
        pairs = parse_qsl(query_string.decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise InputRefused("query", "The query string is not valid UTF-8") from None
    for name, value in pairs:
        check_text(name or "query", name, 256)
        check_text(name, value, MAX_QUERY_VALUE_LENGTH)
        if name in seen and name not in REPEATABLE_QUERY_PARAMETERS:
            raise InputRefused(name, f"Query parameter '{preview(name)}' is given more than once")
        seen.add(name)


def check_authorization(header: str) -> None:
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "basic":
        check_text("Authorization", header, 1024)
        return
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise InputRefused("Authorization", "The Basic credentials are not valid base64 UTF-8") from None
    username, _, password = decoded.partition(":")
    check_text("username", username, 255)
    check_text("password", password, 1024)


def json_depth(body: bytes) -> int:
    """How deep the body's arrays and objects nest, counted without parsing (and so without recursion)."""
    if body.count(b"[") + body.count(b"{") <= MAX_JSON_DEPTH:
        return 0  # cannot nest deeper than it has brackets: the common case costs two counts
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def check_json(body: bytes) -> None:
    if json_depth(body) > MAX_JSON_DEPTH:
        raise InputRefused("body", f"The JSON body nests deeper than {MAX_JSON_DEPTH} levels")
    if JSON_CONTROL_ESCAPE.search(body):
        raise InputRefused("body", "The JSON body contains a control character (such as \\u0000)")


def check_form(body: bytes) -> None:
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise InputRefused("body", "The form body is not valid UTF-8") from None
    for name, value in pairs:
        check_text(name or "body", name, 256)
        check_text(name, value, MAX_FORM_FIELD_LENGTH)


def refusal(field: str, message: str, status_code: int = 400) -> tuple[int, bytes]:
    body = {
        "status": "validation-error",
        "message": message,
        "validation_errors": {field: message},
        "data": {},
    }
    return status_code, json.dumps(body).encode()


class InputGuard:
    """ASGI middleware: refuses bad text before routing; passes the (already read) body on unchanged."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            self._check_head(scope)
            body_kind = self._body_kind(scope)
            if body_kind is not None:
                body, receive = await self._read_body(receive)
                if body_kind == "json":
                    check_json(body)
                else:
                    check_form(body)
        except InputRefused as refused:
            await self._refuse(send, *refusal(refused.field, refused.message))
            return
        except _BodyTooLarge:
            await self._refuse(send, *refusal("body", f"The body is larger than {MAX_BODY_BYTES} bytes", 413))
            return
        await self.app(scope, receive, send)

    @staticmethod
    def _check_head(scope: Scope) -> None:
        raw_path = scope.get("raw_path") or scope["path"].encode()
        path = unquote(raw_path.decode("latin-1"), errors="replace")
        check_text("path", path, MAX_PATH_LENGTH)
        if scope.get("query_string"):
            check_query(scope["query_string"])
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                check_authorization(value.decode("latin-1"))

    @staticmethod
    def _body_kind(scope: Scope) -> str | None:
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return None
        for name, value in scope.get("headers", ()):
            if name == b"content-type":
                kind = value.split(b";", 1)[0].strip().lower()
                if kind == b"application/json" or kind.endswith(b"+json"):
                    return "json"
                if kind == b"application/x-www-form-urlencoded":
                    return "form"
                return None
        # FastAPI refuses a body without a content type, except on routers declared with
        # `strict_content_type=False` (repair actions, fleet views: clients that omit it), which read it as JSON.
        return "json"

    @staticmethod
    async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise _BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return body, replay

    @staticmethod
    async def _refuse(send: Send, status_code: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status_code,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass
