"""The wire protocol, without I/O: build requests, read answers.

Every quirk of the wolkvox API v2 lives here and nowhere else: ``code`` as
an int, "200" or ""; ``data`` as a list, an object, a string or absent;
quota and concurrency refusals that are both 403 and told apart by their
message; numbers sent as strings. Decoders take ``(status, headers, body)``
and return a model or raise one of the library's errors, never anything
else, so they are tested with tables and fuzzed without a network.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

import attrs

from ._body import ACCEPT_ENCODING
from ._converter import structure, text
from ._errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConcurrencyLimitError,
    ConflictError,
    InvalidArgumentError,
    MaintenanceError,
    NotFoundError,
    QuotaExhaustedError,
    RedirectError,
    ServerError,
    UnexpectedResponseError,
)
from ._models import Acknowledgement, Agent, Button, CreatedAgent, DialResult, Display
from ._redact import excerpt
from ._spec import Operation, ResultKind, Shape, operation

T = TypeVar("T")
Decoder = Callable[[int, Mapping[str, str], bytes], T]


MAX_URL_CHARS: Final = 8000
"""Longer request lines are refused by common servers (Apache's limit is 8190 bytes)."""

CREATE_AGENT: Final = operation("create_agent")
ENABLE_AGENT: Final = operation("enable_agent")
LIST_AGENTS: Final = operation("list_agents")
DIAL: Final = operation("dial")
AGENT_DISPLAY: Final = operation("agent_display")
OPERATIONS: Final = (CREATE_AGENT, ENABLE_AGENT, LIST_AGENTS, DIAL, AGENT_DISPLAY)
"""The five first operations, with their hand-written requests and decoders."""


def default_base_url(server: str) -> str:
    return f"https://wv{server}.wolkvox.com"


@attrs.frozen(repr=False)
class Target:
    """Where requests go and as whom; the token stays out of the repr."""

    base_url: str
    server: str
    token: str

    def __repr__(self) -> str:
        return f"Target(base_url={self.base_url!r}, server={self.server!r}, token=<hidden>)"


@attrs.frozen(repr=False)
class Request:
    """An HTTP request ready to send. Its repr leaves out headers and body.

    ``secrets`` are values it carries that must be masked wherever an
    answer echoes them (a password sent). A JSON body is ``json``; a form,
    ``form`` and ``files``.
    """

    operation: Operation
    method: str
    url: str
    params: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    json: Any = None
    secrets: tuple[str, ...] = ()
    form: Mapping[str, str] | None = None
    files: tuple[tuple[str, tuple[str, bytes]], ...] = ()

    def __repr__(self) -> str:
        return f"Request({self.method} {self.url} params={self.params!r})"


def _check_url_length(operation: Operation, url: str, params: tuple[tuple[str, str], ...]) -> None:
    """Refuse, naming the longest parameter, a query no server would take."""
    plain = len(url) + sum(len(name) + len(value) + 2 for name, value in params)
    if plain * 12 <= MAX_URL_CHARS:  # no character encodes to more than 12 (4 bytes as %XX)
        return
    encoded = {name: len(quote(name, safe="")) + len(quote(value, safe="")) + 2 for name, value in params}
    length = len(url) + sum(encoded.values())
    if length > MAX_URL_CHARS:
        longest = max(encoded, key=lambda name: encoded[name])
        raise InvalidArgumentError(
            f"{operation.name}: {longest} is too long: the request's URL would be {length:,} characters, "
            f"over the {MAX_URL_CHARS:,} servers accept"
        )


def _request(
    target: Target,
    operation: Operation,
    params: tuple[tuple[str, str], ...] = (),
    body: Any = None,
    secrets: tuple[str, ...] = (),
    files: tuple[tuple[str, tuple[str, bytes]], ...] = (),
) -> Request:
    """The request of any operation: ``api=`` first (after the agent, as agentbox pages write it)."""
    if operation.path:
        query = params
    elif operation.script == "agentbox.php" and params:
        query = (params[0], ("api", operation.api), *params[1:])
    else:
        query = (("api", operation.api), *params)
    headers: tuple[tuple[str, str], ...] = (
        ("wolkvox-token", target.token),
        ("wolkvox_server", target.server),
        ("accept-encoding", ACCEPT_ENCODING),
    )
    url = f"{target.base_url}{operation.url_path}"
    _check_url_length(operation, url, query)
    if files or (body is not None and operation.body.shape is Shape.FORM):
        return Request(operation, operation.method, url, query, headers, None, secrets, body, files)
    return Request(operation, operation.method, url, query, headers, body, secrets)


def operation_request(
    target: Target,
    operation: Operation,
    query: tuple[tuple[str, str], ...],
    body: Any = None,
    files: tuple[tuple[str, tuple[str, bytes]], ...] = (),
    secrets: tuple[str, ...] = (),
) -> Request:
    """The request of a specified operation, from arguments already in their wire form."""
    return _request(target, operation, query, body, secrets, files)


def create_agent_request(
    target: Target, *, dni: str, name: str, sso: str, password: str | None = None
) -> Request:
    body = {"agent_dni": dni, "agent_name": name, "agent_sso": sso}
    if password is None:
        return _request(target, CREATE_AGENT, body=body)
    body["agent_pass"] = password
    return _request(target, CREATE_AGENT, body=body, secrets=(password,))


def enable_agent_request(target: Target, *, agent_id: str) -> Request:
    return _request(target, ENABLE_AGENT, body={"agent_id": agent_id})


def list_agents_request(target: Target, *, agent_id: str | None = None) -> Request:
    params = () if agent_id is None else (("agent", agent_id),)
    return _request(target, LIST_AGENTS, params)


def dial_request(
    target: Target,
    *,
    agent_id: str,
    phone: str,
    customer_id: str | None = None,
    customer_name: str | None = None,
) -> Request:
    params = [("agent_id", agent_id), ("customer_phone", phone)]
    if customer_id:
        params.append(("customer_id", customer_id))
    if customer_name:
        params.append(("customer_name", customer_name))
    return _request(target, DIAL, tuple(params))


def agent_display_request(target: Target, *, agent_id: str, button: Button, display: Display) -> Request:
    params = (("agent_id", agent_id), ("display", display.value), ("button", button.value))
    return _request(target, AGENT_DISPLAY, params)


# ---------------------------------------------------------------- answers


@attrs.frozen
class Envelope:
    """A successful answer's ``{"code", "error", "msg", "data"}``, and the whole object it came in."""

    code: int | None
    msg: str
    data: Any
    answer: Mapping[str, Any] = attrs.field(factory=dict, repr=False)


_NOT_JSON: Final = object()
_ALREADY_EXISTS = ("ALREADY", "YA EXISTE", "DUPLICAT", "REGISTERED", "REGISTRADO")


def redirect_location(headers: Mapping[str, str]) -> str:
    """Where a redirect pointed, for a message: no userinfo, query or fragment, at most 200 characters."""
    location = headers.get("location", "").strip()
    try:
        parts = urlsplit(location)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "an unreadable location"
    if ":" in host:
        host = f"[{host}]"
    shown = urlunsplit((parts.scheme, f"{host}{port}", parts.path, "", ""))
    return shown[:200] + ("..." if len(shown) > 200 else "")


def _is_envelope(payload: Any) -> bool:
    """Wolkvox's own answer: an object with its ``code`` and ``msg``."""
    return isinstance(payload, dict) and "code" in payload and "msg" in payload


def _as_int(code: str | None) -> int | None:
    try:
        return int(code.strip()) if code else None
    except ValueError:
        return None


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() and value.strip().lower() != "null" else None
    return json.dumps(value) if isinstance(value, list | dict) else str(value)


def classify(operation: Operation, status: int, code: str | None, error: str | None, msg: str) -> APIError:
    """The error an answer stands for: by message first, then by status.

    Quota and concurrency refusals are both 403 and differ only by message,
    matched case-insensitively by substring. ``status`` here is the HTTP
    status, or the body's code when the HTTP status claimed success.
    """
    said = f"{error or ''} {msg}".upper()
    fields: dict[str, Any] = {"operation": operation.name, "status": status, "code": code, "error": error}
    if "TOKEN LIMIT EXCEEDED" in said:
        return QuotaExhaustedError(msg, resets_at=None, **fields)
    if "SIMULTANEOUS" in said:
        return ConcurrencyLimitError(msg, **fields)
    if status == 401 or "VALIDATE TOKEN" in said or "WOLKVOX-TOKEN" in said:
        return AuthenticationError(msg, **fields)
    if status == 400:
        return BadRequestError(msg, **fields)
    if status == 403:
        return MaintenanceError(msg, **fields)
    if status == 409 or (status == 404 and any(word in said for word in _ALREADY_EXISTS)):
        return ConflictError(msg, **fields)
    if status == 404:
        return NotFoundError(msg, **fields)
    if status >= 500:
        return ServerError(msg, **fields)
    return APIError(msg, **fields)


def read_envelope(
    operation: Operation, status: int, body: bytes, headers: Mapping[str, str] | None = None
) -> Envelope:
    """Decide from the HTTP status and the body together whether the call succeeded.

    A redirect is an error (never followed: the token would go with it). A
    404 is wolkvox's "not found" or "no data" only in wolkvox's envelope; a
    proxy's or web server's 404 (a wrong URL) is an unexpected answer.
    """
    if 300 <= status < 400:
        raise RedirectError(
            operation=operation.name, status=status, location=redirect_location(headers or {})
        )
    try:
        payload: Any = json.loads(body)
    except (ValueError, RecursionError):
        payload = _NOT_JSON
    if status == 404 and not _is_envelope(payload):
        raise UnexpectedResponseError(
            "a 404 that is not wolkvox's answer: is base_url right?",
            operation=operation.name,
            status=status,
            excerpt=excerpt(body),
        )
    if not isinstance(payload, dict):
        if status >= 400:
            raise classify(
                operation, status, None, None, f"HTTP {status} with a body that is not a JSON object"
            )
        what = "a body that is not JSON" if payload is _NOT_JSON else "JSON that is not an object"
        raise UnexpectedResponseError(what, operation=operation.name, status=status, excerpt=excerpt(body))

    if not 200 <= status < 300 and status < 400:
        raise UnexpectedResponseError(
            f"unexpected HTTP status {status}", operation=operation.name, status=status, excerpt=excerpt(body)
        )
    return check_envelope(operation, status, payload)


def check_envelope(operation: Operation, status: int, payload: Mapping[str, Any]) -> Envelope:
    """An envelope's verdict: its HTTP status first, then a ``code`` of 400 or more or an ``error``."""
    raw_code = payload.get("code")
    code = None if raw_code is None else text(raw_code) if not isinstance(raw_code, list | dict) else None
    error = _optional_text(payload.get("error"))
    msg = _optional_text(payload.get("msg")) or ""
    number = _as_int(code)
    if status >= 400:
        raise classify(operation, status, code, error, msg)
    if number is not None and number >= 400:
        raise classify(operation, number, code, error, msg)
    if error is not None:
        raise classify(operation, status, code, error, msg)
    return Envelope(number, msg, payload.get("data"), payload)


def _structure(operation: Operation, status: int, body: bytes, value: Any, cls: type[T]) -> T:
    try:
        return structure(value, cls)
    except Exception as exc:  # cattrs raises KeyError/TypeError/ValueError and its own
        raise UnexpectedResponseError(
            f"{cls.__name__} could not be read: {type(exc).__name__}",
            operation=operation.name,
            status=status,
            excerpt=excerpt(body),
        ) from None


def _first(data: Any) -> Any:
    return data[0] if isinstance(data, list) and data else data


def decode_created_agent(status: int, headers: Mapping[str, str], body: bytes) -> CreatedAgent:
    envelope = read_envelope(CREATE_AGENT, status, body, headers)
    return _structure(CREATE_AGENT, status, body, _first(envelope.data), CreatedAgent)


def decode_agents(status: int, headers: Mapping[str, str], body: bytes) -> tuple[Agent, ...]:
    """The agents report; a 404 means no agent matched (reports answer so when empty)."""
    try:
        envelope = read_envelope(LIST_AGENTS, status, body, headers)
    except NotFoundError as exc:
        if type(exc) is NotFoundError:
            return ()
        raise
    data = envelope.data
    if data is None or data == "":
        return ()
    rows = data if isinstance(data, list) else [data]
    return tuple(_structure(LIST_AGENTS, status, body, row, Agent) for row in rows)


def decode_dial(status: int, headers: Mapping[str, str], body: bytes) -> DialResult:
    """A dial that the server accepted. A missing conn_id is tolerated: the call rang."""
    envelope = read_envelope(DIAL, status, body, headers)
    data = envelope.data if isinstance(envelope.data, dict) else {}
    return _structure(DIAL, status, body, {"conn_id": "", **data, "msg": envelope.msg}, DialResult)


def _acknowledgement(operation: Operation) -> Decoder[Acknowledgement]:
    def decode(status: int, headers: Mapping[str, str], body: bytes) -> Acknowledgement:
        envelope = read_envelope(operation, status, body, headers)
        detail = envelope.data if isinstance(envelope.data, str) else ""
        return Acknowledgement(envelope.code, envelope.msg, detail)

    return decode


decode_enable_agent: Final = _acknowledgement(ENABLE_AGENT)
decode_agent_display: Final = _acknowledgement(AGENT_DISPLAY)

DECODERS: Final[Mapping[str, Decoder[Any]]] = {
    CREATE_AGENT.name: decode_created_agent,
    ENABLE_AGENT.name: decode_enable_agent,
    LIST_AGENTS.name: decode_agents,
    DIAL.name: decode_dial,
    AGENT_DISPLAY.name: decode_agent_display,
}
"""Every operation's decoder, by operation name: what the fuzz tests throw answers at."""


def _bare_array(operation: Operation, status: int, body: bytes, headers: Mapping[str, str]) -> list[Any]:
    """An answer that is a JSON array without the envelope (real-time campaigns); errors keep the envelope."""
    if 200 <= status < 300:
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError):
            payload = None
        if isinstance(payload, list):
            return payload
    envelope = read_envelope(operation, status, body, headers)
    data = envelope.data
    return data if isinstance(data, list) else [] if data in (None, "") else [data]


def _records_of(operation: Operation, status: int, body: bytes, value: Any) -> list[Mapping[str, Any]]:
    if value is None or value == "":
        return []
    rows = value if isinstance(value, list) else [value]
    if not all(isinstance(row, dict) for row in rows):
        raise UnexpectedResponseError(
            "records that are not JSON objects",
            operation=operation.name,
            status=status,
            excerpt=excerpt(body),
        )
    return rows


Build = Callable[[Mapping[str, Any]], Any]


def _build(operation: Operation, status: int, body: bytes, make: Build, row: Mapping[str, Any]) -> Any:
    try:
        return make(row)
    except Exception as exc:  # a model that cannot hold what was sent
        raise UnexpectedResponseError(
            f"a record could not be read: {type(exc).__name__}",
            operation=operation.name,
            status=status,
            excerpt=excerpt(body),
        ) from None


def as_row(row: Mapping[str, Any]) -> Mapping[str, Any]:
    """A record of a report (or the like) as sent, read-only."""
    return MappingProxyType(dict(row))


def decoder(operation: Operation, make: Build = as_row) -> Decoder[Any]:
    """The decoder of any specified operation, by its result's kind; ``make`` turns a record into a result.

    A RECORDS result is a tuple (empty for wolkvox's 404 "no data" where
    ``empty_on_404``); a RECORD result is one; an ACK is an ``Acknowledgement``.
    """
    result = operation.result

    def decode(status: int, headers: Mapping[str, str], body: bytes) -> Any:
        if result.kind is ResultKind.RECORDS and result.key is None:
            try:
                rows = _records_of(operation, status, body, _bare_array(operation, status, body, headers))
            except NotFoundError as exc:
                if result.empty_on_404 and type(exc) is NotFoundError:
                    return ()
                raise
            return tuple(_build(operation, status, body, make, row) for row in rows)
        try:
            envelope = read_envelope(operation, status, body, headers)
        except NotFoundError as exc:
            if result.empty_on_404 and type(exc) is NotFoundError and result.kind is ResultKind.RECORDS:
                return ()
            raise
        if result.kind is ResultKind.ACK:
            detail = envelope.data if isinstance(envelope.data, str) else ""
            return Acknowledgement(envelope.code, envelope.msg, detail)
        value = envelope.answer if result.key is None else envelope.answer.get(result.key)
        rows = _records_of(operation, status, body, value)
        if result.kind is ResultKind.RECORDS:
            return tuple(_build(operation, status, body, make, row) for row in rows)
        if not rows:
            raise UnexpectedResponseError(
                "no record in the answer", operation=operation.name, status=status, excerpt=excerpt(body)
            )
        return _build(operation, status, body, make, rows[0])

    return decode


def decode_any(operation: Operation) -> Decoder[Any]:
    """The answer of an operation the specification does not know: its JSON, after the usual error checks."""

    def decode(status: int, headers: Mapping[str, str], body: bytes) -> Any:
        if 200 <= status < 300:
            try:
                payload = json.loads(body)
            except (ValueError, RecursionError):
                payload = None
            if isinstance(payload, list):
                return payload
        return read_envelope(operation, status, body, headers).answer

    return decode


def quota_was_spent(error: BaseException) -> bool:
    """Whether a failed call still counts against the daily quota.

    Refusals for the token itself (no token, unknown token, quota used up,
    too many simultaneous requests) are decided before the server does any
    work, so they are refunded; anything else may have been counted.
    """
    return not isinstance(error, AuthenticationError | QuotaExhaustedError | ConcurrencyLimitError)
