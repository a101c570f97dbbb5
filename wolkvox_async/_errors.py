"""The exceptions raised by wolkvox-async.

Every error is a ``WolkvoxError``; catch the narrowest one you can act on::

    WolkvoxError
    ├── InvalidArgumentError        (also a ValueError) bad input; nothing was sent or counted
    ├── QueueError                  no slot for the call; nothing was sent or counted
    │   ├── QueueTimeoutError       it waited longer than its queue_timeout
    │   └── QueueFullError          its lane already had max_queue calls waiting (load shedding)
    ├── TransportError              no answer; ``may_have_reached_server`` says if it could have acted
    │   ├── RequestTimeoutError
    │   └── OutcomeUnknownError     a call that must not be repeated (dial, create_agent)
    │                               may have acted and its answer was lost
    ├── PasswordLostError           create_agent's answer was lost, and the agent exists:
    │                               it was created, its password is unknown
    ├── APIError                    the API answered with an error: status, code, error, msg
    │   ├── BadRequestError         400: unknown api, missing parameters
    │   ├── AuthenticationError     401, or 403 "PLEASE VALIDATE TOKEN"
    │   ├── QuotaExhaustedError     403 "TOKEN LIMIT EXCEEDED", or the local count is spent;
    │   │   │                       ``resets_at`` says when calls may resume
    │   │   └── InsufficientQuotaError  a job needs more calls than today's quota has left;
    │   │                           refused before the first (``needed``, ``remaining``)
    │   ├── ConcurrencyLimitError   403 "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS"
    │   ├── MaintenanceError        any other 403: wolkvox answers so during maintenance
    │   ├── NotFoundError           404
    │   ├── ConflictError           409, or a 404 saying the thing already exists
    │   └── ServerError             5xx
    ├── UnexpectedResponseError     the answer is not what the API documents
    │   │                           (HTML, truncated or non-object JSON, missing fields,
    │   │                           a 404 that is not wolkvox's)
    │   ├── ResponseTooLargeError   the answer grew past the size limit while it was read
    │   ├── RedirectError           the server answered with a redirect: never followed
    │   └── TooManyRowsError        one second of a report holds the row cap: wolkvox cuts the rest
    ├── BackendError                the shared backend (Redis) could not be reached or used;
    │                               the call was not sent
    ├── UsageError                  (also a RuntimeError) the Client cannot be used so; nothing was sent
    │   ├── ClientClosedError       the Client, or the http_client it was given, is closed
    │   └── WrongEventLoopError     a Client belongs to the event loop (and thread) it was first used on
    └── MissingExtraError           (also an ImportError) an optional part needs an extra installed

No message or repr contains the API token or an agent's password. Every error
pickles (for multiprocessing pools and task queues), and its message names the
operation and, where there was an answer, the HTTP status and a masked excerpt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

__all__ = [
    "APIError",
    "AuthenticationError",
    "BackendError",
    "BadRequestError",
    "ClientClosedError",
    "ConcurrencyLimitError",
    "ConflictError",
    "InsufficientQuotaError",
    "InvalidArgumentError",
    "MaintenanceError",
    "MissingExtraError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PasswordLostError",
    "QueueError",
    "QueueFullError",
    "QueueTimeoutError",
    "QuotaExhaustedError",
    "RedirectError",
    "RequestTimeoutError",
    "ResponseTooLargeError",
    "ServerError",
    "TooManyRowsError",
    "TransportError",
    "UnexpectedResponseError",
    "UsageError",
    "WolkvoxError",
    "WrongEventLoopError",
]


class WolkvoxError(Exception):
    """Root of every error this library raises.

    Pickled with its attributes, whatever its ``__init__`` takes: errors
    cross process boundaries in multiprocessing pools and task queues.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, (type(self), self.args, dict(vars(self)))


def _rebuilt(cls: type[WolkvoxError], args: tuple[Any, ...], state: dict[str, Any]) -> WolkvoxError:
    """An unpickled error: its args and attributes back, without calling its ``__init__``."""
    error = cls.__new__(cls, *args)
    error.args = args
    vars(error).update(state)
    return error


class InvalidArgumentError(WolkvoxError, ValueError):
    """An argument was refused before anything was sent or counted."""


class QueueError(WolkvoxError):
    """The call got no slot of its token; nothing was sent or counted."""

    def __init__(self, message: str, *, operation: str, priority: str) -> None:
        super().__init__(f"{operation}: {message}")
        self.operation = operation
        self.priority = priority


class QueueTimeoutError(QueueError):
    """The call waited for a slot longer than its ``queue_timeout``."""


class QueueFullError(QueueError):
    """The call's lane already had ``max_queue`` calls waiting: shed, not queued."""


class TransportError(WolkvoxError):
    """The request got no HTTP answer (connection, timeout, protocol failure).

    ``may_have_reached_server`` is False only when the request surely never
    left (the connection was never made), so it is safe to send again.
    """

    def __init__(self, message: str, *, operation: str, may_have_reached_server: bool) -> None:
        super().__init__(message)
        self.operation = operation
        self.may_have_reached_server = may_have_reached_server


class RequestTimeoutError(TransportError):
    """The HTTP exchange took longer than the configured timeout."""


class OutcomeUnknownError(TransportError):
    """A call that must not run twice may have acted, and its answer was lost.

    Raised for ``dial`` and ``create_agent``: sending them again could ring a
    customer twice or create a second agent. Check the outcome (the call
    log, ``list_agents``) before trying again.
    """

    def __init__(self, message: str, *, operation: str) -> None:
        super().__init__(message, operation=operation, may_have_reached_server=True)


class PasswordLostError(WolkvoxError):
    """``create_agent`` acted but its answer, with the only copy of the password, was lost.

    Found by looking the dni up after the answer was lost (or by the server
    refusing the dni as taken when the call was sent again). ``agent_id`` is
    the agent's id when the lookup found it. Set a new password in wolkvox.
    """

    def __init__(self, message: str, *, agent_id: str | None) -> None:
        super().__init__(message)
        self.operation = "create_agent"
        self.agent_id = agent_id


class APIError(WolkvoxError):
    """The API answered with an error.

    ``status`` is the HTTP status (None when the library decided before
    sending); ``code``, ``error`` and ``msg`` are the envelope's fields as
    the server sent them, secrets masked.
    """

    def __init__(
        self,
        msg: str,
        *,
        operation: str,
        status: int | None,
        code: str | None = None,
        error: str | None = None,
    ) -> None:
        super().__init__(msg)
        self.operation = operation
        self.status = status
        self.code = code
        self.error = error
        self.msg = msg

    def __str__(self) -> str:
        where = f"HTTP {self.status}" if self.status is not None else "before sending"
        detail = f"{self.error}: {self.msg}" if self.error else self.msg
        return f"{self.operation}: {detail} ({where})"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(operation={self.operation!r}, status={self.status!r}, "
            f"code={self.code!r}, error={self.error!r}, msg={self.msg!r})"
        )


class BadRequestError(APIError):
    """400: the API does not exist or a parameter is missing."""


class AuthenticationError(APIError):
    """401 (no token) or 403 "PLEASE VALIDATE TOKEN" (unknown token)."""


class QuotaExhaustedError(APIError):
    """The token's daily quota is used up until ``resets_at``."""

    def __init__(
        self,
        msg: str,
        *,
        operation: str,
        status: int | None,
        resets_at: datetime | None,
        code: str | None = None,
        error: str | None = None,
    ) -> None:
        super().__init__(msg, operation=operation, status=status, code=code, error=error)
        self.resets_at = resets_at

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text}; resets at {self.resets_at.isoformat()}" if self.resets_at else text


class InsufficientQuotaError(QuotaExhaustedError):
    """A job needs more calls than today's quota has left; refused before its first call."""

    def __init__(
        self,
        needed: int,
        remaining: int,
        resets_at: datetime | None,
        *,
        operation: str = "provision_agents",
        hint: str = "",
    ) -> None:
        message = f"{needed:,} calls needed, {remaining:,} left today" + (f"; {hint}" if hint else "")
        super().__init__(message, operation=operation, status=None, resets_at=resets_at)
        self.needed = needed
        self.remaining = remaining


class ConcurrencyLimitError(APIError):
    """403: the token already had its simultaneous requests in flight.

    The server did nothing. Seen from this library it means another process
    or host is using the same token.
    """


class MaintenanceError(APIError):
    """A 403 the API does not explain; wolkvox answers so during maintenance."""


class NotFoundError(APIError):
    """404 with wolkvox's own answer: the agent (or the data asked for) does not exist."""


class ConflictError(APIError):
    """The thing to create already exists (409, or a 404 saying so)."""


class ServerError(APIError):
    """5xx: the server failed."""


class UnexpectedResponseError(WolkvoxError):
    """The answer does not have the documented shape.

    ``status`` is the HTTP status; ``excerpt`` the start of the body, with
    secrets masked (the message shows its first line or so).
    """

    EXCERPT_IN_MESSAGE = 120

    def __init__(self, message: str, *, operation: str, status: int, excerpt: str = "") -> None:
        super().__init__(message)
        self.operation = operation
        self.status = status
        self.excerpt = excerpt

    @property
    def reason(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __str__(self) -> str:
        text = f"{self.operation}: {self.reason} (HTTP {self.status})"
        if not self.excerpt:
            return text
        shown = self.excerpt[: self.EXCERPT_IN_MESSAGE]
        more = "..." if len(self.excerpt) > len(shown) else ""
        return f"{text}: {shown!r}{more}"


class ResponseTooLargeError(UnexpectedResponseError):
    """The answer grew past ``limit`` bytes (decoded) while it was read; nothing of it is kept.

    The connection is closed rather than drained. Raise the Client's
    ``max_response_size`` if the answer is legitimately that big.
    """

    def __init__(self, *, operation: str, status: int, limit: int) -> None:
        super().__init__(
            f"the answer is larger than the limit of {limit:,} bytes", operation=operation, status=status
        )
        self.limit = limit


class RedirectError(UnexpectedResponseError):
    """The server answered with a redirect; API calls never follow one.

    Following it would send the token to wherever it points. ``location`` is
    where it pointed, without its query (which may hold anything).
    """

    def __init__(self, *, operation: str, status: int, location: str) -> None:
        where = f" to {location}" if location else ""
        super().__init__(f"redirected{where}; not followed", operation=operation, status=status)
        self.location = location


class TooManyRowsError(UnexpectedResponseError):
    """A window of one second still answered the row cap: wolkvox cut rows that no smaller window can get.

    Never a silent loss: the report is stopped here. ``window`` names the second.
    """

    def __init__(self, *, operation: str, window: str, cap: int) -> None:
        super().__init__(
            f"{window} alone holds {cap:,} rows or more; wolkvox cuts the rest of them",
            operation=operation,
            status=200,
        )
        self.window = window
        self.cap = cap


class BackendError(WolkvoxError):
    """The backend that shares a token's limits (Redis) failed; the call was not sent.

    Raised before sending, so it is always safe to try again once the
    backend is back. A slot or a refund it could not give back is retried
    in the background, and a lease it holds expires on its own.
    """

    def __init__(self, message: str, *, operation: str | None = None) -> None:
        super().__init__(f"{operation}: {message}" if operation else message)
        self.operation = operation


class UsageError(WolkvoxError, RuntimeError):
    """The Client was used in a way it cannot work; nothing was sent or counted."""

    def __init__(self, message: str, *, operation: str | None = None) -> None:
        super().__init__(f"{operation}: {message}" if operation else message)
        self.operation = operation


class ClientClosedError(UsageError):
    """The Client was closed, or the ``http_client`` it was given is closed."""


class WrongEventLoopError(UsageError):
    """A Client was used on an event loop (or thread) other than the one it first ran on.

    Its connections belong to that loop. Make one Client per event loop: the
    token's slots and quota are still shared by every Client in the process
    (and across processes with ``RedisBackend``).
    """


class MissingExtraError(WolkvoxError, ImportError):
    """An optional part of the library needs packages that are not installed.

    ``extra`` names what to install: ``pip install 'wolkvox-async[<extra>]'``.
    """

    def __init__(self, feature: str, extra: str, missing: str) -> None:
        super().__init__(
            f"{feature} needs {missing}, which is not installed: pip install 'wolkvox-async[{extra}]'"
        )
        self.feature = feature
        self.extra = extra
        self.missing = missing


def unwrapped(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The error an internal task group stands for: the library's own first, else whatever came first.

    Callers see the errors they can catch, never an ``ExceptionGroup`` of ours.
    """
    leaves: list[BaseException] = []

    def walk(error: BaseException) -> None:
        if isinstance(error, BaseExceptionGroup):
            for inner in error.exceptions:
                walk(inner)
        else:
            leaves.append(error)

    walk(group)
    return next((e for e in leaves if isinstance(e, WolkvoxError)), leaves[0])
