"""The Client over respx: endpoints, validation, limits, quota, errors, secrets."""

from __future__ import annotations

import logging
from typing import Any

import anyio
import httpx
import pytest
import respx
from conftest import Clock
from helpers import BASE, agents, created, dialled, displayed, enabled, forbidden, scheduler_of

import wolkvox_async as wv

pytestmark = pytest.mark.asyncio


@pytest.fixture
def api() -> Any:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def client(token: str, **options: Any) -> wv.Client:
    """A client whose every list_agents call reaches the mock (no agents cache)."""
    return wv.Client("0032", token, **{"agents_cache_ttl": 0, **options})


# ------------------------------------------------------------------ endpoints


async def test_quickstart_flow(api: Any, token: str) -> None:
    api.post("/configuration.php", params={"api": "create_agent"}).mock(return_value=created("1001"))
    api.put("/configuration.php", params={"api": "enable_agent"}).mock(return_value=enabled("1001"))
    api.get("/information.php", params={"api": "agents"}).mock(return_value=agents("1001"))
    api.post("/agentbox.php", params={"api": "dial"}).mock(return_value=dialled("c-9"))
    api.post("/agentbox.php", params={"api": "agent_display"}).mock(return_value=displayed("hide"))

    async with client(token, licences=5) as c:
        new = await c.create_agent(dni="1020", name="Ana Ruiz", sso="ana@corp.co")
        assert (new.agent_id, new.password.reveal()) == ("1001", "Xy7#abcd")
        assert (await c.enable_agent(new.agent_id)).code == 202
        assert [a.agent_id for a in await c.list_agents()] == ["1001"]
        assert (await c.dial(agent_id="1001", phone="3001234567")).conn_id == "c-9"
        ack = await c.agent_display(agent_id="1001", button=wv.Button.HANGUP, display=wv.Display.HIDE)
        assert ack.detail == "Agentbox has been hide"
        quota = c.quota()
    assert (quota.used, quota.limit, quota.remaining) == (3, 5000, 4997)


async def test_wire_strings_accepted_for_enums_and_ints_for_ids(api: Any, token: str) -> None:
    route = api.post("/agentbox.php").mock(return_value=displayed())
    async with client(token) as c:
        await c.agent_display(1001, button="disposition", display="show")
    assert route.calls.last.request.url.params["button"] == "disposition"
    assert route.calls.last.request.url.params["agent_id"] == "1001"


async def test_phone_is_normalised_and_optional_fields_omitted(api: Any, token: str) -> None:
    route = api.post("/agentbox.php").mock(return_value=dialled())
    async with client(token) as c:
        await c.dial("1001", " (300) 123-45.67 ", customer_id="", customer_name="  ")
        await c.dial("1001", 3001234567, customer_id=77, customer_name="Ana Ruiz")
    first, second = (call.request.url.params for call in route.calls)
    assert dict(first) == {"agent_id": "1001", "api": "dial", "customer_phone": "3001234567"}
    assert (second["customer_id"], second["customer_name"]) == ("77", "Ana Ruiz")


async def test_list_agents_filter(api: Any, token: str) -> None:
    route = api.get("/information.php").mock(return_value=agents("7"))
    async with client(token) as c:
        await c.list_agents(agent_id="7")
    assert route.calls.last.request.url.params["agent"] == "7"


@pytest.mark.parametrize(
    "base_url", ["http://127.0.0.1:9", "http://127.0.0.1:9/", "http://127.0.0.1:9/api/v2/"]
)
async def test_base_url_points_elsewhere(token: str, base_url: str) -> None:
    with respx.mock(base_url="http://127.0.0.1:9/api/v2") as local:
        route = local.post("/agentbox.php").mock(return_value=dialled())
        async with client(token, base_url=base_url) as c:
            await c.dial("1", "2")
    assert route.calls.last.request.url.path == "/api/v2/agentbox.php"


# ----------------------------------------------------------------- validation


INVALID_CALLS = [
    ("create_agent", {"dni": "", "name": "A", "sso": "a"}),
    ("create_agent", {"dni": "1", "name": "  ", "sso": "a"}),
    ("create_agent", {"dni": "1", "name": "A\n", "sso": "a"}),
    ("create_agent", {"dni": "1", "name": "A", "sso": "a", "password": "weak"}),
    ("create_agent", {"dni": "1", "name": "A", "sso": "a", "password": "NoSymbol1"}),
    ("enable_agent", {"agent_id": "10a"}),
    ("enable_agent", {"agent_id": -1}),
    ("enable_agent", {"agent_id": True}),
    ("list_agents", {"agent_id": "x"}),
    ("dial", {"agent_id": "1001", "phone": "+57 300"}),
    ("dial", {"agent_id": "1001", "phone": "call me"}),
    ("dial", {"agent_id": "1001", "phone": ""}),
    ("dial", {"agent_id": "", "phone": "300"}),
    ("agent_display", {"agent_id": "1", "button": "hangup", "display": "show"}),
    ("agent_display", {"agent_id": "1", "button": "dial", "display": "visible"}),
]


@pytest.mark.parametrize(("method", "kwargs"), INVALID_CALLS)
async def test_invalid_arguments_send_and_count_nothing(
    api: Any, token: str, method: str, kwargs: Any
) -> None:
    route = api.route().mock(return_value=httpx.Response(500))
    async with client(token, licences=1) as c:
        with pytest.raises(wv.InvalidArgumentError) as caught:
            await getattr(c, method)(**kwargs)
        assert c.quota().used == 0
    assert isinstance(caught.value, ValueError)
    assert not route.called


async def test_configuration_from_environment(api: Any, token: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WOLKVOX_SERVER", "0032")
    monkeypatch.setenv("WOLKVOX_TOKEN", token)
    route = api.get("/information.php").mock(return_value=agents())
    async with wv.Client() as c:
        assert await c.list_agents() == ()
    assert route.calls.last.request.headers["wolkvox-token"] == token


# ------------------------------------------------------------------ lifecycle


async def test_a_given_http_client_is_not_closed_and_keeps_its_timeout(api: Any, token: str) -> None:
    route = api.get("/information.php").mock(return_value=agents())
    async with httpx.AsyncClient(timeout=7.0) as http:
        async with client(token, http_client=http) as c:
            await c.list_agents()
        assert not http.is_closed
        assert route.calls.last.request.extensions["timeout"]["read"] == 7.0


async def test_own_connections_are_closed_and_default_timeout_is_60s(api: Any, token: str) -> None:
    route = api.get("/information.php").mock(return_value=agents())
    c = client(token)
    async with c:
        await c.list_agents()
    assert c._transport._engine.closed() is not None
    assert route.calls.last.request.extensions["timeout"]["read"] == 60.0


async def test_a_closed_client_sends_and_counts_nothing(api: Any, token: str) -> None:
    route = api.get("/information.php").mock(return_value=agents())
    c = client(token, licences=1)
    await c.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await c.list_agents()
    assert c.quota().used == 0
    assert not route.called


# ---------------------------------------------------------- concurrency limit


class InFlight:
    """A respx side effect that counts requests in flight, holding each a little."""

    def __init__(self, response: httpx.Response, hold: float = 0.002) -> None:
        self.response, self.hold = response, hold
        self.now = self.peak = self.total = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.now += 1
        self.total += 1
        self.peak = max(self.peak, self.now)
        try:
            await anyio.sleep(self.hold)
        finally:
            self.now -= 1
        return self.response


async def test_three_clients_on_one_token_never_exceed_two_in_flight(api: Any, token: str) -> None:
    counter = InFlight(agents("1"))
    api.get("/information.php").mock(side_effect=counter)
    api.post("/agentbox.php").mock(side_effect=counter)
    clients = [client(token) for _ in range(3)]
    async with anyio.create_task_group() as tg:
        for i in range(60):
            c = clients[i % 3]
            if i % 2:
                tg.start_soon(c.list_agents)
            else:
                tg.start_soon(c.dial, "1001", "300")
    for c in clients:
        await c.aclose()
    assert counter.total == 60
    assert counter.peak == 2


async def test_different_tokens_do_not_share_slots(api: Any) -> None:
    counter = InFlight(agents(), hold=0.05)
    api.get("/information.php").mock(side_effect=counter)
    async with client("token-a") as a, client("token-b") as b, anyio.create_task_group() as tg:
        for _ in range(4):
            tg.start_soon(a.list_agents)
            tg.start_soon(b.list_agents)
    assert counter.peak == 4


async def test_concurrency_option(api: Any, token: str) -> None:
    counter = InFlight(agents())
    api.get("/information.php").mock(side_effect=counter)
    async with client(token, concurrency=1) as c, anyio.create_task_group() as tg:
        for _ in range(10):
            tg.start_soon(c.list_agents)
    assert counter.peak == 1


def slots_of(c: wv.Client) -> Any:
    return scheduler_of(c)


async def test_cancelling_waiting_and_in_flight_calls_leaks_no_slot(api: Any, token: str) -> None:
    counter = InFlight(agents(), hold=0.05)
    api.get("/information.php").mock(side_effect=counter)
    async with client(token, licences=1) as c:
        with anyio.move_on_after(0.02):
            async with anyio.create_task_group() as tg:
                for _ in range(10):
                    tg.start_soon(c.list_agents)
        assert (slots_of(c).in_flight, slots_of(c).waiting()) == (0, 0)
        assert c.quota().used == 2  # the two in flight may have been counted; the waiters were refunded
        counter.hold = 0
        async with anyio.create_task_group() as tg:
            for _ in range(5):
                tg.start_soon(c.list_agents)
        assert slots_of(c).in_flight == 0 and counter.peak == 2


async def test_errors_release_the_slot(api: Any, token: str) -> None:
    api.get("/information.php").mock(side_effect=httpx.ReadError("reset"))
    api.post("/agentbox.php").mock(return_value=httpx.Response(500, text="<html>"))
    async with client(token, max_retries=0) as c:
        for _ in range(5):
            with pytest.raises(wv.TransportError):
                await c.list_agents()
            with pytest.raises(wv.ServerError):
                await c.agent_display("1", button="dial", display="show")
        assert slots_of(c).in_flight == 0


# ----------------------------------------------------------------------- quota


async def test_quota_counts_and_agentbox_is_free(api: Any, token: str, clock: Clock) -> None:
    api.get("/information.php").mock(return_value=agents())
    api.post("/agentbox.php").mock(return_value=dialled())
    async with client(token, daily_quota=3) as c:
        for _ in range(5):
            await c.dial("1", "2")
        for _ in range(3):
            await c.list_agents()
        with pytest.raises(wv.QuotaExhaustedError) as caught:
            await c.list_agents()
        await c.dial("1", "2")  # still free
        snapshot = c.quota()
    assert (snapshot.used, snapshot.remaining) == (3, 0)
    assert caught.value.status is None
    assert caught.value.resets_at == snapshot.resets_at
    assert snapshot.resets_at.isoformat() == "2026-11-24T00:00:00-05:00"
    assert api.routes[0].call_count == 3


async def test_quota_resets_at_midnight_in_bogota(api: Any, token: str, clock: Clock) -> None:
    api.get("/information.php").mock(return_value=agents())
    async with client(token, daily_quota=1) as c:
        await c.list_agents()
        with pytest.raises(wv.QuotaExhaustedError):
            await c.list_agents()
        clock.advance(hours=11, minutes=59)  # 23:59 in Bogota, 04:59 UTC next day
        with pytest.raises(wv.QuotaExhaustedError):
            await c.list_agents()
        clock.advance(minutes=1)
        await c.list_agents()
        assert c.quota().used == 1


async def test_quota_timezone_is_configurable(api: Any, token: str, clock: Clock) -> None:
    async with client(token, daily_quota=1, quota_timezone="UTC") as c:
        assert c.quota().resets_at.isoformat() == "2026-11-24T00:00:00+00:00"


async def test_server_quota_answer_marks_the_quota_spent(api: Any, token: str, clock: Clock) -> None:
    route = api.get("/information.php").mock(return_value=forbidden("TOKEN LIMIT EXCEEDED"))
    async with client(token, licences=1) as c:
        with pytest.raises(wv.QuotaExhaustedError) as caught:
            await c.list_agents()
        assert caught.value.status == 403
        assert caught.value.resets_at is not None
        with pytest.raises(wv.QuotaExhaustedError) as local:
            await c.list_agents()
        assert local.value.status is None
        assert route.call_count == 1
        assert c.quota().remaining == 0
        clock.advance(days=1)
        route.mock(return_value=agents())
        await c.list_agents()


async def test_quota_shared_by_clients_of_one_token(api: Any, token: str, clock: Clock) -> None:
    api.get("/information.php").mock(return_value=agents())
    async with client(token, daily_quota=2) as a, client(token, daily_quota=2) as b:
        await a.list_agents()
        await b.list_agents()
        with pytest.raises(wv.QuotaExhaustedError):
            await a.list_agents()


@pytest.mark.parametrize(
    ("response", "refunded"),
    [
        (forbidden("EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"), True),
        (forbidden("PLEASE VALIDATE TOKEN"), True),
        (
            httpx.Response(
                401, json={"code": 401, "error": "UNAUTHORIZED", "msg": "PLEASE ENTER THE WOLKVOX-TOKEN"}
            ),
            True,
        ),
        (httpx.Response(500, text="oops"), False),
        (httpx.Response(200, text="<html>"), False),
    ],
)
async def test_quota_refunded_only_when_the_server_did_no_work(
    api: Any, token: str, response: httpx.Response, refunded: bool
) -> None:
    api.get("/information.php").mock(return_value=response)
    async with client(token, licences=1, max_retries=0) as c:
        with pytest.raises(wv.WolkvoxError):
            await c.list_agents()
        assert c.quota().used == (0 if refunded else 1)


async def test_connect_error_is_refunded_and_says_it_never_reached(api: Any, token: str) -> None:
    api.get("/information.php").mock(side_effect=httpx.ConnectError("refused"))
    async with client(token, licences=1, max_retries=0) as c:
        with pytest.raises(wv.TransportError) as caught:
            await c.list_agents()
        assert c.quota().used == 0
    assert caught.value.may_have_reached_server is False


# -------------------------------------------------------------- lost answers


@pytest.mark.parametrize("method", ["dial", "create_agent"])
@pytest.mark.parametrize(
    "failure", [httpx.ReadError("reset"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("x")]
)
async def test_lost_answer_of_a_non_idempotent_call_is_outcome_unknown(
    api: Any, token: str, method: str, failure: Exception
) -> None:
    api.route().mock(side_effect=failure)
    args = {"dial": {"agent_id": "1", "phone": "2"}, "create_agent": {"dni": "1", "name": "A", "sso": "a"}}
    async with client(token, max_retries=0) as c:  # create_agent's reconciliation is tested elsewhere
        with pytest.raises(wv.OutcomeUnknownError) as caught:
            await getattr(c, method)(**args[method])
    assert caught.value.may_have_reached_server is True
    assert isinstance(caught.value, wv.TransportError)
    assert api.calls.call_count == 1


async def test_timeouts_of_idempotent_calls(api: Any, token: str) -> None:
    api.get("/information.php").mock(side_effect=httpx.ReadTimeout("slow"))
    api.post("/agentbox.php").mock(side_effect=httpx.ConnectTimeout("slow"))
    async with client(token, max_retries=0) as c:
        with pytest.raises(wv.RequestTimeoutError) as read:
            await c.list_agents()
        with pytest.raises(wv.RequestTimeoutError) as connect:
            await c.dial("1", "2")  # never left: not an unknown outcome
    assert read.value.may_have_reached_server and not connect.value.may_have_reached_server


# ------------------------------------------------------------------- secrets


async def test_token_and_password_never_in_logs_reprs_or_errors(
    api: Any, caplog: pytest.LogCaptureFixture, token: str
) -> None:
    password = "Pw9#secret"
    api.post("/configuration.php").mock(return_value=created("5", password))
    api.get("/information.php").mock(
        side_effect=[
            forbidden("PLEASE VALIDATE TOKEN"),
            httpx.Response(200, text=f"<html>debug: wolkvox-token={token}</html>"),
            httpx.ReadError("lost"),
        ]
    )
    seen: list[str] = []
    with caplog.at_level(logging.DEBUG):
        async with client(token, licences=1, max_retries=0) as c:
            new = await c.create_agent(dni="1", name="A", sso="a", password="Given#1a")
            seen += [
                repr(c),
                str(c),
                repr(new),
                str(new),
                f"{new.password}",
                repr(c._transport.scheduler.key),
            ]
            for _ in range(3):
                try:
                    await c.list_agents()
                except wv.WolkvoxError as exc:
                    seen += [str(exc), repr(exc), *map(str, vars(exc).values())]
    seen += [record.getMessage() for record in caplog.records]
    assert caplog.records, "the library logs at DEBUG"
    for text in seen:
        assert token not in text and password not in text and "Given#1a" not in text
    assert new.password.reveal() == password


async def test_a_field_too_long_for_a_url_is_refused_before_anything_is_sent(api: Any, token: str) -> None:
    route = api.post("/agentbox.php").mock(return_value=dialled())
    async with wv.Client("0032", token, licences=1) as client:
        with pytest.raises(wv.InvalidArgumentError, match="customer_name is too long"):
            await client.dial("1001", "300", customer_name="x" * 100_000)
        with pytest.raises(wv.InvalidArgumentError, match="customer_name"):
            await client.dial("1001", "300", customer_name="ñ" * 2_000)
        assert (await client.dial("1001", "300", customer_name="ñ" * 100)).conn_id
        assert client.quota().used == 0
    assert route.call_count == 1
