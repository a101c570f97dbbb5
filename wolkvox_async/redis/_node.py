"""A node: one event loop of one process, as Redis sees it.

redis-py's asyncio connections belong to the loop that made them, so each
loop that uses a ``RedisBackend`` gets its own node: a connection pool, the
calls of this loop that wait or hold a slot, and one background task that
runs while there are any. That task reads the node's wake list with a
blocking pop (a grant made by another process arrives at once, without
polling) and, every ``heartbeat`` seconds, runs the heartbeat script for
each token: it keeps the node alive, renews its leases, gives back what
could not be given back before, grants slots whose holders died, and finds
grants whose wake-up was lost. That heartbeat is the bounded fallback poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from .._errors import BackendError
from . import _scripts

if TYPE_CHECKING:
    from ._backend import RedisBackend
    from ._scheduler import RedisScheduler

logger = logging.getLogger("wolkvox_async")

Script = Callable[..., Awaitable[Any]]
T = TypeVar("T")

FAILURES: Final = (RedisError, OSError)
"""What a Redis call may raise: redis-py's errors and the socket's (TimeoutError is an OSError)."""


def connection_pool(backend: RedisBackend) -> BlockingConnectionPool:
    """The pool of a node; raises ``ValueError``, ``TypeError`` or ``RedisError`` for a URL redis-py refuses."""
    return BlockingConnectionPool.from_url(
        backend.url,
        max_connections=backend.max_connections,
        timeout=backend.timeout,
        socket_connect_timeout=backend.timeout,
        socket_timeout=backend.timeout + backend.heartbeat,
        retry=Retry(NoBackoff(), 0),  # a script run twice could count twice: failures are ours to handle
        decode_responses=True,
    )


@attrs.define
class _Waiter:
    future: asyncio.Future[None]
    scheduler: RedisScheduler
    lane: int
    score: int | None = None


@attrs.define
class _Tally:
    """Calls this node counted on a day: put back if Redis loses the count."""

    key: str
    day: date
    kept_ms: int
    calls: int = 0


class Node:
    __slots__ = (
        "_chores",
        "_ids",
        "_scripts",
        "_task",
        "backend",
        "down",
        "epochs",
        "held",
        "id",
        "loop",
        "lost",
        "redis",
        "tallies",
        "unreleased",
        "waiting",
        "wake_key",
        "wake_prefix",
    )

    def __init__(self, backend: RedisBackend, loop: asyncio.AbstractEventLoop) -> None:
        self.backend = backend
        self.loop = loop
        self.id = secrets.token_hex(6)
        self.wake_prefix = f"{backend.prefix}:wake:"
        self.wake_key = self.wake_prefix + self.id
        self.redis = Redis.from_pool(connection_pool(backend))
        register = self.redis.register_script
        self._scripts: dict[str, Script] = {
            name: register(getattr(_scripts, name)) for name in _scripts.NAMES
        }
        self._ids = itertools.count()
        self._task: asyncio.Task[None] | None = None
        self._chores: set[asyncio.Task[None]] = set()
        self.waiting: dict[str, _Waiter] = {}
        self.held: dict[str, RedisScheduler] = {}
        self.unreleased: dict[str, RedisScheduler] = {}
        """Ids to give back that Redis did not take: leases, or waiters still in a lane."""
        self.epochs: dict[str, str] = {}
        self.lost: dict[str, RedisScheduler] = {}
        """Tokens whose state Redis lost: this node's waiters and count go back at the next heartbeat."""
        self.tallies: dict[str, _Tally] = {}
        self.down = False
        """Redis failed last time: failures are logged once, until it answers again."""

    # ------------------------------------------------------------------ calling Redis

    async def ask(self, command: Awaitable[T]) -> T:
        """Await a Redis command; its failures become ``BackendError``."""
        try:
            answer = await command
        except FAILURES as exc:
            reason = self.backend.masked(f"{type(exc).__name__}: {exc}")  # redis-py may quote the URL
            raise BackendError(f"Redis did not answer ({reason})") from None
        if self.down:
            self.down = False
            logger.warning("Redis answers again (node %s)", self.id)
        return answer

    async def call(self, name: str, keys: list[str], args: list[object]) -> list[Any]:
        reply: list[Any] = await self.ask(self._scripts[name](keys=keys, args=args))
        return reply

    async def run(self, scheduler: RedisScheduler, name: str, *args: object) -> list[Any]:
        """Run a token script; notice when Redis has lost the token's state (a new epoch)."""
        reply = await self.call(name, scheduler.keys, [*scheduler.arguments(self), *args])
        epoch = reply[1]
        known = self.epochs.get(scheduler.key)
        if known != epoch:
            self.epochs[scheduler.key] = epoch
            if known is not None:
                logger.warning(
                    "Redis lost the state of token %s (restarted or flushed?): no slot is granted for "
                    "%.1f s while every process puts back the leases, waiters and count it holds",
                    scheduler.key, self.backend.fence,
                )  # fmt: skip
                self.lost[scheduler.key] = scheduler
                self.start()
        return reply

    def new_id(self) -> str:
        return f"{self.id}:{next(self._ids)}"

    # ------------------------------------------------------------------ slots

    async def acquire(
        self, scheduler: RedisScheduler, lane: int, front: bool, queue_timeout: float | None
    ) -> str | None:
        """A lease id, or None if ``queue_timeout`` passed first."""
        id = self.new_id()
        waiter = self.waiting[id] = _Waiter(self.loop.create_future(), scheduler, lane)
        try:
            try:
                status, _, score, *granted = await self.run(scheduler, "ACQUIRE", id, lane, int(front))
            except BaseException:
                # It may have reached Redis (queued, or even granted): leave, now or at a heartbeat.
                self.spawn(self._give_back(scheduler, [id]))
                raise
            self.wake(granted)
            if status != 1:
                waiter.score = int(score)
                self.start()
                try:
                    async with asyncio.timeout(queue_timeout):
                        await waiter.future
                except TimeoutError:
                    await self._leave(scheduler, id, lane)
                    return None
                except BaseException:
                    await self._leave(scheduler, id, lane)
                    raise
            self.held[id] = scheduler
            return id
        finally:
            del self.waiting[id]

    async def _leave(self, scheduler: RedisScheduler, id: str, lane: int) -> None:
        """Leave the lane, passing on a slot granted meanwhile; done even if the caller is cancelled."""

        async def leave() -> None:
            try:
                self.wake((await self.run(scheduler, "ABANDON", id, lane))[3:])
            except BackendError:
                await self._give_back(scheduler, [id])

        await self.shielded(leave())

    async def release(self, scheduler: RedisScheduler, id: str) -> None:
        """Give a lease back; done even if the caller is cancelled, retried if Redis fails.

        Giving back is idempotent, so instead of a shielding task on every call, a release
        cancelled while Redis answers is simply sent again, on its own.
        """
        self.held.pop(id, None)
        try:
            await self._give_back(scheduler, [id])
        except BaseException:
            self.spawn(self._give_back(scheduler, [id]))
            raise

    async def _give_back(self, scheduler: RedisScheduler, ids: list[str]) -> None:
        """Release leases (or leave lanes) by id: idempotent, so safe to repeat until Redis takes it."""
        for id in ids:
            self.unreleased[id] = scheduler
        try:
            reply = await self.run(scheduler, "RELEASE", *ids)
        except BackendError as exc:
            self.log_failure(
                f"giving {len(ids)} slot(s) of token {scheduler.key} back (retried every "
                f"{self.backend.heartbeat} s; a lease expires by itself within {self.backend.lease} s)",
                exc,
            )
            self.start()
            return
        for id in ids:
            self.unreleased.pop(id, None)
        self.wake(reply[3:])

    def spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run ``work`` on its own, kept referenced until it ends."""
        task = self.loop.create_task(work)
        self._chores.add(task)
        task.add_done_callback(self._chores.discard)
        return task

    async def shielded(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` to its end even if the caller is cancelled meanwhile."""
        await asyncio.shield(self.spawn(work))

    def log_failure(self, what: str, exc: BackendError) -> None:
        """A WARNING when Redis stops answering, then DEBUG until it answers again: no flood."""
        logger.log(logging.DEBUG if self.down else logging.WARNING, "%s failed: %s", what, exc)
        self.down = True

    def wake(self, ids: list[str]) -> None:
        for id in ids:
            waiter = self.waiting.get(id)
            if waiter is not None and not waiter.future.done():
                waiter.future.set_result(None)

    # ------------------------------------------------------------------ quota

    def count(self, scheduler: RedisScheduler, quota_key: str, day: date, kept_ms: int, calls: int) -> None:
        tally = self.tallies.get(scheduler.key)
        if tally is None or tally.day != day:
            tally = self.tallies[scheduler.key] = _Tally(quota_key, day, kept_ms)
        tally.calls = max(0, tally.calls + calls)

    # ------------------------------------------------------------------ the background task

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = self.loop.create_task(self._serve(), name=f"wolkvox-redis-{self.id}")

    @property
    def busy(self) -> bool:
        return bool(self.waiting or self.held or self.unreleased or self.lost)

    async def _serve(self) -> None:
        beat_at = 0.0
        while self.busy:
            wait = beat_at - self.loop.time()
            if wait > 0.001:
                try:
                    popped = await self.redis.blpop([self.wake_key], timeout=wait)
                except FAILURES:
                    await asyncio.sleep(wait)
                    popped = None
                if popped:
                    self.wake([str(popped[1])])
                    continue
            beat_at = self.loop.time() + self.backend.heartbeat
            await self._beat()

    async def _beat(self) -> None:
        schedulers = {waiter.scheduler for waiter in self.waiting.values()}
        schedulers.update(self.held.values(), self.unreleased.values(), self.lost.values())
        for scheduler in schedulers:
            try:
                await self._beat_token(scheduler)
            except BackendError as exc:
                self.log_failure(f"the heartbeat for token {scheduler.key}", exc)

    async def _beat_token(self, scheduler: RedisScheduler) -> None:
        held = [id for id, s in self.held.items() if s is scheduler]
        gone = [id for id, s in self.unreleased.items() if s is scheduler]
        lapsed, _, missing, mine = await self.run(scheduler, "HEARTBEAT", len(held), *held, *gone)
        for id in gone:
            self.unreleased.pop(id, None)
        if released := [id for id in held if id not in self.held]:
            # Released while the heartbeat was on its way: it may have put them back, so again.
            self.spawn(self._give_back(scheduler, released))
        if lost := [id for id in missing if id in self.held]:
            logger.warning(
                "%d slot(s) of token %s in flight here were missing from Redis: put back",
                len(lost),
                scheduler.key,
            )
        if lapsed or scheduler.key in self.lost:
            await self._requeue(scheduler)
        if scheduler.key in self.lost:
            del self.lost[scheduler.key]
            tally = self.tallies.get(scheduler.key)
            if tally is not None and tally.calls:
                await self.call("QUOTA_ADD", [tally.key], [tally.calls, tally.kept_ms])
        self.wake(mine)
        if orphans := [id for id in mine if id not in self.waiting and id not in self.held]:
            # Granted to a waiter that has left, which Redis did not hear of.
            self.spawn(self._give_back(scheduler, orphans))

    async def _requeue(self, scheduler: RedisScheduler) -> None:
        triples: list[object] = []
        for id, waiter in self.waiting.items():
            if waiter.scheduler is scheduler and waiter.score is not None:
                triples += (id, waiter.lane, waiter.score)
        if triples:
            self.wake((await self.run(scheduler, "REQUEUE", *triples))[3:])
            if left := [id for id in triples[::3] if id not in self.waiting]:
                self.spawn(self._give_back(scheduler, [str(id) for id in left]))

    async def aclose(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.redis.aclose()
