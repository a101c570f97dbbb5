"""A Client misused: on a second event loop, from threads, after it (or its http_client) closed.

Each must be a typed ``UsageError`` raised before anything is counted or sent,
never a raw ``RuntimeError`` after a dial rang; and the right pattern (one
Client per event loop, one token) must still share the token's two slots.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import httpx
import pytest

import wolkvox_async as wv
from wolkvox_async.testing import Emulator, serve_in_thread

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def served(token: str) -> Iterator[tuple[Emulator, str]]:
    emulator = Emulator({token: 5}, latency=0.002)
    emulator.add_agent("1020", "Ana Ruiz", "ana")
    with serve_in_thread(emulator) as url:
        yield emulator, url


def test_a_client_on_a_second_event_loop_raises_before_dialling(
    served: tuple[Emulator, str], token: str
) -> None:
    emulator, url = served
    client = wv.Client("0032", token, licences=5, base_url=url)
    assert asyncio.run(client.dial("1001", "3001234567")).conn_id
    with pytest.raises(wv.WrongEventLoopError, match="one Client per event loop"):
        asyncio.run(client.dial("1001", "3001234567"))
    with pytest.raises(wv.WrongEventLoopError):
        asyncio.run(client.list_agents())  # a cached answer is no exception
    assert len(emulator.dials_for("1001")) == 1, "the second loop's dial never left"
    assert emulator.stats(token).calls.get("agents", 0) == 0
    assert client.quota().used == 0


def test_a_client_shared_by_threads_serves_only_the_first_and_never_passes_the_limit(
    served: tuple[Emulator, str], token: str
) -> None:
    emulator, url = served
    client = wv.Client("0032", token, licences=5, base_url=url, agents_cache_ttl=0)
    outcomes: list[list[str]] = []
    start = threading.Barrier(4)

    def work() -> None:
        async def calls() -> list[str]:
            seen = []
            for _ in range(25):
                try:
                    await client.list_agents()
                    seen.append("ok")
                except Exception as exc:
                    seen.append(type(exc).__name__)
            return seen

        start.wait()
        outcomes.append(asyncio.run(calls()))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted("+".join(sorted(set(o))) for o in outcomes) == ["WrongEventLoopError"] * 3 + ["ok"]
    stats = emulator.stats(token)
    assert stats.calls["agents"] == 25 and stats.max_in_flight <= 2 and stats.concurrency_rejections == 0


def test_one_client_per_event_loop_shares_the_token_s_two_slots(
    served: tuple[Emulator, str], token: str
) -> None:
    emulator, url = served
    failures: list[BaseException] = []

    def work() -> None:
        async def calls() -> None:
            async with wv.Client("0032", token, licences=5, base_url=url, agents_cache_ttl=0) as client:
                await asyncio.gather(*(client.list_agents() for _ in range(30)))

        try:
            asyncio.run(calls())
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not failures
    stats = emulator.stats(token)
    assert stats.calls["agents"] == 120 and stats.max_in_flight == 2 and stats.concurrency_rejections == 0


@pytest.mark.asyncio
async def test_a_closed_http_client_is_a_typed_error_before_counting(
    served: tuple[Emulator, str], token: str
) -> None:
    emulator, url = served
    http = httpx.AsyncClient()
    client = wv.Client("0032", token, licences=5, base_url=url, http_client=http)
    await http.aclose()
    with pytest.raises(wv.ClientClosedError, match="http_client"):
        await client.create_agent(dni="7", name="Luis", sso="luis")
    with pytest.raises(wv.ClientClosedError):
        await client.dial("1001", "300")
    assert client.quota().used == 0 and not emulator.stats(token).calls


@pytest.mark.asyncio
async def test_a_closed_client_refuses_even_a_cached_answer(served: tuple[Emulator, str], token: str) -> None:
    _, url = served
    client = wv.Client("0032", token, base_url=url)
    assert await client.list_agents()
    await client.aclose()
    with pytest.raises(wv.ClientClosedError, match="the Client is closed") as caught:
        await client.list_agents()
    assert isinstance(caught.value, RuntimeError) and caught.value.operation == "list_agents"


def test_closing_from_another_loop_is_a_typed_error(served: tuple[Emulator, str], token: str) -> None:
    _, url = served
    client = wv.Client("0032", token, base_url=url)
    asyncio.run(client.list_agents())
    with pytest.raises(wv.WrongEventLoopError):
        asyncio.run(client.aclose())
    with pytest.raises(wv.ClientClosedError):
        asyncio.run(client.list_agents())


def test_a_client_first_used_on_asyncio_is_refused_on_trio(served: tuple[Emulator, str], token: str) -> None:
    import trio

    emulator, url = served
    client = wv.Client("0032", token, base_url=url)
    asyncio.run(client.dial("1001", "300"))
    with pytest.raises(wv.WrongEventLoopError):
        trio.run(client.dial, "1001", "300")
    assert len(emulator.dials_for("1001")) == 1


def test_a_client_made_outside_any_loop_binds_to_its_first(served: tuple[Emulator, str], token: str) -> None:
    _, url = served
    client = wv.Client("0032", token, base_url=url)

    async def twice() -> None:
        await client.list_agents()
        await client.list_agents(refresh=True)
        await client.aclose()

    asyncio.run(twice())
