"""wolkvox-async: an asyncio (and trio) client for the wolkvox contact-center API v2.

    async with wolkvox_async.Client(server="0032", token=TOKEN, licences=5) as client:
        agents = await client.list_agents()

See ``wolkvox_async._errors`` for the exception tree.
"""

from ._client import Client
from ._errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConcurrencyLimitError,
    ConflictError,
    InvalidArgumentError,
    MaintenanceError,
    NotFoundError,
    OutcomeUnknownError,
    PasswordLostError,
    QueueError,
    QueueFullError,
    QueueTimeoutError,
    QuotaExhaustedError,
    RequestTimeoutError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    WolkvoxError,
)
from ._events import RequestEvent, ResponseEvent, RetryEvent, SlotWaitEvent
from ._models import (
    Acknowledgement,
    Agent,
    Button,
    CreatedAgent,
    DialResult,
    Display,
    Priority,
    QuotaSnapshot,
    Secret,
)

__version__ = "0.1.0"

__all__ = [
    "APIError",
    "Acknowledgement",
    "Agent",
    "AuthenticationError",
    "BadRequestError",
    "Button",
    "Client",
    "ConcurrencyLimitError",
    "ConflictError",
    "CreatedAgent",
    "DialResult",
    "Display",
    "InvalidArgumentError",
    "MaintenanceError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PasswordLostError",
    "Priority",
    "QueueError",
    "QueueFullError",
    "QueueTimeoutError",
    "QuotaExhaustedError",
    "QuotaSnapshot",
    "RequestEvent",
    "RequestTimeoutError",
    "ResponseEvent",
    "RetryEvent",
    "Secret",
    "ServerError",
    "SlotWaitEvent",
    "TransportError",
    "UnexpectedResponseError",
    "WolkvoxError",
]
