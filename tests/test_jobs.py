"""Bulk jobs on the job engine, against the emulator over HTTP: batches, resume, kill -9, cancellation,
lookups of what is uncertain, messages never sent twice, quota and bad rows refused up front."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest

import wolkvox_async as wv
from wolkvox_async.testing import Emulator, Fault, serve_in_thread

pytestmark = pytest.mark.timeout(120)
QUICK = timedelta(seconds=1)
"""The emulator acts at once: a call cut short has surely ended a second later (wolkvox: 61 s)."""
OK = {wv.ItemOutcome.DONE, wv.ItemOutcome.ALREADY_DONE}


class Served:
    def __init__(self, emulator: Emulator, url: str, token: str) -> None:
        self.emulator, self.url, self.token = emulator, url, token
        self.agent = emulator.add_agent("1020", "Ana", "ana").agent_id
        skill = emulator.add_skill("Sales")
        self.skill = skill.skill_id
        self.campaign = emulator.add_campaign("Leads", "preview", skill_id=skill.skill_id).campaign_id

    def client(self, **options: Any) -> wv.Client:
        return wv.Client("0032", self.token, base_url=self.url, **options)

    def calls(self, name: str) -> int:
        return self.emulator.stats(self.token).calls.get(name, 0)


@pytest.fixture
def served(token: str) -> Iterator[Served]:
    emulator = Emulator({token: 100})
    with serve_in_thread(emulator) as url:
        yield Served(emulator, url, token)


def records(count: int, start: int = 0) -> list[dict[str, str]]:
    return [
        {"customer_id": str(900_000 + i), "tel1": str(3_000_000_000 + i), "customer_name": f"Customer {i}"}
        for i in range(start, start + count)
    ]


def customer_ids(served: Served) -> Counter[str]:
    return Counter(str(r.get("customer_id")) for r in served.emulator.campaigns[served.campaign].records)


@pytest.mark.asyncio
async def test_25000_records_are_3_calls_and_every_record_lands_once(served: Served, tmp_path: Path) -> None:
    journal = tmp_path / "load.jsonl"
    async with served.client() as client:
        report = await wv.load_campaign_records(
            client, served.campaign, "preview", records(25_000), journal=journal
        )
        again = await wv.load_campaign_records(
            client, served.campaign, "preview", records(25_000), journal=journal
        )
    assert report.count(wv.ItemOutcome.DONE) == 25_000 and report.calls == 3
    assert served.calls("campaign.add_record") == 3
    landed = customer_ids(served)
    assert len(landed) == 25_000 and set(landed.values()) == {1}
    assert again.count(wv.ItemOutcome.ALREADY_DONE) == 25_000 and again.calls == 0
    assert served.calls("campaign.add_record") == 3


@pytest.mark.asyncio
async def test_a_lost_batch_is_looked_up_with_one_call_not_sent_again(served: Served, tmp_path: Path) -> None:
    served.emulator.queue_faults(Fault.DROP_AFTER_ACTION, operations=["campaign.add_record"])
    async with served.client() as client:
        report = await wv.load_campaign_records(
            client,
            served.campaign,
            "preview",
            records(300),
            journal=tmp_path / "j.jsonl",
            batch_size=100,
            settle=QUICK,
        )
    assert {r.outcome for r in report.results} == {wv.ItemOutcome.DONE}
    assert served.calls("campaign.add_record") == 3 and served.calls("campaign.campaign_15") == 1
    assert set(customer_ids(served).values()) == {1} and len(customer_ids(served)) == 300


@pytest.mark.asyncio
async def test_an_uncertain_message_is_reported_and_never_sent_again(served: Served, tmp_path: Path) -> None:
    rows = [{"telephone": f"30012345{n:02d}", "message": f"hola {n}"} for n in range(5)]
    served.emulator.queue_faults(Fault.DROP_AFTER_ACTION, operations=["sms.send_sms"])
    async with served.client() as client:
        first = await wv.send_messages(client, rows, journal=tmp_path / "sms.jsonl", workers=1)
        second = await wv.send_messages(client, rows, journal=tmp_path / "sms.jsonl")
    assert [r.outcome for r in first.results].count(wv.ItemOutcome.UNKNOWN) == 1 and first.needs_check
    assert [r.outcome for r in second.results].count(wv.ItemOutcome.UNKNOWN) == 1
    assert served.calls("sms.send_sms") == 5, "each message once, the uncertain one included"


@pytest.mark.asyncio
async def test_dnc_skills_and_agents_jobs(served: Served, tmp_path: Path) -> None:
    numbers = [f"30055500{n:02d}" for n in range(30)]
    async with served.client() as client:
        blocked = await wv.add_dnc(client, numbers, 15, journal=tmp_path / "dnc.jsonl", batch_size=10)
        assigned = await wv.assign_skills(
            client,
            [{"agent_id": served.agent, "skill_id": served.skill, "expertise": 7}],
            journal=tmp_path / "skills.jsonl",
        )
        disabled = await wv.set_agents_enabled(client, [served.agent], False, journal=tmp_path / "off.jsonl")
        assert served.emulator.agents[served.agent].enabled is False
        enabled = await wv.set_agents_enabled(client, [served.agent], True, journal=tmp_path / "on.jsonl")
    assert blocked.complete and blocked.calls == 3
    assert set(numbers) <= {entry.telephone for entry in served.emulator.dnc}
    assert assigned.complete and served.agent in served.emulator.skills[served.skill].members
    assert disabled.complete and enabled.complete and served.emulator.agents[served.agent].enabled is True


@pytest.mark.asyncio
async def test_bad_rows_and_a_short_quota_are_refused_before_anything_is_sent(
    served: Served, tmp_path: Path
) -> None:
    async with served.client(daily_quota=2) as client:
        bad = [*records(2), {"customer_id": "1"}]
        with pytest.raises(wv.InvalidArgumentError, match="record 3 lacks tel1"):
            await wv.load_campaign_records(
                client, served.campaign, "preview", bad, journal=tmp_path / "a.jsonl"
            )
        with pytest.raises(wv.InvalidArgumentError, match="row 2"):
            await wv.send_messages(
                client, [{"telephone": "300", "message": "x"}, {"telephone": "+57", "message": "x"}],
                journal=tmp_path / "b.jsonl",
            )  # fmt: skip
        with pytest.raises(wv.InsufficientQuotaError) as caught:
            await wv.send_messages(
                client,
                [{"telephone": str(300 + n), "message": "x"} for n in range(3)],
                journal=tmp_path / "c.jsonl",
            )
    assert (caught.value.needed, caught.value.remaining) == (3, 2)
    assert not served.emulator.stats(served.token).calls


@pytest.mark.asyncio
async def test_cancelled_mid_job_the_calls_in_flight_finish_and_are_journaled(
    served: Served, tmp_path: Path
) -> None:
    served.emulator.latency = 0.2
    journal = tmp_path / "sms.jsonl"
    rows = [{"telephone": str(3_001_000_000 + n), "message": "hola"} for n in range(20)]
    async with served.client() as client:
        with anyio.move_on_after(0.3):
            await wv.send_messages(client, rows, journal=journal, workers=2)
        entries = [json.loads(line) for line in journal.read_text().splitlines()]
        sending = {e["key"] for e in entries if e["event"] == "sending"}
        finished = {e["key"] for e in entries if e["event"] in ("done", "failed", "unknown")}
        assert sending and sending == finished, "every call journaled as sent has its outcome"
        assert served.calls("sms.send_sms") == len(sending) < 20
        resumed = await wv.send_messages(client, rows, journal=journal)
    assert resumed.complete and served.calls("sms.send_sms") == 20


JOB = """
import asyncio, json, sys
from datetime import timedelta
import wolkvox_async as wv

async def main() -> None:
    url, token, kind, journal, data = sys.argv[1:6]
    given = json.loads(data)
    async with wv.Client("0032", token, base_url=url) as client:
        if kind == "records":
            report = await wv.load_campaign_records(
                client, given["campaign"], "preview", given["rows"], journal=journal, batch_size=25,
                settle=timedelta(seconds=1),
            )
        elif kind == "dnc":
            report = await wv.add_dnc(client, given["rows"], 10, journal=journal, batch_size=25,
                                      settle=timedelta(seconds=1))
        elif kind == "skills":
            report = await wv.assign_skills(client, given["rows"], journal=journal, settle=timedelta(seconds=1))
        elif kind == "messages":
            report = await wv.send_messages(client, given["rows"], journal=journal)
        else:
            report = await wv.set_agents_enabled(client, given["rows"], False, journal=journal)
    print(json.dumps({o.value: report.count(o) for o in wv.ItemOutcome}))

asyncio.run(main())
"""


@pytest.mark.parametrize("kind", ["records", "dnc", "skills", "messages", "agents"])
def test_kill_9_mid_job_then_resume_does_nothing_twice_and_loses_nothing(
    served: Served, tmp_path: Path, kind: str
) -> None:
    emulator = served.emulator
    emulator.latency = 0.05
    agents = [emulator.add_agent(str(5000 + n), f"A{n}", "").agent_id for n in range(40)]
    jobs: dict[str, dict[str, Any]] = {
        "records": {"campaign": served.campaign, "rows": records(250)},
        "dnc": {"rows": [str(3_005_000_000 + n) for n in range(250)]},
        "skills": {"rows": [{"agent_id": a, "skill_id": served.skill, "expertise": 5} for a in agents]},
        "messages": {"rows": [{"telephone": str(3_002_000_000 + n), "message": "hola"} for n in range(40)]},
        "agents": {"rows": agents},
    }
    given = jobs[kind]
    script, journal = tmp_path / "job.py", tmp_path / "job.jsonl"
    script.write_text(JOB)
    command = [sys.executable, str(script), served.url, served.token, kind, str(journal), json.dumps(given)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            if journal.exists() and journal.read_text().count('"done"') >= 2:
                break
            time.sleep(0.005)
        assert process.poll() is None, "the job ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.communicate(timeout=10)
    done = subprocess.run(command, capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)
    total = len(given["rows"])
    assert counts["failed"] == 0
    if kind == "records":
        landed = customer_ids(served)
        assert len(landed) == total and set(landed.values()) == {1}, "every record once"
    elif kind == "dnc":
        assert {str(3_005_000_000 + n) for n in range(total)} <= {e.telephone for e in emulator.dnc}
        assert served.calls("campaign.add_dnc") <= total // 25 + 1, "no batch sent twice"
    elif kind == "skills":
        assert set(agents) <= set(emulator.skills[served.skill].members)
        assert served.calls("configuration.add_agents_skill") == total, "each assignment once"
    elif kind == "messages":
        assert served.calls("sms.send_sms") <= total, "no message twice"
        assert counts["done"] + counts["already_done"] + counts["unknown"] == total
        assert counts["done"] + counts["already_done"] + counts["unknown"] >= served.calls("sms.send_sms")
    else:
        assert all(emulator.agents[a].enabled is False for a in agents)


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", [Fault.TRUNCATED, Fault.HTML, Fault.SERVER_ERROR])
async def test_a_send_the_server_may_have_done_is_unknown_not_failed(
    served: Served, tmp_path: Path, fault: Fault
) -> None:
    rows = [{"telephone": "3001234567", "message": "hola"}]
    served.emulator.queue_faults(fault, operations=["sms.send_sms"])
    async with served.client(max_retries=0) as client:
        first = await wv.send_messages(client, rows, journal=tmp_path / "sms.jsonl")
        second = await wv.send_messages(client, rows, journal=tmp_path / "sms.jsonl")
    assert first.results[0].outcome is second.results[0].outcome is wv.ItemOutcome.UNKNOWN
    assert served.calls("sms.send_sms") == 1


@pytest.mark.asyncio
async def test_items_are_known_by_what_they_are_not_where_they_stand(served: Served, tmp_path: Path) -> None:
    journal = tmp_path / "sms.jsonl"
    rows = [{"telephone": str(3_003_000_000 + n), "message": "hola"} for n in range(4)]
    async with served.client() as client:
        await wv.send_messages(client, rows, journal=journal)
        grown = [
            {"telephone": "3009999999", "message": "new"},
            *rows,
            rows[0],
        ]  # one new in front, one repeated
        report = await wv.send_messages(client, grown, journal=journal)
        other = await wv.load_campaign_records(
            client, served.campaign, "preview", records(3), journal=tmp_path / "l.jsonl"
        )
        elsewhere = served.emulator.add_campaign("Other", "preview").campaign_id
        moved = await wv.load_campaign_records(
            client, elsewhere, "preview", records(3), journal=tmp_path / "l.jsonl"
        )
    assert [r.outcome for r in report.results] == [
        wv.ItemOutcome.DONE,
        *[wv.ItemOutcome.ALREADY_DONE] * 4,
        wv.ItemOutcome.DONE,
    ]
    assert served.calls("sms.send_sms") == 6
    assert other.complete and moved.count(wv.ItemOutcome.DONE) == 3, "another campaign is another job"


@pytest.mark.asyncio
async def test_a_refused_job_leaves_no_journal(served: Served, tmp_path: Path) -> None:
    async with served.client(daily_quota=1) as client:
        with pytest.raises(wv.InsufficientQuotaError):
            await wv.add_dnc(client, ["3001", "3002"], 5, journal=tmp_path / "dnc.jsonl", batch_size=1)
    assert not (tmp_path / "dnc.jsonl").exists()


def _server(status: int) -> wv.ServerError:
    return wv.ServerError("failed", operation="sms.send_sms", status=status)


@pytest.mark.parametrize(
    ("error", "acted", "running"),
    [
        (wv.TransportError("reset", operation="sms.send_sms", may_have_reached_server=True), True, True),
        (wv.TransportError("refused", operation="sms.send_sms", may_have_reached_server=False), False, False),
        (_server(500), True, False),
        (_server(502), True, True),
        (_server(504), True, True),
        (wv.UnexpectedResponseError("<html>", operation="sms.send_sms", status=200), True, False),
        (wv.BadRequestError("bad", operation="sms.send_sms", status=400), False, False),
        (wv.ConcurrencyLimitError("busy", operation="sms.send_sms", status=429), False, False),
    ],
)
def test_what_a_failure_says_about_the_work_at_the_server(
    error: wv.WolkvoxError, acted: bool, running: bool
) -> None:
    """A lookup waits out the settle time only while wolkvox may still be running the call."""
    from wolkvox_async._jobs import may_have_acted, may_still_be_running

    assert may_have_acted(error) is acted
    assert may_still_be_running(error) is running
