"""Where a token's limits are kept: the interface between the Transport and a backend.

A backend gives, per token, a ``Scheduler``: the slots (requests in flight),
the lanes calls wait in, and the daily quota count. The in-memory backend
(``_memory``, the default) shares them between the Clients of one process;
``wolkvox_async.redis`` between processes and hosts. Both pass one contract
test suite (``tests/test_backend_contract.py``):

- never more than ``limit`` slots held at once; each given back exactly
  once, on success, error or cancellation (waiting, just granted, or held);
- a free slot goes to the next waiter: interactive before bulk, bulk
  promised a share (``BULK_SHARE``), first come first served within a lane,
  ``front`` ahead of its lane;
- ``queue_timeout`` and ``max_queue`` bound the wait; neither counts nor
  sends anything;
- the quota is counted before a call waits for a slot, refunded when the
  server surely did no work, marked spent when the server says so, and
  raised to the server's own count when it is higher.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime
from typing import Final, Protocol

from ._models import Priority, QuotaSnapshot
from ._quota import QuotaPolicy

BULK_SHARE: Final = 4
"""While both lanes wait, every 5th slot goes to bulk (at most 4 interactive grants in a row).

A share rather than aging: aging needs a clock per grant and still lets an
interactive flood take every slot until some bulk call is old enough; a
fixed share is O(1), needs no clock, and keeps a bulk job moving at no less
than a fifth of the token's capacity whatever arrives, while a lone
interactive call behind a bulk backlog still gets the very next slot.
"""


class Scheduler(Protocol):
    """One token's slots, lanes and quota count, as the Transport uses them."""

    key: str
    """A hash of the token (never the token), safe to log."""

    def try_acquire(self) -> object | None:
        """A slot at once, without a coroutine, if the backend can tell so; else None."""

    async def acquire(
        self,
        priority: Priority,
        queue_timeout: float | None = None,
        *,
        operation: str = "call",
        front: bool = False,
    ) -> object:
        """Wait for a slot (``QueueTimeoutError``, ``QueueFullError``); pair with ``release``."""

    def release(self, slot: object) -> Awaitable[None] | None:
        """Give a slot back; what it returns, if anything, must be awaited. Never raises."""

    async def take_quota(
        self,
        policy: QuotaPolicy,
        priority: Priority,
        now: datetime,
        *,
        operation: str,
        queue_timeout: float | None = None,
    ) -> None:
        """Count one call, or raise ``QuotaExhaustedError`` (or wait for the reset, by the policy)."""

    async def refund_quota(self, policy: QuotaPolicy, now: datetime) -> None:
        """Give a counted call back: the server did no work. Never raises."""

    async def spend_quota(self, policy: QuotaPolicy, now: datetime) -> None:
        """The server said the quota is spent: refuse calls until the reset. Never raises."""

    async def raise_quota(self, policy: QuotaPolicy, now: datetime, used: int) -> None:
        """The server counts ``used`` calls today: take that count if it is higher (it errs high, never low)."""

    def quota(self, policy: QuotaPolicy, now: datetime) -> QuotaSnapshot:
        """The count as last seen, without I/O."""

    async def fetch_quota(self, policy: QuotaPolicy, now: datetime) -> QuotaSnapshot:
        """The count as the backend holds it now (every process's calls, for a shared backend)."""


class Backend(Protocol):
    def scheduler(self, key: str, limit: int, max_queue: int | None = None) -> Scheduler:
        """The token's scheduler, shared by every Client that asks for the same key.

        ``limit`` and ``max_queue`` are the newest Client's.
        """
