"""A call's deadline: entered before the call waits, armed only once it gets a slot.

On asyncio, the deadlines of all calls on a loop share one timer
(``_timer``, like the queue deadlines): arming one costs a heap push instead
of a timer handle, which matters at thousands of calls a second. On trio it
is anyio's cancel scope (trio keeps deadlines in a heap already). Either way, after the block ``expired`` says whether the deadline
ended it; any other cancellation passes through untouched.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

import anyio

from ._timer import Alarm, loop_timer


class Deadline:
    __slots__ = ("_alarm", "_expired", "_fired", "_loop", "_scope", "_task")

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[object] | None = None
        self._alarm: Alarm | None = None
        self._scope: anyio.CancelScope | None = None
        self._fired = False
        self._expired = False

    @property
    def expired(self) -> bool:
        return self._expired

    def start(self, seconds: float) -> None:
        """Arm it: ``seconds`` from now."""
        if self._loop is not None:
            self._task = asyncio.current_task()
            self._alarm = loop_timer(self._loop).call_in(seconds, self._fire)
        elif self._scope is not None:
            self._scope.deadline = anyio.current_time() + seconds

    def _fire(self) -> None:
        assert self._task is not None
        self._fired = True
        self._task.cancel()

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
        if self._alarm is None:
            return False
        if not self._fired:
            self._alarm.cancel()
            return False
        assert self._task is not None
        if (
            exc_type is not None
            and issubclass(exc_type, asyncio.CancelledError)
            and self._task.uncancel() == 0
        ):
            self._expired = True
            return True
        return False
