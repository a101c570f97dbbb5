"""One parked task, woken exactly once, on whichever event loop it runs.

The per-token state outlives event loops (``asyncio.run`` twice, a loop per
test, trio), so nothing in it may be bound to a loop. A waiter is created by
the task that waits, on that task's own loop, and woken safely from any
thread. Waking never polls: a future (asyncio) or event (trio) is set once.

A waiter may carry a deadline. On asyncio all deadlines of a loop share one
timer, armed for the earliest (aiolimiter's approach): 100,000 waiters cost
one timer handle, not 100,000. On trio the deadline is trio's own cancel
scope, which is already a heap entry rather than a timer object.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
import weakref
from collections.abc import Callable
from typing import Protocol


class Waiter(Protocol):
    granted: bool
    cancelled: bool

    def wake(self) -> bool:
        """Resume the waiting task; False if its event loop is gone."""

    async def wait(self, expires_in: float | None, on_expiry: Callable[[], None]) -> None:
        """Wait for ``wake()``; after ``expires_in`` seconds call ``on_expiry`` (which may wake it)."""


class _AsyncioWaiter:
    __slots__ = ("_future", "_loop", "_thread", "cancelled", "granted")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._future: asyncio.Future[None] = loop.create_future()
        self._thread = threading.get_ident()
        self.granted = False
        self.cancelled = False

    def _resolve(self) -> None:
        if not self._future.done():
            self._future.set_result(None)

    def wake(self) -> bool:
        if self._loop.is_closed():
            return False
        if threading.get_ident() == self._thread:
            self._resolve()
        else:
            try:
                self._loop.call_soon_threadsafe(self._resolve)
            except RuntimeError:
                return False
        return True

    async def wait(self, expires_in: float | None, on_expiry: Callable[[], None]) -> None:
        if expires_in is not None:
            _deadlines(self._loop).add(self._loop.time() + expires_in, on_expiry)
        await self._future


class _LoopDeadlines:
    """Every queue deadline of one asyncio loop, behind a single timer."""

    __slots__ = ("__weakref__", "_armed", "_entries", "_handle", "_loop", "_order")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._entries: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._handle: asyncio.TimerHandle | None = None
        self._armed = float("inf")

    def add(self, when: float, callback: Callable[[], None]) -> None:
        heapq.heappush(self._entries, (when, next(self._order), callback))
        if when < self._armed:
            self._arm(when)

    def _arm(self, when: float) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._armed = when
        self._handle = self._loop.call_at(when, self._fire)

    def _fire(self) -> None:
        self._handle, self._armed = None, float("inf")
        now = self._loop.time()
        while self._entries and self._entries[0][0] <= now:
            heapq.heappop(self._entries)[2]()
        if self._entries:
            self._arm(self._entries[0][0])


_loop_deadlines: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopDeadlines] = (
    weakref.WeakKeyDictionary()
)


def _deadlines(loop: asyncio.AbstractEventLoop) -> _LoopDeadlines:
    deadlines = _loop_deadlines.get(loop)
    if deadlines is None:
        deadlines = _loop_deadlines[loop] = _LoopDeadlines(loop)
    return deadlines


class _TrioWaiter:
    __slots__ = ("_event", "_thread", "_token", "cancelled", "granted")

    def __init__(self) -> None:
        import trio

        self._event = trio.Event()
        self._token = trio.lowlevel.current_trio_token()
        self._thread = threading.get_ident()
        self.granted = False
        self.cancelled = False

    def wake(self) -> bool:
        if threading.get_ident() == self._thread:
            self._event.set()
            return True
        import trio

        try:
            self._token.run_sync_soon(self._event.set)
        except trio.RunFinishedError:
            return False
        return True

    async def wait(self, expires_in: float | None, on_expiry: Callable[[], None]) -> None:
        import trio

        if expires_in is None:
            await self._event.wait()
            return
        with trio.move_on_after(expires_in) as scope:
            await self._event.wait()
        if scope.cancelled_caught:
            on_expiry()


def new_waiter() -> Waiter:
    """A waiter for the calling task, on asyncio or trio."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return _TrioWaiter()
    return _AsyncioWaiter(loop)
