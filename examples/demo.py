"""The wolkvox-async demo: a day's small job against the bundled emulator, over real HTTP.

It serves the emulator on a free 127.0.0.1 port with 10 ms of service time,
then, through one token (2 requests in flight, 1 licence = 1,000 calls a day):
creates a few agents at once, enables them, lists them, dials, hides and shows
a button, and prints what happened, what the emulator saw and the quota left.

    python3 -m pip install nox && python3 -m nox -s demo      # or: python examples/demo.py
"""

from __future__ import annotations

import asyncio
import time

import wolkvox_async as wv
from wolkvox_async.testing import Emulator, serve_in_thread

TOKEN = "demo-token-0123456789"
NEW_AGENTS = [
    ("1020", "Ana Ruiz", "ana.ruiz@corp.co"),
    ("1021", "Luis Gómez", "luis.gomez@corp.co"),
    ("1022", "Marta Díaz", "marta.diaz@corp.co"),
    ("1023", "Jorge Peña", "jorge.pena@corp.co"),
    ("1024", "Sofía León", "sofia.leon@corp.co"),
]


async def job(base_url: str) -> list[str]:
    lines: list[str] = []
    async with wv.Client("0032", TOKEN, licences=1, base_url=base_url) as client:
        started = time.perf_counter()
        created = await asyncio.gather(
            *(client.create_agent(dni=dni, name=name, sso=sso) for dni, name, sso in NEW_AGENTS)
        )
        lines.append(f"created {len(created)} agents at once in {time.perf_counter() - started:.3f} s")
        vault = {agent.agent_id: agent.password.reveal() for agent in created}  # store these: shown once
        for agent in created:
            lines.append(f"  agent {agent.agent_id}  password {agent.password}  (kept in the vault)")

        await asyncio.gather(*(client.enable_agent(agent.agent_id) for agent in created))
        agents = await client.list_agents()
        lines.append(f"enabled them; the agents report lists {len(agents)}:")
        for row in agents:
            lines.append(
                f"  {row.agent_id}  {row.agent_name:<12} dni {row.agent_dni}  "
                f"enabled={row.enabled}  status={row.agent_status}"
            )

        first = created[0].agent_id
        call = await client.dial(first, "300 123 4567", customer_name="Cliente Demo")
        lines.append(f"agent {first} dialled 3001234567: conn_id {call.conn_id[:12]}…")
        hidden = await client.agent_display(first, button=wv.Button.HANGUP, display=wv.Display.HIDE)
        shown = await client.agent_display(first, button="hungup", display="show")
        lines.append(f"hang-up button: {hidden.detail!r}, then {shown.detail!r}")

        try:
            await client.enable_agent("999999")
        except wv.NotFoundError as exc:
            lines.append(f"enabling an unknown agent raises {type(exc).__name__}: {exc}")

        quota = client.quota()
        lines.append(
            f"quota: {quota.used} of {quota.limit} calls used today, {quota.remaining} left, "
            f"resets at {quota.resets_at:%Y-%m-%d %H:%M %Z} (dial and agent_display are free)"
        )
        assert len(vault) == len(NEW_AGENTS)
    return lines


def main() -> None:
    emulator = Emulator({TOKEN: 1}, latency=0.010)
    with serve_in_thread(emulator) as url:
        print(f"wolkvox emulator on {url} (10 ms per call, 2 simultaneous requests per token)\n")
        lines = asyncio.run(job(url))
    print("\n".join(lines))
    stats = emulator.stats(TOKEN)
    print(
        f"\nthe emulator saw {sum(stats.calls.values())} requests, at most {stats.max_in_flight} "
        f"in flight, {stats.concurrency_rejections} refused for concurrency, "
        f"{stats.quota_used} counted against the quota"
    )


if __name__ == "__main__":
    main()
