"""One parked task, woken exactly once, on whichever event loop it runs.

The per-token state outlives event loops (``asyncio.run`` twice, a loop per
test, trio), so nothing in it may be bound to a loop. A waiter is created by
the task that waits, on that task's own loop, and woken safely from any
thread. Waking never polls: a future (asyncio) or event (trio) is set once.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Protocol


class Waiter(Protocol):
    granted: bool
    cancelled: bool

    def wake(self) -> bool:
        """Resume the waiting task; False if its event loop is gone."""

    async def wait(self) -> None: ...


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

    async def wait(self) -> None:
        await self._future


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

    async def wait(self) -> None:
        await self._event.wait()


def new_waiter() -> Waiter:
    """A waiter for the calling task, on asyncio or trio."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return _TrioWaiter()
    return _AsyncioWaiter(loop)
