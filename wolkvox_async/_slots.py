"""A token's request slots: at most ``limit`` in flight, first come first served.

A released slot is handed straight to the longest waiter, so a newcomer can
never overtake the queue, and the waiter does not race anyone for it when it
wakes. A waiter cancelled before its turn is only marked and skipped later
(O(1)); one cancelled after it was handed a slot passes the slot on. Either
way each slot is given back exactly once. State sits behind a
``threading.Lock`` so that tasks on several event loops and threads can share
one token.
"""

from __future__ import annotations

import threading
from collections import deque

from ._waiter import Waiter, new_waiter


class SlotPool:
    __slots__ = ("_in_flight", "_limit", "_lock", "_queue", "_waiting")

    def __init__(self, limit: int) -> None:
        self._lock = threading.Lock()
        self._limit = limit
        self._in_flight = 0
        self._queue: deque[Waiter] = deque()
        self._waiting = 0

    @property
    def limit(self) -> int:
        return self._limit

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def waiting(self) -> int:
        return self._waiting

    def set_limit(self, limit: int) -> None:
        """Change the limit; a higher one lets waiters in at once."""
        with self._lock:
            self._limit = limit
            while self._in_flight < self._limit and self._grant_next():
                self._in_flight += 1

    async def acquire(self) -> None:
        with self._lock:
            if self._in_flight < self._limit and not self._waiting:
                self._in_flight += 1
                return
            waiter = new_waiter()
            self._queue.append(waiter)
            self._waiting += 1
        try:
            await waiter.wait()
        except BaseException:
            with self._lock:
                handed_over = waiter.granted
                if not handed_over:
                    waiter.cancelled = True
                    self._waiting -= 1
            if handed_over:
                self.release()
            raise

    def release(self) -> None:
        with self._lock:
            if not self._grant_next():
                self._in_flight -= 1

    def _grant_next(self) -> bool:
        """Hand a slot to the longest live waiter; the lock is held."""
        while self._queue:
            waiter = self._queue.popleft()
            if waiter.cancelled:
                continue
            self._waiting -= 1
            waiter.granted = True
            if waiter.wake():
                return True
            waiter.granted = False
        return False
