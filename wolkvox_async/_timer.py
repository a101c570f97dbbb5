"""Callbacks at given times on one asyncio loop, behind a single timer handle (aiolimiter's way).

Queue deadlines and call deadlines are armed by the thousand a second;
each costs a heap push here instead of a timer handle of the loop's.
A cancelled entry stays in the heap until it is due, or until cancelled
entries outnumber live ones, when they are swept.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import weakref
from collections.abc import Callable


class Alarm:
    """One armed callback; ``cancel()`` it when it is no longer wanted."""

    __slots__ = ("_timer", "callback", "cancelled")

    def __init__(self, timer: LoopTimer, callback: Callable[[], None]) -> None:
        self._timer = timer
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        if not self.cancelled:
            self.cancelled = True
            self._timer._cancelled_one()


class LoopTimer:
    __slots__ = ("__weakref__", "_armed", "_entries", "_handle", "_live", "_loop", "_order")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._entries: list[tuple[float, int, Alarm]] = []
        self._order = itertools.count()
        self._handle: asyncio.TimerHandle | None = None
        self._armed = float("inf")
        self._live = 0

    def call_in(self, seconds: float, callback: Callable[[], None]) -> Alarm:
        when = self._loop.time() + seconds
        alarm = Alarm(self, callback)
        heapq.heappush(self._entries, (when, next(self._order), alarm))
        self._live += 1
        if when < self._armed:
            if self._handle is not None:
                self._handle.cancel()
            self._arm(when)
        return alarm

    @property
    def pending(self) -> int:
        """Entries in the heap, cancelled ones included (for tests)."""
        return len(self._entries)

    def _cancelled_one(self) -> None:
        self._live -= 1
        if len(self._entries) > 64 and len(self._entries) > 2 * self._live:
            self._entries = [entry for entry in self._entries if not entry[2].cancelled]
            heapq.heapify(self._entries)

    def _arm(self, when: float) -> None:
        self._armed = when
        self._handle = self._loop.call_at(when, self._fire)

    def _fire(self) -> None:
        self._handle, self._armed = None, float("inf")
        now = self._loop.time()
        while self._entries and self._entries[0][0] <= now:
            alarm = heapq.heappop(self._entries)[2]
            if not alarm.cancelled:
                alarm.cancelled = True
                self._live -= 1
                alarm.callback()
        if self._entries:
            self._arm(self._entries[0][0])


_timers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LoopTimer] = weakref.WeakKeyDictionary()


def loop_timer(loop: asyncio.AbstractEventLoop) -> LoopTimer:
    """The timer of ``loop``; call from that loop's thread."""
    timer = _timers.get(loop)
    if timer is None:
        timer = _timers[loop] = LoopTimer(loop)
    return timer
