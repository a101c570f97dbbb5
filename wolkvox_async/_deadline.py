"""A call's deadline: entered before the call waits, armed only once it gets a slot.

On asyncio, the deadlines of all calls on a loop share one timer (a heap,
like the queue deadlines): arming one costs a heap push instead of a timer
handle, which matters at thousands of calls a second. A call that ends
before its deadline leaves a stale entry, swept once they outnumber the live
ones. On trio it is anyio's cancel scope (trio keeps deadlines in a heap
already). Either way, after the block ``expired`` says whether the deadline
ended it; any other cancellation passes through untouched.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import weakref
from types import TracebackType

import anyio


class _Entry:
    __slots__ = ("done", "fired", "task")

    def __init__(self, task: asyncio.Task[object]) -> None:
        self.task = task
        self.done = False
        self.fired = False


class _LoopTimer:
    """Every armed call deadline of one asyncio loop, behind a single timer handle."""

    __slots__ = ("__weakref__", "_armed", "_entries", "_handle", "_live", "_loop", "_order")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._entries: list[tuple[float, int, _Entry]] = []
        self._order = itertools.count()
        self._handle: asyncio.TimerHandle | None = None
        self._armed = float("inf")
        self._live = 0

    def add(self, when: float, entry: _Entry) -> None:
        heapq.heappush(self._entries, (when, next(self._order), entry))
        self._live += 1
        if when < self._armed:
            self._arm(when)

    def discard(self, entry: _Entry) -> None:
        entry.done = True
        self._live -= 1
        if len(self._entries) > 64 and len(self._entries) > 2 * self._live:
            self._entries = [item for item in self._entries if not item[2].done]
            heapq.heapify(self._entries)

    def _arm(self, when: float) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._armed = when
        self._handle = self._loop.call_at(when, self._fire)

    def _fire(self) -> None:
        self._handle, self._armed = None, float("inf")
        now = self._loop.time()
        while self._entries and self._entries[0][0] <= now:
            entry = heapq.heappop(self._entries)[2]
            if not entry.done:
                entry.fired = True
                entry.task.cancel()
        if self._entries:
            self._arm(self._entries[0][0])


_timers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopTimer] = weakref.WeakKeyDictionary()


def _timer(loop: asyncio.AbstractEventLoop) -> _LoopTimer:
    timer = _timers.get(loop)
    if timer is None:
        timer = _timers[loop] = _LoopTimer(loop)
    return timer


class Deadline:
    __slots__ = ("_entry", "_expired", "_loop", "_scope")

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._entry: _Entry | None = None
        self._scope: anyio.CancelScope | None = None
        self._expired = False

    @property
    def expired(self) -> bool:
        return self._expired

    def start(self, seconds: float) -> None:
        """Arm it: ``seconds`` from now."""
        if self._loop is not None:
            task = asyncio.current_task()
            assert task is not None
            self._entry = _Entry(task)
            _timer(self._loop).add(self._loop.time() + seconds, self._entry)
        elif self._scope is not None:
            self._scope.deadline = anyio.current_time() + seconds

    def __enter__(self) -> Deadline:
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._scope = anyio.CancelScope().__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        if self._scope is not None:
            suppressed = bool(self._scope.__exit__(exc_type, exc, tb))
            self._expired = self._scope.cancelled_caught
            return suppressed
        entry = self._entry
        if entry is None:
            return False
        if not entry.fired:
            assert self._loop is not None
            _timer(self._loop).discard(entry)
            return False
        if (
            exc_type is not None
            and issubclass(exc_type, asyncio.CancelledError)
            and entry.task.uncancel() == 0
        ):
            self._expired = True
            return True
        return False
