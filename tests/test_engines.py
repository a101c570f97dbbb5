"""The engine contract, over raw sockets on 127.0.0.1: each test runs on httpx and on aiohttp.

A scripted HTTP/1.1 server records every request as it arrived and answers
as the test says: normally, not at all, by hanging up, half a body, or by
closing a kept-alive connection under the next request. Whatever the engine,
the same bytes leave, a call that may act twice is sent once, and a failure
is named by whether the request may have reached the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import anyio
import attrs
import pytest

import wolkvox_async as wv
from wolkvox_async.testing import _multipart

pytestmark = pytest.mark.timeout(30)

DROP = b""
"""Close the connection without answering."""
HANG = None
"""Never answer (until the client gives up)."""


class Closing(bytes):
    """Write this answer, then close the connection."""


@attrs.frozen
class Received:
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str]
    body: bytes
    on_connection: int
    """1 for a connection's first request, 2 for the next one it carried, ..."""


Script = Callable[[Received], bytes | None]


def answer(
    status: int = 200, body: Any = None, *, headers: tuple[str, ...] = (), length: int | None = None
) -> bytes:
    content = json.dumps(body if body is not None else {"code": 200, "msg": "ok", "data": []}).encode()
    head = [
        f"HTTP/1.1 {status} X",
        "content-type: application/json",
        f"content-length: {len(content) if length is None else length}",
        *headers,
    ]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + content


DIAL_OK = answer(
    body={"code": "200", "error": None, "msg": "Dial has been successful", "data": {"conn_id": "c-1"}}
)


class Wire:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.received: list[Received] = []
        self.url = ""

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        count = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, *fields = head.decode("latin-1").split("\r\n")
                method, target, _ = line.split(" ", 2)
                headers = {
                    k.strip().lower(): v.strip() for k, v in (f.split(":", 1) for f in fields if ":" in f)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                count += 1
                parts = urlsplit(target)
                seen = Received(
                    method,
                    parts.path,
                    tuple(parse_qsl(parts.query, keep_blank_values=True)),
                    headers,
                    body,
                    count,
                )
                self.received.append(seen)
                reply = self.script(seen)
                if reply is HANG:
                    await reader.read()
                    return
                if reply == DROP:
                    return
                writer.write(reply)
                await writer.drain()
                if isinstance(reply, Closing):
                    return
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()


@contextlib.asynccontextmanager
async def wire(script: Script) -> AsyncIterator[Wire]:
    server_side = Wire(script)
    server = await asyncio.start_server(server_side._serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server_side.url = f"http://127.0.0.1:{port}"
    try:
        yield server_side
    finally:
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 1)


def client(url: str, engine: str, token: str, **options: Any) -> wv.Client:
    return wv.Client("0032", token, base_url=url, engine=engine, **options)  # type: ignore[arg-type]


async def free_port() -> int:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port: int = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    return port


# -- the same bytes leave, whatever the engine ---------------------------------------------------------


def _calls(c: wv.Client) -> list[Callable[[], Any]]:
    return [
        lambda: c.dial("1001", "300 123 4567", customer_name="Ñoño & Co"),
        lambda: c.list_agents(),
        lambda: c.create_agent(dni="1020", name="Ana Ruiz", sso="ana@corp.co"),
        lambda: c.campaign.codify(
            type_campaign="preview", campaign_id="7", cod_act="021", comment="ok", customer_id="2"
        ),
        lambda: c.listenvox.upload(
            agent_id="1001", data=("call.wav", b"RIFF\x00\xff"), type_call="inbound", id_campana="9"
        ),
    ]


def _as_seen(received: Received) -> dict[str, Any]:
    """What the server can tell of a request: everything but framing, boundaries and library names."""
    content_type = received.headers.get("content-type", "")
    body: Any = received.body
    if (edge := _multipart.boundary(content_type)) is not None:
        parts = _multipart.parse(received.body, edge)
        assert parts is not None
        body = sorted(parts)
        content_type = "multipart/form-data"
    elif content_type == "application/json":
        body = json.loads(received.body)
    return {
        "method": received.method,
        "path": received.path,
        "query": received.query,
        "content_type": content_type,
        "headers": {
            k: received.headers.get(k) for k in ("wolkvox-token", "wolkvox_server", "accept-encoding")
        },
        "body": body,
        "user_agent": received.headers.get("user-agent", "").split("/")[0],
        "cookie": received.headers.get("cookie"),
    }


@pytest.mark.asyncio
async def test_both_engines_send_the_same_requests(token: str) -> None:
    seen: dict[str, list[dict[str, Any]]] = {}
    for engine in ("httpx", "aiohttp"):
        async with wire(lambda r: answer(headers=("set-cookie: session=abc",))) as server:
            async with client(server.url, engine, token, max_retries=0) as c:
                for call in _calls(c):
                    with contextlib.suppress(wv.WolkvoxError):  # the answers are not each operation's shape
                        await call()
            seen[engine] = [_as_seen(r) for r in server.received]
    assert len(seen["httpx"]) == len(_calls(client("http://x", "httpx", token)))
    assert seen["httpx"] == seen["aiohttp"]
    assert all(s["cookie"] is None for s in seen["aiohttp"]), "no cookie kept from an answer"
    assert {s["user_agent"] for s in seen["httpx"]} == {"wolkvox-async"}


@pytest.mark.asyncio
async def test_an_answer_arrives_whole_and_gzip_is_decoded(engine: str, token: str) -> None:
    import gzip

    envelope = {"code": "200", "error": None, "msg": "Dial has been successful", "data": {"conn_id": "c-9"}}
    content = gzip.compress(json.dumps(envelope).encode())
    reply = (
        f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\n"
        f"content-length: {len(content)}\r\n\r\n"
    ).encode() + content
    async with wire(lambda r: reply) as server, client(server.url, engine, token) as c:
        for _ in range(3):  # on one kept-alive connection
            assert (await c.dial("1001", "3001234567")).conn_id == "c-9"
    assert [r.on_connection for r in server.received] == [1, 2, 3]


# -- failures, named by whether the request may have left ---------------------------------------------------


@pytest.mark.asyncio
async def test_a_connection_never_made_never_reached_the_server(engine: str, token: str) -> None:
    url = f"http://127.0.0.1:{await free_port()}"
    async with client(url, engine, token, max_retries=0) as c:
        with pytest.raises(wv.TransportError) as caught:
            await c.dial("1001", "3001234567")
    assert type(caught.value) is wv.TransportError
    assert caught.value.may_have_reached_server is False


@pytest.mark.asyncio
async def test_a_lost_answer_to_a_dial_is_unknown_and_it_is_sent_once(engine: str, token: str) -> None:
    async with wire(lambda r: DROP) as server, client(server.url, engine, token, max_retries=3) as c:
        with pytest.raises(wv.OutcomeUnknownError):
            await c.dial("1001", "3001234567")
    assert len(server.received) == 1


@pytest.mark.asyncio
async def test_a_lost_answer_to_a_lookup_is_retried(engine: str, token: str) -> None:
    async with wire(lambda r: DROP) as server, client(server.url, engine, token, max_retries=2) as c:
        with pytest.raises(wv.TransportError) as caught:
            await c.list_agents()
    assert caught.value.may_have_reached_server is True
    assert len(server.received) == 3


@pytest.mark.asyncio
@pytest.mark.parametrize("operation", ["dial", "codify"])
async def test_a_kept_alive_connection_closed_under_a_request_is_not_sent_again_behind_the_library(
    engine: str, token: str, operation: str
) -> None:
    """aiohttp would re-send a PUT on its own (campaign.codify, which must not run twice)."""

    def script(received: Received) -> bytes | None:
        return DIAL_OK if received.on_connection == 1 else DROP

    async with wire(script) as server, client(server.url, engine, token, max_retries=3) as c:
        await c.dial("1001", "3001234567")
        again = (
            c.dial("1001", "3001234567")
            if operation == "dial"
            else c.campaign.codify(
                type_campaign="preview", campaign_id="7", cod_act="021", comment="ok", customer_id="2"
            )
        )
        with pytest.raises(wv.OutcomeUnknownError):
            await again
    assert len(server.received) == 2, [r.path for r in server.received]


@pytest.mark.asyncio
async def test_no_answer_in_time_is_a_timeout_that_reached_the_server(engine: str, token: str) -> None:
    async with (
        wire(lambda r: HANG) as server,
        client(server.url, engine, token, timeout=0.3, max_retries=0) as c,
    ):
        with pytest.raises(wv.RequestTimeoutError) as caught:
            await c.list_agents()
        with pytest.raises(wv.OutcomeUnknownError):
            await c.dial("1001", "3001234567")
    assert caught.value.may_have_reached_server is True
    assert len(server.received) == 2


@pytest.mark.asyncio
async def test_half_a_body_is_a_lost_answer(engine: str, token: str) -> None:
    cut = Closing(answer(body={"code": "200", "msg": "x" * 200}, length=400))
    async with wire(lambda r: cut) as server, client(server.url, engine, token, max_retries=0) as c:
        with pytest.raises(wv.OutcomeUnknownError):
            await c.dial("1001", "3001234567")
        with pytest.raises(wv.TransportError):
            await c.list_agents()
    assert len(server.received) == 2


@pytest.mark.asyncio
async def test_slots_are_given_back_after_every_failure(engine: str, token: str) -> None:
    from helpers import scheduler_of

    async with wire(lambda r: DROP) as server, client(server.url, engine, token, max_retries=0) as c:
        for _ in range(5):
            with pytest.raises(wv.WolkvoxError):
                await c.dial("1001", "3001234567")
        assert scheduler_of(c).in_flight == 0
    assert len(server.received) == 5


# -- lifecycle ---------------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_closed_client_sends_nothing(engine: str, token: str) -> None:
    async with wire(lambda r: DIAL_OK) as server:
        c = client(server.url, engine, token)
        await c.dial("1001", "3001234567")
        await c.aclose()
        await c.aclose()
        with pytest.raises(wv.ClientClosedError):
            await c.dial("1001", "3001234567")
    assert len(server.received) == 1


def test_the_aiohttp_engine_refuses_trio_before_sending(token: str) -> None:
    pytest.importorskip("trio")

    async def main() -> None:
        async with client("http://127.0.0.1:9", "aiohttp", token) as c:
            with pytest.raises(wv.UsageError, match="asyncio only"):
                await c.list_agents()

    anyio.run(main, backend="trio")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"engine": "curl"}, "engine must be"),
        ({"engine": "aiohttp", "http_client": "http"}, "needs engine='httpx'"),
        ({"ssl_context": "yes"}, "ssl_context must be"),
    ],
)
@pytest.mark.asyncio
async def test_engine_options_are_checked_before_anything_runs(
    token: str, options: dict[str, Any], message: str
) -> None:
    import httpx

    if options.get("http_client") == "http":
        options["http_client"] = httpx.AsyncClient()
    with pytest.raises(wv.InvalidArgumentError, match=message):
        wv.Client("0032", token, **options)


@pytest.mark.asyncio
async def test_clients_share_one_ssl_context_unless_given_one(token: str) -> None:
    import ssl

    from wolkvox_async._engine import shared_ssl_context

    own = ssl.create_default_context()
    first, second = wv.Client("0032", token), wv.Client("0032", token)
    mine = wv.Client("0032", token, ssl_context=own)
    engines = [c._transport._engine for c in (first, second, mine)]
    assert all(e._transport is None for e in engines), "nothing is built before the first call"  # type: ignore[attr-defined]
    pools = [e._open()._pool for e in engines]  # type: ignore[attr-defined]
    assert pools[0]._ssl_context is pools[1]._ssl_context is shared_ssl_context()
    assert pools[2]._ssl_context is own
    for c in (first, second, mine):
        await c.aclose()


@pytest.mark.asyncio
async def test_a_proxy_named_by_the_environment_carries_the_requests(
    engine: str, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    async with wire(lambda r: DIAL_OK) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        async with client("http://wv0032.example.invalid", engine, token) as c:
            await c.dial("1001", "3001234567")
        monkeypatch.setenv("NO_PROXY", "example.invalid")
        async with client("http://wv0032.example.invalid", engine, token, max_retries=0) as c:
            with pytest.raises(wv.TransportError) as caught:
                await c.dial("1001", "3001234567")
    assert caught.value.may_have_reached_server is False, "no proxy: the name does not resolve"
    [through] = proxy.received
    assert through.headers["host"] == "wv0032.example.invalid"
    assert through.path == "/api/v2/agentbox.php"


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"headers": {"x-team": "ops", "user-agent": "theirs/1"}, "timeout": 7.0},
        {"cookies": {"session": "abc"}},
        {"params": {"trace": "1"}},
    ],
)
@pytest.mark.parametrize("json_body", [None, {"dni": "1020", "name": "Ñoño"}])
def test_a_users_http_client_gets_the_request_its_build_request_would_make(
    options: dict[str, Any], json_body: Any
) -> None:
    """The lean path skips ``build_request`` only where nothing but headers merge, and then matches it."""
    import httpx

    from wolkvox_async._httpx_engine import HttpxClientEngine
    from wolkvox_async._protocol import Request
    from wolkvox_async._spec import operation

    http = httpx.AsyncClient(**options)
    request = Request(
        operation("create_agent"),
        "POST",
        "https://wv0032.wolkvox.com/api/v2/configuration.php",
        (("api", "create_agent"), ("note", "a b&c")),
        (("wolkvox-token", "t"), ("wolkvox_server", "0032"), ("accept-encoding", "gzip, deflate")),
        json_body,
    )
    ours = HttpxClientEngine(http, None).prepare(request)
    theirs = http.build_request(
        request.method,
        request.url,
        params=request.params,
        headers=request.headers,
        json=request.json,
        timeout=httpx.USE_CLIENT_DEFAULT,
    )
    assert (ours.method, ours.url) == (theirs.method, theirs.url)
    assert sorted(ours.headers.multi_items()) == sorted(theirs.headers.multi_items())
    assert ours.content == theirs.content
    assert ours.extensions == theirs.extensions
