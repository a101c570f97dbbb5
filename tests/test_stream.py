"""Records split out of a JSON answer as it streams: the same records whatever the chunks, and a typed
``StreamError`` for text that is cut short or is not the JSON expected."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wolkvox_async._stream import RecordStream, StreamError

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
records = st.lists(st.dictionaries(st.text(max_size=8), values, max_size=5), max_size=30)


def feed(stream: RecordStream, body: bytes, step: int) -> list[tuple[dict[str, Any], str]]:
    out = []
    for start in range(0, len(body), step):
        out += stream.feed(body[start : start + step])
    return out + stream.finish()


@settings(max_examples=400, deadline=None)
@given(rows=records, step=st.integers(1, 300), indent=st.sampled_from([None, 2]), first=st.booleans())
def test_the_records_are_the_same_whatever_the_chunks(
    rows: list[dict[str, Any]], step: int, indent: int | None, first: bool
) -> None:
    envelope = {"code": 200, "error": None, "msg": "ñ records"}
    answer = {"data": rows, **envelope} if first else {**envelope, "data": rows}
    body = json.dumps(answer, indent=indent, ensure_ascii=False).encode()
    stream = RecordStream()
    got = feed(stream, body, step)
    assert [record for record, _ in got] == rows
    assert [json.loads(text) for _, text in got] == rows
    assert stream.envelope == envelope


@settings(max_examples=200, deadline=None)
@given(rows=records, step=st.integers(1, 300))
def test_a_bare_array(rows: list[dict[str, Any]], step: int) -> None:
    got = feed(RecordStream(None), json.dumps(rows).encode(), step)
    assert [record for record, _ in got] == rows


@settings(max_examples=300, deadline=None)
@given(rows=records.filter(bool), cut=st.integers(1, 10_000))
def test_a_cut_answer_is_a_stream_error(rows: list[dict[str, Any]], cut: int) -> None:
    body = json.dumps({"code": 200, "data": rows}).encode()
    with pytest.raises(StreamError):
        feed(RecordStream(), body[: min(cut, len(body) - 1)], 7)


@pytest.mark.parametrize(
    "body",
    [
        b"<html>oops</html>",
        b'{"data": [1, 2]}',
        b'{"data": [{}] x',
        b'{"data" [{}]}',
        b"\xff\xfe",
        b'{"a": 1} {}',
    ],
)
def test_text_that_is_not_the_json_expected(body: bytes) -> None:
    with pytest.raises(StreamError):
        feed(RecordStream(), body, 3)


def test_a_single_record_and_empty_data() -> None:
    assert feed(RecordStream(), b'{"data": {"x": "1"}, "code": 200}', 4)[0][0] == {"x": "1"}
    for empty in (b'{"code": 404, "data": []}', b'{"code": 200, "data": ""}', b'{"code": 200}'):
        assert feed(RecordStream(), empty, 5) == []


def test_a_large_record_is_not_parsed_again_and_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from wolkvox_async import _stream

    big = {"text": "x" * 2_000_000}
    body = json.dumps({"data": [big]}).encode()
    calls = 0
    decode = _stream._decode

    def counted(text: str, start: int) -> tuple[Any, int]:
        nonlocal calls
        calls += 1
        return decode(text, start)

    monkeypatch.setattr(_stream, "_decode", counted)
    assert feed(RecordStream(), body, 4096)[0][0] == big
    assert calls < 40, f"{calls} parses of a 2 MB record fed 4 KB at a time"
