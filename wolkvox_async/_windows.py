"""A time range cut into report windows: pure arithmetic on the operation's local wall clock.

Wolkvox takes at most 31 days between ``date_ini`` and ``date_end`` and treats
both ends as inclusive, to the second. So windows are ``[start, start + span -
1 s]``, the next starting the second after: they meet without a gap and without
repeating a second, and a row on a boundary second is in exactly one window. A
window whose answer was cut at the row cap is split in halves the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import attrs

from ._errors import InvalidArgumentError
from ._namespace import CallOptions
from ._spec import DATETIME_FORMAT, Operation

SECOND: Final = timedelta(seconds=1)

MAX_SPAN: Final = timedelta(days=31)
"""Wolkvox's limit between ``date_ini`` and ``date_end``."""


@attrs.frozen(order=True)
class Window:
    """``start`` to ``end``, both included, naive, in the operation's zone, whole seconds."""

    start: datetime
    end: datetime

    @property
    def wire(self) -> tuple[str, str]:
        return self.start.strftime(DATETIME_FORMAT), self.end.strftime(DATETIME_FORMAT)

    def halves(self) -> tuple[Window, Window] | None:
        """Two windows that together cover this one; None for a single second."""
        if self.end <= self.start:
            return None
        middle = self.start + (self.end - self.start) // 2
        middle = middle.replace(microsecond=0)
        return Window(self.start, middle), Window(middle + SECOND, self.end)

    def __str__(self) -> str:
        return f"{self.start.isoformat(sep=' ')} to {self.end.isoformat(sep=' ')}"


def local(moment: datetime | date, zone: ZoneInfo, *, end: bool) -> datetime:
    """An instant as the operation's naive wall-clock time, to the second.

    A ``date`` is its first second, or its last for an end; a naive
    ``datetime`` is already in ``zone``; an aware one is converted.
    """
    if isinstance(moment, datetime):
        wall = moment.astimezone(zone).replace(tzinfo=None) if moment.tzinfo else moment
        return wall.replace(microsecond=0)
    if isinstance(moment, date):
        return datetime.combine(moment, time(23, 59, 59) if end else time(0, 0, 0))
    raise InvalidArgumentError(f"{'end' if end else 'start'} must be a datetime or a date, got {moment!r}")


def plan(start: datetime, end: datetime, span: timedelta = MAX_SPAN) -> list[Window]:
    """The windows from ``start`` to ``end`` (both included), each at most ``span`` long."""
    if end < start:
        raise InvalidArgumentError(f"the range ends ({end}) before it starts ({start})")
    if not SECOND <= span <= MAX_SPAN:
        raise InvalidArgumentError(f"window must be from 1 second to 31 days, got {span}")
    windows = []
    at = start
    while at <= end:
        last = min(at + span - SECOND, end)
        windows.append(Window(at, last))
        at = last + SECOND
    return windows


@attrs.frozen
class ReportJob:
    """A report over a range, planned: its windows, its other parameters, the cap, how far ahead to fetch."""

    operation: Operation
    windows: tuple[Window, ...]
    params: Mapping[str, object]
    row_cap: int
    ahead: int
    options: CallOptions


def stamp(text: str) -> datetime:
    return datetime.strptime(text, DATETIME_FORMAT)
