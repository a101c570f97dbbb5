"""Where a token's shared counts live: slots in use, and calls counted today.

The scheduler keeps every policy (lanes, deadlines, the quota reserve) and
asks a backend only to count, so that another backend can share the counts
between processes without changing what the scheduler decides. Calls come
with the token's scheduler lock held: a backend need not lock per token.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

import attrs


@attrs.frozen
class QuotaUsage:
    """Calls counted on ``day``, and whether the server said the quota is spent."""

    used: int
    spent: bool


class Backend(Protocol):
    def take_slot(self, key: str, limit: int) -> bool:
        """Count one more request in flight, unless ``limit`` are already."""

    def give_slot(self, key: str) -> None: ...

    def take_quota(self, key: str, day: date, ceiling: int | None) -> bool:
        """Count one call on ``day`` unless ``ceiling`` are counted or the quota is spent."""

    def refund_quota(self, key: str, day: date) -> None: ...

    def spend_quota(self, key: str, day: date) -> None:
        """Mark the day's quota spent (the server said so)."""

    def quota_usage(self, key: str, day: date) -> QuotaUsage: ...

    def slots_in_use(self, key: str) -> int: ...

    def forget(self, key: str) -> None:
        """No scheduler holds the token any more: drop what it no longer needs."""


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
    """Counts in this process's memory (the default): one process, any number of event loops.

    A token's entry is dropped when its scheduler is (no Client holds the
    token) and it holds nothing: no slot in use and no call counted today.
    """

    __slots__ = ("_counts",)

    def __init__(self) -> None:
        self._counts: dict[str, _Counts] = {}

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

    def quota_usage(self, key: str, day: date) -> QuotaUsage:
        counts = self._counts.get(key)
        if counts is None or counts.day != day:
            return QuotaUsage(0, False)
        return QuotaUsage(counts.used, counts.spent)

    def slots_in_use(self, key: str) -> int:
        counts = self._counts.get(key)
        return 0 if counts is None else counts.slots

    def forget(self, key: str) -> None:
        counts = self._counts.get(key)
        if counts is not None and counts.idle:
            del self._counts[key]

    def __len__(self) -> int:
        """How many tokens have state here (for tests: idle ones are dropped)."""
        return len(self._counts)
