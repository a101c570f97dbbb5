"""The records of a big answer, split out of the JSON as it streams: memory for one record, not 256 MB.

A report answers ``{"code": ..., "msg": ..., "data": [{...}, {...}, ...]}``,
up to 60,000 records and 256 MB. ``RecordStream`` is fed the decoded text as it
arrives and gives back each record of the array under ``key`` (or of a bare
top-level array) as soon as it is complete, with its source text; the other
top-level fields (the envelope) are kept, small, for the end. Each value is
parsed by the standard library's C decoder (``raw_decode``); a value cut by a
chunk's end is tried again once the text has grown enough, so that a large
record is not parsed over and over. Pure: no I/O, fed and fuzzed by tests.
"""

from __future__ import annotations

import codecs
import json
from typing import Any, Final

_WHITESPACE: Final = " \t\n\r"
_COMPACT_AT: Final = 1 << 16
_decode = json.JSONDecoder().raw_decode


class StreamError(ValueError):
    """The text is not the JSON expected, or it ended before the JSON did."""


Record = tuple[dict[str, Any], str]
"""A record and its source text (without the text around it)."""


class RecordStream:
    __slots__ = (
        "_bytes",
        "_envelope",
        "_key",
        "_pending_key",
        "_pos",
        "_retry_at",
        "_state",
        "_text",
    )

    def __init__(self, key: str | None = "data") -> None:
        self._key = key
        self._bytes = codecs.getincrementaldecoder("utf-8")()
        self._text = ""
        self._pos = 0
        self._retry_at = 0
        self._state = "start"
        self._pending_key: str | None = None
        self._envelope: dict[str, Any] = {}

    @property
    def envelope(self) -> dict[str, Any]:
        """The top-level fields other than the records (complete once ``finish`` returned)."""
        return self._envelope

    def feed(self, data: bytes) -> list[Record]:
        try:
            self._text += self._bytes.decode(data)
        except UnicodeDecodeError as exc:
            raise StreamError(f"not UTF-8 text: {exc.reason}") from None
        if len(self._text) < self._retry_at:
            return []
        return self._advance(final=False)

    def finish(self) -> list[Record]:
        """The last records; ``StreamError`` if the JSON is cut short or wrong."""
        try:
            self._text += self._bytes.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise StreamError(f"not UTF-8 text: {exc.reason}") from None
        records = self._advance(final=True)
        self._skip()
        if self._state != "done" or self._pos < len(self._text):
            raise StreamError("the answer ends before its JSON does")
        return records

    # -- the scanner -----------------------------------------------------------------------------

    def _skip(self) -> None:
        text, pos = self._text, self._pos
        while pos < len(text) and text[pos] in _WHITESPACE:
            pos += 1
        self._pos = pos

    def _peek(self) -> str:
        self._skip()
        return self._text[self._pos] if self._pos < len(self._text) else ""

    def _value(self, final: bool) -> tuple[bool, Any, int]:
        """Parse one JSON value at the position: (complete?, value, start)."""
        start = self._pos
        try:
            value, end = _decode(self._text, start)
        except json.JSONDecodeError as exc:
            if final:
                raise StreamError(f"not valid JSON: {exc.msg}") from None
            waiting = len(self._text) - start
            self._retry_at = start + 2 * waiting + 1024
            return False, None, start
        except RecursionError:
            raise StreamError("JSON nested too deep") from None
        if (
            not final
            and end == len(self._text)
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            self._retry_at = end + 1  # a number at the text's end may go on in the next chunk
            return False, None, start
        self._pos = end
        return True, value, start

    def _advance(self, final: bool) -> list[Record]:
        records: list[Record] = []
        while True:
            char = self._peek()
            if not char:
                break
            state = self._state
            if state == "start":
                if char == "[" and self._key is None:
                    self._pos += 1
                    self._state = "items"
                elif char == "{" and self._key is not None:
                    self._pos += 1
                    self._state = "key"
                else:
                    raise StreamError("the answer is not the JSON expected")
            elif state == "key":
                if char == "}":
                    self._pos += 1
                    self._state = "done"
                    continue
                if char == ",":
                    self._pos += 1
                    continue
                if char != '"':
                    raise StreamError("a key expected in the answer")
                complete, key, _ = self._value(final)
                if not complete:
                    break
                self._pending_key = str(key)
                self._state = "colon"
            elif state == "colon":
                if char != ":":
                    raise StreamError("':' expected in the answer")
                self._pos += 1
                self._state = "value"
            elif state == "value":
                if self._pending_key == self._key and char == "[":
                    self._pos += 1
                    self._state = "items"
                    continue
                complete, value, start = self._value(final)
                if not complete:
                    break
                if self._pending_key == self._key and isinstance(value, dict):
                    records.append((value, self._text[start : self._pos]))
                else:
                    self._envelope[str(self._pending_key)] = value
                self._state = "key"
            elif state == "items":
                if char == "]":
                    self._pos += 1
                    self._state = "key" if self._key is not None else "done"
                    continue
                if char == ",":
                    self._pos += 1
                    continue
                complete, value, start = self._value(final)
                if not complete:
                    break
                if not isinstance(value, dict):
                    raise StreamError("a record that is not a JSON object")
                records.append((value, self._text[start : self._pos]))
            else:
                raise StreamError("text after the JSON")
            if self._pos > _COMPACT_AT:
                self._text, self._retry_at = self._text[self._pos :], max(0, self._retry_at - self._pos)
                self._pos = 0
        return records
