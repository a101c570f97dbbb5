"""Answers in the envelope the catalogue shows for each operation, whole or streamed, and its errors.

Successes come with HTTP 200 and the example's ``code`` (an int, ``"200"``,
``""``); errors with their HTTP status and a ``code`` of the same type as the
operation's success (``"404"`` where it answers ``"200"``, else ``404``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Final

from .._spec import Operation, ResultKind
from ._catalog import DEFAULT, EXAMPLES, Example
from ._routing import stats_key
from ._state import TokenState
from ._validation import Request, as_text
from ._wire import Answer, Response, Streamed, envelope, json_response

BAD_REQUEST, NOT_FOUND = "BAD REQUEST", "NOT FOUND"
NO_RECORDS: Final = "NO RECORDS WERE FOUND"
BATCH: Final = 1_000
"""Rows per chunk of a streamed answer."""

_NOTHING: Final = object()
_ROWS: Final = "\x00rows\x00"
_encode = json.JSONEncoder(separators=(",", ":")).encode


@dataclass(frozen=True, slots=True)
class Call:
    """A valid request to an operation, as its handler sees it."""

    op: Operation
    request: Request
    token: TokenState
    now: datetime
    """The emulator's clock, in its quota time zone."""

    def text(self, name: str) -> str:
        return self.request.text(name)

    @property
    def key(self) -> str:
        """The operation's name in stats, faults and the action log."""
        return stats_key(self.op)

    def fill(self, **extra: object) -> dict[str, object]:
        """The words a message template may use: every parameter given as text, then ``extra``."""
        words: dict[str, object] = {name: as_text(value) for name, value in self.request.fields.items()}
        words.update((name, as_text(value)) for name, value in self.request.query.items())
        words.update(extra)
        return words


Handler = Callable[[Call], Answer]


def example(op: Operation) -> Example:
    return EXAMPLES.get((op.script, op.api), DEFAULT)


def success_code(op: Operation) -> int | str:
    code = example(op).code
    return 200 if code is None else code


def error_code(op: Operation, status: int) -> int | str:
    """A string where the operation's own code is a non-empty string, as agentbox.php writes them."""
    code = success_code(op)
    return str(status) if isinstance(code, str) and code else status


def answer(op: Operation, fill: Mapping[str, object], data: object = _NOTHING) -> Response:
    """A success in the example's envelope; ``data`` goes under the result's key (a bare array: alone)."""
    return json_response(200, _envelope(op, fill, data))


def as_listed(op: Operation, record: Mapping[str, object]) -> object:
    """One record as the catalogue shows it: alone, or in an array of one (as create_agent's)."""
    return [record] if example(op).listed else record


def one(op: Operation, record: Mapping[str, object]) -> object:
    """A single record as the operation answers it: in an array for a list, else as the catalogue shows it."""
    return [record] if op.result.kind is ResultKind.RECORDS else as_listed(op, record)


def refuse(op: Operation, status: int, error: str, msg: str, **extra: object) -> Response:
    return json_response(status, envelope(error_code(op, status), error, msg, **extra))


def not_found(op: Operation, msg: str) -> Response:
    """A domain error (an unknown id, a duplicate): wolkvox answers these with 404 in its envelope."""
    return refuse(op, 404, NOT_FOUND, msg)


def no_data(op: Operation) -> Response:
    """What a read answers when it has nothing: 404 in the envelope, which clients read as no data."""
    return refuse(op, 404, NOT_FOUND, NO_RECORDS, data=[])


def streamed(op: Operation, fill: Mapping[str, object], rows: Iterator[str]) -> Streamed:
    """A success whose records, each already JSON text, are sent ``BATCH`` at a time as they are made."""
    head, _, tail = _encode(_envelope(op, fill, _ROWS)).partition(_encode(_ROWS))

    def chunks() -> Iterator[bytes]:
        yield f"{head}[".encode("ascii")
        separator = ""
        while batch := list(islice(rows, BATCH)):
            yield (separator + ",".join(batch)).encode("ascii")
            separator = ","
        yield f"]{tail}".encode("ascii")

    return Streamed(200, chunks)


def _envelope(op: Operation, fill: Mapping[str, object], data: object) -> object:
    """The example's envelope around ``data``; without a key, a list alone, or a record's fields in the envelope."""
    key = op.result.key
    if key is None and not isinstance(data, Mapping):
        return [] if data is _NOTHING else data
    shown = example(op)
    values: dict[str, object] = {"code": success_code(op), "error": None, "msg": words(shown.msg, fill)}
    if isinstance(data, Mapping) and key is None:
        values.update(data)
    elif data is not _NOTHING and key is not None:
        values[key] = data
    elif shown.detail is not None:
        values["data"] = words(shown.detail, fill)
    keys = shown.keys if shown.keys else ("code", "error", "msg", *(k for k in values if k not in _BASE))
    keys = (*keys, *(name for name in values if name not in keys))
    return {name: values[name] if name in values else fill.get(name, "") for name in keys}


_BASE: Final = frozenset({"code", "error", "msg"})


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> object:
        return ""


def words(template: str, fill: Mapping[str, object]) -> str:
    """A message template filled in; a word the call did not give is left blank."""
    return template.format_map(_Blank(fill))


def script_error(
    script: str,
    status: int,
    error: str,
    msg: str,
    *,
    headers: tuple[tuple[bytes, bytes], ...] = (),
    **data: object,
) -> Response:
    """An error before any operation is known: agentbox.php writes its codes as strings, the others as ints."""
    code: int | str = str(status) if script == "agentbox.php" else status
    return json_response(status, envelope(code, error, msg, **data), headers)
