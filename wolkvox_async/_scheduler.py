"""A token's scheduler in one process: its slots, its priority lanes and its quota count.

The in-memory backend (``_memory``) gives one ``TokenScheduler`` per token
to every Client in the process, found by a hash of the token (never the
token itself), so a web service that builds a client per request still
never exceeds the token's limits. It belongs to the process, not to an
event loop.

Waiting: a released slot is handed straight to the next waiter, so nobody
can overtake the queue, and the woken task does not race anyone for it.
Interactive waiters go first; bulk waiters are promised a share (below).
Within a lane, first come first served. A waiter cancelled before its turn
is only marked and skipped later (O(1)); one cancelled after it was handed a
slot passes the slot on: each slot is given back exactly once. Each token
has its own lock; no lock is shared across tokens.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from datetime import date, datetime
from typing import Final, Protocol

import anyio

from ._backend import BULK_SHARE
from ._errors import QueueFullError, QueueTimeoutError
from ._models import Priority, QuotaSnapshot
from ._quota import QuotaPolicy, QuotaUsage
from ._waiter import Waiter, new_waiter

_LANES: Final = tuple(Priority)

HELD: Final = True
"""The slot a ``TokenScheduler`` hands out: its slots need no name."""


class Counts(Protocol):
    """A token's counts, kept apart from the scheduler so they outlive it (the quota lasts a day).

    Called with the token's scheduler lock held.
    """

    def take_slot(self, key: str, limit: int) -> bool:
        """Count one more request in flight, unless ``limit`` are already."""

    def give_slot(self, key: str) -> None: ...

    def take_quota(self, key: str, day: date, ceiling: int | None) -> bool:
        """Count one call on ``day`` unless ``ceiling`` are counted or the quota is spent."""

    def refund_quota(self, key: str, day: date) -> None: ...

    def spend_quota(self, key: str, day: date) -> None:
        """Mark the day's quota spent (the server said so)."""

    def raise_quota(self, key: str, day: date, used: int) -> None:
        """Count at least ``used`` calls on ``day`` (the server's own count)."""

    def quota_usage(self, key: str, day: date) -> QuotaUsage: ...

    def slots_in_use(self, key: str) -> int: ...


class TokenScheduler:
    __slots__ = (
        "__weakref__",
        "_lanes",
        "_lock",
        "_streak",
        "_waiting",
        "backend",
        "key",
        "limit",
        "max_queue",
    )

    def __init__(self, key: str, backend: Counts, limit: int, max_queue: int | None = None) -> None:
        self.key = key
        self.backend = backend
        self.limit = limit
        self.max_queue = max_queue
        self._lock = threading.Lock()
        self._lanes: tuple[deque[Waiter], ...] = tuple(deque() for _ in _LANES)
        self._waiting = [0] * len(_LANES)
        self._streak = 0

    @property
    def in_flight(self) -> int:
        return self.backend.slots_in_use(self.key)

    def waiting(self, priority: Priority | None = None) -> int:
        """Calls waiting for a slot, in one lane or in all."""
        return sum(self._waiting) if priority is None else self._waiting[priority]

    # ------------------------------------------------------------------ slots

    def try_acquire(self) -> bool | None:
        """Take a slot at once if one is free and nobody waits (the common case, without a coroutine)."""
        with self._lock:
            return (not any(self._waiting) and self.backend.take_slot(self.key, self.limit)) or None

    async def acquire(
        self,
        priority: Priority,
        queue_timeout: float | None = None,
        *,
        operation: str = "call",
        front: bool = False,
    ) -> bool:
        """Wait for a slot; pair with ``release()`` in a ``finally``.

        ``queue_timeout`` bounds the wait (``QueueTimeoutError``); ``front`` puts
        the call at the head of its lane (a call the server refused for
        concurrency, which did nothing, keeps its turn).
        """
        with self._lock:
            if not any(self._waiting) and self.backend.take_slot(self.key, self.limit):
                return HELD
            if self.max_queue is not None and self._waiting[priority] >= self.max_queue:
                raise QueueFullError(
                    f"{self._waiting[priority]} {priority.name.lower()} calls already wait for a slot "
                    f"(max_queue={self.max_queue})",
                    operation=operation,
                    priority=priority.name.lower(),
                )
            waiter = new_waiter()
            lane = self._lanes[priority]
            lane.appendleft(waiter) if front else lane.append(waiter)
            self._waiting[priority] += 1
        try:
            await waiter.wait(queue_timeout, lambda: self._expire(waiter, priority))
        except BaseException:
            self._abandon(waiter, priority)
            raise
        if not waiter.granted:
            raise QueueTimeoutError(
                f"no slot within its queue timeout of {queue_timeout} s",
                operation=operation,
                priority=priority.name.lower(),
            )
        return HELD

    def release(self, slot: object = HELD) -> None:
        with self._lock:
            self._pass_on()

    def _pass_on(self) -> None:
        """A slot is free: hand it to the next waiter, unless a lowered limit wants it back; the lock is held."""
        if self.backend.slots_in_use(self.key) > self.limit or not self._grant_next():
            self.backend.give_slot(self.key)

    def set_limits(self, limit: int, max_queue: int | None) -> None:
        """New limits from the newest Client; a higher limit lets waiters in at once."""
        with self._lock:
            self.limit, self.max_queue = limit, max_queue
            while any(self._waiting) and self.backend.take_slot(self.key, limit):
                if not self._grant_next():
                    self.backend.give_slot(self.key)
                    break

    def _next_lane(self) -> Priority | None:
        interactive, bulk = self._waiting
        if interactive and (not bulk or self._streak < BULK_SHARE):
            return Priority.INTERACTIVE
        return Priority.BULK if bulk else None

    def _grant_next(self) -> bool:
        """Hand a slot to the next live waiter; the lock is held."""
        while (priority := self._next_lane()) is not None:
            waiter = self._lanes[priority].popleft()
            if waiter.cancelled:
                continue
            self._waiting[priority] -= 1
            waiter.granted = True
            if waiter.wake():
                self._streak = (
                    self._streak + 1
                    if priority is Priority.INTERACTIVE and self._waiting[Priority.BULK]
                    else 0
                )
                return True
            waiter.granted = False
        return False

    def _drop(self, waiter: Waiter, priority: Priority) -> None:
        waiter.cancelled = True
        self._waiting[priority] -= 1
        if not self._waiting[priority]:
            self._lanes[priority].clear()
            if priority is Priority.BULK:
                self._streak = 0  # the share is owed to bulk calls that wait, not to ones that left

    def _expire(self, waiter: Waiter, priority: Priority) -> None:
        with self._lock:
            if waiter.granted or waiter.cancelled:
                return
            self._drop(waiter, priority)
        waiter.wake()

    def _abandon(self, waiter: Waiter, priority: Priority) -> None:
        with self._lock:
            if waiter.granted:
                self._pass_on()
            elif not waiter.cancelled:
                self._drop(waiter, priority)

    # ------------------------------------------------------------------ quota

    async def take_quota(
        self,
        policy: QuotaPolicy,
        priority: Priority,
        now: datetime,
        *,
        operation: str,
        queue_timeout: float | None = None,
    ) -> None:
        """Count one call, or raise ``QuotaExhaustedError``; with ``policy.wait``, wait for the reset."""
        while True:
            with self._lock:
                if self.backend.take_quota(self.key, policy.day(now), policy.ceiling(priority)):
                    return
            wait = policy.wait_for_reset(priority, now, operation=operation, queue_timeout=queue_timeout)
            await anyio.sleep(wait)
            now = policy.resets_at(now)

    async def refund_quota(self, policy: QuotaPolicy, now: datetime) -> None:
        with self._lock:
            self.backend.refund_quota(self.key, policy.day(now))

    async def spend_quota(self, policy: QuotaPolicy, now: datetime) -> None:
        with self._lock:
            self.backend.spend_quota(self.key, policy.day(now))

    async def raise_quota(self, policy: QuotaPolicy, now: datetime, used: int) -> None:
        with self._lock:
            self.backend.raise_quota(self.key, policy.day(now), used)

    def quota(self, policy: QuotaPolicy, now: datetime) -> QuotaSnapshot:
        with self._lock:
            usage = self.backend.quota_usage(self.key, policy.day(now))
        return policy.snapshot(usage, now)

    async def fetch_quota(self, policy: QuotaPolicy, now: datetime) -> QuotaSnapshot:
        return self.quota(policy, now)


def token_key(token: str) -> str:
    """A stable, non-reversible name for a token, safe to log and to key on."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]
