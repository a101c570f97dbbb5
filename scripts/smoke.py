"""Smoke test of an installed wheel: ``nox -s build`` runs it in a clean virtualenv, outside the checkout.

Uses only the standard library and the installed package (with its ``testing`` extra): prints the
version, serves the emulator on a loopback port, and through a Client creates an agent, lists the
agents, dials and reads the quota. Exits 0 when all of it worked, 1 on any failure, and after
``SMOKE_TIMEOUT`` seconds (60 by default) it is stopped with a traceback of where it hung.
"""

from __future__ import annotations

import asyncio
import faulthandler
import importlib.metadata
import os
import sys
import sysconfig
import traceback
from pathlib import Path

TOKEN = "smoke-token"


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)
    print(f"ok: {what}")


def check_installed() -> None:
    """The package imported is the installed one, not a source tree on the path."""
    import wolkvox_async

    where = Path(wolkvox_async.__file__).resolve().parent
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    print(f"wolkvox_async {wolkvox_async.__version__} from {where}")
    check(where.is_relative_to(site), f"imported from this environment's site-packages ({site})")
    check(
        importlib.metadata.version("wolkvox-async") == wolkvox_async.__version__,
        "the distribution's version is wolkvox_async.__version__",
    )
    check((where / "py.typed").is_file(), "py.typed is installed")


async def exercise(url: str) -> str:
    """The calls a first user makes; answers the new agent's id."""
    import wolkvox_async as wv

    async with wv.Client(server="0032", token=TOKEN, licences=1, base_url=url, deadline=20) as client:
        new = await client.create_agent(dni="1020", name="Ana Ruiz", sso="ana@example.com")
        check(new.agent_id.isdigit() and "*" in repr(new.password), f"created agent {new.agent_id}")
        agents = await client.list_agents(refresh=True)
        check(new.agent_id in {agent.agent_id for agent in agents}, f"listed {len(agents)} agent(s)")
        call = await client.dial(agent_id=new.agent_id, phone="300 123 4567")
        check(bool(call.conn_id), f"dialled: conn_id {call.conn_id}")
        quota = client.quota()
        check(quota.used == 2 and quota.limit == 1000, f"quota {quota.used}/{quota.limit} (the dial is free)")
    return new.agent_id


def main() -> int:
    faulthandler.dump_traceback_later(float(os.environ.get("SMOKE_TIMEOUT", "60")), exit=True)
    try:
        check_installed()
        from wolkvox_async.testing import Emulator, serve_in_thread

        emulator = Emulator({TOKEN: 1})
        with serve_in_thread(emulator) as url:
            print(f"emulator at {url}")
            agent_id = asyncio.run(exercise(url))
        stats = emulator.stats(TOKEN)
        check(stats.quota_used == 2, f"the emulator counted {stats.quota_used} calls against the quota")
        check(len(emulator.dials_for(agent_id)) == 1, "the emulator saw one dial")
    except Exception:
        traceback.print_exc()
        print("smoke: FAILED", file=sys.stderr)
        return 1
    finally:
        faulthandler.cancel_dump_traceback_later()
    print("smoke: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
