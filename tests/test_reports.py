"""Reports at any size, against the emulator over HTTP: windows, the row cap, empty windows, faults,
memory, priorities, quota, and resumable exports (a process killed mid-export included)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import pytest

import wolkvox_async as wv
from wolkvox_async.testing import Emulator, Fault, serve_in_thread

pytestmark = pytest.mark.timeout(120)

REPORT = "reports.cdr_1"
Q1 = (date(2026, 1, 1), date(2026, 4, 5))
"""95 days: 4 windows of at most 31 days."""


class Served:
    def __init__(self, emulator: Emulator, url: str) -> None:
        self.emulator, self.url = emulator, url

    def client(self, token: str, **options: Any) -> wv.Client:
        return wv.Client("0032", token, base_url=self.url, max_retries=3, **options)

    def calls(self, token: str) -> int:
        return self.emulator.stats(token).calls.get(REPORT, 0)


@pytest.fixture
def served(token: str) -> Iterator[Served]:
    emulator = Emulator({token: 50}, report_rows_per_day=10, seed=3)
    with serve_in_thread(emulator) as url:
        yield Served(emulator, url)


async def collect(client: wv.Client, *args: Any, **options: Any) -> list[dict[str, Any]]:
    return [dict(row) async for row in client.reports.rows("cdr_1", *args, **options)]


@pytest.mark.asyncio
async def test_95_days_are_4_windows_and_no_row_is_lost_or_repeated(served: Served, token: str) -> None:
    events: list[wv.WindowEvent] = []
    async with served.client(token, event_hooks={"window": [events.append]}) as client:
        rows = await collect(client, *Q1)
        by_day = await collect(client, *Q1, window=timedelta(days=1))
    assert len(rows) == 95 * 10 and rows == by_day, "the same rows, in the same order, whatever the windows"
    done = [(e.start, e.end) for e in events if e.phase == "done"][:4]
    assert done == [
        ("20260101000000", "20260131235959"),
        ("20260201000000", "20260303235959"),
        ("20260304000000", "20260403235959"),
        ("20260404000000", "20260405235959"),
    ]
    assert {e.windows for e in events if e.phase == "done"} >= {4}


@pytest.mark.asyncio
async def test_a_row_on_a_boundary_second_comes_once(served: Served, token: str) -> None:
    served.emulator.report_rows_per_day = 86_400  # one row every second
    async with served.client(token) as client:
        start, end = datetime(2026, 1, 1, 0, 0, 0), datetime(2026, 1, 1, 0, 0, 59)
        rows = await collect(client, start, end, window=timedelta(seconds=10))
    assert len(rows) == 60
    assert len({row["conn_id"] for row in rows}) == 60


@pytest.mark.asyncio
async def test_a_window_answering_the_cap_is_split_until_nothing_is_cut(served: Served, token: str) -> None:
    served.emulator.report_rows_per_day, served.emulator.report_row_cap = 50, 100
    events: list[wv.WindowEvent] = []
    async with served.client(token, event_hooks={"window": [events.append]}) as client:
        rows = await collect(client, date(2026, 1, 1), date(2026, 1, 31), row_cap=100)
    assert len(rows) == 31 * 50, "the emulator's count for the range"
    assert any(e.phase == "split" for e in events)
    assert all(e.rows < 100 for e in events if e.phase == "done")


@pytest.mark.asyncio
async def test_one_second_holding_the_cap_is_a_typed_error_not_a_silent_loss(
    served: Served, token: str
) -> None:
    served.emulator.report_rows_per_day, served.emulator.report_row_cap = 86_400, 1
    async with served.client(token) as client:
        with pytest.raises(wv.TooManyRowsError, match="holds 1 rows or more") as caught:
            await collect(client, datetime(2026, 1, 1), datetime(2026, 1, 1, 0, 0, 1), row_cap=1)
    assert "2026-01-01" in caught.value.window


@pytest.mark.asyncio
async def test_empty_windows_and_a_404_mid_range_are_empty(served: Served, token: str) -> None:
    served.emulator.report_empty_days = [date(2026, 2, 1) + timedelta(days=n) for n in range(31)]
    async with served.client(token) as client:
        rows = await collect(client, *Q1)
        assert len(rows) == (95 - 31) * 10
        served.emulator.report_rows_per_day = 0
        assert await collect(client, *Q1) == []


@pytest.mark.asyncio
async def test_a_500_on_one_window_is_retried(
    served: Served, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wolkvox_async._retry import RetryPolicy

    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, retry, rand=None: 0.01)
    served.emulator.queue_faults(Fault.SERVER_ERROR, Fault.TRUNCATED, operations=[REPORT])
    async with served.client(token) as client:
        rows = await collect(client, *Q1)
    assert len(rows) == 950 and served.calls(token) == 4 + 2


@pytest.mark.asyncio
async def test_errors_come_out_as_themselves(served: Served, token: str) -> None:
    async with wv.Client("0032", "not-a-token", base_url=served.url) as client:
        with pytest.raises(wv.AuthenticationError):
            await collect(client, *Q1)
    async with served.client(token) as client:
        with pytest.raises(wv.InvalidArgumentError, match="not a report"):
            [r async for r in client.reports.rows("nothing", *Q1)]
        with pytest.raises(wv.InvalidArgumentError, match="takes no"):
            [r async for r in client.reports.rows("cdr_1", *Q1, skill_id=1)]
        with pytest.raises(wv.InvalidArgumentError, match="ends"):
            [r async for r in client.reports.rows("cdr_1", Q1[1], Q1[0])]


@pytest.mark.asyncio
async def test_a_range_the_quota_cannot_cover_is_refused_before_the_first_call(
    served: Served, token: str
) -> None:
    async with served.client(token, daily_quota=3) as client:
        with pytest.raises(wv.InsufficientQuotaError) as caught:
            await collect(client, *Q1)
    assert (caught.value.needed, caught.value.remaining) == (4, 3)
    assert served.calls(token) == 0


@pytest.mark.asyncio
async def test_memory_stays_flat_as_rows_grow(served: Served, token: str) -> None:
    served.emulator.report_rows_per_day = 5_000
    peaks = []
    async with served.client(token) as client:
        for days in (2, 10):
            tracemalloc.start()
            count = 0
            async for _ in client.reports.rows("cdr_1", date(2026, 1, 1), date(2026, 1, days)):
                count += 1
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            assert count == 5_000 * days
    assert peaks[1] < 1.5 * peaks[0] + 4_000_000, f"peaks {peaks}: it grew with the rows"
    assert peaks[1] < 48 * 1024 * 1024


@pytest.mark.asyncio
async def test_an_interactive_dial_during_an_export_waits_at_most_one_service_time(
    served: Served, token: str
) -> None:
    service = 0.05
    served.emulator.latency = service
    agent = served.emulator.add_agent("1020", "Ana", "ana").agent_id
    waits: list[float] = []

    def slot_wait(event: Any) -> None:
        if isinstance(event, wv.SlotWaitEvent) and event.operation == "dial":
            waits.append(event.waited)

    async with (
        served.client(token, event_hooks={"slot_wait": [slot_wait]}) as client,
        anyio.create_task_group() as group,
    ):
        group.start_soon(
            lambda: collect(client, date(2026, 1, 1), date(2026, 1, 20), window=timedelta(days=1))
        )
        for _ in range(5):
            await anyio.sleep(0.13)
            await client.dial(agent, "3001234567")
    assert len(waits) == 5 and max(waits) < service * 1.6, waits


def test_reports_run_on_trio(served: Served, token: str) -> None:
    async def main() -> int:
        async with served.client(token) as client:
            return len(await collect(client, *Q1))

    assert anyio.run(main, backend="trio") == 950


# -- exports ---------------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
async def test_an_interrupted_export_resumes_to_the_same_file(
    served: Served, token: str, tmp_path: Path, suffix: str
) -> None:
    whole, resumed = tmp_path / f"whole{suffix}", tmp_path / f"resumed{suffix}"
    done = anyio.Event()

    def on_window(event: wv.WindowEvent) -> None:
        if event.phase == "done":
            done.set()

    async with served.client(token) as client:
        first = await client.reports.export("cdr_1", *Q1, whole)
    assert (first.rows, first.windows, first.resumed) == (950, 4, False)
    async with served.client(token, event_hooks={"window": [on_window]}) as client:
        with anyio.move_on_after(30) as scope:
            async with anyio.create_task_group() as group:
                group.start_soon(lambda: client.reports.export("cdr_1", *Q1, resumed, ahead=1))
                await done.wait()
                await anyio.sleep(0.02)
                group.cancel_scope.cancel()
        assert not scope.cancelled_caught
        assert not resumed.exists() and Path(f"{resumed}.partial").exists()
        again = await client.reports.export("cdr_1", *Q1, resumed)
    assert again.resumed and again.rows == 950 and again.windows < 4
    assert resumed.read_bytes() == whole.read_bytes()
    assert not Path(f"{resumed}.partial").exists() and not Path(f"{resumed}.checkpoint").exists()


@pytest.mark.asyncio
async def test_a_checkpoint_of_another_export_is_refused(served: Served, token: str, tmp_path: Path) -> None:
    out = tmp_path / "calls.csv"
    Path(f"{out}.partial").write_text("x")
    Path(f"{out}.checkpoint").write_text('{"export": {"report": "reports.cdr_2"}, "offset": 1}\n')
    async with served.client(token) as client:
        with pytest.raises(wv.InvalidArgumentError, match="another export"):
            await client.reports.export("cdr_1", *Q1, out)


def test_the_cli_exports_resumes_after_kill_9_and_lists_reports(
    served: Served, token: str, tmp_path: Path
) -> None:
    served.emulator.report_rows_per_day = 2_000
    served.emulator.latency = 0.05
    base = [sys.executable, "-m", "wolkvox_async.cli", "--server", "0032", "--token", token]
    base += [
        "--base-url",
        served.url,
        "reports",
        "export",
        "cdr_1",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
    ]
    env = {**os.environ, "COLUMNS": "200"}
    whole, killed = tmp_path / "whole.csv", tmp_path / "killed.csv"
    run = subprocess.run([*base, "-o", str(whole)], capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "180,000 rows" in run.stdout and token not in run.stdout + run.stderr
    process = subprocess.Popen(
        [*base, "-o", str(killed)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    checkpoint = Path(f"{killed}.checkpoint")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (
        not checkpoint.exists() or len(checkpoint.read_text().splitlines()) < 2
    ):
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    assert not killed.exists()
    again = subprocess.run([*base, "-o", str(killed)], capture_output=True, text=True, env=env, timeout=60)
    assert again.returncode == 0 and "(resumed)" in again.stdout, again.stderr
    assert killed.read_bytes() == whole.read_bytes()
    listing = subprocess.run(
        [*base[:3], "reports", "list"], capture_output=True, text=True, env=env, timeout=60
    )
    assert listing.returncode == 0 and "cdr_1" in listing.stdout and "skill_id" in listing.stdout
    bad = subprocess.run(
        [*base[:-4], "--from", "yesterday", "--to", "2026-01-02", "-o", str(tmp_path / "x.csv")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert bad.returncode == 2 and "--from must be" in bad.stderr


@pytest.mark.asyncio
async def test_the_readme_s_year_of_calls_runs_as_written(served: Served, token: str) -> None:
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = re.search(
        r"```python\n(from datetime import date\n\nimport wolkvox_async as wv\n\n\nasync def calls.*?)```",
        readme,
        re.S,
    )
    assert block is not None
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), "README.md", "exec"), namespace)
    async with served.client(token) as client:
        assert await namespace["calls_of_the_year"](client) == 365 * 10
