"""Retries, the total deadline, reconciliation and event hooks, seen through the Client."""

from __future__ import annotations

import time
from typing import Any

import anyio
import httpx
import pytest
import respx
from helpers import BASE, agents, created, dialled, scheduler_of

import wolkvox_async as wv
from wolkvox_async._retry import RetryPolicy

pytestmark = pytest.mark.asyncio


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, retry, rand=None: 0.001)
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def client(token: str, **options: Any) -> wv.Client:
    return wv.Client("0032", token, **{"agents_cache_ttl": 0, **options})


def unavailable(retry_after: str | None = None) -> httpx.Response:
    headers = {"retry-after": retry_after} if retry_after else {}
    return httpx.Response(503, headers=headers, json={"code": 503, "error": "UNAVAILABLE", "msg": "busy"})


async def test_idempotent_calls_are_retried_until_they_succeed(api: Any, token: str) -> None:
    route = api.get("/information.php").mock(
        side_effect=[
            httpx.ReadTimeout("slow"),
            unavailable(),
            httpx.Response(200, text="<html>"),
            agents("1"),
        ]
    )
    async with client(token, licences=1) as c:
        assert [a.agent_id for a in await c.list_agents()] == ["1"]
        assert c.quota().used == 4  # each attempt that reached the server may have been counted there
    assert route.call_count == 4


async def test_retries_stop_at_max_retries_per_client_and_per_call(api: Any, token: str) -> None:
    route = api.put("/configuration.php").mock(return_value=unavailable())
    async with client(token, max_retries=1) as c:
        with pytest.raises(wv.ServerError):
            await c.enable_agent("1")
        assert route.call_count == 2
        with pytest.raises(wv.ServerError):
            await c.enable_agent("1", max_retries=0)
        assert route.call_count == 3


async def test_a_dial_that_never_left_is_sent_again(api: Any, token: str) -> None:
    route = api.post("/agentbox.php").mock(side_effect=[httpx.ConnectError("refused"), dialled("c-2")])
    async with client(token) as c:
        assert (await c.dial("1", "2")).conn_id == "c-2"
    assert route.call_count == 2


@pytest.mark.parametrize(
    "failure", [httpx.ReadTimeout("slow"), unavailable(), httpx.RemoteProtocolError("cut")]
)
async def test_a_dial_that_may_have_rung_is_never_sent_again(api: Any, token: str, failure: Any) -> None:
    route = api.post("/agentbox.php").mock(side_effect=[failure, dialled()])
    async with client(token) as c:
        with pytest.raises((wv.OutcomeUnknownError, wv.ServerError)):
            await c.dial("1", "2")
    assert route.call_count == 1


async def test_retry_after_is_honoured(api: Any, token: str) -> None:
    api.get("/information.php").mock(side_effect=[unavailable("1"), agents()])
    delays: list[float] = []
    async with client(token, event_hooks={"retry": [lambda e: delays.append(e.delay)]}) as c:
        started = time.monotonic()
        await c.list_agents()
    assert delays == [1.0]
    assert time.monotonic() - started >= 1.0


async def test_a_retry_after_beyond_the_cap_is_not_waited_for(api: Any, token: str) -> None:
    route = api.get("/information.php").mock(side_effect=[unavailable("3600"), agents()])
    async with client(token) as c:
        with pytest.raises(wv.ServerError):
            await c.list_agents()
    assert route.call_count == 1


# ------------------------------------------------------------------ create_agent reconciliation


async def test_lost_create_answer_with_the_agent_found_is_password_lost(api: Any, token: str) -> None:
    create = api.post("/configuration.php").mock(side_effect=httpx.ReadError("lost"))
    listed = {"code": "", "error": None, "msg": "", "data": [{"agent_id": "1009", "agent_dni": "1020"}]}
    api.get("/information.php").mock(return_value=httpx.Response(200, json=listed))
    async with client(token) as c:
        with pytest.raises(wv.PasswordLostError) as caught:
            await c.create_agent(dni="1020", name="Ana", sso="ana")
    assert caught.value.agent_id == "1009"
    assert isinstance(caught.value.__cause__, wv.OutcomeUnknownError)
    assert create.call_count == 1


async def test_lost_create_answer_with_no_agent_is_sent_again(api: Any, token: str) -> None:
    create = api.post("/configuration.php").mock(side_effect=[httpx.ReadError("lost"), created("1010")])
    api.get("/information.php").mock(return_value=agents("999"))
    async with client(token) as c:
        assert (await c.create_agent(dni="1020", name="Ana", sso="ana")).agent_id == "1010"
    assert create.call_count == 2


async def test_lost_create_answer_then_dni_taken_is_password_lost(api: Any, token: str) -> None:
    taken = httpx.Response(
        404, json={"code": 404, "error": "NOT FOUND", "msg": "THE AGENT IS ALREADY REGISTERED"}
    )
    api.post("/configuration.php").mock(side_effect=[httpx.ReadError("lost"), taken])
    api.get("/information.php").mock(return_value=agents())
    async with client(token) as c:
        with pytest.raises(wv.PasswordLostError) as caught:
            await c.create_agent(dni="1020", name="Ana", sso="ana")
    assert caught.value.agent_id is None


async def test_lost_create_answer_and_failed_lookup_stays_unknown(api: Any, token: str) -> None:
    api.post("/configuration.php").mock(side_effect=httpx.ReadError("lost"))
    api.get("/information.php").mock(return_value=httpx.Response(401, json={"code": 401, "msg": "x"}))
    async with client(token) as c:
        with pytest.raises(wv.OutcomeUnknownError):
            await c.create_agent(dni="1020", name="Ana", sso="ana")


# ------------------------------------------------------------------ deadline and timeouts


async def test_the_deadline_bounds_a_call_with_its_retries(api: Any, token: str) -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0.2)
        return unavailable()

    api.get("/information.php").mock(side_effect=slow)
    api.post("/agentbox.php").mock(side_effect=slow)
    async with client(token, deadline=0.3, max_retries=10) as c:
        started = time.monotonic()
        with pytest.raises(wv.RequestTimeoutError) as caught:
            await c.list_agents()
        assert time.monotonic() - started < 1.5  # 0.3 s and a margin for a loaded machine
        assert caught.value.may_have_reached_server
        with pytest.raises(wv.OutcomeUnknownError):
            await c.dial("1", "2", deadline=0.1)  # cut while in flight: it may have rung
        assert scheduler_of(c).in_flight == 0


async def test_the_deadline_does_not_count_the_queue(api: Any, token: str) -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0.1)
        return agents()

    api.get("/information.php").mock(side_effect=slow)
    async with client(token, deadline=0.15, concurrency=1) as c, anyio.create_task_group() as tg:
        for _ in range(4):
            tg.start_soon(c.list_agents)  # the last waits 0.3 s in the queue, then takes 0.1 s


@pytest.mark.parametrize(("options", "read"), [({}, 60.0), ({"timeout": None}, None), ({"timeout": 5}, 5.0)])
async def test_timeout_sentinel(api: Any, token: str, options: dict[str, Any], read: float | None) -> None:
    route = api.get("/information.php").mock(return_value=agents())
    async with client(token, **options) as c:
        await c.list_agents()
    assert route.calls.last.request.extensions["timeout"]["read"] == read


async def test_deadline_none_means_no_deadline(api: Any, token: str) -> None:
    async with client(token, deadline=None) as c:
        assert c._settings.deadline is None
    async with client(token) as c:
        assert c._settings.deadline == 60.0


# ------------------------------------------------------------------ hooks


async def test_event_hooks_see_each_attempt(api: Any, token: str) -> None:
    api.get("/information.php").mock(side_effect=[unavailable(), agents()])
    events: list[Any] = []

    async def async_hook(event: Any) -> None:
        events.append(event)

    hooks = {
        "slot_wait": [events.append],
        "request": [async_hook],
        "response": [events.append],
        "retry": [events.append],
    }
    async with client(token, event_hooks=hooks) as c:
        await c.list_agents()
    kinds = [type(e).__name__ for e in events]
    assert kinds == [
        "SlotWaitEvent", "RequestEvent", "ResponseEvent", "RetryEvent", "SlotWaitEvent", "RequestEvent", "ResponseEvent",
    ]  # fmt: skip
    assert [e.status for e in events if isinstance(e, wv.ResponseEvent)] == [503, 200]
    assert events[3].verdict == "retry"
    assert all(token not in repr(e) for e in events)


async def test_unknown_hook_names_are_refused() -> None:
    with pytest.raises(wv.InvalidArgumentError):
        wv.Client("0032", "t", event_hooks={"on_request": [print]})


@pytest.mark.parametrize("kind", ["slot_wait", "request", "response"])
@pytest.mark.parametrize("coroutine", [False, True])
async def test_a_hook_that_raises_cannot_change_the_outcome_of_a_dial(
    api: Any, token: str, kind: str, coroutine: bool, caplog: pytest.LogCaptureFixture
) -> None:
    dial = api.post("/agentbox.php").mock(return_value=dialled("c-9"))

    def broken(event: Any) -> None:
        raise RuntimeError("metrics backend down")

    async def broken_async(event: Any) -> None:
        broken(event)

    async with client(token, event_hooks={kind: [broken_async if coroutine else broken]}) as c:
        assert (await c.dial("1001", "300")).conn_id == "c-9"
    assert dial.call_count == 1
    warned = [r for r in caplog.records if r.levelname == "WARNING" and "event hook" in r.getMessage()]
    assert len(warned) == 1 and warned[0].exc_info is not None


async def test_a_lost_create_answer_is_reconciled_within_the_call_s_deadline(api: Any, token: str) -> None:
    async def slow_report(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(5)
        return agents()

    create = api.post("/configuration.php").mock(side_effect=httpx.ReadError("lost"))
    api.get("/information.php").mock(side_effect=slow_report)
    started = anyio.current_time()
    async with client(token, deadline=0.3) as c:
        with pytest.raises(wv.OutcomeUnknownError, match="deadline"):
            await c.create_agent(dni="1020", name="Ana", sso="ana")
    assert anyio.current_time() - started < 1.0
    assert create.call_count == 1


async def test_a_reconciled_create_sent_again_and_lost_again_is_looked_up_again(api: Any, token: str) -> None:
    create = api.post("/configuration.php").mock(side_effect=httpx.ReadError("lost"))
    report = api.get("/information.php").mock(return_value=agents("999"))
    async with client(token, max_retries=2) as c:
        with pytest.raises(wv.OutcomeUnknownError):
            await c.create_agent(dni="1020", name="Ana", sso="ana")
    assert (create.call_count, report.call_count) == (3, 2), "every resend was preceded by a lookup"


async def test_a_dni_taken_after_a_reconciled_resend_names_the_agent(api: Any, token: str) -> None:
    taken = httpx.Response(
        404, json={"code": 404, "error": "NOT FOUND", "msg": "THE AGENT IS ALREADY REGISTERED"}
    )
    api.post("/configuration.php").mock(side_effect=[httpx.ReadError("lost"), taken])
    found = {"code": "", "error": None, "msg": "", "data": [{"agent_id": "1011", "agent_dni": "1020"}]}
    api.get("/information.php").mock(side_effect=[agents(), httpx.Response(200, json=found)])
    async with client(token) as c:
        with pytest.raises(wv.PasswordLostError) as caught:
            await c.create_agent(dni="1020", name="Ana", sso="ana")
    assert caught.value.agent_id == "1011"
