"""The daily quota: how many calls a token may make until local midnight.

Wolkvox allows licences x 1000 calls a day per token; the agentbox calls are
free. When the day turns over is not documented; wolkvox operates from
Colombia, so the default is midnight in ``America/Bogota``. Calls are taken
from the count *before* they are sent and refunded when the server surely
did no work, so the count can never overrun, even with many calls waiting.
The count itself lives in a backend; this module holds the rules.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from ._errors import InvalidArgumentError, QuotaExhaustedError
from ._models import Priority, QuotaSnapshot

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
class QuotaUsage:
    """Calls counted on a day, and whether the server said the quota is spent."""

    used: int
    spent: bool


@attrs.frozen
class QuotaPolicy:
    """A client's view of its token's quota: how many calls, where the day ends, who may spend the rest.

    ``reserve`` calls (a fraction of the limit, rounded up) may be spent only
    by the interactive lane, so that a bulk job cannot leave an IVR without
    quota. ``wait``: when the quota is used up, wait for the reset instead of
    raising (within the call's queue timeout).
    """

    limit: int | None
    zone: ZoneInfo
    reserve_fraction: float = 0.0
    wait: bool = False

    @property
    def reserve(self) -> int:
        return 0 if self.limit is None else math.ceil(self.limit * self.reserve_fraction)

    def ceiling(self, priority: Priority) -> int | None:
        """How many calls a day this lane may take."""
        if self.limit is None or priority is Priority.INTERACTIVE:
            return self.limit
        return self.limit - self.reserve

    def day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def resets_at(self, moment: datetime) -> datetime:
        tomorrow = self.day(moment) + timedelta(days=1)
        return datetime.combine(tomorrow, time(0), tzinfo=self.zone)

    def snapshot(self, usage: QuotaUsage, moment: datetime) -> QuotaSnapshot:
        used = max(usage.used, self.limit) if usage.spent and self.limit is not None else usage.used
        return QuotaSnapshot(
            used=used, limit=self.limit, resets_at=self.resets_at(moment), reserve=self.reserve
        )

    def wait_for_reset(
        self, priority: Priority, now: datetime, *, operation: str, queue_timeout: float | None
    ) -> float:
        """The lane's quota is used up: seconds to wait for the reset, or ``QuotaExhaustedError``."""
        resets_at = self.resets_at(now)
        wait = (resets_at - now).total_seconds()
        if self.wait and (queue_timeout is None or wait <= queue_timeout):
            return wait
        limit = self.ceiling(priority)
        size = f"of {limit} calls " if limit is not None else ""
        lane = " for the bulk lane" if limit is not None and limit != self.limit else ""
        raise QuotaExhaustedError(
            f"the daily quota {size}is used up{lane}", operation=operation, status=None, resets_at=resets_at
        )
