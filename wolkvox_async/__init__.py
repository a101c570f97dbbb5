"""wolkvox-async: an asyncio (and trio) client for the wolkvox contact-center API v2.

    async with wolkvox_async.Client(server="0032", token=TOKEN, licences=5) as client:
        agents = await client.list_agents()

See ``wolkvox_async._errors`` for the exception tree.
"""

from . import _records
from ._bulk import add_dnc, assign_skills, load_campaign_records, send_messages, set_agents_enabled
from ._client import Client
from ._errors import (
    APIError,
    AuthenticationError,
    BackendError,
    BadRequestError,
    ClientClosedError,
    ConcurrencyLimitError,
    ConflictError,
    InsufficientQuotaError,
    InvalidArgumentError,
    MaintenanceError,
    MissingExtraError,
    NotFoundError,
    OutcomeUnknownError,
    PasswordLostError,
    QueueError,
    QueueFullError,
    QueueTimeoutError,
    QuotaExhaustedError,
    RedirectError,
    RequestTimeoutError,
    ResponseTooLargeError,
    ServerError,
    TooManyRowsError,
    TransportError,
    UnexpectedResponseError,
    UsageError,
    WolkvoxError,
    WrongEventLoopError,
)
from ._events import RequestEvent, ResponseEvent, RetryEvent, SlotWaitEvent, WindowEvent
from ._jobs import ItemOutcome, ItemResult, JobReport
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
from ._namespace import CallOptions, Row
from ._provision import (
    AgentRow,
    ProvisionReport,
    RowOutcome,
    RowResult,
    provision_agents,
)
from ._records import *  # noqa: F403  (the record models the specification names, generated)

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
    "CallOptions",
    "Client",
    "ClientClosedError",
    "ConcurrencyLimitError",
    "ConflictError",
    "CreatedAgent",
    "DialResult",
    "Display",
    "InsufficientQuotaError",
    "InvalidArgumentError",
    "ItemOutcome",
    "ItemResult",
    "JobReport",
    "MaintenanceError",
    "MissingExtraError",
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
    "RedirectError",
    "RequestEvent",
    "RequestTimeoutError",
    "ResponseEvent",
    "ResponseTooLargeError",
    "RetryEvent",
    "Row",
    "RowOutcome",
    "RowResult",
    "Secret",
    "ServerError",
    "SlotWaitEvent",
    "TooManyRowsError",
    "TransportError",
    "UnexpectedResponseError",
    "UsageError",
    "WindowEvent",
    "WolkvoxError",
    "WrongEventLoopError",
    "add_dnc",
    "assign_skills",
    "load_campaign_records",
    "provision_agents",
    "send_messages",
    "set_agents_enabled",
]
__all__ += _records.__all__

for _name in __all__:
    _public = globals()[_name]
    if isinstance(_public, type) and _public.__module__.startswith(__name__):
        _public.__module__ = __name__  # errors pickle, and read, as wolkvox_async.X
del _name, _public
