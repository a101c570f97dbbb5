"""The ASGI plumbing and the wolkvox answer envelope, shared by the emulator and its faults."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

JSON = b"application/json; charset=utf-8"
HTML = b"text/html; charset=UTF-8"

_encode = json.JSONEncoder(separators=(",", ":")).encode


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    content_type: bytes = JSON
    headers: tuple[tuple[bytes, bytes], ...] = ()

    def start(self) -> Message:
        headers = [(b"content-type", self.content_type), (b"content-length", b"%d" % len(self.body))]
        return {"type": "http.response.start", "status": self.status, "headers": headers + list(self.headers)}

    async def send(self, send: Send) -> None:
        await send(self.start())
        await send({"type": "http.response.body", "body": self.body})


@dataclass(frozen=True, slots=True)
class Streamed:
    """An answer whose body is made chunk by chunk while it is sent, so a large one is never held whole.

    Without a length, uvicorn frames it in chunks; each part goes out as an
    ASGI ``more_body`` message.
    """

    status: int
    chunks: Callable[[], Iterator[bytes]]
    content_type: bytes = JSON

    def start(self) -> Message:
        return {
            "type": "http.response.start",
            "status": self.status,
            "headers": [(b"content-type", self.content_type)],
        }

    async def send(self, send: Send) -> None:
        await send(self.start())
        for chunk in self.chunks():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})


Answer = Response | Streamed


def json_response(status: int, payload: object, headers: tuple[tuple[bytes, bytes], ...] = ()) -> Response:
    """Encode compactly and ASCII-escaped, as PHP's json_encode does."""
    return Response(status, _encode(payload).encode("ascii"), JSON, headers)


def envelope(code: int | str, error: str | None, msg: str, **data: object) -> dict[str, object]:
    return {"code": code, "error": error, "msg": msg, **data}


def html_page(status: int, title: str) -> Response:
    body = f"<!DOCTYPE html>\n<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>\n"
    return Response(status, body.encode(), HTML)


async def read_body(receive: Receive) -> bytes:
    chunks = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


async def serve_lifespan(receive: Receive, send: Send) -> None:
    """Accept a server's lifespan protocol; the emulator needs no start-up or shutdown."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
