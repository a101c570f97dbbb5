"""Scheduling policies seen through the Client: lanes, deadlines, quota reserve and wait, 403 re-queue."""

from __future__ import annotations

import logging
from typing import Any

import anyio
import httpx
import pytest
import respx
from conftest import Clock
from helpers import BASE, agents, dialled, forbidden, scheduler_of, until

import wolkvox_async as wv
from wolkvox_async._retry import RetryPolicy

pytestmark = pytest.mark.asyncio

CONCURRENCY_REFUSAL = "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"


@pytest.fixture
def api() -> Any:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


async def test_a_dial_overtakes_a_bulk_backlog(api: Any, token: str) -> None:
    order: list[str] = []

    async def answer(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0.005)
        order.append(request.url.params["api"])
        return dialled() if request.url.params["api"] == "dial" else agents()

    api.route().mock(side_effect=answer)
    async with wv.Client("0032", token, agents_cache_ttl=0) as client, anyio.create_task_group() as tg:
        for _ in range(20):
            tg.start_soon(client.list_agents)
        await until(lambda: scheduler_of(client).waiting() == 18)

        async def dial() -> None:
            answered_before.append(len(order))  # nothing awaits from here until it is queued
            await client.dial("1001", "300")

        answered_before: list[int] = []
        tg.start_soon(dial)
    assert order.index("dial") <= answered_before[0] + 2  # behind at most the two in flight when it came


async def test_priority_can_be_overridden_per_call(api: Any, token: str) -> None:
    order: list[str] = []

    async def answer(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0.005)
        order.append(request.url.params.get("agent", "all"))
        return agents()

    api.route().mock(side_effect=answer)
    async with (
        wv.Client("0032", token, agents_cache_ttl=0, concurrency=1) as client,
        anyio.create_task_group() as tg,
    ):
        for _ in range(5):
            tg.start_soon(client.list_agents)
        await until(lambda: scheduler_of(client).waiting() == 4)

        async def urgent() -> None:
            answered_before.append(len(order))  # nothing awaits from here until it is queued
            await client.list_agents("7", priority="interactive")

        answered_before: list[int] = []
        tg.start_soon(urgent)
    assert order.index("7") == answered_before[0] + 1  # right after the one in flight when it came


async def test_queue_timeout_per_client_and_per_call(api: Any, token: str) -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0.3)
        return agents()

    api.route().mock(side_effect=slow)
    async with wv.Client(
        "0032", token, agents_cache_ttl=0, concurrency=1, queue_timeout=0.05, licences=1
    ) as client:
        async with anyio.create_task_group() as tg:
            tg.start_soon(client.list_agents)
            await anyio.sleep(0.01)
            with pytest.raises(wv.QueueTimeoutError):
                await client.list_agents()
            with pytest.raises(wv.QueueTimeoutError):
                await client.dial("1", "2", queue_timeout=0.01)
            await client.list_agents(queue_timeout=None)  # waits as long as it takes
        assert client.quota().used == 2  # the two that timed out in the queue were refunded


async def test_max_queue_sheds_load(api: Any, token: str) -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0.05)
        return agents()

    api.route().mock(side_effect=slow)
    shed: list[wv.QueueFullError] = []

    async def call(client: wv.Client) -> None:
        try:
            await client.list_agents()
        except wv.QueueFullError as exc:
            shed.append(exc)

    async with wv.Client("0032", token, agents_cache_ttl=0, max_queue=3, licences=1) as client:
        async with anyio.create_task_group() as tg:
            for _ in range(10):
                tg.start_soon(call, client)
        assert client.quota().used == 5
    assert len(shed) == 5  # 2 in flight, 3 waiting, the rest shed


async def test_quota_reserve_is_for_the_interactive_lane(api: Any, token: str, clock: Clock) -> None:
    api.get("/information.php").mock(return_value=agents())
    async with wv.Client("0032", token, agents_cache_ttl=0, daily_quota=10, quota_reserve=0.2) as client:
        for _ in range(8):
            await client.list_agents()
        with pytest.raises(wv.QuotaExhaustedError, match="bulk lane"):
            await client.list_agents()
        await client.list_agents(priority=wv.Priority.INTERACTIVE)
        await client.list_agents(priority="interactive")
        with pytest.raises(wv.QuotaExhaustedError):
            await client.list_agents(priority="interactive")
        snapshot = client.quota()
    assert (snapshot.used, snapshot.limit, snapshot.reserve, snapshot.remaining) == (10, 10, 2, 0)


async def test_on_quota_exhausted_wait_waits_for_the_reset(
    api: Any, token: str, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.get("/information.php").mock(return_value=agents())
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds=seconds)

    monkeypatch.setattr("wolkvox_async._scheduler.anyio.sleep", fake_sleep)
    async with wv.Client(
        "0032", token, agents_cache_ttl=0, daily_quota=1, on_quota_exhausted="wait"
    ) as client:
        await client.list_agents()
        await client.list_agents()  # waits until midnight in Bogota, then goes
        assert slept == [12 * 3600]  # from 12:00
        with pytest.raises(wv.QuotaExhaustedError):
            await client.list_agents(queue_timeout=60)  # the reset is further than its patience


async def test_concurrency_refusal_is_requeued_and_logged(
    api: Any, token: str, caplog: pytest.LogCaptureFixture
) -> None:
    route = api.post("/agentbox.php").mock(
        side_effect=[forbidden(CONCURRENCY_REFUSAL), forbidden(CONCURRENCY_REFUSAL), dialled("c-7")]
    )
    with caplog.at_level(logging.WARNING, logger="wolkvox_async"):
        async with wv.Client("0032", token, agents_cache_ttl=0, licences=1) as client:
            call = await client.dial("1001", "300")
    assert call.conn_id == "c-7"
    assert route.call_count == 3
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert all("another process or host is using this token" in w for w in warnings)
    assert all(token not in w for w in warnings)


async def test_concurrency_refusals_give_up_after_a_few_tries(
    api: Any, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RetryPolicy, "requeue_backoff", lambda self, requeue, rand=None: 0.0)
    route = api.get("/information.php").mock(return_value=forbidden(CONCURRENCY_REFUSAL))
    async with wv.Client("0032", token, agents_cache_ttl=0, licences=1) as client:
        with pytest.raises(wv.ConcurrencyLimitError):
            await client.list_agents()
        assert client.quota().used == 0
    assert route.call_count == 9


@pytest.mark.parametrize(
    "options",
    [
        {"queue_timeout": 0},
        {"queue_timeout": -1},
        {"max_queue": 0},
        {"quota_reserve": 1.0},
        {"quota_reserve": -0.1},
        {"on_quota_exhausted": "sleep"},
    ],
)
async def test_invalid_scheduling_options(options: dict[str, Any]) -> None:
    with pytest.raises(wv.InvalidArgumentError):
        wv.Client("0032", "t", **options)


async def test_invalid_per_call_options_send_nothing(api: Any, token: str) -> None:
    route = api.route().mock(return_value=agents())
    async with wv.Client("0032", token, agents_cache_ttl=0) as client:
        with pytest.raises(wv.InvalidArgumentError):
            await client.list_agents(priority="urgent")
        with pytest.raises(wv.InvalidArgumentError):
            await client.dial("1", "2", queue_timeout=-1)
    assert not route.called
