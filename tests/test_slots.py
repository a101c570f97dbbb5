"""The per-token slot pool on its own: order, cancellation, loops and threads."""

from __future__ import annotations

import asyncio
import random
import threading

import anyio
import anyio.lowlevel
import pytest

import wolkvox_async as wv
from wolkvox_async._scheduler import scheduler_for, token_key
from wolkvox_async._slots import SlotPool


@pytest.mark.asyncio
async def test_first_come_first_served() -> None:
    pool = SlotPool(1)
    await pool.acquire()
    order: list[int] = []

    async def take(i: int) -> None:
        await pool.acquire()
        order.append(i)
        pool.release()

    async with anyio.create_task_group() as tg:
        for i in range(20):
            tg.start_soon(take, i)
            await anyio.lowlevel.checkpoint()
        pool.release()
    assert order == list(range(20))
    assert (pool.in_flight, pool.waiting) == (0, 0)


@pytest.mark.asyncio
async def test_newcomer_cannot_overtake_the_queue() -> None:
    pool = SlotPool(1)
    await pool.acquire()
    woken: list[str] = []

    async def take(name: str) -> None:
        await pool.acquire()
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
    pool = SlotPool(1)
    await pool.acquire()
    first = asyncio.ensure_future(pool.acquire())
    second = asyncio.ensure_future(pool.acquire())
    await asyncio.sleep(0)
    pool.release()  # granted to `first`, which has not resumed yet
    first.cancel()
    await asyncio.wait_for(second, 1)
    assert first.cancelled()
    assert (pool.in_flight, pool.waiting) == (1, 0)
    pool.release()
    assert pool.in_flight == 0


@pytest.mark.asyncio
async def test_raising_the_limit_admits_waiters() -> None:
    pool = SlotPool(1)
    await pool.acquire()
    waiter = asyncio.ensure_future(pool.acquire())
    await asyncio.sleep(0)
    pool.set_limit(2)
    await asyncio.wait_for(waiter, 1)
    assert pool.in_flight == 2


@pytest.mark.asyncio
async def test_random_cancellations_leak_nothing() -> None:
    pool = SlotPool(2)
    rng = random.Random(7)
    peak = now = 0

    async def call() -> None:
        nonlocal peak, now
        await pool.acquire()
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
    assert (pool.in_flight, pool.waiting) == (0, 0)


def test_state_survives_event_loops() -> None:
    """asyncio.run twice (a loop per test, per request) shares one token's pool."""
    pool = SlotPool(2)

    async def burst() -> int:
        peak = now = 0

        async def one() -> None:
            nonlocal peak, now
            await pool.acquire()
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
    pool = SlotPool(2)
    lock = threading.Lock()
    counts = {"now": 0, "peak": 0, "done": 0}

    async def one() -> None:
        await pool.acquire()
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
    assert (pool.in_flight, pool.waiting) == (0, 0)


def test_clients_share_a_scheduler_by_token_hash() -> None:
    a, b, other = (wv.Client("0032", t) for t in ("same-token", "same-token", "other-token"))
    assert a._transport.scheduler is b._transport.scheduler
    assert a._transport.scheduler is not other._transport.scheduler
    key = token_key("same-token")
    assert "same-token" not in key and len(key) == 16
    assert scheduler_for("same-token", 2).key == key


@pytest.mark.parametrize("limit", [1, 3])
def test_the_newest_client_sets_the_limit(limit: int) -> None:
    wv.Client("0032", "limit-token", concurrency=limit)
    assert scheduler_for("limit-token", limit).slots.limit == limit
