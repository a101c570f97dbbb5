"""The wolkvox emulator, spoken to with raw httpx: it must answer as wolkvox's pages say.

Async tests carry their asyncio mark, so they run whatever pytest-asyncio's mode.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import anyio
import httpx
import pytest
import pytest_asyncio
import trio

from wolkvox_async.testing import Emulator, Fault, is_valid_password, serve_in_thread

TOKEN = "emulator-test-token"
BASE = "http://wv0032.wolkvox.com"
CREATE = "/api/v2/configuration.php?api=create_agent"
ENABLE = "/api/v2/configuration.php?api=enable_agent"
INFORMATION = "/api/v2/information.php"
AGENTS = f"{INFORMATION}?api=agents"
AGENTBOX = "/api/v2/agentbox.php"
BOGOTA = ZoneInfo("America/Bogota")

SIMULTANEOUS = "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"
DOCUMENTED_MESSAGES = {
    "THE API YOU WANT TO CONSULT DOES NOT EXIST",
    "SOME PARAMETERS ARE REQUIRED",
    "PLEASE ENTER THE WOLKVOX-TOKEN",
    "TOKEN LIMIT EXCEEDED",
    SIMULTANEOUS,
    "PLEASE VALIDATE TOKEN",
}

Connect = Callable[..., httpx.AsyncClient]


def in_process(emulator: Emulator, token: str | None = TOKEN) -> httpx.AsyncClient:
    headers = {} if token is None else {"wolkvox-token": token}
    return httpx.AsyncClient(transport=httpx.ASGITransport(emulator), base_url=BASE, headers=headers)


@pytest.fixture(params=["in-process", "uvicorn"])
def connect(request: pytest.FixtureRequest) -> Iterator[Connect]:
    """Open a client on an emulator, in process or through a real uvicorn socket."""
    urls: dict[int, str] = {}
    with contextlib.ExitStack() as servers:

        def connect(emulator: Emulator, token: str | None = TOKEN, timeout: float = 5.0) -> httpx.AsyncClient:
            if request.param == "in-process":
                return in_process(emulator, token)
            if id(emulator) not in urls:
                urls[id(emulator)] = servers.enter_context(serve_in_thread(emulator))
            headers = {} if token is None else {"wolkvox-token": token}
            return httpx.AsyncClient(base_url=urls[id(emulator)], headers=headers, timeout=timeout)

        yield connect


@pytest.fixture
def emulator() -> Emulator:
    return Emulator([TOKEN])


@pytest_asyncio.fixture
async def http(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    async with in_process(emulator) as client:
        yield client


async def create(http: httpx.AsyncClient, dni: str = "1020304050", **fields: str) -> httpx.Response:
    body = {"agent_dni": dni, "agent_name": "Ana María", "agent_sso": f"ana.{dni}", **fields}
    return await http.post(CREATE, json=body)


async def dial(
    http: httpx.AsyncClient, agent_id: str, phone: str = "3001234567", **extra: str
) -> httpx.Response:
    params = {"agent_id": agent_id, "api": "dial", "customer_phone": phone, **extra}
    return await http.post(AGENTBOX, params=params)


async def display(http: httpx.AsyncClient, agent_id: str, shown: str, button: str) -> httpx.Response:
    params = {"agent_id": agent_id, "api": "agent_display", "display": shown, "button": button}
    return await http.post(AGENTBOX, params=params)


async def eventually(condition: Callable[[], bool]) -> None:
    """Wait, three seconds at most, for what another task or thread is bringing about."""
    for _ in range(600):
        if condition():
            return
        await anyio.sleep(0.005)
    raise AssertionError("the condition never came true")


def error(status: int | str, error: str, msg: str) -> dict[str, object]:
    return {"code": status, "error": error, "msg": msg}


class ManualClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# -- the five operations ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_create_agent_answers_as_documented(connect: Connect) -> None:
    emulator = Emulator([TOKEN])
    async with connect(emulator) as http:
        first, second = await create(http, "111"), await create(http, "222")

    assert first.status_code == 200
    assert first.headers["content-type"].startswith("application/json")
    body = first.json()
    assert body == {
        "code": 201,
        "error": None,
        "msg": "Agent has been created",
        "data": [{"agent_id": "1001", "password": body["data"][0]["password"]}],
    }
    assert second.json()["data"][0]["agent_id"] == "1002"
    for answer in (first, second):
        password = answer.json()["data"][0]["password"]
        assert is_valid_password(password)
        assert len(password) == 10
    assert first.json()["data"][0]["password"] != second.json()["data"][0]["password"]
    assert emulator.agents["1001"].enabled is False


@pytest.mark.asyncio
async def test_create_agent_keeps_a_given_password_and_refuses_a_weak_one(
    emulator: Emulator, http: httpx.AsyncClient
) -> None:
    kept = await create(http, "111", agent_pass="Secr3t#pw")
    weak = await create(http, "222", agent_pass="secret")
    blank = await create(http, "333", agent_pass="")

    assert kept.json()["data"][0]["password"] == "Secr3t#pw"
    assert weak.status_code == 400
    assert weak.json()["code"] == 400
    assert "PASSWORD" in weak.json()["msg"]
    assert is_valid_password(blank.json()["data"][0]["password"])
    assert [agent.dni for agent in emulator.agents.values()] == ["111", "333"]


@pytest.mark.parametrize(
    "body",
    [
        {"agent_name": "Ana", "agent_sso": "ana"},
        {"agent_dni": "1", "agent_sso": "ana"},
        {"agent_dni": " ", "agent_name": "Ana", "agent_sso": "ana"},
        {"agent_dni": None, "agent_name": "Ana", "agent_sso": "ana"},
    ],
)
@pytest.mark.asyncio
async def test_create_agent_needs_every_field(
    emulator: Emulator, http: httpx.AsyncClient, body: dict[str, object]
) -> None:
    answer = await http.post(CREATE, json=body)

    assert answer.status_code == 400
    assert answer.json() == error(400, "BAD REQUEST", "SOME PARAMETERS ARE REQUIRED")
    assert not emulator.agents


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b""])
@pytest.mark.asyncio
async def test_a_body_that_is_no_json_object_lacks_its_parameters(
    emulator: Emulator, http: httpx.AsyncClient, content: bytes
) -> None:
    answer = await http.post(CREATE, content=content, headers={"content-type": "application/json"})

    assert answer.status_code == 400
    assert answer.json()["msg"] == "SOME PARAMETERS ARE REQUIRED"
    assert not emulator.agents


@pytest.mark.asyncio
async def test_a_dni_already_registered_is_refused(emulator: Emulator, http: httpx.AsyncClient) -> None:
    await create(http, "777")
    again = await create(http, "777")

    assert again.status_code == 404
    body = again.json()
    assert body["code"] == 404
    assert body["error"] == "NOT FOUND"
    assert "ALREADY" in body["msg"]
    assert emulator.actions == [("create_agent", "1001", "777")]


@pytest.mark.asyncio
async def test_enable_agent_answers_as_documented(connect: Connect) -> None:
    emulator = Emulator([TOKEN])
    agent = emulator.add_agent("555", "Luis", "luis", enabled=False)
    async with connect(emulator) as http:
        enabled = await http.put(ENABLE, json={"agent_id": agent.agent_id})
        numeric = await http.put(ENABLE, json={"agent_id": int(agent.agent_id)})
        unknown = await http.put(ENABLE, json={"agent_id": "9999"})
        missing = await http.put(ENABLE, json={})

    assert enabled.status_code == 200
    assert enabled.json() == {"code": 202, "error": None, "msg": f"{agent.agent_id} agent has been enabled"}
    assert numeric.json()["code"] == 202
    assert unknown.status_code == 404
    assert unknown.json() == error(404, "NOT FOUND", "AGENT NOT FOUND")
    assert missing.status_code == 400
    assert emulator.agents[agent.agent_id].enabled is True


@pytest.mark.asyncio
async def test_agents_report_answers_as_documented(connect: Connect) -> None:
    clock = ManualClock(datetime(2026, 6, 25, 10, 50, 54, tzinfo=BOGOTA))
    emulator = Emulator([TOKEN], clock=clock)
    async with connect(emulator) as http:
        empty = await http.get(AGENTS)
        await create(http, "100")
        emulator.add_agent("200", "Bea", "bea", last_use="-")
        emulator.set_agent_status("1001", "available")
        everyone = await http.get(AGENTS)
        one = await http.get(INFORMATION, params={"api": "agents", "agent": "1002"})
        nobody = await http.get(INFORMATION, params={"api": "agents", "agent": "4242"})

    assert empty.status_code == 404
    assert empty.json() == {"code": 404, "error": "NOT FOUND", "msg": "NO RECORDS WERE FOUND", "data": []}
    assert everyone.status_code == 200
    body = everyone.json()
    assert (body["code"], body["error"], body["msg"]) == ("", None, "2 records were found")
    assert body["data"][0] == {
        "agent_id": "1001",
        "agent_name": "Ana María",
        "agent_dni": "100",
        "agent_status": "available",
        "last_use": "2026-06-25 10:50:54",
        "agent_sso": "ana.100",
        "enabled": "no",
    }
    assert all(isinstance(value, str) for row in body["data"] for value in row.values())
    assert one.json()["msg"] == "1 records were found"
    assert [row["agent_id"] for row in one.json()["data"]] == ["1002"]
    assert one.json()["data"][0]["last_use"] == "-"
    assert one.json()["data"][0]["enabled"] == "yes"
    assert nobody.status_code == 404
    assert nobody.json()["data"] == []


@pytest.mark.asyncio
async def test_dial_answers_as_documented(connect: Connect) -> None:
    emulator = Emulator([TOKEN])
    agent_id = emulator.add_agent("300", "Carla").agent_id
    async with connect(emulator) as http:
        first = await dial(http, agent_id, "3001112233", customer_id="42", customer_name="José Pérez")
        second = await dial(http, agent_id, "3004445566")
        unknown = await dial(http, "9999")
        no_phone = await http.post(AGENTBOX, params={"agent_id": agent_id, "api": "dial"})

    assert first.status_code == 200
    conn_id = first.json()["data"]["conn_id"]
    assert first.json() == {
        "code": "200",
        "error": None,
        "msg": "Dial has been successful",
        "data": {"conn_id": conn_id},
    }
    assert isinstance(conn_id, str)
    assert conn_id
    assert second.json()["data"]["conn_id"] != conn_id
    assert unknown.status_code == 404
    assert unknown.json() == error("404", "NOT FOUND", "AGENT NOT FOUND")
    assert no_phone.status_code == 400
    assert no_phone.json() == error("400", "BAD REQUEST", "SOME PARAMETERS ARE REQUIRED")
    dials = emulator.dials_for(agent_id)
    assert [(d.customer_phone, d.customer_id, d.customer_name) for d in dials] == [
        ("3001112233", "42", "José Pérez"),
        ("3004445566", "", ""),
    ]
    assert dials[0].conn_id == conn_id


@pytest.mark.parametrize("shown", ["show", "hide"])
@pytest.mark.parametrize("button", ["hungup", "disposition", "dial"])
@pytest.mark.asyncio
async def test_agent_display_answers_as_documented(
    emulator: Emulator, http: httpx.AsyncClient, shown: str, button: str
) -> None:
    agent_id = emulator.add_agent("400", "Dora").agent_id
    answer = await display(http, agent_id, shown, button)

    assert answer.status_code == 200
    assert answer.json() == {
        "code": "200",
        "error": None,
        "msg": "default",
        "data": f"Agentbox has been {shown}",
    }
    assert (button in emulator.agents[agent_id].hidden_buttons) is (shown == "hide")


@pytest.mark.parametrize(
    ("shown", "button"), [("blink", "dial"), ("show", "hangup"), ("", "dial"), ("hide", "")]
)
@pytest.mark.asyncio
async def test_agent_display_refuses_other_values(
    emulator: Emulator, http: httpx.AsyncClient, shown: str, button: str
) -> None:
    agent_id = emulator.add_agent("400", "Dora").agent_id
    answer = await display(http, agent_id, shown, button)

    assert answer.status_code == 400
    assert answer.json()["msg"] == "SOME PARAMETERS ARE REQUIRED"
    assert emulator.actions == []


# -- what every call goes through ------------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_token_must_be_given_and_known(emulator: Emulator) -> None:
    async with in_process(emulator, None) as anonymous, in_process(emulator, "forged") as forged:
        missing = await anonymous.get(AGENTS)
        blank = await anonymous.get(AGENTS, headers={"wolkvox-token": ""})
        invalid = await forged.post(CREATE, json={"agent_dni": "1", "agent_name": "A", "agent_sso": "a"})

    assert missing.status_code == blank.status_code == 401
    assert missing.json() == error(401, "UNAUTHORIZED", "PLEASE ENTER THE WOLKVOX-TOKEN")
    assert invalid.status_code == 403
    assert invalid.json() == error(403, "FORBIDDEN", "PLEASE VALIDATE TOKEN")
    assert emulator.unauthorized == 3
    assert not emulator.agents
    assert emulator.stats().quota_used == 0


@pytest.mark.asyncio
async def test_an_unknown_api_does_not_exist(emulator: Emulator, http: httpx.AsyncClient) -> None:
    answers = [
        await http.get(f"{INFORMATION}?api=nothing"),
        await http.get(INFORMATION),
        await http.post(f"{AGENTBOX}?api=nothing&agent_id=1001"),
    ]

    assert [answer.status_code for answer in answers] == [400, 400, 400]
    assert answers[0].json() == error(400, "BAD REQUEST", "THE API YOU WANT TO CONSULT DOES NOT EXIST")
    assert answers[2].json() == error("400", "BAD REQUEST", "THE API YOU WANT TO CONSULT DOES NOT EXIST")


@pytest.mark.asyncio
async def test_a_wrong_method_is_not_allowed(emulator: Emulator, http: httpx.AsyncClient) -> None:
    answer = await http.post(AGENTS)
    put_create = await http.put(CREATE, json={"agent_dni": "1", "agent_name": "A", "agent_sso": "a"})

    assert answer.status_code == put_create.status_code == 405
    assert answer.headers["allow"] == "GET"
    assert answer.json()["error"] == "METHOD NOT ALLOWED"
    assert not emulator.agents


@pytest.mark.parametrize(
    "path", ["/api/v2/nothing.php?api=agents", "/api/v1/information.php?api=agents", "/"]
)
@pytest.mark.asyncio
async def test_an_unknown_path_is_not_found(http: httpx.AsyncClient, path: str) -> None:
    answer = await http.get(path)

    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")


# -- limits ----------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_third_simultaneous_request_is_refused_at_once(connect: Connect) -> None:
    emulator = Emulator([TOKEN], latency=0.3)
    emulator.add_agent("1", "Eva")
    answers: list[httpx.Response] = []
    async with connect(emulator) as http:

        async def fetch() -> None:
            answers.append(await http.get(AGENTS))

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(fetch)
            tasks.start_soon(fetch)
            await eventually(lambda: emulator.stats().in_flight == 2)
            started = time.monotonic()
            third = await http.get(AGENTS)
            refused_after = time.monotonic() - started

    assert third.status_code == 403
    assert third.json() == error(403, "FORBIDDEN", SIMULTANEOUS)
    assert refused_after < 0.25
    assert [answer.status_code for answer in answers] == [200, 200]
    stats = emulator.stats()
    assert (stats.max_in_flight, stats.in_flight, stats.concurrency_rejections) == (2, 0, 1)
    assert stats.quota_used == 2
    assert (stats.calls["agents"], stats.accepted["agents"]) == (3, 2)


@pytest.mark.asyncio
async def test_tokens_have_their_own_concurrency(connect: Connect) -> None:
    emulator = Emulator(["A", "B"], latency=0.2)
    emulator.add_agent("1", "Eva")
    statuses: list[int] = []
    async with connect(emulator, "A") as a, connect(emulator, "B") as b:

        async def fetch(http: httpx.AsyncClient) -> None:
            statuses.append((await http.get(AGENTS)).status_code)

        async with anyio.create_task_group() as tasks:
            for http in (a, b, a, b):
                tasks.start_soon(fetch, http)

    assert statuses == [200] * 4
    for token in ("A", "B"):
        assert emulator.stats(token).max_in_flight == 2
        assert emulator.stats(token).concurrency_rejections == 0


@pytest.mark.asyncio
async def test_the_concurrency_limit_is_configurable(emulator: Emulator) -> None:
    emulator.latency = 0.2
    emulator.add_token("solo", concurrency=1)
    async with in_process(emulator, "solo") as http, anyio.create_task_group() as tasks:
        tasks.start_soon(http.get, AGENTS)
        await eventually(lambda: emulator.stats("solo").in_flight == 1)
        refused = await http.get(AGENTS)

    assert refused.json()["msg"] == "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (1)"


@pytest.mark.asyncio
async def test_latency_and_jitter_keep_a_request_in_progress() -> None:
    emulator = Emulator([TOKEN], latency=0.03, jitter=0.01, seed=7)
    async with in_process(emulator) as http:
        for _ in range(3):
            started = time.monotonic()
            await http.get(AGENTS)
            assert 0.019 <= time.monotonic() - started < 1.0


@pytest.mark.asyncio
async def test_the_daily_quota_spares_agentbox_calls_and_turns_at_midnight_in_bogota() -> None:
    clock = ManualClock(datetime(2026, 11, 23, 18, 0, tzinfo=BOGOTA))
    emulator = Emulator([TOKEN], clock=clock)
    emulator.add_token("Q", daily_quota=3)
    agent_id = emulator.add_agent("1", "Eva").agent_id
    async with in_process(emulator, "Q") as http, in_process(emulator, None) as anonymous:
        await anonymous.get(AGENTS)
        spent = [
            await http.get(AGENTS),
            await http.get(f"{INFORMATION}?api=nothing"),
            await http.get(AGENTS),
        ]
        refused = await http.get(AGENTS)
        free = [await dial(http, agent_id), await display(http, agent_id, "hide", "dial")]
        clock.now = datetime(2026, 11, 23, 23, 59, 59, tzinfo=BOGOTA)  # past midnight UTC already
        still_refused = await http.put(ENABLE, json={"agent_id": agent_id})
        clock.now += timedelta(seconds=1)
        next_day = await http.get(AGENTS)

    assert [answer.status_code for answer in spent] == [200, 400, 200]
    assert refused.status_code == still_refused.status_code == 403
    assert refused.json() == error(403, "FORBIDDEN", "TOKEN LIMIT EXCEEDED")
    assert [answer.status_code for answer in free] == [200, 200]
    assert next_day.status_code == 200
    stats = emulator.stats("Q")
    assert (stats.quota_used, stats.quota_rejections) == (1, 2)
    assert ("enable_agent", agent_id) not in emulator.actions
    assert emulator.stats(TOKEN).quota_used == 0


def test_the_quota_is_licences_times_a_thousand() -> None:
    emulator = Emulator({"five": 5, "one": 1})
    emulator.add_token("explicit", 2, daily_quota=10)

    assert [emulator.stats(token).daily_quota for token in ("five", "one", "explicit")] == [5000, 1000, 10]
    assert Emulator(["x"], licences=3).stats().daily_quota == 3000


@pytest.mark.asyncio
async def test_quota_already_used_today_can_be_set(emulator: Emulator, http: httpx.AsyncClient) -> None:
    emulator.set_quota_used(TOKEN, 999)

    assert (await http.get(AGENTS)).status_code == 404
    assert (await http.get(AGENTS)).json()["msg"] == "TOKEN LIMIT EXCEEDED"


# -- faults ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "content_type"),
    [
        (Fault.SERVER_ERROR, 500, "text/html"),
        (Fault.UNAVAILABLE, 503, "text/html"),
        (Fault.MAINTENANCE, 403, "application/json"),
        (Fault.HTML, 200, "text/html"),
        (Fault.TRUNCATED, 200, "application/json"),
        (Fault.SLOW, 504, "text/html"),
    ],
)
@pytest.mark.asyncio
async def test_a_fault_strikes_before_acting(kind: Fault, status: int, content_type: str) -> None:
    emulator = Emulator([TOKEN], slow_seconds=0.2)
    emulator.queue_faults(kind)
    async with in_process(emulator) as http:
        started = time.monotonic()
        faulty = await create(http, "1")
        elapsed = time.monotonic() - started
        healthy = await create(http, "1")

    assert faulty.status_code == status
    assert faulty.headers["content-type"].startswith(content_type)
    assert int(faulty.headers["content-length"]) == len(faulty.content)
    if kind is not Fault.MAINTENANCE:
        with pytest.raises(json.JSONDecodeError):
            json.loads(faulty.content)
    else:
        assert faulty.json()["msg"] not in DOCUMENTED_MESSAGES
    assert (elapsed >= 0.2) is (kind is Fault.SLOW)
    assert healthy.json()["code"] == 201
    assert emulator.actions == [("create_agent", "1001", "1")]
    stats = emulator.stats()
    assert stats.quota_used == 1
    assert stats.faults == {kind.value: 1}
    assert (stats.calls["create_agent"], stats.accepted["create_agent"]) == (2, 1)


@pytest.mark.asyncio
async def test_a_dropped_answer_comes_after_the_action(connect: Connect) -> None:
    emulator = Emulator([TOKEN])
    emulator.queue_faults("drop_after_action", "drop_after_action")
    async with connect(emulator) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await create(http, "1")
        with pytest.raises(httpx.RemoteProtocolError):
            await dial(http, "1001")
        again = await create(http, "1")

    assert again.status_code == 404
    assert "ALREADY" in again.json()["msg"]
    conn_id = emulator.dials_for("1001")[0].conn_id
    assert emulator.actions == [("create_agent", "1001", "1"), ("dial", "1001", "3001234567", conn_id)]
    assert emulator.stats().quota_used == 2


@pytest.mark.asyncio
async def test_a_slow_answer_outlasts_a_client_timeout() -> None:
    emulator = Emulator([TOKEN], slow_seconds=0.5)
    emulator.queue_faults(Fault.SLOW)
    with serve_in_thread(emulator) as url:
        async with httpx.AsyncClient(base_url=url, headers={"wolkvox-token": TOKEN}, timeout=0.1) as http:
            with pytest.raises(httpx.ReadTimeout):
                await create(http, "1")
            assert emulator.stats().in_flight == 1
            await eventually(lambda: emulator.stats().in_flight == 0)
            assert (await create(http, "1")).status_code == 200

    assert emulator.actions == [("create_agent", "1001", "1")]


@pytest.mark.asyncio
async def test_scripted_faults_wait_for_their_operation(emulator: Emulator, http: httpx.AsyncClient) -> None:
    agent_id = emulator.add_agent("1", "Eva").agent_id
    emulator.queue_faults("503", "500", operations=["dial"])

    assert (await http.get(AGENTS)).status_code == 200
    assert emulator.pending_faults == 2
    assert [(await dial(http, agent_id)).status_code for _ in range(3)] == [503, 500, 200]
    assert emulator.pending_faults == 0


@pytest.mark.asyncio
async def test_faults_at_a_rate_only_hit_their_operations(
    emulator: Emulator, http: httpx.AsyncClient
) -> None:
    agent_id = emulator.add_agent("1", "Eva").agent_id
    emulator.set_fault_rate(1.0, ["503"], operations=["dial"])

    assert (await dial(http, agent_id)).status_code == 503
    assert (await http.get(AGENTS)).status_code == 200
    emulator.clear_faults()
    assert (await dial(http, agent_id)).status_code == 200


@pytest.mark.asyncio
async def test_faults_at_a_rate_are_drawn_per_request() -> None:
    emulator = Emulator([TOKEN], seed=3)
    emulator.add_agent("1", "Eva")
    emulator.set_fault_rate(0.25, [Fault.SERVER_ERROR, Fault.HTML])
    async with in_process(emulator) as http:
        statuses = [(await http.get(AGENTS)).status_code for _ in range(200)]

    faults = emulator.stats().faults
    assert 20 < sum(faults.values()) < 80
    assert set(faults) == {"500", "html"}
    assert statuses.count(500) == faults["500"]


def test_a_fault_rate_is_a_probability(emulator: Emulator) -> None:
    with pytest.raises(ValueError, match="probability"):
        emulator.set_fault_rate(1.5)
    with pytest.raises(ValueError, match="'nope'"):
        emulator.queue_faults("nope")


# -- observation -----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_action_log_records_each_action_once(emulator: Emulator, http: httpx.AsyncClient) -> None:
    await create(http, "1")
    await http.put(ENABLE, json={"agent_id": "1001"})
    await http.get(AGENTS)
    answer = await dial(http, "1001", "555")
    await display(http, "1001", "hide", "hungup")
    await create(http, "1")

    conn_id = answer.json()["data"]["conn_id"]
    assert emulator.actions == [
        ("create_agent", "1001", "1"),
        ("enable_agent", "1001"),
        ("dial", "1001", "555", conn_id),
        ("agent_display", "1001", "hide", "hungup"),
    ]
    emulator.reset_stats()
    assert emulator.actions == []
    assert emulator.dials_for("1001") == []
    assert emulator.stats().calls == {}
    assert emulator.stats().quota_used == 4
    assert "1001" in emulator.agents


def test_stats_need_the_token_when_there_are_several() -> None:
    with pytest.raises(ValueError, match="several"):
        Emulator(["A", "B"]).stats()


# -- event loops, servers and the command line -----------------------------------------------------


def test_one_emulator_serves_several_event_loops_and_trio() -> None:
    emulator = Emulator([TOKEN], latency=0.001)

    async def created(dni: str) -> int:
        async with in_process(emulator) as http:
            return (await create(http, dni)).status_code

    assert asyncio.run(created("1")) == 200
    assert asyncio.run(created("2")) == 200
    assert trio.run(created, "3") == 200
    assert len(emulator.agents) == 3


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com"])
def test_only_loopback_is_served(host: str) -> None:
    with pytest.raises(ValueError, match=r"loopback|IP address"), serve_in_thread(Emulator(), host=host):
        pass


def test_importing_the_emulator_leaves_uvicorn_out() -> None:
    code = "import sys, wolkvox_async.testing; sys.exit('uvicorn' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], timeout=30).returncode == 0


def test_the_command_line_serves_until_interrupted() -> None:
    token = "cli-secret-token-0123456789"
    command = [sys.executable, "-m", "wolkvox_async.testing", "serve", "--port", "0", "--token", f"{token}:2"]
    command += ["--latency", "5ms"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
        try:
            announced = _first_line(process, timeout=15)
            match = re.search(r"http://127\.0\.0\.1:\d+", announced)
            assert match, announced
            assert token not in announced
            answer = httpx.get(match[0] + AGENTS, headers={"wolkvox-token": token}, timeout=5)
            assert answer.status_code == 404
            assert answer.json()["msg"] == "NO RECORDS WERE FOUND"
            process.send_signal(signal.SIGINT)
            _, errors = process.communicate(timeout=5)
            assert process.returncode == 0, errors
            assert errors == ""
        finally:
            if process.poll() is None:
                process.kill()


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout
    assert stdout is not None
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    return lines.get(timeout=timeout)
