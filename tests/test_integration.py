"""The client against the emulator, in process and over real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio

import anyio
import httpx
import pytest
from helpers import scheduler_of

import wolkvox_async as wv
from wolkvox_async.testing import Fault
from wolkvox_async.testing.pytest_plugin import Emulated

pytestmark = pytest.mark.asyncio


@pytest.fixture(params=["wolkvox_emulator", "wolkvox_server", "wolkvox_server+aiohttp"])
def emulated(request: pytest.FixtureRequest) -> Emulated:
    """In process, over sockets, and over sockets on the aiohttp engine."""
    name, _, engine = str(request.param).partition("+")
    fixture: Emulated = request.getfixturevalue(name)
    if engine:
        fixture.client = fixture.new_client(engine=engine)
    return fixture


async def test_five_operations_end_to_end(emulated: Emulated) -> None:
    async with emulated.client as client:
        new = await client.create_agent(dni="1020", name="Ana Ruiz", sso="ana@corp.co")
        record = emulated.emulator.agents[new.agent_id]
        assert new.password.reveal() == record.password
        assert (await client.list_agents(new.agent_id))[0].enabled is False
        ack = await client.enable_agent(new.agent_id)
        assert ack.code == 202
        [agent] = await client.list_agents(new.agent_id)
        assert (agent.agent_dni, agent.agent_name, agent.agent_sso, agent.enabled) == (
            "1020",
            "Ana Ruiz",
            "ana@corp.co",
            True,
        )
        call = await client.dial(new.agent_id, "300 123 4567", customer_id="77", customer_name="Luis")
        [dial] = emulated.emulator.dials_for(new.agent_id)
        assert (dial.conn_id, dial.customer_phone, dial.customer_name) == (call.conn_id, "3001234567", "Luis")
        shown = await client.agent_display(new.agent_id, button=wv.Button.HANGUP, display="hide")
        assert shown.detail == "Agentbox has been hide"
        assert await client.list_agents("999999") == ()
        with pytest.raises(wv.ConflictError):
            await client.create_agent(dni="1020", name="Ana again", sso="ana2")
        with pytest.raises(wv.NotFoundError):
            await client.enable_agent("999999")
        assert client.quota().used == emulated.emulator.stats(emulated.token).quota_used == 7


@pytest.mark.wolkvox(latency=0.001, licences=10)
async def test_three_clients_2000_calls_zero_rejections(wolkvox_server: Emulated) -> None:
    emulator = wolkvox_server.emulator
    emulator.add_agent("1", "Agent One")
    clients = [wolkvox_server.new_client() for _ in range(3)]
    with anyio.fail_after(60):
        async with anyio.create_task_group() as tg:
            for i in range(2000):
                client = clients[i % 3]
                if i % 4 == 0:
                    tg.start_soon(client.list_agents)
                else:
                    tg.start_soon(client.dial, "1001", "3001234567")
    for client in clients:
        await client.aclose()
    stats = emulator.stats(wolkvox_server.token)
    assert stats.concurrency_rejections == 0
    assert stats.max_in_flight == 2
    assert len(emulator.dials_for("1001")) == 1500


@pytest.mark.wolkvox(latency=0.05)
async def test_the_emulator_rejects_a_raw_flood(wolkvox_server: Emulated) -> None:
    """Without the client's limiter the same token gets refused: the test above can fail."""
    headers = {"wolkvox-token": wolkvox_server.token}
    async with httpx.AsyncClient(base_url=wolkvox_server.base_url) as http:
        responses = await asyncio.gather(
            *(
                http.get("/api/v2/information.php", params={"api": "agents"}, headers=headers)
                for _ in range(20)
            )
        )
    assert sum(r.status_code == 403 for r in responses) >= 10
    assert wolkvox_server.emulator.stats(wolkvox_server.token).concurrency_rejections >= 10


@pytest.mark.wolkvox(daily_quota=5)
async def test_quota_exhaustion_end_to_end(emulated: Emulated) -> None:
    emulated.emulator.add_agent("1", "Agent One")
    async with emulated.new_client(agents_cache_ttl=0) as client:
        for _ in range(5):
            await client.list_agents()
        with pytest.raises(wv.QuotaExhaustedError) as local:
            await client.list_agents()
        assert local.value.status is None
        assert (await client.dial("1001", "300")).conn_id  # agentbox calls stay free
    assert emulated.emulator.stats(emulated.token).quota_rejections == 0


@pytest.mark.wolkvox(daily_quota=3)
async def test_server_quota_refusal_when_the_client_does_not_know_the_limit(emulated: Emulated) -> None:
    async with emulated.new_client(daily_quota=None, agents_cache_ttl=0) as client:
        for _ in range(3):
            await client.list_agents()
        with pytest.raises(wv.QuotaExhaustedError) as server:
            await client.list_agents()
        assert server.value.status == 403
        with pytest.raises(wv.QuotaExhaustedError) as local:
            await client.list_agents()
        assert local.value.status is None
    assert emulated.emulator.stats(emulated.token).quota_rejections == 1


async def test_lost_dial_answer_is_outcome_unknown_and_dialled_once(emulated: Emulated) -> None:
    emulated.emulator.add_agent("1", "Agent One")
    emulated.emulator.queue_faults(Fault.DROP_AFTER_ACTION, operations=["dial"])
    async with emulated.client as client:
        with pytest.raises(wv.OutcomeUnknownError):
            await client.dial("1001", "3001234567")
        assert scheduler_of(client).in_flight == 0
    assert len(emulated.emulator.dials_for("1001")) == 1


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.SERVER_ERROR, wv.ServerError),
        (Fault.MAINTENANCE, wv.MaintenanceError),
        (Fault.HTML, wv.UnexpectedResponseError),
        (Fault.TRUNCATED, wv.UnexpectedResponseError),
    ],
)
async def test_faults_become_typed_errors(emulated: Emulated, fault: Fault, error: type[Exception]) -> None:
    emulated.emulator.queue_faults(fault)
    async with emulated.new_client(max_retries=0) as client:
        with pytest.raises(error):
            await client.list_agents()


async def test_timeout_over_real_sockets(wolkvox_server: Emulated) -> None:
    wolkvox_server.emulator.slow_seconds = 2.0
    wolkvox_server.emulator.add_agent("1", "Agent One")
    wolkvox_server.emulator.queue_faults(Fault.SLOW, Fault.SLOW)
    async with wolkvox_server.new_client(timeout=0.2, max_retries=0) as client:
        with pytest.raises(wv.RequestTimeoutError):
            await client.list_agents()
        with pytest.raises(wv.OutcomeUnknownError):
            await client.dial("1001", "300")


@pytest.mark.wolkvox(latency=0.0005, licences=20)
async def test_10000_calls_with_random_cancellations_and_timeouts(wolkvox_server: Emulated) -> None:
    """Both lanes, random cancellations at any moment and queue timeouts, over real sockets."""
    import random

    emulator = wolkvox_server.emulator
    emulator.add_agent("1", "Agent One")
    rng = random.Random(20261123)
    outcomes = {"done": 0, "cancelled": 0, "queue_timeout": 0}
    http = httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=4))
    clients = [wolkvox_server.new_client(http_client=http, max_queue=20_000) for _ in range(3)]

    async def call(i: int) -> None:
        client = clients[i % 3]
        patience = rng.choice([None, None, 0.002, 0.05])
        with anyio.move_on_after(rng.choice([0.001, 0.01, 0.1, 10.0])) as scope:
            try:
                if i % 3:
                    await client.dial("1001", "3001234567", queue_timeout=patience)
                else:
                    await client.list_agents(queue_timeout=patience)
                outcomes["done"] += 1
            except wv.QueueTimeoutError:
                outcomes["queue_timeout"] += 1
        if scope.cancelled_caught:
            outcomes["cancelled"] += 1

    with anyio.fail_after(120):
        async with anyio.create_task_group() as tg:
            for i in range(10_000):
                tg.start_soon(call, i)
                if i % 500 == 0:
                    await anyio.sleep(0.01)
    scheduler = scheduler_of(clients[0])
    assert (scheduler.in_flight, scheduler.waiting()) == (0, 0)
    async with clients[0] as client:
        with anyio.fail_after(5):  # the full capacity is back: both slots at once
            async with anyio.create_task_group() as tg:
                for _ in range(2):
                    tg.start_soon(client.dial, "1001", "300")
    await http.aclose()
    stats = emulator.stats(wolkvox_server.token)
    assert stats.concurrency_rejections == 0
    assert stats.max_in_flight == 2
    assert sum(outcomes.values()) == 10_000
    assert min(outcomes.values()) > 100, outcomes


# ------------------------------------------------------------------ faults, retries and deadlines


async def test_lost_create_answer_creates_no_duplicate(emulated: Emulated) -> None:
    emulated.emulator.queue_faults(Fault.DROP_AFTER_ACTION, operations=["create_agent"])
    async with emulated.client as client:
        with pytest.raises(wv.PasswordLostError) as caught:
            await client.create_agent(dni="7070", name="Ana Ruiz", sso="ana")
    created = [a for a in emulated.emulator.agents.values() if a.dni == "7070"]
    assert len(created) == 1
    assert caught.value.agent_id == created[0].agent_id


async def test_5xx_and_maintenance_bursts_end_in_success_within_the_deadline(emulated: Emulated) -> None:
    emulated.emulator.add_agent("1", "Agent One")
    emulated.emulator.queue_faults(
        Fault.SERVER_ERROR, Fault.MAINTENANCE, Fault.UNAVAILABLE, operations=["agents"]
    )
    async with emulated.new_client(deadline=5) as client:
        with anyio.fail_after(5):
            assert len(await client.list_agents()) == 1
    assert emulated.emulator.stats(emulated.token).faults == {"500": 1, "maintenance": 1, "503": 1}


async def test_a_slow_server_cannot_outlast_the_deadline(wolkvox_server: Emulated) -> None:
    emulator = wolkvox_server.emulator
    emulator.slow_seconds = 3.0
    emulator.set_fault_rate(1.0, [Fault.SLOW])
    async with wolkvox_server.new_client(deadline=0.4, agents_cache_ttl=0) as client:
        started = anyio.current_time()
        with pytest.raises(wv.RequestTimeoutError):
            await client.list_agents()
        assert anyio.current_time() - started < 2.5  # 0.4 s, far from the server's 3 s
    emulator.clear_faults()
