"""Per-token state shared by every Client in the process.

Clients holding the same token share one ``TokenScheduler``, found by a hash
of the token (the token itself is never kept as a key), so a web service
that builds a client per request still never exceeds the token's limits.
The state belongs to the process, not to an event loop.
"""

from __future__ import annotations

import hashlib
import threading

from ._quota import QuotaCounter
from ._slots import SlotPool


def token_key(token: str) -> str:
    """A stable, non-reversible name for a token, safe to log and to key on."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


class TokenScheduler:
    """A token's slots and its quota count.

    The concurrency limit is the one given by the most recently created
    Client for the token: clients of one token are expected to agree.
    """

    __slots__ = ("key", "quota", "slots")

    def __init__(self, key: str, concurrency: int) -> None:
        self.key = key
        self.slots = SlotPool(concurrency)
        self.quota = QuotaCounter()

    async def acquire(self) -> None:
        """Wait for one of the token's slots. Pair with ``release()`` in a ``finally``."""
        await self.slots.acquire()

    def release(self) -> None:
        self.slots.release()


_schedulers: dict[str, TokenScheduler] = {}
_schedulers_lock = threading.Lock()


def scheduler_for(token: str, concurrency: int) -> TokenScheduler:
    key = token_key(token)
    with _schedulers_lock:
        scheduler = _schedulers.get(key)
        if scheduler is None:
            scheduler = _schedulers[key] = TokenScheduler(key, concurrency)
    if scheduler.slots.limit != concurrency:
        scheduler.slots.set_limit(concurrency)
    return scheduler
