"""The agents report, reused for a while: wolkvox asks that it be read at most every 5 minutes.

Kept per token and base URL (two servers never share answers) for the whole
process, like the scheduler, so that a web service building a client per
request still reads it once. Entries go when they expire, not when a
client closes: the registry is swept of expired reports, and of caches
left empty, at most once a second as clients look their cache up. Concurrent
callers of the same report are coalesced into one request: the first reads,
the others wait for its answer (or its error); if the reader is cancelled,
a waiter takes over. Creating or enabling an agent invalidates the token's
reports, and a read that began before that is not stored.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from typing import Final

import attrs

from ._models import Agent
from ._waiter import Waiter, new_waiter

Report = tuple[Agent, ...]


@attrs.define
class _Read:
    """A read in progress, and the callers waiting for it."""

    waiters: list[Waiter] = attrs.Factory(list)
    result: Report | None = None
    error: Exception | None = None


def _never() -> None:
    """Waiting for a read has no deadline of its own: the read has the call's."""


class AgentsCache:
    __slots__ = ("_generation", "_lock", "_reads", "_reports", "touched")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reports: dict[str | None, tuple[float, Report]] = {}
        self._reads: dict[str | None, _Read] = {}
        self._generation = 0
        self.touched = time.monotonic()

    def prune(self, now: float) -> bool:
        """Drop expired reports; True if nothing is left in it or being read."""
        with self._lock:
            for stale in [key for key, (expires, _) in self._reports.items() if expires <= now]:
                del self._reports[stale]
            return not self._reports and not self._reads

    async def get(
        self,
        wanted: str | None,
        ttl: float,
        read: Callable[[], Awaitable[Report]],
        *,
        refresh: bool = False,
    ) -> Report:
        """The report for ``wanted`` (an agent id, or None for all), at most ``ttl`` seconds old."""
        while True:
            with self._lock:
                kept = self._reports.get(wanted)
                if kept is not None and not refresh and kept[0] > time.monotonic():
                    return kept[1]
                current = self._reads.get(wanted)
                if current is None:
                    current = self._reads[wanted] = _Read()
                    generation = self._generation
                    waiter = None
                else:
                    waiter = new_waiter()
                    current.waiters.append(waiter)
            if waiter is None:
                return await self._read(wanted, ttl, read, current, generation)
            try:
                await waiter.wait(None, _never)
            except BaseException:
                with self._lock:
                    waiter.cancelled = True
                raise
            if current.result is not None:
                return current.result
            if current.error is not None:
                raise current.error
            refresh = False  # the reader was cancelled: read it ourselves

    async def _read(
        self,
        wanted: str | None,
        ttl: float,
        read: Callable[[], Awaitable[Report]],
        current: _Read,
        generation: int,
    ) -> Report:
        try:
            result = await read()
        except BaseException as exc:
            if isinstance(exc, Exception):
                current.error = exc
            self._finish(wanted, current)
            raise
        current.result = result
        with self._lock:
            if generation == self._generation:
                self._reports[wanted] = (time.monotonic() + ttl, result)
        self._finish(wanted, current)
        return result

    def _finish(self, wanted: str | None, current: _Read) -> None:
        with self._lock:
            if self._reads.get(wanted) is current:
                del self._reads[wanted]
            waiters, current.waiters = current.waiters, []
        for waiter in waiters:
            if not waiter.cancelled:
                waiter.wake()

    def invalidate(self) -> None:
        with self._lock:
            self._reports.clear()
            self._generation += 1


SWEEP_INTERVAL: Final = 1.0
"""Seconds between sweeps of the registry: often enough to bound it, rarely enough to cost nothing."""

_caches: dict[str, AgentsCache] = {}
_caches_lock = threading.Lock()
_next_sweep = 0.0


def agents_cache_for(key: str) -> AgentsCache:
    """The cache of ``key`` (a hash of token and base URL); look it up per use, never keep it."""
    global _next_sweep
    now = time.monotonic()
    with _caches_lock:
        if now >= _next_sweep:
            _next_sweep = now + SWEEP_INTERVAL
            for name, kept in list(_caches.items()):
                if kept.prune(now) and kept.touched + SWEEP_INTERVAL <= now:
                    del _caches[name]
        cache = _caches.get(key)
        if cache is None:
            cache = _caches[key] = AgentsCache()
        cache.touched = now
        return cache


def cached_keys() -> int:
    """How many caches the registry holds (for tests)."""
    with _caches_lock:
        return len(_caches)
