"""A hostile server: an ASGI app that answers as a compromised proxy or a broken server would.

The first segment of the path picks the attack, so a Client aims at one with
``base_url=f"{url}/<attack>"``: its requests arrive as
``/<attack>/api/v2/<script>?api=...``. What the app saw and did is kept in
``Hostile.seen`` (per attack: requests, headers, bytes sent, whether the
client hung up) for the tests to assert on.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import threading
import zlib
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any

import attrs
import uvicorn

from wolkvox_async.testing._server import base_url, bind

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

MiB = 1024 * 1024
PASSWORD = "Zq8#secret"


@attrs.define
class Seen:
    requests: int = 0
    headers: list[dict[str, str]] = attrs.Factory(list)
    bytes_sent: int = 0
    hung_up: bool = False


def gzip_bomb(inflated: int = 1024 * MiB) -> bytes:
    """About 1 MiB of gzip that inflates to ``inflated`` zero bytes."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MiB)
    parts = [squeeze.compress(zeros) for _ in range(inflated // MiB)]
    parts.append(squeeze.flush())
    return b"".join(parts)


def envelope(status: int, msg: str, error: str | None = None, **extra: Any) -> bytes:
    return json.dumps({"code": status, "error": error, "msg": msg, **extra}).encode()


class Hostile:
    def __init__(self, redirect_to: str = "http://127.0.0.1:9") -> None:
        self.redirect_to = redirect_to
        self.seen: dict[str, Seen] = {}
        self._bomb_body: bytes | None = None
        self._lock = threading.Lock()

    def bomb(self) -> bytes:
        with self._lock:
            if self._bomb_body is None:
                self._bomb_body = gzip_bomb()
            return self._bomb_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        attack = scope["path"].strip("/").split("/")[0]
        seen = self.seen.setdefault(attack, Seen())
        seen.requests += 1
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        seen.headers.append(headers)
        token = headers.get("wolkvox-token", "")
        handler = getattr(self, "_" + attack.replace("-", "_"), None)
        if handler is None:
            await _answer(send, 500, b"no such attack")
            return
        await handler(scope, receive, send, seen, token)

    # -- size ------------------------------------------------------------------------------------

    async def _big(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        """300 MB of an agents list that never ends, sent as fast as the client reads."""
        hung_up = asyncio.Event()

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            hung_up.set()

        watcher = asyncio.ensure_future(watch())
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            row = b'{"agent_id": "1001", "agent_name": "' + b"x" * 980 + b'"},'
            chunk = row * 1024
            await send(
                {
                    "type": "http.response.body",
                    "body": b'{"code": "", "msg": "", "data": [',
                    "more_body": True,
                }
            )
            while seen.bytes_sent < 300 * MiB and not hung_up.is_set():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                seen.bytes_sent += len(chunk)
                await asyncio.sleep(0)
            await send({"type": "http.response.body", "body": b"]}"})
        finally:
            await asyncio.sleep(0.05)
            seen.hung_up = hung_up.is_set()
            watcher.cancel()

    async def _declared_big(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        """Says 300 MB are coming; sends a little and waits."""
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-length", str(300 * MiB).encode()),
                    (b"content-type", b"application/json"),
                ],
            }
        )
        await send(
            {"type": "http.response.body", "body": b'{"code": "", "msg": "", "data": [', "more_body": True}
        )
        while (await receive())["type"] != "http.disconnect":
            pass
        seen.hung_up = True

    async def _bomb(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        body = self.bomb()
        seen.bytes_sent = len(body)
        await _answer(send, 200, body, [(b"content-encoding", b"gzip")])

    async def _brotli(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        await _answer(send, 200, b"\x0b\x02\x80{}\x03", [(b"content-encoding", b"br")])

    async def _cut_gzip(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        body = gzip.compress(envelope(200, "ok", data=[{"agent_id": "1"}] * 50))[:-20]
        await _answer(send, 200, body, [(b"content-encoding", b"gzip")])

    async def _trickle(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        """A valid start, then one byte every 50 ms, for ever."""
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        with contextlib.suppress(Exception):
            for _ in range(2000):
                await send({"type": "http.response.body", "body": b" ", "more_body": True})
                seen.bytes_sent += 1
                await asyncio.sleep(0.05)

    # -- where the token goes --------------------------------------------------------------------

    async def _redirect(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        location = f"{self.redirect_to}/stolen/api/v2/information.php?api=agents&leak={token}".encode()
        await _answer(send, 302, b"", [(b"location", location)])

    async def _stolen(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        await _answer(send, 200, envelope(200, "thanks", data=[]))

    # -- echoes of secrets -----------------------------------------------------------------------

    async def _echo(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        """A refusal that repeats the token and any password the request carried."""
        sent = await _body(receive)
        password = str(json.loads(sent).get("agent_pass", "")) if sent else ""
        msg = f"token {token} is not valid for this server: unable to match {token} in the tab; password {password} refused"
        await _answer(
            send, 400, envelope(400, msg, f"BAD {token}", data={"password": password, "token": token})
        )

    async def _echo_html(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        await _answer(send, 502, f"<html><body>upstream said: {token}</body></html>".encode())

    async def _echo_escaped(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        """A 200 that cannot be read, holding the password behind an escaped key, cut short."""
        escaped_token = "".join(f"\\u{ord(c):04x}" for c in token)
        body = f'{{"code": 200, "msg": "{escaped_token}", "data": [{{"pass\\u0077ord": "{PASSWORD}", "agent_id": '
        await _answer(send, 200, body.encode())

    # -- 404s that are not wolkvox's -------------------------------------------------------------

    async def _html404(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        await _answer(send, 404, b"<html><head><title>404 Not Found</title></head><body>nginx</body></html>")

    async def _empty404(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        await _answer(send, 404, b"")

    async def _proxy404(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        await _answer(send, 404, b'{"detail": "Not Found"}')

    async def _wolkvox404(self, scope: Scope, receive: Receive, send: Send, seen: Seen, token: str) -> None:
        await _answer(send, 404, envelope(404, "NO RECORDS WERE FOUND", "NOT FOUND", data=[]))


async def _body(receive: Receive) -> bytes:
    parts = []
    while True:
        message = await receive()
        parts.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(parts)


async def _answer(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-length", str(len(body)).encode()), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": body})


@contextlib.contextmanager
def serve(app: Hostile) -> Iterator[str]:
    """Serve ``app`` on a free 127.0.0.1 port from a thread; yields its URL."""
    sock = bind("127.0.0.1", 0)
    config = uvicorn.Config(
        app, log_level="critical", access_log=False, lifespan="off", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(1000):
            if server.started or not thread.is_alive():
                break
            threading.Event().wait(0.005)
        assert server.started, "the hostile server did not start"
        yield base_url(sock)
    finally:
        server.should_exit = True
        thread.join(5)
        if thread.is_alive():
            server.force_exit = True
            thread.join(5)
        sock.close()
