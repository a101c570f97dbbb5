"""wolkvox-async: an asyncio (and trio) client for the wolkvox contact-center API v2.

    async with wolkvox_async.Client(server="0032", token=TOKEN, licences=5) as client:
        agents = await client.list_agents()

See ``wolkvox_async._errors`` for the exception tree. Only the errors are
imported with the package; every other name loads its module when first used
(PEP 562), so that importing the package, or its pytest plugin, costs little.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

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
from ._lazy import attach
from ._version import __version__ as __version__

if TYPE_CHECKING:
    from ._bulk import add_dnc, assign_skills, load_campaign_records, send_messages, set_agents_enabled
    from ._client import Client
    from ._events import CallEvent, RequestEvent, ResponseEvent, RetryEvent, SlotWaitEvent, WindowEvent
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
    from ._provision import AgentRow, ProvisionReport, RowOutcome, RowResult, provision_agents
    from ._records import (
        ActivityCode,
        AgentChats,
        AgentInSkill,
        AgentInteractions,
        AllowedIp,
        Audio,
        AuditLogEntry,
        Campaign,
        Connector,
        DncPhone,
        Latency,
        Law2300Phone,
        Notification,
        RealTimeAgent,
        RealTimeCampaign,
        RealTimeSkill,
        RecentCall,
        RecentHit,
        RoutingPoint,
        ScheduledRecall,
        ServerStatus,
        Services,
        Skill,
        StorageUsage,
        TokenInfo,
    )

_LAZY: Final[Mapping[str, tuple[str, ...]]] = {
    "_bulk": ("add_dnc", "assign_skills", "load_campaign_records", "send_messages", "set_agents_enabled"),
    "_client": ("Client",),
    "_events": ("CallEvent", "RequestEvent", "ResponseEvent", "RetryEvent", "SlotWaitEvent", "WindowEvent"),
    "_jobs": ("ItemOutcome", "ItemResult", "JobReport"),
    "_models": (
        "Acknowledgement",
        "Agent",
        "Button",
        "CreatedAgent",
        "DialResult",
        "Display",
        "Priority",
        "QuotaSnapshot",
        "Secret",
    ),
    "_namespace": ("CallOptions", "Row"),
    "_provision": ("AgentRow", "ProvisionReport", "RowOutcome", "RowResult", "provision_agents"),
    "_records": (
        "ActivityCode",
        "AgentChats",
        "AgentInSkill",
        "AgentInteractions",
        "AllowedIp",
        "Audio",
        "AuditLogEntry",
        "Campaign",
        "Connector",
        "DncPhone",
        "Latency",
        "Law2300Phone",
        "Notification",
        "RealTimeAgent",
        "RealTimeCampaign",
        "RealTimeSkill",
        "RecentCall",
        "RecentHit",
        "RoutingPoint",
        "ScheduledRecall",
        "ServerStatus",
        "Services",
        "Skill",
        "StorageUsage",
        "TokenInfo",
    ),
}
"""Every public name but the errors, by the module its first use loads (``_lazy``)."""

__all__ = [
    "APIError",
    "Acknowledgement",
    "Agent",
    "AgentRow",
    "AuthenticationError",
    "BackendError",
    "BadRequestError",
    "Button",
    "CallEvent",
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
__all__ += [  # the records, in the generated order
    "ActivityCode",
    "AgentChats",
    "AgentInSkill",
    "AgentInteractions",
    "AllowedIp",
    "Audio",
    "AuditLogEntry",
    "Campaign",
    "Connector",
    "DncPhone",
    "Latency",
    "Law2300Phone",
    "Notification",
    "RealTimeAgent",
    "RealTimeCampaign",
    "RealTimeSkill",
    "RecentCall",
    "RecentHit",
    "RoutingPoint",
    "ScheduledRecall",
    "ServerStatus",
    "Services",
    "Skill",
    "StorageUsage",
    "TokenInfo",
]


def _claim(value: object) -> None:
    if isinstance(value, type) and value.__module__.startswith(__name__):
        value.__module__ = __name__  # errors and models pickle, and read, as wolkvox_async.X


if not TYPE_CHECKING:  # mypy flags unknown names still; the lazy ones it sees imported above
    __getattr__, __dir__ = attach(__name__, _LAZY, _claim)

for _name in __all__:
    if _name in globals():  # the errors; the lazy names are claimed as they load
        _claim(globals()[_name])
del _name
