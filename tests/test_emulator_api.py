"""The emulator against the whole specification, spoken to with raw httpx in process.

Every operation of ``wolkvox_async._spec`` is answered in its documented shape for valid arguments (built
from the spec: a value per kind), refused with a 400 for a missing required parameter or a value of the
wrong kind; the families of state round-trip; reports are generated over any window, deterministic, capped
at 60,000 rows and streamed. The tests follow the spec as it is curated, so they hold whatever its values.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio

from wolkvox_async._spec import MAX_UPLOAD_RECORDS, OPERATIONS, Kind, Operation, Param, ResultKind, Shape
from wolkvox_async.testing import MAX_ROWS, Emulator, Fault, serve_in_thread
from wolkvox_async.testing.__main__ import parser
from wolkvox_async.testing._catalog import EXAMPLES
from wolkvox_async.testing._routing import is_first, stats_key
from wolkvox_async.testing.pytest_plugin import Emulated

TOKEN = "api-test-token"
BOGOTA = ZoneInfo("America/Bogota")
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=BOGOTA)
WINDOW = ("20260301000000", "20260303235959")
AGENT, SKILL, CAMPAIGN, CUSTOMER = "1001", "1", "1", "1"
PHONE = "3001234567"
BASE = "http://wv"
CATALOG = Path(__file__).resolve().parent.parent / "catalog" / "catalog.json"

SPECIFIC: Mapping[str, object] = {
    "agent_id": AGENT,
    "agent": AGENT,
    "skill_id": SKILL,
    "skill": SKILL,
    "campaign_id": CAMPAIGN,
    "campaign": CAMPAIGN,
    "id_camp": CAMPAIGN,
    "id_campaing": CAMPAIGN,
    "campaign_ids": [CAMPAIGN],
    "customer_id": CUSTOMER,
    "id_customer": CUSTOMER,
    "id_cliente": [CUSTOMER],
    "cod_act": "021",
    "type_code": "cod_act1",
    "type_campaign": "predictive",
    "telephone": PHONE,
    "telefono": PHONE,
    "customer_phone": PHONE,
    "phone": PHONE,
    "telephones": [PHONE],
    "display": "show",
    "button": "dial",
    "type": "all",
    "type_call": "all",
    "recall_style": "manual",
    "status": "ready",
    "agent_pass": "Secr3t#pw",
    "agent_dni": "99887766",
    "date_ini": WINDOW[0],
    "date_end": WINDOW[1],
    "rellamada": "20260311100000",
    "recall": "20260312100000",
}
"""Values that name the seeded state (agent 1001, skill 1, campaign 1 and its customer 1, code 021)."""
PER_OPERATION: Mapping[str, Mapping[str, object]] = {"configuration.create_cod_act": {"cod_act": "022"}}
"""Where the seeded state's value would be refused (a code that already exists)."""
BY_KIND: Mapping[Kind, object] = {
    Kind.TEXT: "text",
    Kind.ID: "7",
    Kind.NUMBER: "1",
    Kind.DATETIME: "20260310120000",
    Kind.YES_NO: "yes",
    Kind.LIST: ["1"],
    Kind.OBJECT: {"opt1": "Plan"},
}
AUDIO = b"RIFF....WAVE"
"""The content of every file uploaded."""
WRONG: Mapping[Kind, object] = {
    Kind.ID: "12a",
    Kind.NUMBER: "one",
    Kind.DATETIME: "2026-03-01",
    Kind.CHOICE: "not-a-choice",
    Kind.YES_NO: "maybe",
    Kind.LIST: "not a list",
    Kind.OBJECT: "not an object",
}


def value(op: Operation, param: Param) -> object:
    """A valid value for a parameter: the seeded state's where it names one, else one of its kind."""
    given = PER_OPERATION.get(op.name, {}).get(param.wire, SPECIFIC.get(param.wire, BY_KIND.get(param.kind)))
    if param.choices and given not in param.choices:
        given = param.choices[0]
    if param.kind is Kind.LIST and not isinstance(given, list):
        return [given]
    if param.kind is not Kind.LIST and isinstance(given, list):
        return given[0]
    return given


def request(
    op: Operation,
    *,
    drop: str | None = None,
    wrong: str | None = None,
    body: Any = None,
    optional: bool = True,
) -> dict[str, Any]:
    """``httpx.request`` arguments for a valid call (its ``optional`` parameters too), less the ``drop``
    parameter, with ``wrong`` of a wrong kind, or with ``body`` instead of the valid one."""

    def pick(param: Param) -> object:
        return WRONG.get(param.kind, value(op, param)) if param.wire == wrong else value(op, param)

    def given(param: Param) -> bool:
        return param.wire != drop and (optional or param.required)

    params: dict[str, Any] = {p.wire: pick(p) for p in op.query if given(p)}
    if not op.path:
        params["api"] = op.api
    call: dict[str, Any] = {"method": op.method, "url": op.url_path, "params": params}
    fields = {p.wire: pick(p) for p in op.body.fields if given(p)}
    if body is not None:
        call["content"] = body if isinstance(body, bytes) else json.dumps(body).encode()
        call["headers"] = {"content-type": "application/json"}
    elif op.body.shape is Shape.OBJECT:
        call["json"] = fields
    elif op.body.shape is Shape.RECORDS:
        call["json"] = [fields]
    elif op.body.shape is Shape.FORM:
        files = [p.wire for p in op.body.fields if p.kind is Kind.FILE and given(p)]
        call["files"] = [(name, ("call.wav", AUDIO, "audio/wav")) for name in files] or None
        call["data"] = {name: str(v) for name, v in fields.items() if name not in files}
    return call


def operation(name: str) -> Operation:
    return next(op for op in OPERATIONS if op.name == name)


def seeded(**options: Any) -> Emulator:
    """An emulator with agent 1001 in skill 1, activity code 021, campaign 1 holding customer 1."""
    emulator = Emulator([TOKEN], clock=lambda: NOW, seed=7, licences=5, **options)
    agent = emulator.add_agent("1020304050", "Ana Ruiz", "ana")
    skill = emulator.add_skill("Sales", members={agent.agent_id: "5"})
    emulator.add_activity_code("021", "Sale")
    customer = {"customer_id": CUSTOMER, "customer_name": "Luis", "tel1": PHONE}
    emulator.add_campaign("Spring", skill_id=skill.skill_id, records=[customer])
    return emulator


def client(emulator: Emulator) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=emulator)
    return httpx.AsyncClient(transport=transport, base_url=BASE, headers={"wolkvox-token": TOKEN})


async def call(http: httpx.AsyncClient, name: str, **changes: Any) -> httpx.Response:
    """Call an operation with its required arguments, ``changes`` put over them (query or body, where they go)."""
    op = operation(name)
    arguments = request(op, optional=False)
    for wire, given in changes.items():
        if any(p.wire == wire for p in op.query) or op.body.shape in (Shape.NONE, Shape.RECORDS):
            arguments["params"][wire] = given
        else:
            arguments["json"][wire] = given
    return await http.request(**arguments)


async def rows(http: httpx.AsyncClient, name: str, **changes: Any) -> list[Mapping[str, Any]]:
    """The records a read answers, wherever its result documents them."""
    answer = await call(http, name, **changes)
    assert answer.status_code == 200, answer.text
    return records_of(operation(name), answer.json())


async def set_up(http: httpx.AsyncClient) -> None:
    """State no seeding method makes: a recall on customer 1, a telephone in the DNC list."""
    assert (await call(http, "agentbox.recall")).status_code == 200
    assert (await call(http, "configuration.add_dnc", telephones=[PHONE, "3009999999"])).status_code == 200


@pytest.fixture
def emulator() -> Emulator:
    return seeded()


@pytest_asyncio.fixture
async def http(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    async with client(emulator) as http:
        yield http


def records_of(op: Operation, body: Any) -> list[Mapping[str, Any]]:
    """The records an answer holds, checked to be where and as the result documents them."""
    if op.result.key is None:
        assert isinstance(body, list)
        return body
    data = body[op.result.key]
    if op.result.kind is ResultKind.RECORD:
        if isinstance(data, list):
            assert len(data) == 1
            data = data[0]
        assert isinstance(data, dict)
        return [data]
    assert isinstance(data, list)
    return data


# -- every operation -------------------------------------------------------------------------------


def test_every_operation_is_routed_once() -> None:
    assert len(OPERATIONS) >= 243
    keys = [stats_key(op) for op in OPERATIONS]
    assert len(set(keys)) == len(keys)
    assert {stats_key(op) for op in OPERATIONS if is_first(op)} == {
        "create_agent",
        "enable_agent",
        "agents",
        "dial",
        "agent_display",
    }


@pytest.mark.parametrize("name", [op.name for op in OPERATIONS])
@pytest.mark.asyncio
async def test_every_operation_answers_in_its_documented_shape(http: httpx.AsyncClient, name: str) -> None:
    op = operation(name)
    await set_up(http)

    answer = await http.request(**request(op))

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    if op.result.key is not None:
        assert body.get("error") is None
        shown = EXAMPLES.get((op.script, op.api))
        if shown is not None and shown.code is not None:
            assert body["code"] == shown.code
    if op.result.kind is ResultKind.ACK:
        assert not isinstance(body.get(op.result.key or "data"), list | dict)
        return
    fields = tuple(dict.fromkeys(op.result.fields))
    if op.result.key is None and op.result.kind is ResultKind.RECORD:
        assert set(fields) <= set(body)
        return
    rows = records_of(op, body)
    assert rows
    for row in rows:
        if fields:
            assert tuple(row) == fields


@pytest.mark.parametrize(
    ("name", "wire"),
    [
        (op.name, p.wire)
        for op in OPERATIONS
        for p in dict.fromkeys((*op.query, *op.body.fields))
        if p.required
    ],
)
@pytest.mark.asyncio
async def test_a_missing_required_parameter_is_refused(
    emulator: Emulator, http: httpx.AsyncClient, name: str, wire: str
) -> None:
    op = operation(name)

    answer = await http.request(**request(op, drop=wire))

    assert answer.status_code == 400, answer.text
    assert answer.json()["msg"] == "SOME PARAMETERS ARE REQUIRED"
    assert answer.json()["error"] == "BAD REQUEST"
    assert emulator.stats().accepted[stats_key(op)] == 1


def wrong_kind_cases() -> list[tuple[str, str]]:
    """Each checked parameter of the operations the spec validates; lists and objects only in JSON bodies."""
    cases = []
    for op in OPERATIONS:
        json_fields = op.body.fields if op.body.shape in (Shape.OBJECT, Shape.RECORDS) else ()
        for param in dict.fromkeys((*op.query, *op.body.fields)):
            if is_first(op) or param.kind not in WRONG or (param.kind is Kind.CHOICE and not param.choices):
                continue
            if param.kind in (Kind.LIST, Kind.OBJECT) and param not in json_fields:
                continue
            cases.append((op.name, param.wire))
    return cases


@pytest.mark.parametrize(("name", "wire"), wrong_kind_cases())
@pytest.mark.asyncio
async def test_a_value_of_the_wrong_kind_is_refused(http: httpx.AsyncClient, name: str, wire: str) -> None:
    op = operation(name)

    answer = await http.request(**request(op, wrong=wire))

    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["error"] == "BAD REQUEST"
    assert wire.upper() in body["msg"]
    assert body["msg"] == body["msg"].upper()


@pytest.mark.parametrize(
    "name", [op.name for op in OPERATIONS if op.body.shape is not Shape.NONE and not is_first(op)]
)
@pytest.mark.asyncio
async def test_a_body_of_the_wrong_shape_is_refused(http: httpx.AsyncClient, name: str) -> None:
    op = operation(name)
    wrong = {"records": "one"} if op.body.shape is Shape.RECORDS else [1, 2]

    answer = await http.request(**request(op, body=wrong))

    assert answer.status_code == 400, answer.text
    expected = {
        Shape.OBJECT: "THE BODY MUST BE A JSON OBJECT",
        Shape.RECORDS: "THE BODY MUST BE A JSON ARRAY OF RECORDS",
        Shape.FORM: "THE BODY MUST BE A MULTIPART/FORM-DATA FORM",
    }
    assert answer.json()["msg"] == expected[op.body.shape]


@pytest.mark.asyncio
async def test_at_most_10000_records_go_up_in_one_call(emulator: Emulator, http: httpx.AsyncClient) -> None:
    op = operation("campaign.add_record")
    record = request(op)["json"][0]

    too_many = await http.request(**request(op, body=[record] * (MAX_UPLOAD_RECORDS + 1)))
    just_enough = await http.request(**request(op, body=[record] * MAX_UPLOAD_RECORDS))

    assert too_many.status_code == 400
    assert too_many.json()["msg"] == "EXCEEDS THE LIMIT OF 10000 RECORDS PER REQUEST"
    assert just_enough.status_code == 200
    assert just_enough.json()["data"][0]["total_registers"] == str(MAX_UPLOAD_RECORDS)
    assert len(emulator.campaigns[CAMPAIGN].records) == 1 + MAX_UPLOAD_RECORDS


@pytest.mark.asyncio
async def test_an_upload_is_a_multipart_form(http: httpx.AsyncClient) -> None:
    op = operation("listenvox.upload")
    valid = request(op)

    answer = await http.request(**valid)
    without_file = await http.request(**request(op, drop="data"))

    assert answer.status_code == 200
    assert set(answer.json()) == {"code", "error", "id", "msg"}
    assert answer.json()["id"].isdigit()
    assert without_file.status_code == 400
    assert without_file.json()["msg"] == "SOME PARAMETERS ARE REQUIRED"


@pytest.mark.asyncio
async def test_an_unknown_api_and_a_wrong_method_answer_as_before(
    emulator: Emulator, http: httpx.AsyncClient
) -> None:
    unknown = await http.get("/api/v2/reports_manager.php?api=cdr_99&date_ini=1&date_end=2")
    wrong_method = await http.post("/api/v2/reports_manager.php", params={"api": "cdr_1"})

    assert unknown.status_code == 400
    assert unknown.json() == {
        "code": 400,
        "error": "BAD REQUEST",
        "msg": "THE API YOU WANT TO CONSULT DOES NOT EXIST",
    }
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "GET"
    assert emulator.stats().calls == {"cdr_99": 1, "reports.cdr_1": 1}


# -- the quota ---------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_token_info_reports_the_quota_with_this_call_counted(
    emulator: Emulator, http: httpx.AsyncClient
) -> None:
    await call(http, "information.skills")
    await call(http, "reports.cdr_1")
    await call(http, "agentbox.hang")
    await call(http, "dial")
    await call(http, "information.campaigns", campaign="999")

    answer = await call(http, "information.token_info")

    [info] = records_of(operation("information.token_info"), answer.json())
    assert info["token_limit"] == "5000"
    assert info["token_use_today"] == "4"
    assert int(info["available_consumption_options"]) == 4996
    assert emulator.stats().quota_used == 4


@pytest.mark.asyncio
async def test_the_quota_spent_refuses_every_operation_but_the_free_ones() -> None:
    emulator = seeded()
    emulator.set_quota_used(TOKEN, 5000)
    async with client(emulator) as http:
        refused = await call(http, "reports.agent_1")
        free = await call(http, "agentbox.hang")

    assert refused.status_code == 403
    assert refused.json()["msg"] == "TOKEN LIMIT EXCEEDED"
    assert free.status_code == 200


# -- stats and faults ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_stats_and_faults_name_operations_by_their_key(
    emulator: Emulator, http: httpx.AsyncClient
) -> None:
    emulator.queue_faults(Fault.SERVER_ERROR, operations=["reports.cdr_1"])

    hang = await call(http, "agentbox.hang")
    failed = await call(http, "reports.cdr_1")
    served = await call(http, "reports.cdr_1")
    agents = await http.get("/api/v2/information.php?api=agents")

    assert (hang.status_code, failed.status_code, served.status_code, agents.status_code) == (
        200,
        500,
        200,
        200,
    )
    stats = emulator.stats()
    assert stats.calls == {"agentbox.hang": 1, "reports.cdr_1": 2, "agents": 1}
    assert stats.accepted == {"agentbox.hang": 1, "reports.cdr_1": 1, "agents": 1}
    assert stats.faults == {"500": 1}


@pytest.mark.asyncio
async def test_a_streamed_report_can_be_lost_after_the_action() -> None:
    emulator = seeded()
    emulator.queue_faults(Fault.DROP_AFTER_ACTION, operations=["reports.cdr_1"])
    async with client(emulator) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            await call(http, "reports.cdr_1")
    assert emulator.stats().quota_used == 1


# -- state: agents ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_an_agent_needs_no_sso_and_can_be_disabled_and_edited(
    emulator: Emulator, http: httpx.AsyncClient
) -> None:
    created = await http.post(
        "/api/v2/configuration.php?api=create_agent",
        json={"agent_dni": "55", "agent_name": "Eva", "agent_sso": ""},
    )
    bare = await http.post(
        "/api/v2/configuration.php?api=create_agent", json={"agent_dni": "56", "agent_name": "Bo"}
    )
    agent_id = created.json()["data"][0]["agent_id"]
    await http.put("/api/v2/configuration.php?api=enable_agent", json={"agent_id": agent_id})
    disabled = await call(http, "configuration.disable_agent", agent_id=agent_id)
    edited = await call(
        http, "configuration.edit_agent", agent_id=agent_id, agent_name="Eva Ruiz", agent_dni="57"
    )
    unknown = await call(http, "configuration.disable_agent", agent_id="999")
    [row] = (await http.get(f"/api/v2/information.php?api=agents&agent={agent_id}")).json()["data"]

    assert (created.status_code, bare.status_code, disabled.status_code, edited.status_code) == (200,) * 4
    assert disabled.json()["msg"] == f"{agent_id} agent has been disabled"
    assert (row["agent_name"], row["agent_dni"], row["agent_sso"], row["enabled"]) == (
        "Eva Ruiz",
        "57",
        "",
        "no",
    )
    assert unknown.status_code == 404
    assert unknown.json() == {"code": 404, "error": "NOT FOUND", "msg": "AGENT NOT FOUND"}
    actions = emulator.actions
    assert actions.count(("configuration.disable_agent", agent_id)) == 1
    assert actions.count(("configuration.edit_agent", agent_id)) == 1


@pytest.mark.asyncio
async def test_agentbox_acts_on_known_agents_only(emulator: Emulator, http: httpx.AsyncClient) -> None:
    status = await call(http, "agentbox.change_status", status="Active breaks")
    hang = await call(http, "agentbox.hang")
    unknown = await call(http, "agentbox.hang", agent_id="999")
    [agent] = await rows(http, "real_time.agents")

    assert status.json()["msg"] == "Agent status has been modified to Active breaks"
    assert hang.json() == {"code": "200", "error": None, "msg": "Hang has been successful"}
    assert unknown.status_code == 404
    assert unknown.json() == {"code": "404", "error": "NOT FOUND", "msg": "AGENT NOT FOUND"}
    assert (agent["agent_id"], agent["agent_name"], agent["agent_status"]) == (
        AGENT,
        "Ana Ruiz",
        "Active breaks",
    )
    assert emulator.actions == [
        ("agentbox.change_status", AGENT, "Active breaks"),
        ("agentbox.hang", AGENT),
    ]


# -- state: skills ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_skills_and_their_members_round_trip(emulator: Emulator, http: httpx.AsyncClient) -> None:
    created = await call(http, "configuration.create_skill", skill_name="Support", description_skill="Help")
    skill_id = records_of(operation("configuration.create_skill"), created.json())[0]["skill_id"]
    await call(
        http,
        "configuration.edit_skill",
        skill_id=skill_id,
        skill_name="Customer support",
        description_skill="Help",
    )
    joined = await call(
        http, "configuration.add_agents_skill", skill_id=skill_id, agent_id=AGENT, expertise="7"
    )
    [listed] = await rows(http, "information.skills", skill=skill_id)
    [member] = await rows(http, "information.agents_in_skill", skill_id=skill_id)
    [live] = await rows(http, "real_time.skills", skill_id=skill_id)
    await call(http, "configuration.remove_agents_skill", skill_id=skill_id, agent_id=AGENT)
    empty = await call(http, "information.agents_in_skill", skill_id=skill_id)
    unknown = await call(http, "configuration.edit_skill", skill_id="999")

    assert created.json()["msg"] == "Skill has been created"
    assert skill_id.isdigit() and skill_id != SKILL
    assert joined.json()["msg"] == f"Agent {AGENT} added to skill {skill_id} of operation"
    assert (listed["skill_id"], listed["skill_name"], listed["skill_description"]) == (
        skill_id,
        "Customer support",
        "Help",
    )
    assert (member["agent_id"], member["agent_name"], member["expertise"]) == (AGENT, "Ana Ruiz", "7")
    assert (live["skill_id"], live["skill_name"]) == (skill_id, "Customer support")
    assert empty.status_code == 404
    assert empty.json()["data"] == []
    assert unknown.status_code == 404
    assert unknown.json()["msg"] == "SKILL NOT FOUND"
    skill = emulator.skills[skill_id]
    assert (skill.name, dict(skill.members)) == ("Customer support", {})
    actions = emulator.actions
    assert actions.count(("configuration.add_agents_skill", skill_id, AGENT)) == 1


# -- state: activity codes -------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_activity_codes_round_trip(emulator: Emulator, http: httpx.AsyncClient) -> None:
    created = await call(
        http, "configuration.create_cod_act", cod_act="030", description_cod_act="Callback", hit="no"
    )
    again = await call(http, "configuration.create_cod_act", cod_act="030")
    await call(
        http, "configuration.edit_cod_act", cod_act="030", description_cod_act="Call back later", hit="no"
    )
    [code] = await rows(http, "information.activity_codes", cod_act="030")
    removed = await call(http, "configuration.remove_cod_act", cod_act=["030", "021"])
    gone = await call(http, "information.activity_codes", cod_act="")

    assert created.json() == {"code": 201, "error": None, "msg": "Code successfully created"}
    assert again.status_code == 404
    assert (code["cod_act"], code["description_cod_act"], code["type_code"], code["hit"]) == (
        "030",
        "Call back later",
        "cod_act1",
        "no",
    )
    assert removed.status_code == 200
    assert gone.status_code == 404
    assert emulator.activity_codes == {}


# -- state: campaigns ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_campaigns_and_their_records_round_trip(emulator: Emulator, http: httpx.AsyncClient) -> None:
    created = await call(http, "campaign.create_campaign", campaign_name="Summer", skill_id=SKILL)
    campaign_id = records_of(operation("campaign.create_campaign"), created.json())[0]["id_campaign"]
    records = [
        {
            **request(operation("campaign.add_record"))["json"][0],
            "customer_id": str(n),
            "tel1": f"30000000{n:02d}",
        }
        for n in range(1, 4)
    ]
    added = await http.post(
        "/api/v2/campaign.php",
        params={"api": "add_record", "type_campaign": "predictive", "campaign_id": campaign_id},
        json=records,
    )
    await call(http, "campaign.start", campaign_id=campaign_id)
    await call(http, "campaign.speed", campaign_id=campaign_id, speed="3")
    [listed] = await rows(http, "information.campaigns", campaign=campaign_id)
    found = await call(
        http, "campaign.find_record", campaign_id=campaign_id, customer_id="2", customer_phone="3000000002"
    )
    coded = await call(http, "campaign.codify", campaign_id=campaign_id, customer_id="2", cod_act="021")
    removed = await call(http, "campaign.remove_record", campaign_id=campaign_id, customer_id="1")
    exported = (await call(http, "campaign.campaign_15", campaign_id=campaign_id)).json()
    live = (await call(http, "real_time.campaigns")).json()
    cleared = await call(http, "campaign.clear_campaign", campaign_id=campaign_id)
    deleted = await call(
        http, "campaign.delete_campaign", campaign_id=campaign_id, campaign_ids=[campaign_id, "999"]
    )
    after = await call(http, "information.campaigns", campaign=campaign_id)

    assert created.json()["msg"] == f"The {campaign_id} campaign_id has been created successfully"
    assert added.json()["msg"] == "All records has been added successfully"
    assert added.json()["data"] == [{"total_registers": "3"}]
    assert (listed["campaign_name"], listed["status"], listed["speed"], listed["records"]) == (
        "Summer",
        "active",
        "3",
        "3",
    )
    assert [row["customer_id"] for row in found.json()["data"]] == ["2"]
    assert coded.json()["msg"] == "customer_id 2 has been coded"
    assert removed.json()["msg"] == "customer_id 1 has been deleted successfully"
    assert (exported["total_records"], exported["campaign_id"]) == ("2", campaign_id)
    assert [(row["id_cliente"], row["cod_rslt1"]) for row in exported["records"]] == [("2", "021"), ("3", "")]
    assert [row["campaign"] for row in live] == ["Spring", "Summer"]
    assert cleared.json()["msg"] == f"All records has been deleted of campaign_id {campaign_id} successfully"
    assert deleted.json()["msg"] == "1 campaigns deleted successfully. 1 operations failed."
    assert after.status_code == 404
    assert campaign_id not in emulator.campaigns
    actions = emulator.actions
    assert actions.count(("campaign.add_record", campaign_id, "3")) == 1
    assert actions.count(("campaign.delete_campaign", campaign_id)) == 1


@pytest.mark.asyncio
async def test_campaign_operations_on_unknown_ids_are_not_found(http: httpx.AsyncClient) -> None:
    names = [
        "campaign.start",
        "campaign.add_record",
        "campaign.detail",
        "campaign.campaign_15",
        "campaign.codify",
    ]
    answers = [await call(http, name, campaign_id="999") for name in names]
    no_customer = await call(http, "campaign.codify", customer_id="999")
    no_skill = await call(http, "campaign.create_campaign", skill_id="999")

    assert [answer.status_code for answer in answers] == [404] * len(names)
    assert {answer.json()["msg"] for answer in answers} == {"CAMPAIGN NOT FOUND"}
    assert no_customer.json()["msg"] == "RECORD NOT FOUND"
    assert no_skill.json()["msg"] == "SKILL NOT FOUND"


@pytest.mark.asyncio
async def test_a_campaign_search_or_deletion_needs_something_to_go_by(http: httpx.AsyncClient) -> None:
    """The catalogue: find_record by campaign, telephone or customer; delete_campaign by id or ids."""
    search = await http.get("/api/v2/campaign.php", params={"api": "find_record"})
    deletion = await http.delete(
        "/api/v2/campaign.php", params={"api": "delete_campaign", "type_campaign": "preview"}
    )
    by_phone = await http.get("/api/v2/campaign.php", params={"api": "find_record", "customer_phone": PHONE})

    assert (search.status_code, deletion.status_code) == (400, 400)
    assert {search.json()["msg"], deletion.json()["msg"]} == {"SOME PARAMETERS ARE REQUIRED"}
    assert [row["customer_id"] for row in by_phone.json()["data"]] == [CUSTOMER]


# -- state: recalls --------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_recalls_round_trip(emulator: Emulator, http: httpx.AsyncClient) -> None:
    scheduled = await call(http, "agentbox.recall", rellamada="20260311101520", recall_style="manual")
    [manual] = await rows(http, "real_time.recall", type="manual")
    edited = await call(http, "agentbox.edit_recall", recall="20260312090000")
    by_campaign = await call(
        http,
        "campaign.recall",
        customer_id=CUSTOMER,
        recall_date="20260313080000",
        recall_telephone=PHONE,
    )
    [auto] = await rows(http, "real_time.recall", type="auto")
    deleted = await call(http, "agentbox.delete_recall")
    none = await call(http, "real_time.recall", type="all")
    again = await call(http, "agentbox.delete_recall")

    assert scheduled.json() == {"code": "200", "error": None, "msg": "Recall has been successful"}
    assert (manual["type_recall"], manual["date_recall"], manual["phone_number"]) == (
        "manual",
        "2026-03-11 10:15:20",
        PHONE,
    )
    assert edited.status_code == 200
    assert by_campaign.json()["msg"] == (
        f"customer_id {CUSTOMER} has been updated and will be call back on 20260313080000 to phone {PHONE}"
    )
    assert (auto["type_recall"], auto["date_recall"]) == ("auto", "2026-03-13 08:00:00")
    assert deleted.status_code == 200
    assert none.status_code == 404
    assert again.json()["msg"] == "RECALL NOT FOUND"
    assert emulator.recalls == []


# -- state: the DNC list ---------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_the_dnc_list_round_trips(http: httpx.AsyncClient) -> None:
    added = await call(http, "configuration.add_dnc", type_call="inbound", telephones=["3001", "3002"])
    uploaded = await http.post(
        "/api/v2/campaign.php?api=add_dnc",
        json=[{"telephone": "3003", "days_block": "15"}, {"telephone": "not a phone", "days_block": "1"}],
    )
    inbound = await rows(http, "information.get_dnc", type="inbound")
    removed = await call(http, "configuration.remove_dnc", telephones=["3001"], type="all")
    everything = await rows(http, "information.get_dnc", type="all")
    nothing = await call(http, "configuration.remove_dnc", telephones=["3001"], type="all")

    assert added.json() == {"code": 201, "error": None, "msg": "2 telephones were added"}
    assert uploaded.json()["data"] == [{"total_added": "1", "total_rejected": "1", "total_sent": "2"}]
    assert [(row["phone_number"], row["type"]) for row in inbound] == [
        ("3001", "inbound"),
        ("3002", "inbound"),
    ]
    assert inbound[0]["date_delete"] == "2026-03-10 12:00:00"
    assert removed.json()["msg"] == "1 telephones were deleted"
    assert sorted((row["phone_number"], row["type"]) for row in everything) == [
        ("3002", "inbound"),
        ("3003", "outbound"),
    ]
    assert nothing.status_code == 404


# -- reports ---------------------------------------------------------------------------------------


def window_of(body: Mapping[str, Any]) -> list[str]:
    return [row["date"] for row in body["data"]]


@pytest.mark.asyncio
async def test_a_report_without_rows_answers_wolkvox_404() -> None:
    async with client(seeded(report_rows_per_day=0)) as http:
        answer = await call(http, "reports.cdr_1")

    assert answer.status_code == 404
    assert answer.json() == {"code": 404, "error": "NOT FOUND", "msg": "NO RECORDS WERE FOUND", "data": []}


@pytest.mark.asyncio
async def test_a_report_holds_its_rows_per_day_inside_the_window(http: httpx.AsyncClient) -> None:
    answer = await call(http, "reports.cdr_1", date_ini="20260301080000", date_end="20260303235959")

    body = answer.json()
    dates = window_of(body)
    assert body["msg"] == f"{len(dates)} records were found"
    assert {date[:10] for date in dates} == {"2026-03-01", "2026-03-02", "2026-03-03"}
    assert sum(date.startswith("2026-03-02") for date in dates) == 10
    assert all("2026-03-01 08:00:00" <= date <= "2026-03-03 23:59:59" for date in dates)
    assert dates == sorted(dates)


@pytest.mark.asyncio
async def test_report_rows_are_deterministic_for_a_seed_and_a_day() -> None:
    async def fetch(seed: int, date_ini: str, date_end: str) -> list[dict[str, Any]]:
        emulator = Emulator([TOKEN], seed=seed, clock=lambda: NOW)
        async with client(emulator) as http:
            answer = await call(http, "reports.agent_1", date_ini=date_ini, date_end=date_end)
        rows: list[dict[str, Any]] = answer.json()["data"]
        return rows

    whole = await fetch(1, "20260301000000", "20260303235959")
    same = await fetch(1, "20260301000000", "20260303235959")
    second_day = await fetch(1, "20260302000000", "20260302235959")
    other_seed = await fetch(2, "20260301000000", "20260303235959")

    assert whole == same
    assert whole[10:20] == second_day
    assert whole != other_seed
    assert tuple(whole[0]) == operation("reports.agent_1").result.fields


@pytest.mark.asyncio
async def test_a_busy_window_is_cut_at_60000_rows() -> None:
    async with client(seeded(report_rows_per_day=100_000)) as http:
        started = time.perf_counter()
        answer = await call(http, "reports.cdr_1", date_ini="20260201000000", date_end="20260303235959")
        elapsed = time.perf_counter() - started

    body = answer.json()
    assert answer.status_code == 200
    assert len(body["data"]) == MAX_ROWS
    assert body["msg"] == f"{MAX_ROWS} records were found"
    assert all(row["date"].startswith("2026-02-01") for row in body["data"])
    assert elapsed < 10


@pytest.mark.asyncio
async def test_a_60000_row_answer_is_streamed_in_little_memory() -> None:
    emulator = seeded(report_rows_per_day=100_000)
    op = operation("reports.cdr_1")
    query = urlencode({**request(op)["params"], "date_ini": "20260201000000", "date_end": "20260303235959"})
    scope = {
        "type": "http",
        "method": "GET",
        "path": op.url_path,
        "query_string": query.encode(),
        "headers": [(b"wolkvox-token", TOKEN.encode())],
    }
    sent = {"bytes": 0, "messages": 0}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Mapping[str, Any]) -> None:
        if message["type"] == "http.response.body":
            sent["bytes"] += len(message.get("body", b""))
            sent["messages"] += 1

    tracemalloc.start()
    try:
        await emulator(scope, receive, send)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert sent["messages"] > 10
    assert sent["bytes"] > 20 * 1024 * 1024
    assert peak < 64 * 1024 * 1024


def test_a_streamed_report_crosses_a_real_socket() -> None:
    emulator = seeded(report_rows_per_day=2_000)
    with serve_in_thread(emulator) as url:
        answer = httpx.get(
            f"{url}/api/v2/reports_manager.php",
            params={"api": "agent_1", "date_ini": WINDOW[0], "date_end": WINDOW[1]},
            headers={"wolkvox-token": TOKEN},
        )

    assert answer.status_code == 200
    assert answer.headers.get("transfer-encoding") == "chunked"
    assert len(answer.json()["data"]) == 6_000


@pytest.mark.parametrize(
    ("date_ini", "date_end", "status"),
    [
        ("20260301000000", "20260401000000", 200),
        ("20260301000000", "20260401000001", 400),
        ("20260303000000", "20260301000000", 400),
        ("20260301000000", "20260301000000", 404),
    ],
)
@pytest.mark.asyncio
async def test_a_window_spans_31_days_at_most(
    http: httpx.AsyncClient, date_ini: str, date_end: str, status: int
) -> None:
    answer = await call(http, "reports.skill_1", date_ini=date_ini, date_end=date_end)

    assert answer.status_code == status, answer.text
    if status == 400:
        assert "DATE" in answer.json()["msg"]


@pytest.mark.asyncio
async def test_every_window_read_is_generated(emulator: Emulator, http: httpx.AsyncClient) -> None:
    windowed = [
        op
        for op in OPERATIONS
        if {"date_ini", "date_end"} <= {p.wire for p in op.query} and op.result.kind is not ResultKind.ACK
    ]
    emulator.report_rows_per_day = 0
    empty = [(await http.request(**request(op))).status_code for op in windowed]

    assert len(windowed) > 104
    assert set(empty) == {404}


# -- the settings' ways in -------------------------------------------------------------------------


@pytest.mark.wolkvox(report_rows_per_day=0, seed=3)
def test_the_pytest_marker_sets_rows_per_day(wolkvox_emulator: Emulated) -> None:
    assert wolkvox_emulator.emulator.report_rows_per_day == 0


def test_the_command_line_sets_rows_per_day() -> None:
    args = parser().parse_args(["serve", "--token", "T", "--report-rows-per-day", "100000", "--seed", "4"])

    assert (args.report_rows_per_day, args.seed) == (100_000, 4)
    with pytest.raises(SystemExit):
        parser().parse_args(["serve", "--token", "T", "--report-rows-per-day", "-1"])
    with pytest.raises(ValueError, match="rows"):
        Emulator(report_rows_per_day=-1)


# -- the catalogue ---------------------------------------------------------------------------------


@pytest.mark.skipif(not CATALOG.exists(), reason="the catalogue is in the repository, not in the package")
def test_the_envelopes_follow_the_catalogue() -> None:
    records = json.loads(CATALOG.read_text(encoding="utf-8"))
    checked = 0
    for record in records:
        api = record["api"] or "upload"
        shown = EXAMPLES[record["file"], api]
        for example in record["examples"][:1]:
            try:
                answer = json.loads(example["body"] or "")
            except ValueError:
                continue
            if not isinstance(answer, dict):
                continue
            code = answer.get("code")
            if isinstance(code, int) or (isinstance(code, str) and (code.isdigit() or code == "")):
                assert shown.code == code, (record["file"], api)
                checked += 1
            if "data" in answer and shown.listed is not None:
                assert shown.listed is isinstance(answer["data"], list), (record["file"], api)
    assert checked > 200
    assert {(op.script, op.api) for op in OPERATIONS} <= set(EXAMPLES)
