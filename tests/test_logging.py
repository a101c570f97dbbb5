"""Logging: switched on from the environment, and never a token or a password, whatever happens."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

import wolkvox_async as wv
from wolkvox_async.testing import Fault
from wolkvox_async.testing.pytest_plugin import Emulated


def test_wolkvox_log_debug_switches_logging_on_without_secrets(tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text(
        "import asyncio, httpx, wolkvox_async as wv\n"
        "async def main():\n"
        "    body = {'code': '', 'error': None, 'msg': '', 'data': []}\n"
        "    http = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=body)))\n"
        "    async with wv.Client('0032', 'SECRET-TOKEN-123', http_client=http) as c:\n"
        "        await c.list_agents()\n"
        "asyncio.run(main())\n"
    )
    env = {**os.environ, "WOLKVOX_LOG": "debug"}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "list_agents attempt=1 status=200" in done.stderr
    assert "SECRET-TOKEN-123" not in done.stderr


@pytest.mark.asyncio
@pytest.mark.wolkvox(licences=5, seed=7)
async def test_no_secret_in_any_record_through_a_mixed_fault_run(
    wolkvox_emulator: Emulated, caplog: pytest.LogCaptureFixture
) -> None:
    emulator = wolkvox_emulator.emulator
    emulator.set_fault_rate(0.3, list(Fault))
    emulator.slow_seconds = 0.01
    passwords: list[str] = []
    with caplog.at_level(logging.DEBUG):
        async with wolkvox_emulator.new_client(agents_cache_ttl=0, deadline=5) as client:
            for i in range(60):
                try:
                    new = await client.create_agent(
                        dni=f"9{i:03}", name=f"Agent {i}", sso=f"a{i}", password="Pw#9abc"
                    )
                    passwords.append(new.password.reveal())
                    await client.enable_agent(new.agent_id)
                    await client.dial(new.agent_id, "3001234567")
                    await client.agent_display(new.agent_id, button="dial", display="hide")
                    await client.list_agents(new.agent_id)
                except wv.WolkvoxError as exc:
                    caplog.records.append(logging.makeLogRecord({"msg": f"{exc!s} {exc!r}"}))
    texts = [record.getMessage() for record in caplog.records]
    assert sum(f"status={status}" in " ".join(texts) for status in (200, 403, 500, 503)) >= 3, (
        "faults were injected"
    )
    for text in texts:
        assert wolkvox_emulator.token not in text
        assert "Pw#9abc" not in text
        assert all(p not in text for p in passwords)
