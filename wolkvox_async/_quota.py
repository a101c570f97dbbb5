"""The daily quota: how many calls a token may make until local midnight.

Wolkvox allows licences x 1000 calls a day per token; the agentbox calls are
free. When the day turns over is not documented; wolkvox operates from
Colombia, so the default is midnight in ``America/Bogota``. Calls are taken
from the count *before* they are sent and refunded when the server surely
did no work, so the count can never overrun, even with many calls waiting.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from ._errors import InvalidArgumentError
from ._models import QuotaSnapshot

DEFAULT_TIMEZONE = "America/Bogota"
CALLS_PER_LICENCE = 1000


def now() -> datetime:
    """The current time; tests replace it to move the clock."""
    return datetime.now(UTC)


def timezone(name: object) -> ZoneInfo:
    if isinstance(name, ZoneInfo):
        return name
    if not isinstance(name, str):
        raise InvalidArgumentError(f"quota_timezone must be an IANA zone name, got {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidArgumentError(f"quota_timezone {name!r} is not a known IANA zone") from None


@attrs.frozen
class QuotaPolicy:
    """A client's view of its token's quota: how many calls, and where the day ends."""

    limit: int | None
    zone: ZoneInfo

    def day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def resets_at(self, moment: datetime) -> datetime:
        tomorrow = self.day(moment) + timedelta(days=1)
        return datetime.combine(tomorrow, time(0), tzinfo=self.zone)


class QuotaCounter:
    """Calls taken today by one token in this process."""

    __slots__ = ("_day", "_lock", "_spent", "_used")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._day: date | None = None
        self._used = 0
        self._spent = False

    def _roll(self, day: date) -> None:
        if day != self._day:
            self._day, self._used, self._spent = day, 0, False

    def take(self, policy: QuotaPolicy, moment: datetime) -> bool:
        """Count one call, or return False if today's quota is used up."""
        with self._lock:
            self._roll(policy.day(moment))
            if self._spent or (policy.limit is not None and self._used >= policy.limit):
                return False
            self._used += 1
            return True

    def refund(self, policy: QuotaPolicy, moment: datetime) -> None:
        with self._lock:
            if self._day == policy.day(moment) and self._used > 0:
                self._used -= 1

    def mark_spent(self, policy: QuotaPolicy, moment: datetime) -> None:
        """The server said the quota is used up: believe it until the reset."""
        with self._lock:
            self._roll(policy.day(moment))
            self._spent = True

    def snapshot(self, policy: QuotaPolicy, moment: datetime) -> QuotaSnapshot:
        with self._lock:
            self._roll(policy.day(moment))
            used = self._used
            if self._spent and policy.limit is not None:
                used = max(used, policy.limit)
            return QuotaSnapshot(used=used, limit=policy.limit, resets_at=policy.resets_at(moment))
