"""Bulk provisioning: journal, resume, reconciliation, quota, and a SIGKILL in the middle."""

from __future__ import annotations

import json
import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

import wolkvox_async as wv
from wolkvox_async.testing import Fault
from wolkvox_async.testing.pytest_plugin import Emulated

pytestmark = pytest.mark.asyncio
Outcome = wv.RowOutcome


def rows(count: int, start: int = 0, enable: bool = False) -> list[wv.AgentRow]:
    return [
        wv.AgentRow(f"{70000 + i}", f"Agent {i}", f"agent{i}@corp.co", enable)
        for i in range(start, start + count)
    ]


def journal_entries(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def passwords_in(path: Path) -> dict[str, str]:
    return {e["dni"]: e["password"] for e in journal_entries(path) if e["event"] == "created"}


@pytest.mark.wolkvox(licences=1)
async def test_creates_enables_and_journals_every_password(
    wolkvox_emulator: Emulated, tmp_path: Path
) -> None:
    journal = tmp_path / "job.jsonl"
    seen: list[wv.RowResult] = []
    async with wolkvox_emulator.client as client:
        report = await wv.provision_agents(
            client, rows(20), journal=journal, enable=True, on_result=seen.append
        )
    assert report.count(Outcome.CREATED) == 20
    assert report.complete
    assert all(r.enabled for r in report.results)
    assert len(seen) == 20
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    emulator = wolkvox_emulator.emulator
    by_dni = {a.dni: a for a in emulator.agents.values()}
    assert passwords_in(journal) == {dni: by_dni[dni].password for dni in passwords_in(journal)}
    assert len(passwords_in(journal)) == 20
    assert all(by_dni[r.row.dni].enabled for r in report.results)


@pytest.mark.wolkvox(licences=1)
async def test_running_again_creates_nothing_and_reads_the_report_once(
    wolkvox_emulator: Emulated, tmp_path: Path
) -> None:
    journal = tmp_path / "job.jsonl"
    emulator = wolkvox_emulator.emulator
    emulator.add_agent("69999", "Already There", "there")
    job = [wv.AgentRow("69999", "Already There", "there"), *rows(10)]
    async with wolkvox_emulator.client as client:
        first = await wv.provision_agents(client, job, journal=journal)
        emulator.reset_stats()
        second = await wv.provision_agents(client, job, journal=journal)
    assert (first.count(Outcome.EXISTED), first.count(Outcome.CREATED)) == (1, 10)
    assert (second.count(Outcome.EXISTED), second.count(Outcome.ALREADY_CREATED)) == (1, 10)
    stats = emulator.stats(wolkvox_emulator.token)
    assert stats.calls["agents"] == 1
    assert stats.calls.get("create_agent", 0) == 0


@pytest.mark.wolkvox(licences=1)
async def test_an_answer_lost_in_an_earlier_run_is_password_lost(
    wolkvox_emulator: Emulated, tmp_path: Path
) -> None:
    journal = tmp_path / "job.jsonl"
    journal.write_text(
        json.dumps({"event": "sending", "dni": "70000"}) + "\n" + '{"event": "created", "dni": "7'
    )
    wolkvox_emulator.emulator.add_agent("70000", "Agent 0", "agent0@corp.co")
    async with wolkvox_emulator.client as client:
        report = await wv.provision_agents(client, rows(3), journal=journal)
    assert [r.outcome for r in report.results] == [Outcome.PASSWORD_LOST, Outcome.CREATED, Outcome.CREATED]


@pytest.mark.wolkvox(licences=1, seed=3)
async def test_faults_are_reconciled_or_reported_and_a_rerun_finishes(
    wolkvox_emulator: Emulated, tmp_path: Path
) -> None:
    journal = tmp_path / "job.jsonl"
    emulator = wolkvox_emulator.emulator
    emulator.queue_faults(Fault.DROP_AFTER_ACTION, Fault.SERVER_ERROR, operations=["create_agent"])
    async with wolkvox_emulator.client as client:
        first = await wv.provision_agents(client, rows(6), journal=journal, workers=1)
        assert first.count(Outcome.PASSWORD_LOST) == 1
        assert first.count(Outcome.FAILED) == 1
        assert not first.complete
        again = await wv.provision_agents(client, rows(6), journal=journal)
    assert again.complete
    assert again.count(Outcome.PASSWORD_LOST) == 1
    assert again.count(Outcome.CREATED) == 1
    creates = [a for a in emulator.actions if a[0] == "create_agent"]
    assert len(creates) == 6


@pytest.mark.wolkvox(daily_quota=8)
async def test_quota_is_checked_before_anything_is_created(
    wolkvox_emulator: Emulated, tmp_path: Path
) -> None:
    async with wolkvox_emulator.client as client:
        with pytest.raises(wv.InsufficientQuotaError) as caught:
            await wv.provision_agents(client, rows(10), journal=tmp_path / "a.jsonl")
        assert (caught.value.needed, caught.value.remaining) == (10, 7)
        assert not wolkvox_emulator.emulator.agents
        report = await wv.provision_agents(
            client, rows(10), journal=tmp_path / "b.jsonl", if_quota_short="fit"
        )
    assert report.count(Outcome.CREATED) == 6  # 8 - the two report reads
    assert report.count(Outcome.NOT_FITTED) == 4


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"dni": "", "name": "A", "sso": "a"}, "row 2: dni"),
        ({"dni": "70000", "name": "A", "sso": "a"}, "row 2: dni '70000' is also row 1"),
        ({"dni": "1", "name": "A", "sso": "a", "enable": "maybe"}, "row 2: enable"),
    ],
)
async def test_bad_rows_send_nothing(
    wolkvox_emulator: Emulated, tmp_path: Path, bad: dict[str, str], message: str
) -> None:
    async with wolkvox_emulator.client as client:
        with pytest.raises(wv.InvalidArgumentError, match=message):
            await wv.provision_agents(client, [rows(1)[0], bad], journal=tmp_path / "j.jsonl")
    assert sum(wolkvox_emulator.emulator.stats(wolkvox_emulator.token).calls.values()) == 0


def nothing_was_sent(emulated: Emulated) -> bool:
    return sum(emulated.emulator.stats(emulated.token).calls.values()) == 0


def a_directory(path: Path) -> None:
    path.mkdir()


def a_socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))


async def test_a_journal_that_is_a_symlink_is_refused_and_its_target_untouched(
    wolkvox_emulator: Emulated, tmp_path: Path
) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("not a journal\n")
    target.chmod(0o644)
    journal = tmp_path / "job.jsonl"
    journal.symlink_to(target)
    async with wolkvox_emulator.client as client:
        with pytest.raises(wv.InvalidArgumentError, match="symbolic link") as caught:
            await wv.provision_agents(client, rows(2), journal=journal)
        assert client.quota().used == 0
    assert str(journal) in str(caught.value)
    assert target.read_text() == "not a journal\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert nothing_was_sent(wolkvox_emulator)


async def test_a_dangling_symlink_journal_creates_nothing_where_it_points(
    wolkvox_emulator: Emulated, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.jsonl"
    journal = tmp_path / "job.jsonl"
    journal.symlink_to(target)
    async with wolkvox_emulator.client as client:
        with pytest.raises(wv.InvalidArgumentError, match="symbolic link"):
            await wv.provision_agents(client, rows(2), journal=journal)
    assert not target.exists()
    assert journal.is_symlink()
    assert nothing_was_sent(wolkvox_emulator)


@pytest.mark.timeout(10)  # opening a FIFO without its other end would block for ever
@pytest.mark.parametrize(
    ("make", "kind"), [(os.mkfifo, "FIFO"), (a_directory, "directory"), (a_socket, "socket")]
)
async def test_a_journal_that_is_not_a_regular_file_is_refused_without_blocking(
    wolkvox_emulator: Emulated, tmp_path: Path, make: Callable[[Path], None], kind: str
) -> None:
    journal = tmp_path / "job.jsonl"
    make(journal)
    async with wolkvox_emulator.client as client:
        with pytest.raises(wv.InvalidArgumentError, match=f"{kind}, not a regular file") as caught:
            await wv.provision_agents(client, rows(2), journal=journal)
    assert str(journal) in str(caught.value)
    assert nothing_was_sent(wolkvox_emulator)


async def test_a_new_journal_is_0600_whatever_the_umask(wolkvox_emulator: Emulated, tmp_path: Path) -> None:
    journal = tmp_path / "job.jsonl"
    previous = os.umask(0)
    try:
        async with wolkvox_emulator.client as client:
            await wv.provision_agents(client, rows(1), journal=journal)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600


async def test_an_existing_journal_is_made_0600(wolkvox_emulator: Emulated, tmp_path: Path) -> None:
    journal = tmp_path / "job.jsonl"
    journal.write_text("")
    journal.chmod(0o644)
    async with wolkvox_emulator.client as client:
        report = await wv.provision_agents(client, rows(1), journal=journal)
    assert report.count(Outcome.CREATED) == 1
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
