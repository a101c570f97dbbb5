"""The per-token scheduler on its own: lanes, order, deadlines, cancellation, loops and threads."""

from __future__ import annotations

import asyncio
import gc
import random
import threading

import anyio
import anyio.lowlevel
import pytest
from helpers import scheduler_of

import wolkvox_async as wv
from wolkvox_async import Priority
from wolkvox_async._backend import BULK_SHARE
from wolkvox_async._memory import DEFAULT_BACKEND, MemoryBackend
from wolkvox_async._scheduler import TokenScheduler, token_key

I, B = Priority.INTERACTIVE, Priority.BULK  # noqa: E741 (short names keep the order tables readable)


def new_scheduler(limit: int, max_queue: int | None = None) -> TokenScheduler:
    return TokenScheduler("k", MemoryBackend(), limit, max_queue)


@pytest.mark.asyncio
async def test_first_come_first_served() -> None:
    pool = new_scheduler(1)
    await pool.acquire(B)
    order: list[int] = []

    async def take(i: int) -> None:
        await pool.acquire(B)
        order.append(i)
        pool.release()

    async with anyio.create_task_group() as tg:
        for i in range(20):
            tg.start_soon(take, i)
            await anyio.lowlevel.checkpoint()
        pool.release()
    assert order == list(range(20))
    assert (pool.in_flight, pool.waiting()) == (0, 0)


@pytest.mark.asyncio
async def test_newcomer_cannot_overtake_the_queue() -> None:
    pool = new_scheduler(1)
    await pool.acquire(B)
    woken: list[str] = []

    async def take(name: str) -> None:
        await pool.acquire(B)
        woken.append(name)
        await anyio.sleep(0.001)
        pool.release()

    async with anyio.create_task_group() as tg:
        tg.start_soon(take, "waiter")
        await anyio.sleep(0.001)
        pool.release()  # handed to the waiter, whose task has not run yet
        tg.start_soon(take, "newcomer")
    assert woken == ["waiter", "newcomer"]


@pytest.mark.asyncio
async def test_cancelled_after_hand_over_passes_the_slot_on() -> None:
    pool = new_scheduler(1)
    await pool.acquire(B)
    first = asyncio.ensure_future(pool.acquire(B))
    second = asyncio.ensure_future(pool.acquire(B))
    await asyncio.sleep(0)
    pool.release()  # granted to `first`, which has not resumed yet
    first.cancel()
    await asyncio.wait_for(second, 1)
    assert first.cancelled()
    assert (pool.in_flight, pool.waiting()) == (1, 0)
    pool.release()
    assert pool.in_flight == 0


@pytest.mark.asyncio
async def test_raising_the_limit_admits_waiters() -> None:
    pool = new_scheduler(1)
    await pool.acquire(B)
    waiter = asyncio.ensure_future(pool.acquire(B))
    await asyncio.sleep(0)
    pool.set_limits(2, None)
    await asyncio.wait_for(waiter, 1)
    assert pool.in_flight == 2


@pytest.mark.asyncio
async def test_random_cancellations_leak_nothing() -> None:
    pool = new_scheduler(2)
    rng = random.Random(7)
    peak = now = 0

    async def call() -> None:
        nonlocal peak, now
        await pool.acquire(B)
        try:
            now += 1
            peak = max(peak, now)
            await anyio.sleep(rng.random() / 1000)
        finally:
            now -= 1
            pool.release()

    async def maybe_cancelled() -> None:
        with anyio.move_on_after(rng.random() / 200):
            await call()

    with anyio.fail_after(20):
        async with anyio.create_task_group() as tg:
            for _ in range(2000):
                tg.start_soon(maybe_cancelled)
    assert peak == 2
    assert (pool.in_flight, pool.waiting()) == (0, 0)


def test_state_survives_event_loops() -> None:
    """asyncio.run twice (a loop per test, per request) shares one token's pool."""
    pool = new_scheduler(2)

    async def burst() -> int:
        peak = now = 0

        async def one() -> None:
            nonlocal peak, now
            await pool.acquire(B)
            now += 1
            peak = max(peak, now)
            await asyncio.sleep(0.001)
            now -= 1
            pool.release()

        await asyncio.gather(*(one() for _ in range(50)))
        return peak

    assert [asyncio.run(burst()) for _ in range(3)] == [2, 2, 2]
    assert pool.in_flight == 0


def test_loops_in_several_threads_share_the_limit() -> None:
    pool = new_scheduler(2)
    lock = threading.Lock()
    counts = {"now": 0, "peak": 0, "done": 0}

    async def one() -> None:
        await pool.acquire(B)
        try:
            with lock:
                counts["now"] += 1
                counts["peak"] = max(counts["peak"], counts["now"])
            await asyncio.sleep(0.0005)
            with lock:
                counts["now"] -= 1
                counts["done"] += 1
        finally:
            pool.release()

    async def burst() -> None:
        await asyncio.gather(*(one() for _ in range(100)))

    threads = [threading.Thread(target=asyncio.run, args=(burst(),)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert counts["done"] == 400
    assert counts["peak"] == 2
    assert (pool.in_flight, pool.waiting()) == (0, 0)


def test_clients_share_a_scheduler_by_token_hash() -> None:
    a, b, other = (wv.Client("0032", t) for t in ("same-token", "same-token", "other-token"))
    assert a._transport.scheduler is scheduler_of(b)
    assert a._transport.scheduler is not scheduler_of(other)
    key = token_key("same-token")
    assert "same-token" not in key and len(key) == 16
    assert DEFAULT_BACKEND.scheduler(key, 2) is scheduler_of(a)


@pytest.mark.parametrize("limit", [1, 3])
def test_the_newest_client_sets_the_limits(limit: int) -> None:
    client = wv.Client("0032", "limit-token", concurrency=limit, max_queue=limit * 10)
    scheduler = scheduler_of(client)
    assert (scheduler.limit, scheduler.max_queue) == (limit, limit * 10)


# ------------------------------------------------------------------ lanes


async def run_in_grant_order(pool: TokenScheduler, arrivals: list[Priority]) -> list[tuple[Priority, int]]:
    """Hold the only slot, queue ``arrivals`` in order, then release and record who got it."""
    await pool.acquire(B)
    served: list[tuple[Priority, int]] = []

    async def call(priority: Priority, i: int) -> None:
        await pool.acquire(priority)
        served.append((priority, i))
        await asyncio.sleep(0)
        pool.release()

    async with anyio.create_task_group() as tg:
        for i, priority in enumerate(arrivals):
            tg.start_soon(call, priority, i)
            await asyncio.sleep(0)
        pool.release()
    return served


@pytest.mark.asyncio
async def test_interactive_goes_ahead_of_waiting_bulk() -> None:
    served = await run_in_grant_order(new_scheduler(1), [B, B, B, I, B, I])
    assert served == [(I, 3), (I, 5), (B, 0), (B, 1), (B, 2), (B, 4)]


@pytest.mark.asyncio
async def test_bulk_keeps_a_guaranteed_share() -> None:
    arrivals = [B] * 3 + [I] * 12
    served = [p for p, _ in await run_in_grant_order(new_scheduler(1), arrivals)]
    assert served[: BULK_SHARE + 1] == [I] * BULK_SHARE + [B]
    assert served[: 3 * (BULK_SHARE + 1)].count(B) == 3


@pytest.mark.asyncio
async def test_front_puts_a_call_at_the_head_of_its_lane() -> None:
    pool = new_scheduler(1)
    await pool.acquire(B)
    order: list[str] = []

    async def call(name: str, front: bool) -> None:
        await pool.acquire(B, front=front)
        order.append(name)
        pool.release()

    async with anyio.create_task_group() as tg:
        tg.start_soon(call, "first", False)
        await asyncio.sleep(0)
        tg.start_soon(call, "requeued", True)
        await asyncio.sleep(0)
        pool.release()
    assert order == ["requeued", "first"]


# ------------------------------------------------------------------ deadlines and load shedding


@pytest.mark.asyncio
async def test_queue_timeout_raises_and_leaks_nothing() -> None:
    pool = new_scheduler(1)
    await pool.acquire(B)
    started = anyio.current_time()
    with pytest.raises(wv.QueueTimeoutError) as caught:
        await pool.acquire(I, 0.05, operation="dial")
    assert 0.04 < anyio.current_time() - started < 1
    assert caught.value.operation == "dial"
    assert caught.value.priority == "interactive"
    assert pool.waiting() == 0
    pool.release()
    assert pool.in_flight == 0


@pytest.mark.asyncio
async def test_many_deadlines_share_one_timer_and_expire_in_order() -> None:
    pool = new_scheduler(1)
    await pool.acquire(B)
    expired: list[int] = []

    loop = asyncio.get_running_loop()

    async def call(i: int, when: float) -> None:
        try:
            await pool.acquire(B, when - loop.time())
        except wv.QueueTimeoutError:
            expired.append(i)
        else:
            pool.release()

    def live_timers() -> int:
        return sum(not timer.cancelled() for timer in loop._scheduled)  # type: ignore[attr-defined]

    timers_before = live_timers()
    gc.disable()  # a collection between computing a timeout and queueing would shift that one deadline
    try:
        async with anyio.create_task_group() as tg:
            start = loop.time() + 0.05  # deadlines in reverse order of arrival, 0.5 ms apart
            for i in range(200):
                tg.start_soon(call, i, start + (199 - i) / 2000)
            await asyncio.sleep(0.005)
            assert live_timers() - timers_before <= 2
    finally:
        gc.enable()
    assert sorted(expired) == list(range(200))
    assert expired == list(range(199, -1, -1))
    pool.release()
    assert (pool.in_flight, pool.waiting()) == (0, 0)


@pytest.mark.asyncio
async def test_a_granted_waiter_is_not_expired() -> None:
    pool = new_scheduler(1)
    await pool.acquire(B)
    waiter = asyncio.ensure_future(pool.acquire(B, 0.05))
    await asyncio.sleep(0)
    pool.release()  # handed over well before the deadline
    await asyncio.sleep(0.1)
    await waiter
    assert pool.in_flight == 1


@pytest.mark.asyncio
async def test_max_queue_sheds_load_per_lane() -> None:
    pool = new_scheduler(1, max_queue=2)
    await pool.acquire(B)
    waiters = [asyncio.ensure_future(pool.acquire(B)) for _ in range(2)]
    await asyncio.sleep(0)
    with pytest.raises(wv.QueueFullError):
        await pool.acquire(B, operation="list_agents")
    interactive = asyncio.ensure_future(pool.acquire(I))  # its own lane still has room
    await asyncio.sleep(0)
    assert pool.waiting(B) == 2
    assert pool.waiting(I) == 1
    for task in [*waiters, interactive]:
        task.cancel()
    await asyncio.gather(*waiters, interactive, return_exceptions=True)
    pool.release()
    assert (pool.in_flight, pool.waiting()) == (0, 0)


def test_queue_timeout_on_trio() -> None:
    import trio

    async def main() -> None:
        pool = new_scheduler(1)
        await pool.acquire(B)
        with pytest.raises(wv.QueueTimeoutError):
            await pool.acquire(I, 0.02)
        pool.release()
        assert (pool.in_flight, pool.waiting()) == (0, 0)

    trio.run(main)


# ------------------------------------------------------------------ idle state


def test_an_idle_token_state_is_dropped() -> None:
    import gc

    backend = MemoryBackend()

    async def use_and_forget() -> None:
        scheduler = backend.scheduler("idle-key", 2)
        await scheduler.acquire(B)
        scheduler.release()

    asyncio.run(use_and_forget())
    gc.collect()
    assert len(backend) == 0
    assert backend.scheduler("idle-key", 2).in_flight == 0


@pytest.mark.asyncio
async def test_the_bulk_share_is_owed_only_to_bulk_calls_still_waiting() -> None:
    """A bulk call that gave up takes its claim with it: a lone dial still gets the very next slot."""
    pool = new_scheduler(1)
    await pool.acquire(B)
    expiring = asyncio.ensure_future(pool.acquire(B, 0.05))
    order: list[str] = []

    async def call(name: str, priority: Priority, hold: float = 0.0) -> None:
        await pool.acquire(priority)
        order.append(name)
        await asyncio.sleep(hold)
        pool.release()

    tasks = [
        asyncio.ensure_future(call(f"i{n}", I, 0.1 if n == BULK_SHARE - 1 else 0)) for n in range(BULK_SHARE)
    ]
    await asyncio.sleep(0)
    pool.release()  # the interactive calls run while the bulk call waits, the last one holding on
    with pytest.raises(wv.QueueTimeoutError):
        await expiring
    tasks += [asyncio.ensure_future(call("bulk", B)), asyncio.ensure_future(call("dial", I))]
    await asyncio.gather(*tasks)
    assert order == [*(f"i{n}" for n in range(BULK_SHARE)), "dial", "bulk"]


@pytest.mark.asyncio
async def test_a_lowered_limit_takes_slots_back_from_a_backlog() -> None:
    pool = new_scheduler(3)
    for _ in range(3):
        await pool.acquire(B)
    waiters = [asyncio.ensure_future(pool.acquire(B)) for _ in range(5)]
    await asyncio.sleep(0)
    pool.set_limits(1, None)
    pool.release()
    pool.release()
    assert (pool.in_flight, pool.waiting()) == (1, 5)
    pool.release()
    await asyncio.sleep(0)
    assert (pool.in_flight, pool.waiting()) == (1, 4)
    for waiter in waiters:
        waiter.cancel()
    await asyncio.gather(*waiters, return_exceptions=True)
    pool.release()
    assert pool.in_flight == 0
