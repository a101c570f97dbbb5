"""One parked task, woken exactly once, on whichever event loop it runs.

The per-token state outlives event loops (``asyncio.run`` twice, a loop per
test, trio), so nothing in it may be bound to a loop. A waiter is created by
the task that waits, on that task's own loop, and woken safely from any
thread. Waking never polls: a future (asyncio) or event (trio) is set once.

A waiter may carry a deadline. On asyncio all deadlines of a loop share one
timer (``_timer``): 100,000 waiters cost one timer handle, not 100,000. On
trio the deadline is trio's own cancel scope, already a heap entry rather
than a timer object.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Protocol

from ._timer import loop_timer


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
        if expires_in is None:
            await self._future
            return
        alarm = loop_timer(self._loop).call_in(expires_in, on_expiry)
        try:
            await self._future
        finally:
            alarm.cancel()


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
