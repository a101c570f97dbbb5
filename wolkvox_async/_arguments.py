"""The arguments of a specified operation, checked and put in their wire form before anything is sent.

Each ``Kind`` of the specification says what a method accepts and what goes
on the wire: wolkvox takes text everywhere, so numbers and identifiers are
sent as strings, dates as ``YYYYmmddHHiiss``, yes/no as words. A value that
cannot be sent raises ``InvalidArgumentError`` naming the argument by the
keyword the caller used; a value is echoed only where it cannot be a secret.
"""

from __future__ import annotations

import enum
import json
import os
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from ._errors import InvalidArgumentError
from ._spec import DATETIME_FORMAT, MAX_UPLOAD_RECORDS, Kind, Operation, Param, Shape

_DIGITS: Final = re.compile(r"[0-9]+")
_STAMP: Final = re.compile(r"[0-9]{14}")
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")
_SECRET_WORDS: Final = ("pass", "token", "secret")

Upload = tuple[str, bytes]
"""A file to send: its name and its bytes."""


def _shown(param: Param, value: object) -> str:
    return "a secret" if any(w in param.wire.lower() for w in _SECRET_WORDS) else repr(value)


def _fail(param: Param, expected: str, value: object) -> InvalidArgumentError:
    return InvalidArgumentError(f"{param.python_name} must be {expected}, got {_shown(param, value)}")


def text(param: Param, value: object, *, in_query: bool) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _fail(param, "text", value)
    if in_query and _CONTROL.search(value):
        raise InvalidArgumentError(f"{param.python_name} must not contain control characters")
    if in_query and param.required and not value.strip():
        raise _fail(param, "non-empty text", value)
    return value


def timestamp(param: Param, value: object, zone: ZoneInfo) -> str:
    """``YYYYmmddHHiiss`` in the operation's zone; a ``date`` is its first second, or its last for an end."""
    if isinstance(value, datetime):
        moment = value.astimezone(zone).replace(tzinfo=None) if value.tzinfo else value
        return moment.strftime(DATETIME_FORMAT)
    if isinstance(value, date):
        at = time(23, 59, 59) if param.wire.endswith("_end") else time(0, 0, 0)
        return datetime.combine(value, at).strftime(DATETIME_FORMAT)
    if isinstance(value, str) and _STAMP.fullmatch(value.strip()):
        return value.strip()
    raise _fail(param, "a datetime, a date or 'YYYYmmddHHiiss'", value)


def wire(param: Param, value: object, *, in_query: bool, zone: ZoneInfo) -> Any:
    """The value of one parameter as it goes on the wire."""
    kind = param.kind
    if kind is Kind.TEXT:
        return text(param, value, in_query=in_query)
    if kind is Kind.ID:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return str(value)
        if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
            return value.strip()
        raise _fail(param, "digits (a str or a non-negative int)", value)
    if kind is Kind.NUMBER:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value.strip()):
            return value.strip()
        raise _fail(param, "a whole number", value)
    if kind is Kind.DATETIME:
        return timestamp(param, value, zone)
    if kind is Kind.CHOICE:
        word = value.value if isinstance(value, enum.Enum) else value
        if word not in param.choices:
            raise _fail(param, "one of " + ", ".join(map(repr, param.choices)), value)
        return word
    if kind is Kind.YES_NO:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, str) and value.strip().lower() in ("yes", "no"):
            return value.strip().lower()
        raise _fail(param, "a bool, 'yes' or 'no'", value)
    if kind is Kind.LIST:
        if isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray):
            return _json(param, list(value))
        raise _fail(param, "a sequence (a JSON array)", value)
    if kind is Kind.OBJECT:
        if isinstance(value, Mapping):
            return _json(param, dict(value))
        raise _fail(param, "a mapping (a JSON object)", value)
    return upload(param, value)


def _json(param: Param, value: Any) -> Any:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        raise InvalidArgumentError(f"{param.python_name} must hold only JSON values") from None
    return value


def upload(param: Param, value: object) -> Upload:
    """A file to send: bytes, a path to read, or ``(name, bytes)``."""
    if isinstance(value, bytes | bytearray):
        return param.python_name, bytes(value)
    if isinstance(value, str | os.PathLike):
        path = Path(value)
        try:
            return path.name, path.read_bytes()
        except OSError as exc:
            raise InvalidArgumentError(
                f"{param.python_name}: cannot read {str(path)!r}: {exc.strerror}"
            ) from None
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], bytes | bytearray)
    ):
        return value[0], bytes(value[1])
    raise _fail(param, "bytes, a path or (name, bytes)", value)


def records(op: Operation, value: object, zone: ZoneInfo) -> list[dict[str, Any]]:
    """A RECORDS body: each record's documented fields checked, the others passed on as given."""
    if isinstance(value, Mapping) or not isinstance(value, Sequence) or isinstance(value, str | bytes):
        raise InvalidArgumentError("records must be a sequence of mappings (one per record)")
    if not 1 <= len(value) <= MAX_UPLOAD_RECORDS:
        raise InvalidArgumentError(
            f"records must hold 1 to {MAX_UPLOAD_RECORDS:,} records, got {len(value):,}"
        )
    fields = {param.wire: param for param in op.body.fields}
    checked = []
    for number, record in enumerate(value, 1):
        if not isinstance(record, Mapping) or not all(isinstance(key, str) for key in record):
            raise InvalidArgumentError(f"record {number} must be a mapping of field names to values")
        missing = [f.wire for f in op.body.fields if f.required and record.get(f.wire) is None]
        if missing:
            raise InvalidArgumentError(f"record {number} lacks {', '.join(missing)}")
        row: dict[str, Any] = {}
        for key, item in record.items():
            param = fields.get(key)
            if item is None:
                continue
            try:
                row[key] = (
                    wire(param, item, in_query=False, zone=zone)
                    if param
                    else _json(Param(key), item if not isinstance(item, int) else str(item))
                )
            except InvalidArgumentError as exc:
                raise InvalidArgumentError(f"record {number}: {exc}") from None
        checked.append(row)
    return checked


Arguments = Mapping[str, object]


def split(
    op: Operation, given: Arguments, zone: ZoneInfo
) -> tuple[tuple[tuple[str, str], ...], Any, tuple[tuple[str, Upload], ...]]:
    """The query, the JSON body and the files of a call, from its keyword arguments."""
    query: list[tuple[str, str]] = []
    for param in op.query:
        value = given.get(param.python_name)
        if value is None:
            if param.required:
                raise InvalidArgumentError(f"{op.name}: {param.python_name} is required")
            continue
        query.append((param.wire, wire(param, value, in_query=True, zone=zone)))
    shape = op.body.shape
    if shape is Shape.RECORDS:
        return tuple(query), records(op, given.get("records"), zone), ()
    body: dict[str, Any] = {}
    files: list[tuple[str, Upload]] = []
    for param in op.body.fields:
        value = given.get(param.python_name)
        if value is None:
            if param.required:
                raise InvalidArgumentError(f"{op.name}: {param.python_name} is required")
            continue
        if param.kind is Kind.FILE:
            files.append((param.wire, upload(param, value)))
        else:
            body[param.wire] = wire(param, value, in_query=False, zone=zone)
    if shape is Shape.OBJECT:
        return tuple(query), body, ()
    if shape is Shape.FORM:
        return (
            tuple(query),
            {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()},
            tuple(files),
        )
    return tuple(query), None, ()
