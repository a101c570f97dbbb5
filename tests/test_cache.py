"""The agents cache: reused for a while, shared by callers and clients, invalidated by changes."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
import respx
from helpers import BASE, agents, created, enabled, until

import wolkvox_async as wv

pytestmark = pytest.mark.asyncio


class Counting:
    """A slow agents report that counts how often it is read."""

    def __init__(self, hold: float = 0.02) -> None:
        self.reads = 0
        self.hold = hold

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.reads += 1
        await anyio.sleep(self.hold)
        return agents(str(self.reads))


@pytest.fixture
def api() -> Any:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


async def test_concurrent_callers_share_one_read_and_the_answer_is_reused(api: Any, token: str) -> None:
    report = Counting()
    api.get("/information.php").mock(side_effect=report)
    results: list[tuple[wv.Agent, ...]] = []

    async def read(client: wv.Client) -> None:
        results.append(await client.list_agents())

    async with wv.Client("0032", token, licences=1) as a, wv.Client("0032", token) as b:
        async with anyio.create_task_group() as tg:
            for i in range(10):
                tg.start_soon(read, (a, b)[i % 2])
        assert report.reads == 1
        assert {r[0].agent_id for r in results} == {"1"}
        assert (await b.list_agents())[0].agent_id == "1"  # within the TTL, no read
        assert (await a.list_agents(refresh=True))[0].agent_id == "2"
        assert a.quota().used == 2
    assert report.reads == 2


async def test_filters_are_cached_apart(api: Any, token: str) -> None:
    report = Counting(0)
    api.get("/information.php").mock(side_effect=report)
    async with wv.Client("0032", token) as client:
        await client.list_agents()
        await client.list_agents("7")
        await client.list_agents("7")
    assert report.reads == 2


async def test_the_answer_expires(api: Any, token: str) -> None:
    report = Counting(0)
    api.get("/information.php").mock(side_effect=report)
    async with wv.Client("0032", token, agents_cache_ttl=0.5) as client:
        await client.list_agents()
        await client.list_agents()
        await anyio.sleep(0.6)
        await client.list_agents()
    assert report.reads == 2


async def test_ttl_zero_disables_the_cache(api: Any, token: str) -> None:
    report = Counting(0)
    api.get("/information.php").mock(side_effect=report)
    async with wv.Client("0032", token, agents_cache_ttl=0) as client:
        for _ in range(3):
            await client.list_agents()
    assert report.reads == 3


@pytest.mark.parametrize("change", ["create", "enable"])
async def test_changes_invalidate_the_cache(api: Any, token: str, change: str) -> None:
    report = Counting(0)
    api.get("/information.php").mock(side_effect=report)
    api.post("/configuration.php").mock(return_value=created())
    api.put("/configuration.php").mock(return_value=enabled())
    async with wv.Client("0032", token) as client:
        await client.list_agents()
        if change == "create":
            await client.create_agent(dni="1", name="A", sso="a")
        else:
            await client.enable_agent("1001")
        assert (await client.list_agents())[0].agent_id == "2"


async def test_a_read_that_began_before_a_change_is_not_kept(api: Any, token: str) -> None:
    report = Counting(0.5)
    api.get("/information.php").mock(side_effect=report)
    api.put("/configuration.php").mock(return_value=enabled())
    async with wv.Client("0032", token) as client, anyio.create_task_group() as tg:
        tg.start_soon(client.list_agents)
        await until(lambda: report.reads == 1)
        await client.enable_agent("1001")  # while the read is in flight
    async with wv.Client("0032", token) as client:
        await client.list_agents()
    assert report.reads == 2


async def test_an_error_is_shared_by_the_waiting_callers(api: Any, token: str) -> None:
    async def refused(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0.02)
        return httpx.Response(403, json={"code": 403, "error": "FORBIDDEN", "msg": "PLEASE VALIDATE TOKEN"})

    route = api.get("/information.php").mock(side_effect=refused)
    errors: list[Exception] = []

    async def read(client: wv.Client) -> None:
        try:
            await client.list_agents()
        except wv.AuthenticationError as exc:
            errors.append(exc)

    async with wv.Client("0032", token) as client, anyio.create_task_group() as tg:
        for _ in range(5):
            tg.start_soon(read, client)
    assert len(errors) == 5
    assert route.call_count == 1


async def test_a_cancelled_reader_hands_over_to_a_waiter(api: Any, token: str) -> None:
    report = Counting(0.05)
    api.get("/information.php").mock(side_effect=report)
    async with wv.Client("0032", token) as client:
        results: list[tuple[wv.Agent, ...]] = []

        async def wait_for_it() -> None:
            results.append(await client.list_agents())

        async with anyio.create_task_group() as tg:
            with anyio.move_on_after(0.01):
                tg.start_soon(wait_for_it)
                await client.list_agents()  # the reader, cancelled mid-read
        assert report.reads == 2
        assert results[0][0].agent_id == "2"


async def test_two_servers_never_share_answers(token: str) -> None:
    with respx.mock(assert_all_called=True) as router:
        router.get("https://wv0032.wolkvox.com/api/v2/information.php").mock(return_value=agents("1"))
        router.get("https://proxy.example/api/v2/information.php").mock(return_value=agents("2"))
        router.get("https://wv0099.wolkvox.com/api/v2/information.php").mock(return_value=agents("3"))
        async with (
            wv.Client("0032", token) as a,
            wv.Client("0032", token, base_url="https://proxy.example") as b,
        ):
            assert [x.agent_id for x in await a.list_agents()] == ["1"]
            assert [x.agent_id for x in await b.list_agents()] == ["2"]
        async with wv.Client("0099", token) as c:
            assert [x.agent_id for x in await c.list_agents()] == ["3"]


async def test_a_client_per_request_reads_once_and_expired_entries_are_pruned(
    api: Any, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wolkvox_async import _cache

    monkeypatch.setattr(_cache, "SWEEP_INTERVAL", 0.0)
    monkeypatch.setattr(_cache, "_next_sweep", 0.0)  # not put off by an earlier test's sweep
    report = Counting(hold=0)
    api.get("/information.php").mock(side_effect=report)
    for _ in range(5):  # a web service: one Client per request, closed after it
        async with wv.Client("0032", token, agents_cache_ttl=0.2) as client:
            await client.list_agents()
            key = client._cache_key
    assert report.reads == 1
    assert key in _cache._caches, "kept after its clients closed, until it expires"
    await anyio.sleep(0.25)
    _cache.agents_cache_for("another key")
    assert key not in _cache._caches, "pruned once expired"
    async with wv.Client("0032", token, agents_cache_ttl=0.2) as client:
        await client.list_agents()
    assert report.reads == 2


async def test_two_servers_behind_one_url_never_share_answers(token: str) -> None:
    with respx.mock(assert_all_called=True) as router:
        route = router.get("https://proxy.example/api/v2/information.php")
        route.mock(side_effect=lambda request: agents(request.headers["wolkvox_server"]))
        async with (
            wv.Client("0032", token, base_url="https://proxy.example") as a,
            wv.Client("0099", token, base_url="https://proxy.example") as b,
        ):
            assert [x.agent_id for x in await a.list_agents()] == ["0032"]
            assert [x.agent_id for x in await b.list_agents()] == ["0099"]
