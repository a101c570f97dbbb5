"""A token's scheduler whose slots, lanes and quota count live in Redis.

The same contract as the in-memory ``TokenScheduler``, for every process
and host that uses the token: the lanes are in Redis, so an interactive
call waiting anywhere is served before any bulk call, with the same bulk
share. What stays in the process is ``max_queue``: it bounds the calls of
this process that wait in a lane.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import anyio

from .._backend import BULK_SHARE
from .._errors import BackendError, QueueFullError, QueueTimeoutError
from .._models import Priority, QuotaSnapshot
from .._quota import QuotaPolicy, QuotaUsage
from ._node import Node

if TYPE_CHECKING:
    from ._backend import RedisBackend

_KEPT_AFTER_RESET = timedelta(hours=1)
"""A day's count outlives the reset a little, for late refunds and for reading it."""


class RedisScheduler:
    __slots__ = (
        "__weakref__",
        "_backend",
        "_lock",
        "_quota_prefix",
        "_seen",
        "_waiting",
        "key",
        "keys",
        "limit",
        "max_queue",
    )

    def __init__(self, backend: RedisBackend, key: str, limit: int, max_queue: int | None) -> None:
        self._backend = backend
        self.key = key
        self.limit = limit
        self.max_queue = max_queue
        base = f"{backend.prefix}:{key}"
        self.keys = [
            f"{base}:state",
            f"{base}:leases",
            f"{base}:interactive",
            f"{base}:bulk",
            f"{base}:nodes",
        ]
        self._quota_prefix = f"{base}:quota:"
        self._lock = threading.Lock()
        self._waiting = [0] * len(Priority)
        self._seen: tuple[date, QuotaUsage] | None = None

    def arguments(self, node: Node) -> list[object]:
        """What every token script is told: where to wake nodes, the limit, the lease, this node."""
        backend = self._backend
        return [
            node.wake_prefix,
            self.limit,
            round(backend.lease * 1000),
            round(backend.fence * 1000),
            node.new_id(),
            node.id,
            round(backend.node_ttl * 1000),
            BULK_SHARE,
        ]

    def waiting(self, priority: Priority | None = None) -> int:
        """This process's calls waiting for a slot, in one lane or in all."""
        return sum(self._waiting) if priority is None else self._waiting[priority]

    # ------------------------------------------------------------------ slots

    def try_acquire(self) -> None:
        """Never at once: a slot is Redis's to grant."""
        return

    async def acquire(
        self,
        priority: Priority,
        queue_timeout: float | None = None,
        *,
        operation: str = "call",
        front: bool = False,
    ) -> str:
        node = self._backend.node(operation)
        with self._lock:
            if self.max_queue is not None and self._waiting[priority] >= self.max_queue:
                raise QueueFullError(
                    f"{self._waiting[priority]} {priority.name.lower()} calls of this process already wait "
                    f"for a slot (max_queue={self.max_queue})",
                    operation=operation,
                    priority=priority.name.lower(),
                )
            self._waiting[priority] += 1
        try:
            lease = await node.acquire(self, int(priority) + 1, front, queue_timeout)
        except BackendError as exc:
            exc.operation = operation
            raise
        finally:
            with self._lock:
                self._waiting[priority] -= 1
        if lease is None:
            raise QueueTimeoutError(
                f"no slot within its queue timeout of {queue_timeout} s",
                operation=operation,
                priority=priority.name.lower(),
            )
        return lease

    def release(self, slot: object) -> Awaitable[None]:
        return self._backend.node().release(self, str(slot))

    async def slots_in_use(self) -> int:
        """Leases Redis holds for the token now, every process's (for tests and monitoring)."""
        node = self._backend.node()
        seconds, micros = await node.ask(node.redis.time())
        return int(
            await node.ask(node.redis.zcount(self.keys[1], f"({seconds * 1000 + micros // 1000}", "+inf"))
        )

    # ------------------------------------------------------------------ quota

    def _quota_call(self, policy: QuotaPolicy, now: datetime) -> tuple[str, date, int]:
        day = policy.day(now)
        kept = policy.resets_at(now) + _KEPT_AFTER_RESET - now
        return self._quota_prefix + day.isoformat(), day, int(kept.total_seconds() * 1000)

    def _note(self, day: date, reply: list[Any]) -> None:
        """Keep the count a quota script answered (``{status, used, spent}``) for ``quota()``."""
        self._seen = (day, QuotaUsage(int(reply[1]), bool(int(reply[2]))))

    async def take_quota(
        self,
        policy: QuotaPolicy,
        priority: Priority,
        now: datetime,
        *,
        operation: str,
        queue_timeout: float | None = None,
    ) -> None:
        node = self._backend.node(operation)
        while True:
            key, day, kept_ms = self._quota_call(policy, now)
            ceiling = policy.ceiling(priority)
            try:
                reply = await node.call("QUOTA_TAKE", [key], [-1 if ceiling is None else ceiling, kept_ms])
            except BackendError as exc:
                exc.operation = operation
                raise
            self._note(day, reply)
            if int(reply[0]) == 1:
                node.count(self, key, day, kept_ms, +1)
                return
            wait = policy.wait_for_reset(priority, now, operation=operation, queue_timeout=queue_timeout)
            await anyio.sleep(wait)
            now = policy.resets_at(now)

    async def _quota_change(
        self, script: str, policy: QuotaPolicy, now: datetime, calls: int, value: int = 0
    ) -> None:
        """Refund, spend or raise, even if the caller is cancelled; a failure is logged, never raised."""
        node = self._backend.node()
        key, day, kept_ms = self._quota_call(policy, now)

        async def change() -> None:
            try:
                self._note(day, await node.call(script, [key], [value, kept_ms]))
            except BackendError as exc:
                node.log_failure(f"quota {script.lower()} for token {self.key}", exc)
                return
            node.count(self, key, day, kept_ms, calls)

        await node.shielded(change())

    async def refund_quota(self, policy: QuotaPolicy, now: datetime) -> None:
        await self._quota_change("QUOTA_REFUND", policy, now, -1)

    async def spend_quota(self, policy: QuotaPolicy, now: datetime) -> None:
        await self._quota_change("QUOTA_SPEND", policy, now, 0)

    async def raise_quota(self, policy: QuotaPolicy, now: datetime, used: int) -> None:
        await self._quota_change("QUOTA_RAISE", policy, now, 0, used)

    def quota(self, policy: QuotaPolicy, now: datetime) -> QuotaSnapshot:
        seen = self._seen
        usage = seen[1] if seen is not None and seen[0] == policy.day(now) else QuotaUsage(0, False)
        return policy.snapshot(usage, now)

    async def fetch_quota(self, policy: QuotaPolicy, now: datetime) -> QuotaSnapshot:
        node = self._backend.node()
        key, day, _ = self._quota_call(policy, now)
        used, spent = await node.ask(node.redis.hmget(key, ["used", "spent"]))
        self._seen = (day, QuotaUsage(int(used or 0), spent == "1"))
        return self.quota(policy, now)
