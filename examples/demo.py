"""The wolkvox-async demo: the day's job, provisioning 200 agents from a CSV, against the bundled emulator.

It serves the emulator on a free 127.0.0.1 port (10 ms ± 2 ms per call, 2
requests in flight per token, 1 licence = 1,000 calls a day, and 3 % of the
create, enable and report calls failing: 500s, maintenance pages, answers
lost after the agent was created), then runs exactly what a person would type::

    wolkvox --server 0032 --base-url URL agents create --csv examples/agents.csv --journal JOURNAL

in process, through the CLI's own code (progress bar and summary included).
If some rows failed it runs the same command again with the same journal,
which retries only those. It ends with what the emulator saw, and removes
every file it wrote (the journal holds the new agents' passwords).

    pip install '.[testing,cli]' && python examples/demo.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from wolkvox_async import cli
from wolkvox_async.testing import Emulator, Fault, serve_in_thread

TOKEN = "demo-token-0123456789"
SERVER = "0032"
CSV = Path(__file__).resolve().with_name("agents.csv")
PASSES = 3


def run() -> int:
    with tempfile.TemporaryDirectory(prefix="wolkvox-demo-") as folder:
        return provision(Path(folder))


def provision(folder: Path) -> int:
    emulator = Emulator({TOKEN: 1}, latency=0.010, jitter=0.002, seed=2026)
    emulator.set_fault_rate(
        0.03,
        [Fault.SERVER_ERROR, Fault.MAINTENANCE, Fault.DROP_AFTER_ACTION],
        operations=["create_agent", "agents", "enable_agent"],
    )
    journal = folder / "agents-journal.jsonl"
    command = [
        "--server",
        SERVER,
        "--base-url",
        "URL",
        "--licences",
        "1",
        "agents",
        "create",
        "--csv",
        str(CSV),
    ]
    print(f"$ wolkvox {' '.join(command)} --journal {journal}\n")
    os.environ["WOLKVOX_TOKEN"] = TOKEN  # as a user would: the token stays out of argv
    with serve_in_thread(emulator) as url:
        command[command.index("URL")] = url
        for attempt in range(1, PASSES + 1):
            code = cli.main([*command, "--journal", str(journal)])
            if code != cli.EXIT_FAILED or attempt == PASSES:
                break
            print(f"\npass {attempt} left rows undone: the same command again, same journal\n")

    stats = emulator.stats(TOKEN)
    faults = sum(stats.faults.values())
    print(
        f"\nthe emulator saw {sum(stats.calls.values())} requests, at most {stats.max_in_flight} "
        f"in flight, {stats.concurrency_rejections} refused for concurrency, {faults} injected faults, "
        f"{stats.quota_used} counted against the quota; it holds {len(emulator.agents)} agents"
    )
    print(
        f"the passwords were in {journal} (mode {journal.stat().st_mode & 0o777:o}), nowhere else; "
        "the demo removes it with the rest of what it wrote"
    )
    return code


if __name__ == "__main__":
    sys.exit(run())
