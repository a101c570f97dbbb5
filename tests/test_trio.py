"""The library runs on trio too, through anyio (anyio's pytest plugin, trio backend)."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
from helpers import agents, dialled, scheduler_of

import wolkvox_async as wv

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "trio"


def handler(state: dict[str, int]) -> Any:
    async def handle(request: httpx.Request) -> httpx.Response:
        state["now"] += 1
        state["peak"] = max(state["peak"], state["now"])
        await anyio.sleep(0.001)
        state["now"] -= 1
        if request.url.path.endswith("agentbox.php"):
            return dialled("t-1")
        return agents("1001")

    return handle


async def test_endpoints_and_limit_on_trio(token: str) -> None:
    import trio

    state = {"now": 0, "peak": 0}
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler(state)))
    async with wv.Client("0032", token, licences=1, http_client=http, agents_cache_ttl=0) as client:
        assert [a.agent_id for a in await client.list_agents()] == ["1001"]
        assert (await client.dial("1001", "300")).conn_id == "t-1"
        async with trio.open_nursery() as nursery:
            for _ in range(30):
                nursery.start_soon(client.list_agents)
        assert state["peak"] == 2
        assert client.quota().used == 31
    await http.aclose()


async def test_cancellation_on_trio_leaks_nothing(token: str) -> None:
    import trio

    state = {"now": 0, "peak": 0}
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler(state)))
    async with wv.Client("0032", token, http_client=http) as client:
        with trio.move_on_after(0.002):
            async with trio.open_nursery() as nursery:
                for _ in range(20):
                    nursery.start_soon(client.dial, "1", "2")
        scheduler = scheduler_of(client)
        assert (scheduler.in_flight, scheduler.waiting()) == (0, 0)
    await http.aclose()


async def test_retries_deadline_queue_timeout_and_cache_on_trio(token: str) -> None:
    import trio

    answers = iter([httpx.Response(503, json={"code": 503, "error": "X", "msg": "busy"})])
    reads = {"n": 0}

    async def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("agentbox.php"):
            await trio.sleep(1)  # a dial that hangs
            return dialled()
        reads["n"] += 1
        await trio.sleep(0.01)
        return next(answers, agents("1"))

    http = httpx.AsyncClient(transport=httpx.MockTransport(handle))
    async with wv.Client("0032", token, http_client=http, concurrency=1) as client:
        async with trio.open_nursery() as nursery:
            for _ in range(5):
                nursery.start_soon(client.list_agents)  # one read, retried once, shared by all five
        assert reads["n"] == 2
        async with trio.open_nursery() as nursery:
            nursery.start_soon(lambda: client.dial("1", "2", deadline=None))
            await trio.sleep(0.01)
            with pytest.raises(wv.QueueTimeoutError):
                await client.agent_display("1", button="dial", display="show", queue_timeout=0.05)
            nursery.cancel_scope.cancel()
        with pytest.raises(wv.OutcomeUnknownError):
            await client.dial("1", "2", deadline=0.05)
        scheduler = scheduler_of(client)
        assert (scheduler.in_flight, scheduler.waiting()) == (0, 0)
    await http.aclose()
