"""A request checked against its operation's specification, as wolkvox's scripts check it.

Every parameter the spec marks required must be there, not blank (else 400
``SOME PARAMETERS ARE REQUIRED``), and every value given must be of its kind:
digits for an ID, ``YYYYmmddHHiiss`` for a DATETIME, one of its choices, yes or
no, a JSON array or object. Bodies must have their shape: a JSON object, an
array of at most 10,000 records, a multipart form. A ``date_ini``/``date_end``
window may not run backwards nor span more than 31 days.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Final
from urllib.parse import parse_qs

from .._spec import DATETIME_FORMAT, MAX_UPLOAD_RECORDS, Kind, Operation, Param, Shape
from . import _multipart

PARAMETERS_REQUIRED: Final = "SOME PARAMETERS ARE REQUIRED"
MAX_WINDOW: Final = timedelta(days=31)

_DIGITS = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+")
_DATETIME = re.compile(r"[0-9]{14}")


class Invalid(Exception):
    """The request breaks its specification; ``msg`` is wolkvox's kind of message for it."""

    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.msg = msg


@dataclass(frozen=True, slots=True)
class Request:
    """What a valid request carries: its query, its body's fields, records or form, and its date window."""

    query: Mapping[str, str]
    fields: Mapping[str, object] = field(default_factory=dict)
    records: Sequence[Mapping[str, object]] = ()
    files: frozenset[str] = frozenset()
    window: tuple[datetime, datetime] | None = None

    def value(self, name: str) -> object:
        """A parameter from the query, else from the body."""
        if name in self.query:
            return self.query[name]
        return self.fields.get(name)

    def text(self, name: str) -> str:
        """A parameter as text: a non-blank string or a number; anything else is absent."""
        return as_text(self.value(name))


def as_text(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    return ""


def validate(op: Operation, query: Mapping[str, str], body: bytes, content_type: str) -> Request:
    """The request, checked; raises ``Invalid`` with the message wolkvox would answer."""
    fields: Mapping[str, object] = {}
    records: Sequence[Mapping[str, object]] = ()
    files: frozenset[str] = frozenset()
    shape = op.body.shape
    if shape is Shape.OBJECT:
        fields = _json_object(body)
    elif shape is Shape.RECORDS:
        records = _json_records(body)
    elif shape is Shape.FORM:
        fields, files = _form(body, content_type)
    _require(op.query, query)
    _check_all(op.query, query, "PARAMETER", textual=True)
    if shape is Shape.RECORDS:
        for number, record in enumerate(records, 1):
            _require(op.body.fields, record)
            _check_all(op.body.fields, record, f"FIELD OF RECORD {number}", textual=False)
    else:
        body_params = _unique(op.body.fields)
        _require([p for p in body_params if p.kind is not Kind.FILE], fields)
        if any(p.required and p.kind is Kind.FILE and p.wire not in files for p in body_params):
            raise Invalid(PARAMETERS_REQUIRED)
        checked = [p for p in body_params if p.kind is not Kind.FILE]
        _check_all(checked, fields, "PARAMETER", textual=shape is Shape.FORM)
    request = Request(query, fields, records, files)
    return replace(request, window=_window(request))


def present(value: object) -> bool:
    """Given, in PHP's sense: not null, not blank, not an empty array."""
    if value is None or value == [] or value == {}:
        return False
    return not (isinstance(value, str) and not value.strip())


def _unique(params: Sequence[Param]) -> list[Param]:
    seen: dict[str, Param] = {}
    for param in params:
        seen.setdefault(param.wire, param)
    return list(seen.values())


def _require(params: Sequence[Param], values: Mapping[str, object]) -> None:
    if any(param.required and not present(values.get(param.wire)) for param in params):
        raise Invalid(PARAMETERS_REQUIRED)


def _check_all(params: Sequence[Param], values: Mapping[str, object], what: str, *, textual: bool) -> None:
    """Check each given value; ``textual`` values (a query, a form) can only be text, so lists come as text."""
    for param in params:
        value = values.get(param.wire)
        if present(value):
            problem = _problem(param, value, textual=textual)
            if problem:
                raise Invalid(f"THE {what} {param.wire.upper()} {problem}")


def _problem(param: Param, value: object, *, textual: bool) -> str | None:
    """What is wrong with a given value for its kind, or None."""
    text = value if isinstance(value, str) else None
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    kind = param.kind
    if kind is Kind.ID:
        return None if text is not None and _DIGITS.fullmatch(text.strip()) else "MUST BE NUMERIC"
    if kind is Kind.NUMBER:
        return None if text is not None and _NUMBER.fullmatch(text.strip()) else "MUST BE A WHOLE NUMBER"
    if kind is Kind.DATETIME:
        return None if text is not None and _datetime(text) else "MUST BE A DATE AS YYYYMMDDHHIISS"
    if kind is Kind.CHOICE:
        if param.choices and text not in param.choices:
            return f"MUST BE ONE OF {', '.join(param.choices).upper()}"
        return None
    if kind is Kind.YES_NO:
        return None if text in ("yes", "no") else "MUST BE YES OR NO"
    if kind is Kind.LIST:
        return None if textual or isinstance(value, list) else "MUST BE A LIST"
    if kind is Kind.OBJECT:
        return None if textual or isinstance(value, dict) else "MUST BE AN OBJECT"
    return None if isinstance(value, str | int | float) and not isinstance(value, bool) else "MUST BE TEXT"


def _datetime(text: str) -> datetime | None:
    if not _DATETIME.fullmatch(text.strip()):
        return None
    try:
        return datetime.strptime(text.strip(), DATETIME_FORMAT)
    except ValueError:
        return None


def _window(request: Request) -> tuple[datetime, datetime] | None:
    start, end = (_datetime(request.text(name)) for name in ("date_ini", "date_end"))
    if start is None or end is None:
        return None
    if start > end:
        raise Invalid("THE DATE_INI CANNOT BE AFTER THE DATE_END")
    if end - start > MAX_WINDOW:
        raise Invalid("THE RANGE OF DATES CANNOT EXCEED 31 DAYS")
    return start, end


def _json_object(body: bytes) -> Mapping[str, object]:
    if not body.strip():
        return {}
    try:
        value = json.loads(body)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise Invalid("THE BODY MUST BE A JSON OBJECT")
    return value


def _json_records(body: bytes) -> Sequence[Mapping[str, object]]:
    if not body.strip():
        raise Invalid(PARAMETERS_REQUIRED)
    try:
        value = json.loads(body)
    except ValueError:
        value = None
    if not isinstance(value, list) or not all(isinstance(record, dict) for record in value):
        raise Invalid("THE BODY MUST BE A JSON ARRAY OF RECORDS")
    if len(value) > MAX_UPLOAD_RECORDS:
        raise Invalid(f"EXCEEDS THE LIMIT OF {MAX_UPLOAD_RECORDS} RECORDS PER REQUEST")
    if not value:
        raise Invalid(PARAMETERS_REQUIRED)
    return value


def _form(body: bytes, content_type: str) -> tuple[Mapping[str, object], frozenset[str]]:
    """A form's text fields and the names of its files (a part with a filename, or any content).

    Files come only in multipart/form-data; a form of text alone may also come
    urlencoded; no body at all is a form without fields.
    """
    if not body.strip():
        return {}, frozenset()
    if content_type.lower().startswith("application/x-www-form-urlencoded"):
        return {
            key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()
        }, frozenset()
    boundary = _multipart.boundary(content_type)
    parts = _multipart.parse(body, boundary) if boundary else None
    if parts is None:
        raise Invalid("THE BODY MUST BE A MULTIPART/FORM-DATA FORM")
    fields = {part.name: part.content.decode("utf-8", "replace") for part in parts if part.filename is None}
    files = frozenset(part.name for part in parts if part.filename is not None or part.content)
    return fields, files
