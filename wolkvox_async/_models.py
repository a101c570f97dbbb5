"""What the endpoints return: frozen attrs classes, and the enums they take."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import attrs

__all__ = [
    "Acknowledgement",
    "Agent",
    "Button",
    "CreatedAgent",
    "DialResult",
    "Display",
    "Priority",
    "QuotaSnapshot",
    "Secret",
]

_MASK: Final = "********"


class Secret:
    """A value that must not be printed: an agent's password.

    ``repr``, ``str`` and f-strings show a mask; ``reveal()`` reads the value,
    so that every place that touches it is explicit and easy to search for.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({_MASK!r})"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, spec: str) -> str:
        return format(_MASK, spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> Any:
        raise TypeError("a Secret is not pickled; reveal() it explicitly where it must be stored")


class Priority(enum.IntEnum):
    """Which lane a call waits in for one of its token's slots.

    A waiting interactive call takes the next free slot ahead of every bulk
    call; bulk calls still get a guaranteed share (see the scheduler).
    """

    INTERACTIVE = 0
    BULK = 1


class Button(enum.Enum):
    """The agentbox buttons ``agent_display`` shows or hides (values are the wire words)."""

    HANGUP = "hungup"
    DISPOSITION = "disposition"
    DIAL = "dial"


class Display(enum.Enum):
    SHOW = "show"
    HIDE = "hide"


def _parse_last_use(raw: str) -> datetime | None:
    """``last_use`` is "YYYY-mm-dd HH:MM:SS" in the server's local time, or empty or "-"."""
    try:
        return datetime.strptime(raw.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


@attrs.frozen
class Agent:
    """One row of the agents report.

    Values are kept as the server sent them (strings). ``last_use_at`` is
    ``last_use`` parsed as a naive datetime in the server's local time, or
    None when it is empty or not a date. Fields the API adds later land in
    ``extra`` untouched.
    """

    agent_id: str
    agent_name: str = ""
    agent_dni: str = ""
    agent_status: str = ""
    agent_sso: str = ""
    last_use: str = ""
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    last_use_at: datetime | None = attrs.field(
        default=attrs.Factory(lambda self: _parse_last_use(self.last_use), takes_self=True)
    )

    @property
    def enabled(self) -> bool | None:
        """The report's newer ``enabled`` field ("yes"/"no"), or None when absent."""
        value = str(self.extra.get("enabled", "")).strip().lower()
        return {"yes": True, "no": False, "1": True, "0": False}.get(value)


@attrs.frozen
class CreatedAgent:
    """A new agent. Its password is shown by wolkvox this once: store it."""

    agent_id: str
    password: Secret


@attrs.frozen
class DialResult:
    """A dial the server accepted; ``conn_id`` identifies the call (may be empty)."""

    conn_id: str = ""
    msg: str = ""


@attrs.frozen
class Acknowledgement:
    """The server's word that ``enable_agent`` or ``agent_display`` was done."""

    code: int | None
    msg: str
    detail: str = ""


@attrs.frozen
class QuotaSnapshot:
    """The token's daily quota as this process counts it.

    ``limit`` and ``remaining`` are None when no limit was configured
    (neither ``licences`` nor ``daily_quota``); ``reserve`` calls of the
    limit are kept for the interactive lane; ``resets_at`` is the next
    midnight in the quota's timezone.
    """

    used: int
    limit: int | None
    resets_at: datetime
    reserve: int = 0

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)
