"""One contract, two backends: what every Scheduler promises, run on memory and on a real Redis.

The promises are those of ``wolkvox_async._backend``: at most ``limit``
slots held, each given back exactly once (waiting, just granted, held,
cancelled, timed out); interactive before bulk with the bulk share, first
come first served, ``front`` first; queue timeouts and ``max_queue``; the
quota counted, refunded, spent, per lane and per day.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

import wolkvox_async as wv
from wolkvox_async import Priority
from wolkvox_async._backend import BULK_SHARE, Backend, Scheduler
from wolkvox_async._memory import MemoryBackend
from wolkvox_async._quota import QuotaPolicy, timezone
from wolkvox_async._scheduler import TokenScheduler
from wolkvox_async.testing import RedisServer

I, B = Priority.INTERACTIVE, Priority.BULK  # noqa: E741

pytestmark = pytest.mark.asyncio


class Harness:
    """A backend, and a way to see how many calls wait in it (every process's)."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def new(self, limit: int, max_queue: int | None = None) -> Scheduler:
        return self.backend.scheduler(f"key-{uuid.uuid4().hex[:12]}", limit, max_queue)

    async def queued(self, scheduler: Scheduler) -> int:
        if isinstance(scheduler, TokenScheduler):
            return scheduler.waiting()
        from wolkvox_async.redis._scheduler import RedisScheduler

        assert isinstance(scheduler, RedisScheduler)
        redis = scheduler._backend.node().redis
        return int(await redis.zcard(scheduler.keys[2])) + int(await redis.zcard(scheduler.keys[3]))

    async def until_queued(self, scheduler: Scheduler, count: int) -> None:
        for _ in range(500):
            if await self.queued(scheduler) == count:
                return
            await asyncio.sleep(0.005)
        raise AssertionError(f"{count} calls never waited")


@pytest_asyncio.fixture(params=["memory", "redis"])
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    if request.param == "memory":
        yield Harness(MemoryBackend())
        return
    from wolkvox_async.redis import RedisBackend

    server: RedisServer = request.getfixturevalue("redis_server")
    backend = RedisBackend(server.url, prefix=f"t{uuid.uuid4().hex[:8]}", heartbeat=0.05, lease=2.0)
    try:
        yield Harness(backend)
    finally:
        await backend.aclose()


async def release(scheduler: Scheduler, slot: object) -> None:
    if (releasing := scheduler.release(slot)) is not None:
        await releasing


async def take(scheduler: Scheduler, priority: Priority = B, **options: object) -> object:
    slot = scheduler.try_acquire()
    if slot is None:
        slot = await scheduler.acquire(priority, **options)  # type: ignore[arg-type]
    return slot


async def assert_all_free(scheduler: Scheduler, limit: int) -> None:
    """Every slot can be had again, at once: none leaked."""
    slots = [await take(scheduler, queue_timeout=5.0) for _ in range(limit)]
    with pytest.raises(wv.QueueTimeoutError):
        await scheduler.acquire(B, 0.05)
    for slot in slots:
        await release(scheduler, slot)


# ------------------------------------------------------------------ slots


@pytest.mark.parametrize("limit", [1, 2, 3])
async def test_never_more_than_the_limit_in_flight(harness: Harness, limit: int) -> None:
    scheduler = harness.new(limit)
    rng = random.Random(limit)
    held, peak = 0, 0

    async def call(priority: Priority) -> None:
        nonlocal held, peak
        slot = await take(scheduler, priority)
        try:
            held += 1
            peak = max(peak, held)
            await asyncio.sleep(rng.random() / 500)
        finally:
            held -= 1
            await release(scheduler, slot)

    async with asyncio.timeout(60), asyncio.TaskGroup() as tg:
        for _ in range(60):
            tg.create_task(call(rng.choice([I, B])))
    assert peak == limit
    await assert_all_free(scheduler, limit)


def expected_order(arrivals: list[Priority]) -> list[tuple[Priority, int]]:
    """The order of grants when every call waits before the first release: the share, as a model."""
    lanes = {
        I: [(I, n) for n, p in enumerate(arrivals) if p is I],
        B: [(B, n) for n, p in enumerate(arrivals) if p is B],
    }
    order, streak = [], 0
    while lanes[I] or lanes[B]:
        lane = I if lanes[I] and (not lanes[B] or streak < BULK_SHARE) else B
        streak = streak + 1 if lane is I and lanes[B] else 0
        order.append(lanes[lane].pop(0))
    return order


async def grant_order(
    harness: Harness, arrivals: list[Priority], front: int | None = None
) -> list[tuple[Priority, int]]:
    """Hold the only slot, queue ``arrivals`` one by one (``front``: that one at the head), let them through."""
    scheduler = harness.new(1)
    first = await take(scheduler)
    order: list[tuple[Priority, int]] = []

    async def call(priority: Priority, n: int) -> None:
        slot = await scheduler.acquire(priority, front=n == front)
        order.append((priority, n))
        await release(scheduler, slot)

    async with asyncio.timeout(60), asyncio.TaskGroup() as tg:
        for n, priority in enumerate(arrivals):
            tg.create_task(call(priority, n))
            await harness.until_queued(scheduler, n + 1)
        await release(scheduler, first)
    await assert_all_free(scheduler, 1)
    return order


async def test_first_come_first_served_within_a_lane(harness: Harness) -> None:
    assert await grant_order(harness, [B] * 8) == [(B, n) for n in range(8)]


async def test_interactive_first_and_bulk_keeps_its_share(harness: Harness) -> None:
    arrivals = [B] * 4 + [I] * 11
    order = await grant_order(harness, arrivals)
    assert order == expected_order(arrivals)
    assert [p for p, _ in order[:6]] == [I, I, I, I, B, I]


async def test_front_goes_to_the_head_of_its_lane(harness: Harness) -> None:
    order = await grant_order(harness, [B, B, B, B], front=3)
    assert order == [(B, 3), (B, 0), (B, 1), (B, 2)]


async def test_queue_timeout(harness: Harness) -> None:
    scheduler = harness.new(1)
    slot = await take(scheduler)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(wv.QueueTimeoutError) as caught:
        await scheduler.acquire(I, 0.2, operation="dial")
    assert 0.15 <= loop.time() - started < 3
    assert caught.value.operation == "dial"
    assert await harness.queued(scheduler) == 0
    await release(scheduler, slot)
    await assert_all_free(scheduler, 1)


async def test_max_queue_sheds_load_per_lane(harness: Harness) -> None:
    scheduler = harness.new(1, max_queue=2)
    slot = await take(scheduler)
    async with asyncio.TaskGroup() as tg:
        waiting = [tg.create_task(scheduler.acquire(B)) for _ in range(2)]
        await harness.until_queued(scheduler, 2)
        with pytest.raises(wv.QueueFullError):
            await scheduler.acquire(B)
        interactive = tg.create_task(scheduler.acquire(I))  # another lane: not shed
        await harness.until_queued(scheduler, 3)
        await release(scheduler, slot)
        for next_granted in asyncio.as_completed([interactive, *waiting]):
            await release(scheduler, await next_granted)
    await assert_all_free(scheduler, 1)


async def test_cancelled_waiters_leak_nothing(harness: Harness) -> None:
    scheduler = harness.new(2)
    held = [await take(scheduler) for _ in range(2)]
    tasks = [asyncio.create_task(scheduler.acquire(B)) for _ in range(6)]
    await harness.until_queued(scheduler, 6)
    for task in tasks[::2]:
        task.cancel()
    await harness.until_queued(scheduler, 3)
    for slot in held:
        await release(scheduler, slot)
    granted: set[asyncio.Task[object]] = set()
    async with asyncio.timeout(10):
        while len(granted) < 2:  # which two: the first to reach the backend (Redis orders them on arrival)
            done, _ = await asyncio.wait(set(tasks[1::2]) - granted, return_when=asyncio.FIRST_COMPLETED)
            granted |= done
    (last,) = set(tasks[1::2]) - granted
    last.cancel()  # still waiting, or just granted: either way its slot must come back
    await asyncio.gather(*tasks, return_exceptions=True)
    for task in granted:
        await release(scheduler, task.result())
    await assert_all_free(scheduler, 2)


async def test_a_waiter_cancelled_right_after_its_grant_passes_the_slot_on(harness: Harness) -> None:
    scheduler = harness.new(1)
    slot = await take(scheduler)
    granted = asyncio.create_task(scheduler.acquire(B))
    await harness.until_queued(scheduler, 1)
    after = asyncio.create_task(scheduler.acquire(B))
    await harness.until_queued(scheduler, 2)
    await release(scheduler, slot)  # granted to the first waiter, which (in memory) has not resumed yet
    granted.cancel()
    (outcome,) = await asyncio.gather(granted, return_exceptions=True)
    if not isinstance(outcome, asyncio.CancelledError):  # Redis: it resumed while the release was answered
        await release(scheduler, outcome)
    async with asyncio.timeout(10):
        await release(scheduler, await after)
    await assert_all_free(scheduler, 1)


async def test_a_call_cancelled_while_holding_gives_its_slot_back(harness: Harness) -> None:
    scheduler = harness.new(1)

    async def hold_forever() -> None:
        slot = await take(scheduler)
        try:
            await asyncio.sleep(3600)
        finally:
            await release(scheduler, slot)

    task = asyncio.create_task(hold_forever())
    for _ in range(200):
        await asyncio.sleep(0.01)
        if task.done() or await harness.queued(scheduler) == 0:
            break
    await asyncio.sleep(0.05)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await assert_all_free(scheduler, 1)


async def test_random_arrivals_cancellations_and_timeouts(harness: Harness) -> None:
    scheduler = harness.new(2)
    rng = random.Random(7)
    held = peak = 0

    async def call() -> None:
        nonlocal held, peak
        try:
            slot = await take(scheduler, rng.choice([I, B]), queue_timeout=rng.choice([None, 0.01, 0.05]))
        except wv.QueueTimeoutError:
            return
        try:
            held += 1
            peak = max(peak, held)
            await asyncio.sleep(rng.random() / 200)
        finally:
            held -= 1
            await release(scheduler, slot)

    async with asyncio.timeout(60):
        tasks = [asyncio.create_task(call()) for _ in range(150)]
        for task in tasks:
            if rng.random() < 0.2:
                await asyncio.sleep(rng.random() / 100)
                task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert peak <= 2
    await assert_all_free(scheduler, 2)


# ------------------------------------------------------------------ quota

NOON = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 12:00 in Bogota


def policy(limit: int | None = 5, reserve: float = 0.0, wait: bool = False) -> QuotaPolicy:
    return QuotaPolicy(limit, timezone("America/Bogota"), reserve, wait)


async def take_quota(
    scheduler: Scheduler, quota: QuotaPolicy, priority: Priority = B, now: datetime = NOON
) -> None:
    await scheduler.take_quota(quota, priority, now, operation="list_agents")


async def test_quota_is_counted_up_to_its_limit(harness: Harness) -> None:
    scheduler, quota = harness.new(2), policy(5)
    for _ in range(5):
        await take_quota(scheduler, quota)
    with pytest.raises(wv.QuotaExhaustedError) as caught:
        await take_quota(scheduler, quota)
    assert caught.value.resets_at == datetime(2026, 11, 24, 0, 0, tzinfo=timezone("America/Bogota"))
    assert (await scheduler.fetch_quota(quota, NOON)).used == 5
    assert scheduler.quota(quota, NOON).remaining == 0


async def test_a_refund_gives_a_call_back(harness: Harness) -> None:
    scheduler, quota = harness.new(2), policy(2)
    await take_quota(scheduler, quota)
    await take_quota(scheduler, quota)
    await scheduler.refund_quota(quota, NOON)
    await take_quota(scheduler, quota)
    assert (await scheduler.fetch_quota(quota, NOON)).used == 2


async def test_spent_quota_refuses_until_the_next_day(harness: Harness) -> None:
    scheduler, quota = harness.new(2), policy(100)
    await take_quota(scheduler, quota)
    await scheduler.spend_quota(quota, NOON)
    with pytest.raises(wv.QuotaExhaustedError):
        await take_quota(scheduler, quota, I)
    assert (await scheduler.fetch_quota(quota, NOON)).used == 100  # spent reads as all of it
    tomorrow = NOON + timedelta(days=1)
    await take_quota(scheduler, quota, now=tomorrow)
    assert (await scheduler.fetch_quota(quota, tomorrow)).used == 1


async def test_the_reserve_is_for_the_interactive_lane(harness: Harness) -> None:
    scheduler, quota = harness.new(2), policy(10, reserve=0.2)
    for _ in range(8):
        await take_quota(scheduler, quota, B)
    with pytest.raises(wv.QuotaExhaustedError, match="bulk lane"):
        await take_quota(scheduler, quota, B)
    await take_quota(scheduler, quota, I)
    await take_quota(scheduler, quota, I)
    with pytest.raises(wv.QuotaExhaustedError):
        await take_quota(scheduler, quota, I)


async def test_the_wait_policy_waits_for_the_reset_within_the_queue_timeout(harness: Harness) -> None:
    scheduler, quota = harness.new(2), policy(1, wait=True)
    just_before_midnight = datetime(2026, 11, 24, 4, 59, 59, 900000, tzinfo=UTC)
    await take_quota(scheduler, quota, now=just_before_midnight)
    with pytest.raises(wv.QuotaExhaustedError):
        await scheduler.take_quota(quota, B, just_before_midnight, operation="x", queue_timeout=0.01)
    await scheduler.take_quota(quota, B, just_before_midnight, operation="x", queue_timeout=1.0)
    after = just_before_midnight + timedelta(seconds=1)
    assert (await scheduler.fetch_quota(quota, after)).used == 1


async def test_no_limit_counts_without_refusing(harness: Harness) -> None:
    scheduler, quota = harness.new(2), policy(None)
    for _ in range(20):
        await take_quota(scheduler, quota)
    snapshot = await scheduler.fetch_quota(quota, NOON)
    assert (snapshot.used, snapshot.limit, snapshot.remaining) == (20, None, None)


async def test_two_clients_of_a_token_share_one_scheduler(harness: Harness) -> None:
    key: Callable[[], str] = lambda: "shared-key"  # noqa: E731
    a = harness.backend.scheduler(key(), 2)
    b = harness.backend.scheduler(key(), 3)
    assert a is b
    assert getattr(a, "limit", None) == 3  # the newest Client's limits
