"""A token's scheduler: its slots, its priority lanes and its quota, for every Client in the process.

Clients holding the same token share one ``TokenScheduler``, found by a hash
of the token (never the token itself), so a web service that builds a client
per request still never exceeds the token's limits. It belongs to the
process, not to an event loop, and is dropped when no Client holds it.

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
import weakref
from collections import deque
from datetime import datetime
from typing import Final

import anyio

from ._backend import Backend, MemoryBackend
from ._errors import QueueFullError, QueueTimeoutError, QuotaExhaustedError
from ._models import Priority, QuotaSnapshot
from ._quota import QuotaPolicy
from ._waiter import Waiter, new_waiter

BULK_SHARE: Final = 4
"""While both lanes wait, every 5th slot goes to bulk (at most 4 interactive grants in a row).

A share rather than aging: aging needs a clock per grant and still lets an
interactive flood take every slot until some bulk call is old enough; a
fixed share is O(1), needs no clock, and keeps a bulk job moving at no less
than a fifth of the token's capacity whatever arrives, while a lone
interactive call behind a bulk backlog still gets the very next slot.
"""

_LANES: Final = tuple(Priority)


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

    def __init__(self, key: str, backend: Backend, limit: int, max_queue: int | None = None) -> None:
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

    def try_acquire(self) -> bool:
        """Take a slot at once if one is free and nobody waits (the common case, without a coroutine)."""
        with self._lock:
            return not any(self._waiting) and self.backend.take_slot(self.key, self.limit)

    async def acquire(
        self,
        priority: Priority,
        queue_timeout: float | None = None,
        *,
        operation: str = "call",
        front: bool = False,
    ) -> None:
        """Wait for a slot; pair with ``release()`` in a ``finally``.

        ``queue_timeout`` bounds the wait (``QueueTimeoutError``); ``front`` puts
        the call at the head of its lane (a call the server refused for
        concurrency, which did nothing, keeps its turn).
        """
        with self._lock:
            if not any(self._waiting) and self.backend.take_slot(self.key, self.limit):
                return
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

    def release(self) -> None:
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
            resets_at = policy.resets_at(now)
            wait = (resets_at - now).total_seconds()
            if not policy.wait or (queue_timeout is not None and wait > queue_timeout):
                limit = policy.ceiling(priority)
                size = f"of {limit} calls " if limit is not None else ""
                lane = " for the bulk lane" if limit is not None and limit != policy.limit else ""
                raise QuotaExhaustedError(
                    f"the daily quota {size}is used up{lane}",
                    operation=operation,
                    status=None,
                    resets_at=resets_at,
                )
            await anyio.sleep(wait)
            now = resets_at

    def refund_quota(self, policy: QuotaPolicy, now: datetime) -> None:
        with self._lock:
            self.backend.refund_quota(self.key, policy.day(now))

    def spend_quota(self, policy: QuotaPolicy, now: datetime) -> None:
        with self._lock:
            self.backend.spend_quota(self.key, policy.day(now))

    def quota(self, policy: QuotaPolicy, now: datetime) -> QuotaSnapshot:
        with self._lock:
            usage = self.backend.quota_usage(self.key, policy.day(now))
        return policy.snapshot(usage, now)


def token_key(token: str) -> str:
    """A stable, non-reversible name for a token, safe to log and to key on."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


DEFAULT_BACKEND: Final = MemoryBackend()

_schedulers: weakref.WeakValueDictionary[tuple[int, str], TokenScheduler] = weakref.WeakValueDictionary()
_schedulers_lock = threading.Lock()


def scheduler_for(
    key: str, limit: int, max_queue: int | None = None, backend: Backend = DEFAULT_BACKEND
) -> TokenScheduler:
    """The process's scheduler for a token key, created on first use; its limits are the newest given."""
    with _schedulers_lock:
        scheduler = _schedulers.get((id(backend), key))
        if scheduler is None:
            scheduler = _schedulers[id(backend), key] = TokenScheduler(key, backend, limit, max_queue)
            weakref.finalize(scheduler, backend.forget, key)
            return scheduler
    if (scheduler.limit, scheduler.max_queue) != (limit, max_queue):
        scheduler.set_limits(limit, max_queue)
    return scheduler
