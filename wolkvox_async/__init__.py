"""wolkvox-async: an asyncio (and trio) client for the wolkvox contact-center API v2.

    async with wolkvox_async.Client(server="0032", token=TOKEN, licences=5) as client:
        agents = await client.list_agents()

See ``wolkvox_async._errors`` for the exception tree.
"""

from ._client import Client
from ._errors import (
    APIError,
    AuthenticationError,
    BackendError,
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
from ._provision import (
    AgentRow,
    InsufficientQuotaError,
    ProvisionReport,
    RowOutcome,
    RowResult,
    provision_agents,
)

__version__ = "0.1.0"

__all__ = [
    "APIError",
    "Acknowledgement",
    "Agent",
    "AgentRow",
    "AuthenticationError",
    "BackendError",
    "BadRequestError",
    "Button",
    "Client",
    "ConcurrencyLimitError",
    "ConflictError",
    "CreatedAgent",
    "DialResult",
    "Display",
    "InsufficientQuotaError",
    "InvalidArgumentError",
    "MaintenanceError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PasswordLostError",
    "Priority",
    "ProvisionReport",
    "QueueError",
    "QueueFullError",
    "QueueTimeoutError",
    "QuotaExhaustedError",
    "QuotaSnapshot",
    "RequestEvent",
    "RequestTimeoutError",
    "ResponseEvent",
    "RetryEvent",
    "RowOutcome",
    "RowResult",
    "Secret",
    "ServerError",
    "SlotWaitEvent",
    "TransportError",
    "UnexpectedResponseError",
    "WolkvoxError",
    "provision_agents",
]
