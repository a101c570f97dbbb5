"""Fuzzing what reads the server's answers: random statuses, headers and bytes.

Every decoder of the specification, the bounded body reader, and the whole
path through the Transport accept only a result or one of the library's
typed errors: never a bare ``KeyError``, ``TypeError`` or httpx exception.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import zlib
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wolkvox_async as wv
from wolkvox_async import _protocol as protocol
from wolkvox_async._body import BadEncoding, BodyReader, TooLarge

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
envelope_keys = st.sampled_from(
    ["code", "error", "msg", "data", "conn_id", "agent_id", "password", "enabled"]
)
envelopes = st.dictionaries(envelope_keys, json_values, max_size=6).map(lambda d: json.dumps(d).encode())
bodies = st.one_of(
    st.binary(max_size=300),
    envelopes,
    envelopes.map(lambda b: b[: len(b) // 2]),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.just(b"<html>404</html>"),
)
statuses = st.one_of(
    st.sampled_from([200, 201, 204, 301, 302, 400, 401, 403, 404, 409, 500, 503]), st.integers(100, 599)
)
header_names = st.sampled_from(["location", "content-type", "retry-after", "content-encoding", "x-anything"])
header_values = st.one_of(
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
    st.sampled_from(["http://[::1", "https://user:pw@elsewhere/x?token=t", "//evil", "gzip", "br", ""]),
)
headers = st.dictionaries(header_names, header_values, max_size=4)


@settings(max_examples=5_000, deadline=None)
@given(operation=st.sampled_from(sorted(protocol.DECODERS)), status=statuses, head=headers, raw=bodies)
def test_every_decoder_answers_with_a_result_or_a_typed_error(
    operation: str, status: int, head: dict[str, str], raw: bytes
) -> None:
    with contextlib.suppress(wv.WolkvoxError):
        protocol.DECODERS[operation](status, httpx.Headers(head), raw)


encodings = st.lists(st.sampled_from(["gzip", "deflate", "identity", "x-gzip", "br", "zstd", ""]), max_size=3)


def _encode(data: bytes, names: list[str]) -> bytes:
    for name in names:
        if name in ("gzip", "x-gzip"):
            data = gzip.compress(data)
        elif name == "deflate":
            data = zlib.compress(data)
    return data


@settings(max_examples=2_000, deadline=None)
@given(
    data=st.binary(max_size=5000),
    names=encodings,
    limit=st.integers(0, 6000),
    cut=st.integers(0, 6000),
    noise=st.booleans(),
    step=st.integers(1, 700),
)
def test_the_body_reader_returns_the_body_or_says_why_not(
    data: bytes, names: list[str], limit: int, cut: int, noise: bool, step: int
) -> None:
    raw = _encode(data, names)
    if noise:
        raw = raw[:cut] + data[:cut]
    try:
        reader = BodyReader(limit, ", ".join(names))
        for start in range(0, len(raw), step):
            reader.feed(raw[start : start + step])
        body = reader.finish()
    except (TooLarge, BadEncoding):
        return
    assert len(body) <= limit
    if not noise and not {"br", "zstd"} & set(names):
        assert body == data


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operation=st.sampled_from(sorted(protocol.DECODERS)),
    status=statuses,
    head=headers,
    raw=bodies,
    compress=st.booleans(),
)
@pytest.mark.asyncio
async def test_the_whole_path_raises_only_library_errors(
    operation: str, status: int, head: dict[str, str], raw: bytes, compress: bool
) -> None:
    if compress:
        raw, head = gzip.compress(raw), {**head, "content-encoding": "gzip"}

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=head, stream=httpx.ByteStream(raw))

    calls: dict[str, Any] = {
        "create_agent": lambda c: c.create_agent(dni="1", name="Ana", sso="ana", password="Ab1!abcd"),
        "enable_agent": lambda c: c.enable_agent("1001"),
        "list_agents": lambda c: c.list_agents(),
        "dial": lambda c: c.dial("1001", "300"),
        "agent_display": lambda c: c.agent_display("1001", button="dial", display="show"),
    }
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        client = wv.Client(
            "0032", "fuzz-token", http_client=http, max_retries=0, agents_cache_ttl=0, max_response_size=4096
        )
        with contextlib.suppress(wv.WolkvoxError):
            await calls[operation](client)
