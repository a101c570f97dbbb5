"""Every operation of the specification through its namespaced method, against the emulator over HTTP.

One emulator on a loopback port, seeded with an agent, a skill, a campaign
with a record and an activity code; each of the 243 methods is called with
arguments made from the spec (the seeded ids where an id is asked for) and
must answer its declared result. Then one flow per family that keeps state.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import anyio
import pytest
from test_spec import arguments

import wolkvox_async as wv
from wolkvox_async._spec import OPERATIONS, Operation, ResultKind, operation
from wolkvox_async.testing import Emulator, serve_in_thread

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(120)]

TOKEN = "api-token"
README = Path(__file__).resolve().parent.parent / "README.md"


class Switch:
    """One loopback server for the module, in front of a fresh emulator per test."""

    def __init__(self) -> None:
        self.app: Emulator = Emulator({TOKEN: 50})

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


class Served:
    def __init__(self, emulator: Emulator, url: str, ids: dict[str, str]) -> None:
        self.emulator, self.url, self.ids = emulator, url, ids

    def client(self, **options: Any) -> wv.Client:
        return wv.Client("0032", TOKEN, base_url=self.url, agents_cache_ttl=0, max_retries=0, **options)


@pytest.fixture(scope="module")
def switch() -> Iterator[tuple[Switch, str]]:
    front = Switch()
    with serve_in_thread(front, timeout=5.0) as url:  # type: ignore[arg-type]
        yield front, url


@pytest.fixture
def served(switch: tuple[Switch, str]) -> Served:
    front, url = switch
    emulator = front.app = Emulator({TOKEN: 50}, report_rows_per_day=3, seed=7)
    agent = emulator.add_agent("555", "Ana Ruiz", "ana")
    skill = emulator.add_skill("Sales", members={agent.agent_id: "5"})
    campaign = emulator.add_campaign(
        "Leads",
        "predictive",
        skill_id=skill.skill_id,
        records=[{"customer_id": "text", "tel1": "3001234567"}],
    )
    emulator.add_activity_code("a", "Sold")
    return Served(
        emulator, url, {"agent": agent.agent_id, "skill": skill.skill_id, "campaign": campaign.campaign_id}
    )


def seeded(op: Operation, ids: dict[str, str]) -> dict[str, Any]:
    given = arguments(op)
    for name in list(given):
        if name in ("agent_id", "agent", "id_agent"):
            given[name] = ids["agent"]
        elif name in ("skill_id", "skill"):
            given[name] = ids["skill"]
        elif name in ("campaign_id", "campaign", "id_camp", "id_campaign", "id_campaing"):
            given[name] = ids["campaign"]
        elif name == "date_end" and isinstance(given[name], date):
            given[name] = datetime(2026, 11, 3, 23, 59, 59)
    return given


async def prepare(client: wv.Client, op: Operation, given: dict[str, Any], ids: dict[str, str]) -> None:
    """What must exist before an operation on it: a recall to edit, a DNC phone to remove, a code to edit."""
    if op.name in ("agentbox.edit_recall", "agentbox.delete_recall"):
        await client.agentbox.recall(**seeded(operation("agentbox.recall"), ids))
        given["telephone"] = seeded(operation("agentbox.recall"), ids)["telefono"]
    elif op.name == "configuration.remove_dnc":
        add = seeded(operation("configuration.add_dnc"), ids)
        await client.configuration.add_dnc(**add)
        given["telephones"] = add["telephones"]
    elif op.name == "configuration.edit_cod_act":
        given["cod_act"] = "a"


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
async def test_every_method_answers_its_declared_result_over_http(served: Served, op: Operation) -> None:
    async with served.client() as client:
        method = getattr(getattr(client, op.namespace), op.method_name)
        given = seeded(op, served.ids)
        await prepare(client, op, given, served.ids)
        result = await method(**given)
    kind = op.result.kind
    if kind is ResultKind.ACK:
        assert isinstance(result, wv.Acknowledgement)
    elif kind is ResultKind.RECORDS:
        assert isinstance(result, tuple)
        for item in result:
            assert type(item).__name__ == op.result.model if op.result.model else isinstance(item, Mapping)
    elif op.result.model:
        assert type(result).__name__ == op.result.model


async def test_skills_and_members_round_trip(served: Served) -> None:
    async with served.client() as client:
        created = await client.configuration.create_skill(
            skill_name="Support", description_skill="Level 1", voicemail="no", welcome_message="Hi", vto="no"
        )
        skill_id = created["skill_id"]
        await client.configuration.add_agents_skill(
            skill_id=skill_id, agent_id=served.ids["agent"], expertise=7
        )
        members = await client.information.agents_in_skill(skill_id=skill_id)
        assert [(m.agent_id, m.expertise) for m in members] == [(served.ids["agent"], "7")]
        skills = await client.information.skills(skill=skill_id)
        assert [s.skill_name for s in skills] == ["Support"]
        await client.configuration.remove_agents_skill(skill_id=skill_id, agent_id=served.ids["agent"])
        assert await client.information.agents_in_skill(skill_id=skill_id) == ()


async def test_campaign_records_round_trip(served: Served) -> None:
    async with served.client() as client:
        (made,) = await client.campaign.create_campaign(
            type_campaign="preview",
            campaign_name="Renewals",
            campaign_description="Q4",
            start_time="080000",
            end_time="180000",
            skill_id=served.ids["skill"],
            enable_edition="yes",
        )
        campaign_id = made["id_campaign"]
        await client.campaign.add_record(
            type_campaign="preview",
            campaign_id=campaign_id,
            records=[{"customer_id": "900123", "customer_name": "Luis", "tel1": "3001234567"}],
        )
        found = await client.campaign.find_record(campaign_id=campaign_id, customer_id="900123")
        assert [row["tel1"] for row in found] == ["3001234567"]
        listed = await client.information.campaigns(campaign=campaign_id)
        assert [c.campaign_name for c in listed] == ["Renewals"]


async def test_reports_serve_generated_rows_over_the_window(served: Served) -> None:
    async with served.client() as client:
        rows = await client.reports.cdr_1(date_ini=date(2026, 11, 1), date_end=date(2026, 11, 3))
        assert len(rows) == 9 and tuple(rows[0]) == operation("reports.cdr_1").result.fields


async def test_agentbox_calls_reach_the_agent_free_of_quota(served: Served) -> None:
    async with served.client() as client:
        before = client.quota().used
        await client.agentbox.change_status(agent_id=served.ids["agent"], status="ready")
        await client.agentbox.hang(agent_id=served.ids["agent"])
        assert client.quota().used == before
    actions = [
        action
        for action in served.emulator.actions
        if action[0] in ("agentbox.change_status", "agentbox.hang")
    ]
    assert actions


async def test_token_info_reports_the_quota_and_licences_auto_takes_it(served: Served) -> None:
    async with served.client(licences="auto") as client:
        await client.information.skills()
        snapshot = client.quota()
    stats = served.emulator.stats(TOKEN)
    assert snapshot.limit == 50_000 and snapshot.used >= stats.quota_used == 2


async def test_the_readme_tour_runs_against_the_emulator(served: Served) -> None:
    readme = README.read_text()
    tour = re.search(
        r"```python\n(from datetime import date\n\nimport wolkvox_async as wv\n\n\nasync def tour.*?)```",
        readme,
        re.S,
    )
    assert tour is not None
    namespace: dict[str, Any] = {}
    exec(compile(tour.group(1), "README.md", "exec"), namespace)
    while int(served.emulator.add_skill("Another").skill_id) < 7:
        pass
    while int(served.emulator.add_campaign("Another", "preview").campaign_id) < 12:
        pass
    assert "1001" in served.emulator.agents
    async with served.client() as client:
        with anyio.fail_after(30):
            await namespace["tour"](client)
