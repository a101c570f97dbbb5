"""A call's deadline on its own: expiry, other cancellations, and the shared timer's upkeep."""

from __future__ import annotations

import asyncio

import anyio
import pytest

from wolkvox_async._deadline import Deadline
from wolkvox_async._timer import loop_timer

pytestmark = pytest.mark.asyncio


async def test_an_armed_deadline_ends_the_block() -> None:
    with Deadline() as deadline:
        deadline.start(0.01)
        await asyncio.sleep(1)
    assert deadline.expired


async def test_an_unarmed_deadline_never_fires() -> None:
    with Deadline() as deadline:
        await asyncio.sleep(0.02)
    assert not deadline.expired


async def test_another_cancellation_passes_through() -> None:
    async def guarded() -> None:
        with Deadline() as deadline:
            deadline.start(10)
            await asyncio.sleep(10)

    task = asyncio.ensure_future(guarded())
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_an_outer_anyio_scope_still_wins() -> None:
    with anyio.move_on_after(0.01) as outer:
        with Deadline() as deadline:
            deadline.start(10)
            await anyio.sleep(1)
    assert outer.cancelled_caught
    assert not deadline.expired


async def test_deadlines_fire_in_order_on_one_timer() -> None:
    expired: list[int] = []

    loop = asyncio.get_running_loop()

    async def call(i: int, when: float) -> None:
        with Deadline() as deadline:
            deadline.start(when - loop.time())
            await asyncio.sleep(1)
        if deadline.expired:
            expired.append(i)

    start = loop.time() + 0.05  # deadlines in reverse order of arrival, 1 ms apart
    await asyncio.gather(*(call(i, start + (9 - i) / 1000) for i in range(10)))
    assert expired == list(range(9, -1, -1))


async def test_finished_calls_do_not_pile_up() -> None:
    for _ in range(1000):
        with Deadline() as deadline:
            deadline.start(60)
            await asyncio.sleep(0)
    assert loop_timer(asyncio.get_running_loop()).pending <= 64
