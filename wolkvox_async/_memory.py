"""The default backend: a token's limits kept in this process's memory, for any number of event loops."""

from __future__ import annotations

import threading
import weakref
from datetime import date

import attrs

from ._quota import QuotaUsage
from ._scheduler import TokenScheduler


@attrs.define
class _Counts:
    slots: int = 0
    day: date | None = None
    used: int = 0
    spent: bool = False

    def on(self, day: date) -> _Counts:
        if day != self.day:
            self.day, self.used, self.spent = day, 0, False
        return self

    @property
    def idle(self) -> bool:
        return self.slots == 0 and self.used == 0 and not self.spent


class MemoryBackend:
    """Slots and quota counted in memory: one process, every Client of a token sharing them.

    A token's scheduler lives while a Client holds it; its counts (today's
    quota above all) while they hold anything: they are dropped when the
    scheduler is gone and no slot is in use and no call is counted today.
    """

    __slots__ = ("__weakref__", "_counts", "_schedulers", "_schedulers_lock")

    def __init__(self) -> None:
        self._counts: dict[str, _Counts] = {}
        self._schedulers: weakref.WeakValueDictionary[str, TokenScheduler] = weakref.WeakValueDictionary()
        self._schedulers_lock = threading.Lock()

    def scheduler(self, key: str, limit: int, max_queue: int | None = None) -> TokenScheduler:
        """The process's scheduler for a token key, created on first use; its limits are the newest given."""
        with self._schedulers_lock:
            scheduler = self._schedulers.get(key)
            if scheduler is None:
                scheduler = self._schedulers[key] = TokenScheduler(key, self, limit, max_queue)
                weakref.finalize(scheduler, self.forget, key)
                return scheduler
        if (scheduler.limit, scheduler.max_queue) != (limit, max_queue):
            scheduler.set_limits(limit, max_queue)
        return scheduler

    # The counts a TokenScheduler keeps here (``_scheduler.Counts``), called under its lock.

    def _entry(self, key: str) -> _Counts:
        counts = self._counts.get(key)
        if counts is None:
            counts = self._counts[key] = _Counts()
        return counts

    def take_slot(self, key: str, limit: int) -> bool:
        counts = self._entry(key)
        if counts.slots >= limit:
            return False
        counts.slots += 1
        return True

    def give_slot(self, key: str) -> None:
        self._counts[key].slots -= 1

    def take_quota(self, key: str, day: date, ceiling: int | None) -> bool:
        counts = self._entry(key).on(day)
        if counts.spent or (ceiling is not None and counts.used >= ceiling):
            return False
        counts.used += 1
        return True

    def refund_quota(self, key: str, day: date) -> None:
        counts = self._counts.get(key)
        if counts is not None and counts.day == day and counts.used > 0:
            counts.used -= 1

    def spend_quota(self, key: str, day: date) -> None:
        self._entry(key).on(day).spent = True

    def raise_quota(self, key: str, day: date, used: int) -> None:
        counts = self._entry(key).on(day)
        counts.used = max(counts.used, used)

    def quota_usage(self, key: str, day: date) -> QuotaUsage:
        counts = self._counts.get(key)
        if counts is None or counts.day != day:
            return QuotaUsage(0, False)
        return QuotaUsage(counts.used, counts.spent)

    def slots_in_use(self, key: str) -> int:
        counts = self._counts.get(key)
        return 0 if counts is None else counts.slots

    def forget(self, key: str) -> None:
        """No scheduler holds the token any more: drop its counts if they hold nothing."""
        counts = self._counts.get(key)
        if counts is not None and counts.idle:
            del self._counts[key]

    def __len__(self) -> int:
        """How many tokens have counts here (for tests: idle ones are dropped)."""
        return len(self._counts)


DEFAULT_BACKEND = MemoryBackend()
"""Every Client without ``backend=`` shares it: the process's limits."""
