"""Provisioning survives SIGKILL mid-job: resumed, nothing is created twice, every row is accounted for."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_provision import passwords_in, rows

from wolkvox_async.testing import Fault
from wolkvox_async.testing.pytest_plugin import Emulated

JOB = """
import asyncio, json, sys
from datetime import timedelta
import wolkvox_async as wv

async def main() -> None:
    url, token, rows_file, journal = sys.argv[1:5]
    rows = [wv.AgentRow(**row) for row in json.load(open(rows_file))]
    async with wv.Client("0032", token, licences=10, base_url=url, deadline=20) as client:
        # the emulator answers at once: a call cut by a kill has surely ended 2 s later (wolkvox: 61 s)
        report = await wv.provision_agents(
            client, rows, journal=journal, workers=4, settle=timedelta(seconds=2)
        )
    print(json.dumps({o.value: report.count(o) for o in wv.RowOutcome}))

asyncio.run(main())
"""


@pytest.mark.wolkvox(licences=10, seed=11)
def test_1000_agents_10_percent_faults_sigkill_midway_then_resume(
    wolkvox_server: Emulated, tmp_path: Path
) -> None:
    emulator = wolkvox_server.emulator
    emulator.set_fault_rate(
        0.10,
        [Fault.SERVER_ERROR, Fault.UNAVAILABLE, Fault.MAINTENANCE, Fault.TRUNCATED, Fault.DROP_AFTER_ACTION],
        operations=["create_agent", "agents"],
    )
    job = rows(1000)
    rows_file = tmp_path / "rows.json"
    rows_file.write_text(json.dumps([{"dni": r.dni, "name": r.name, "sso": r.sso} for r in job]))
    script = tmp_path / "job.py"
    script.write_text(JOB)
    journal = tmp_path / "job.jsonl"
    command = [
        sys.executable,
        str(script),
        wolkvox_server.base_url,
        wolkvox_server.token,
        str(rows_file),
        str(journal),
    ]

    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if journal.exists() and journal.read_text().count('"created"') >= 300:
                break
            time.sleep(0.01)
        assert process.poll() is None, "the job ended before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.communicate(timeout=10)
    killed_at = len(passwords_in(journal))
    assert 300 <= killed_at < 1000

    for _ in range(5):  # resume until every row is an agent; faults keep striking
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        counts = json.loads(done.stdout)
        if counts["failed"] == 0:
            break
    assert counts["failed"] == 0
    assert counts["not_fitted"] == 0

    dnis = {r.dni for r in job}
    creates = [a for a in emulator.actions if a[0] == "create_agent" and a[2] in dnis]
    assert len(creates) == len({a[2] for a in creates}) == 1000, "every row created exactly once"
    agents = {a.dni: a for a in emulator.agents.values() if a.dni in dnis}
    journalled = passwords_in(journal)
    lost = {dni for dni in dnis if dni not in journalled}
    assert all(journalled[dni] == agents[dni].password for dni in journalled)
    assert counts["already_created"] + counts["created"] == len(journalled)
    assert counts["password_lost"] == len(lost)
    lost_answers = emulator.stats(wolkvox_server.token).faults.get("drop_after_action", 0)
    assert len(lost) <= lost_answers + 4  # answers dropped by the emulator, or cut by the kill
