"""The namespaced API through the Client: typed results, checks before sending, the quota from the server,
the escape hatch, and the same limits, retries and errors as the five first operations."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import anyio
import httpx
import pytest
from conftest import Clock

import wolkvox_async as wv
from wolkvox_async._retry import RetryPolicy

pytestmark = pytest.mark.asyncio

Handler = Callable[[httpx.Request], httpx.Response]


def answer(data: Any = None, code: Any = "200", msg: str = "ok", status: int = 200) -> httpx.Response:
    body: dict[str, Any] = {"code": code, "error": None, "msg": msg}
    if data is not None:
        body["data"] = data
    return httpx.Response(status, json=body)


def token_info(limit: str = "2000", used: str = "150") -> httpx.Response:
    row = {"description": "", "token_limit": limit, "token_use_today": used, "all_token_today": used}
    return answer([row])


class Server:
    """A MockTransport that answers by ``api=`` and records what it was asked."""

    def __init__(self, **answers: Handler | httpx.Response) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        api = request.url.params.get("api", "")
        found = self.answers.get(api, answer())
        return found(request) if callable(found) else found

    def asked(self, api: str) -> int:
        return sum(r.url.params.get("api") == api for r in self.requests)

    def client(self, token: str, **options: Any) -> wv.Client:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self))
        return wv.Client("0032", token, http_client=http, agents_cache_ttl=0, **options)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, retry, rand=None: 0.001)


# -- typed results -----------------------------------------------------------------------------------


async def test_information_records_are_models_and_reports_rows_are_read_only_mappings(token: str) -> None:
    skills = [{"skill_id": "7", "skill_name": "Sales", "skill_description": "", "last_use": "-", "new": 1}]
    rows = [{"conn_id": "c1", "agent_id": "1001", "busy/x": "2"}]
    server = Server(skills=answer(skills), cdr_1=answer(rows), token_info=token_info())
    client = server.client(token)
    found: tuple[wv.Skill, ...] = await client.information.skills()
    assert found[0].skill_id == "7" and found[0].skill_name == "Sales"
    assert found[0].as_sent["new"] == 1, "an unknown field is kept as sent"
    info: wv.TokenInfo = await client.information.token_info()
    assert (info.token_limit, info.token_use_today) == ("2000", "150")
    report: tuple[wv.Row, ...] = await client.reports.cdr_1(
        date_ini=datetime(2026, 11, 1), date_end=date(2026, 11, 30)
    )
    assert report[0]["busy/x"] == "2"
    with pytest.raises(TypeError):
        report[0]["conn_id"] = "changed"  # type: ignore[index]
    (request,) = [r for r in server.requests if r.url.params.get("api") == "cdr_1"]
    assert request.url.params["date_ini"] == "20261101000000"
    assert request.url.params["date_end"] == "20261130235959", "a date as date_end is its last second"


async def test_a_404_no_data_is_an_empty_tuple_for_reports(token: str) -> None:
    server = Server(cdr_1=answer(code=404, msg="NO RECORDS WERE FOUND", status=404))
    client = server.client(token)
    assert await client.reports.cdr_1(date_ini="20261101000000", date_end="20261102000000") == ()


async def test_real_time_campaigns_answer_a_bare_array(token: str) -> None:
    rows = [{"campaign": "1", "busy/congestion/failed": "3", "speed": "10"}]
    client = Server(campaigns=httpx.Response(200, json=rows)).client(token)
    (campaign,) = await client.real_time.campaigns()
    assert isinstance(campaign, wv.RealTimeCampaign) and campaign.busy_congestion_failed == "3"


# -- checks before sending ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.information.agents_in_skill(skill_id="sales"), "skill_id must be digits"),
        (lambda c: c.reports.cdr_1(date_ini="2026-11-01", date_end="20261102000000"), "date_ini"),
        (
            lambda c: c.campaign.add_record(type_campaign="robot", campaign_id=1, records=[{}]),
            "type_campaign",
        ),
        (lambda c: c.campaign.add_record(type_campaign="preview", campaign_id=1, records=[]), "1 to 10,000"),
        (
            lambda c: c.campaign.add_record(
                type_campaign="preview", campaign_id=1, records=[{"x": 1}] * 10_001
            ),
            "1 to 10,000",
        ),
        (lambda c: c.agentbox.change_status(agent_id="1001", status="ready\n"), "control characters"),
        (lambda c: c.configuration.add_ip(ip="1.2.3.4", permanent="maybe"), "permanent"),
    ],
)
async def test_arguments_are_checked_before_anything_is_sent_or_counted(
    token: str, call: Callable[[wv.Client], Any], message: str
) -> None:
    server = Server()
    client = server.client(token, licences=1)
    with pytest.raises(wv.InvalidArgumentError, match=message):
        await call(client)
    assert not server.requests and client.quota().used == 0


async def test_records_and_bodies_go_as_wolkvox_documents_them(token: str) -> None:
    server = Server(add_record=answer([{"total_registers": "2"}], code="201"))
    client = server.client(token)
    added = await client.campaign.add_record(
        type_campaign="predictive",
        campaign_id=12,
        campaign_status="start",
        records=[{"customer_id": "1", "tel1": "300", "opt1": "x"}, {"customer_id": 2, "tel1": 301}],
    )
    assert added[0]["total_registers"] == "2"
    (request,) = server.requests
    assert request.method == "POST" and dict(request.url.params) == {
        "api": "add_record",
        "type_campaign": "predictive",
        "campaign_id": "12",
        "campaign_status": "start",
    }
    assert json.loads(request.content) == [
        {"customer_id": "1", "tel1": "300", "opt1": "x"},
        {"customer_id": "2", "tel1": "301"},
    ]


async def test_an_upload_is_a_multipart_form(token: str, tmp_path: Any) -> None:
    audio = tmp_path / "welcome.wav"
    audio.write_bytes(b"RIFF....")
    server = Server(upload_audio=answer([{"filename": "welcome.wav"}], code="201"))
    client = server.client(token)
    await client.configuration.upload_audio(file=audio)
    (request,) = server.requests
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b'filename="welcome.wav"' in request.content and b"RIFF...." in request.content


# -- the same limits, retries and errors ------------------------------------------------------------------


async def test_every_namespace_shares_the_token_s_two_slots(token: str) -> None:
    now = peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal now, peak
        now += 1
        peak = max(peak, now)
        await anyio.sleep(0.002)
        now -= 1
        return answer([])

    client = wv.Client(
        "0032", token, http_client=httpx.AsyncClient(transport=httpx.MockTransport(slow)), agents_cache_ttl=0
    )
    window: dict[str, Any] = {"date_ini": "20261101000000", "date_end": "20261102000000"}
    async with anyio.create_task_group() as group:
        for _ in range(10):
            group.start_soon(lambda: client.reports.cdr_1(**window))
            group.start_soon(client.information.skills)
            group.start_soon(client.list_agents)
    assert peak == 2


async def test_a_lost_answer_of_a_send_is_never_sent_again(token: str) -> None:
    sent = 0

    def lost(request: httpx.Request) -> httpx.Response:
        nonlocal sent
        sent += 1
        raise httpx.ReadError("lost")

    client = Server(send_sms=lost).client(token)
    with pytest.raises(wv.OutcomeUnknownError):
        await client.sms.send_sms(telephone="573001234567", message="hola")
    assert sent == 1


async def test_a_read_is_retried_after_a_503(token: str) -> None:
    replies = iter([answer(code=503, msg="busy", status=503), answer([])])
    server = Server(skills=lambda request: next(replies))
    assert await server.client(token).information.skills() == ()
    assert server.asked("skills") == 2


async def test_agentbox_calls_are_free_and_interactive(token: str) -> None:
    client = Server().client(token, licences=1)
    await client.agentbox.hang(agent_id=1001)
    await client.agentbox.change_status(agent_id="1001", status="ready")
    assert client.quota().used == 0


async def test_the_five_first_operations_answer_in_their_namespaces_too(token: str) -> None:
    created = answer([{"agent_id": "1009", "password": "Xy7#abcd"}], code=201)
    dialled = answer({"conn_id": "c-7"})
    server = Server(create_agent=created, dial=dialled)
    client = server.client(token)
    new = await client.configuration.create_agent(agent_dni="1020", agent_name="Ana")
    assert new.agent_id == "1009" and new.password.reveal() == "Xy7#abcd"
    call = await client.agentbox.dial(agent_id="1001", customer_phone="300 123 4567")
    assert call.conn_id == "c-7"
    body = json.loads(server.requests[0].content)
    assert body == {"agent_dni": "1020", "agent_name": "Ana", "agent_sso": ""}, "sso is optional, sent empty"
    assert server.requests[1].url.params["customer_phone"] == "3001234567"


# -- the quota from the server ------------------------------------------------------------------------------


async def test_licences_auto_reads_the_server_s_limit_and_count_once_a_day(token: str, clock: Clock) -> None:
    server = Server(token_info=token_info("2000", "150"))
    client = server.client(token, licences="auto")
    assert client.quota().limit is None
    async with anyio.create_task_group() as group:
        for _ in range(10):
            group.start_soon(client.information.skills)
    assert server.asked("token_info") == 1, "read once, for all the first callers"
    snapshot = client.quota()
    assert snapshot.limit == 2000 and snapshot.used == 160
    await client.agentbox.hang(agent_id=1)
    assert server.asked("token_info") == 1, "free calls need no count"
    clock.advance(days=1)
    server.answers["token_info"] = token_info("3000", "7")
    await client.information.skills()
    assert server.asked("token_info") == 2 and client.quota().limit == 3000 and client.quota().used == 8


async def test_a_server_count_lower_than_ours_is_not_taken(token: str) -> None:
    server = Server(token_info=token_info("2000", "0"))
    client = server.client(token, licences=5)
    for _ in range(3):
        await client.information.skills()
    snapshot = await client.sync_quota()
    assert snapshot.used == 4 and snapshot.limit == 5000, "our own count (4 with token_info), our own limit"


async def test_an_unreadable_server_count_leaves_the_local_count(
    token: str, caplog: pytest.LogCaptureFixture
) -> None:
    server = Server(token_info=answer(code=401, msg="PLEASE ENTER THE WOLKVOX-TOKEN", status=401))
    client = server.client(token, licences="auto")
    assert await client.information.skills() == ()
    await client.information.skills()
    assert server.asked("token_info") == 1 and client.quota().limit is None
    assert any("could not be read from the server" in r.getMessage() for r in caplog.records)


async def test_licences_takes_a_number_or_auto() -> None:
    with pytest.raises(wv.InvalidArgumentError, match="'auto'"):
        wv.Client("0032", "t", licences="Auto")  # type: ignore[arg-type]
    with pytest.raises(wv.InvalidArgumentError, match="not both"):
        wv.Client("0032", "t", licences="auto", daily_quota=10)


# -- the escape hatch ------------------------------------------------------------------------------------------


async def test_request_calls_an_operation_the_spec_does_not_know_within_the_limits(token: str) -> None:
    server = Server(brand_new=answer({"x": "1"}))
    client = server.client(token, licences=1)
    answered = await client.request("information.php", "brand_new", params={"agent": 1001})
    assert answered["data"] == {"x": "1"}
    (request,) = server.requests
    assert dict(request.url.params) == {"api": "brand_new", "agent": "1001"} and request.method == "GET"
    assert client.quota().used == 1
    posted = await client.request("agentbox.php", "new_button", method="POST", json={"a": 1})
    assert posted["code"] == "200" and client.quota().used == 1, "agentbox is free"


async def test_request_raises_the_usual_errors_and_refuses_odd_names(token: str) -> None:
    client = Server(
        gone=answer(code=400, msg="THE API YOU WANT TO CONSULT DOES NOT EXIST", status=400)
    ).client(token)
    with pytest.raises(wv.BadRequestError):
        await client.request("information.php", "gone")
    for script, api in [("../admin.php", "x"), ("information", "x"), ("information.php", "a&b=c")]:
        with pytest.raises(wv.InvalidArgumentError):
            await client.request(script, api)


async def test_request_sends_a_post_once_unless_told_it_is_idempotent(token: str) -> None:
    sent = 0

    def lost(request: httpx.Request) -> httpx.Response:
        nonlocal sent
        sent += 1
        raise httpx.ReadError("lost")

    client = Server(act=lost).client(token)
    with pytest.raises(wv.OutcomeUnknownError):
        await client.request("configuration.php", "act", method="POST", json={})
    with pytest.raises(wv.TransportError):
        await client.request("configuration.php", "act", method="PUT", json={}, idempotent=True)
    assert sent == 1 + 4


async def test_namespaces_have_a_readable_repr(token: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = wv.Client("0032", token)
    assert repr(client.reports).startswith("<ReportsAPI of Client(") and token not in repr(client.reports)
