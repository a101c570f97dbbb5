"""Report export at 100k, 1M and 3M rows: wolkvox_async against httpx + response.json(), rows/s and peak RSS.

The emulator (``python -m wolkvox_async.testing serve --report-rows-per-day R --seed 1``) runs in
its own process and generates ``cdr_1`` rows as they are sent, R for each day of a window, at most
60,000 an answer. A size of N rows is the range of N / R days from 2024-01-01, read in windows of
W days (R = 2,000 and W = 29 by default: 58,000 rows a window, 97 % of the cap, so that no window
reaches it: the library splits a window that answered exactly the cap, as a cut one, so 60,000 a
day in 1-day windows would fetch every day three times; 1M rows are 500 days, 18 windows: 17 of
58,000 rows and one of 14,000). Every contender reads the same
windows, one contender at a time, in its own Python process, so that its peak RSS is its own
(``VmHWM`` in ``/proc/self/status``; not ``ru_maxrss``, which Linux carries over fork and exec, so
that a child's starts at its parent's RSS):

- ``export``: ``client.reports.export("cdr_1", start, end, "x.jsonl", window=W days)``, the
  library's way: each answer split into records as it streams, spooled, written as JSON lines,
  fsync'd and checkpointed window by window, renamed at the end;
- ``rows()``: ``async for row in client.reports.rows(...)``, counting rows, no file;
- naive: ``httpx.AsyncClient.get`` per window, one after another, ``response.json()["data"]``,
  each row written with ``json.dumps(row, ensure_ascii=False)`` as a line (the same bytes as the
  export: the two files are compared by SHA-256 in every run).

Every run checks that each contender's row count is R × days (and that a file holds that many
lines). Contenders alternate order between runs. The parent also reads, over each contender's
run, the emulator's CPU time (``/proc/<pid>/stat``) and the whole machine's busy time
(``/proc/stat``): the emulator generates rows in Python on one core and can be what bounds every
contender; busy time that is neither the emulator's nor the contender's is another process
(the machine is shared). Finally the export runs once more under cProfile at 1M rows (not
timed), and its top functions are printed, to name the slowest path.

Runs: 3 per contender at 100k and 1M rows, 1 at 3M (about a minute a contender). The figures are
medians of the runs; the ratio export / naive is taken run by run.

Goals (the issue): export rows/s >= the naive way's; the export's peak RSS under 100 MB
(95.4 MiB) and flat as rows grow.

    python benchmarks/reports.py [--sizes 100k,1M,3M] [--runs 3] [--big-runs 1] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import httpx
from _common import machine, median, table

# wolkvox_async is imported where it is used, so that the naive contender's process never loads it
# (its peak RSS would count the library's modules).

SERVER = "0032"
TOKEN = "bench-reports-token"
LICENCES = 1000
REPORT = "cdr_1"
FIRST_DAY = date(2024, 1, 1)
WIRE = "%Y%m%d%H%M%S"
ROW_CAP = 60_000
RSS_GOAL_MB = 100.0
MIB = 1 << 20
FLAT_MIB = 5.0
"""Peak RSS counts as flat when it grows by at most this much from the smallest size to the largest."""
CONTENDERS = ("export", "rows", "naive")
NAMES = {
    "export": "wolkvox_async reports.export(.jsonl)",
    "rows": "wolkvox_async reports.rows() (no file)",
    "naive": "httpx + response.json(), sequential",
}
CLOCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """One contender's run, as its process reported it, and what the parent saw around it."""

    rows: int
    windows: int  # HTTP requests made
    splits: int  # windows cut at the cap and split again (library only)
    seconds: float  # wall clock of the export, in the child
    cpu: float  # the child's CPU over the export
    rss_before: float  # MiB: ru_maxrss after imports, before the export
    peak_rss: float  # MiB: ru_maxrss at the end
    fsync: float  # seconds inside os.fsync (export only)
    wall: float = 0.0  # the child process's whole life, seen by the parent
    emulator_cpu: float = 0.0  # the emulator's CPU seconds over the child's life
    child_cpu: float = 0.0  # the child's CPU seconds over its whole life (imports included)
    others_cpu: float = 0.0  # machine busy time over the child's life, minus emulator and child
    digest: str = ""  # SHA-256 of the rows of the file written ("" for rows())
    lines: int = 0

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


@dataclass
class Size:
    rows_per_day: int
    days: int
    window_days: int
    results: dict[str, list[Run]] = field(default_factory=lambda: {who: [] for who in CONTENDERS})

    @property
    def rows(self) -> int:
        return self.rows_per_day * self.days

    @property
    def windows(self) -> int:
        return math.ceil(self.days / self.window_days)

    @property
    def label(self) -> str:
        return f"{self.rows:,}"


def wire_windows(days: int, window_days: int) -> list[tuple[str, str]]:
    """The windows the library plans for the range (``_windows.plan``): W days each, both ends included."""
    start = datetime.combine(FIRST_DAY, datetime.min.time())
    end = start + timedelta(days=days) - timedelta(seconds=1)
    windows = []
    while start <= end:
        last = min(start + timedelta(days=window_days) - timedelta(seconds=1), end)
        windows.append((start.strftime(WIRE), last.strftime(WIRE)))
        start = last + timedelta(seconds=1)
    return windows


# -- the contenders, each in its own process ------------------------------------------------------


def peak_mib() -> float:
    """This process's peak RSS (``VmHWM``), in MiB.

    Not ``ru_maxrss``: on Linux it carries over fork and exec, so a child's starts at its parent's
    RSS (here the parent's ~50 MiB would hide a smaller client).
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


async def naive(url: str, days: int, window_days: int, out: IO[str]) -> tuple[int, int]:
    rows = 0
    windows = wire_windows(days, window_days)
    headers = {"wolkvox-token": TOKEN, "wolkvox_server": SERVER}
    async with httpx.AsyncClient(timeout=60.0) as http:
        for ini, end in windows:
            response = await http.get(
                f"{url}/api/v2/reports_manager.php",
                params={"api": REPORT, "date_ini": ini, "date_end": end},
                headers=headers,
            )
            if response.status_code == 404:  # wolkvox's "no records" for an empty window
                continue
            response.raise_for_status()
            for row in response.json()["data"]:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                rows += 1
    return rows, len(windows)


async def library(
    url: str, days: int, window_days: int, out: Path | None, counts: dict[str, int]
) -> tuple[int, int]:
    import wolkvox_async as wv

    def on_window(event: wv.WindowEvent) -> None:
        counts[event.phase] = counts.get(event.phase, 0) + 1

    first, last = FIRST_DAY, FIRST_DAY + timedelta(days=days - 1)
    window = timedelta(days=window_days)
    hooks: dict[str, list[Any]] = {"window": [on_window]}
    async with wv.Client(SERVER, TOKEN, base_url=url, licences=LICENCES, event_hooks=hooks) as client:
        if out is not None:
            result = await client.reports.export(REPORT, first, last, out, window=window)
            return result.rows, counts.get("started", 0)
        rows = 0
        async for _ in client.reports.rows(REPORT, first, last, window=window):
            rows += 1
        return rows, counts.get("started", 0)


def child(args: argparse.Namespace) -> None:
    """One contender's run; prints a JSON line: rows, seconds, CPU, RSS before and at peak."""
    who: str = args.child
    out = Path(args.out) if args.out else None
    fsynced = [0.0]
    if who == "export":
        real_fsync = os.fsync

        def timed_fsync(fd: Any) -> None:
            started = time.perf_counter()
            real_fsync(fd)
            fsynced[0] += time.perf_counter() - started

        os.fsync = timed_fsync  # the export's fsyncs (partial file, checkpoint), timed
    if who != "naive":
        import wolkvox_async  # noqa: F401 (loaded before the RSS baseline and the clock, as httpx is)
    counts: dict[str, int] = {}
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    rss_before = peak_mib()
    cpu, started = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    if who == "naive":
        assert out is not None
        with out.open("w", encoding="utf-8") as file:
            rows, windows = asyncio.run(naive(args.url, args.days, args.window_days, file))
    else:
        rows, windows = asyncio.run(
            library(args.url, args.days, args.window_days, out if who == "export" else None, counts)
        )
    if profiler is not None:
        profiler.disable()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None:
        profiler.dump_stats(args.profile)
    result = Run(rows, windows, counts.get("split", 0), seconds, cpu, rss_before, peak_mib(), fsynced[0])
    print(json.dumps(vars(result)))


# -- the parent: the emulator, the runs, the accounting -------------------------------------------


@contextmanager
def emulator(rows_per_day: int) -> Iterator[tuple[str, int]]:
    """The emulator in its own process, serving ``rows_per_day`` rows a day; yields its URL and pid."""
    from saturation import announced_url, stop

    command = [sys.executable, "-m", "wolkvox_async.testing", "serve", "--host", "127.0.0.1", "--port", "0"]
    command += ["--token", f"{TOKEN}:{LICENCES}", "--report-rows-per-day", str(rows_per_day), "--seed", "1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        yield announced_url(process), process.pid
    finally:
        stop(process)


def process_cpu(pid: int) -> float:
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK


def machine_busy() -> float:
    """CPU seconds all cores spent busy since boot (user, nice, system, irq, softirq)."""
    with open("/proc/stat", encoding="ascii") as stat:
        user, nice, system, _idle, _iowait, irq, softirq = map(int, stat.readline().split()[1:8])
    return (user + nice + system + irq + softirq) / CLOCK


def processes() -> dict[int, tuple[str, float]]:
    """Every process's name and CPU seconds: its own and its waited-for children's."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8", errors="replace") as stat:
                text = stat.read()
        except OSError:
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text.rpartition(")")[2].split()
        found[int(entry.name)] = (name, sum(int(f) for f in fields[11:15]) / CLOCK)
    return found


def other_processes(before: dict[int, tuple[str, float]], least: float = 1.0) -> list[tuple[str, int, float]]:
    """Processes other than this one that used at least ``least`` s of CPU since ``before`` (alive now)."""
    used = []
    for pid, (name, cpu) in processes().items():
        spent = cpu - before.get(pid, (name, 0.0))[1]
        if pid != os.getpid() and spent >= least:
            used.append((name, pid, spent))
    return sorted(used, key=lambda item: -item[2])


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def file_lines_and_digest(path: Path) -> tuple[int, str]:
    """Lines, and a SHA-256 of the rows they hold (parsed, keys sorted): the export keeps wolkvox's own
    JSON text for each row, the naive way re-encodes it, so the same rows are different bytes."""
    lines, digest = 0, hashlib.sha256()
    with path.open("rb") as file:
        for line in file:
            lines += 1
            digest.update(json.dumps(json.loads(line), sort_keys=True, ensure_ascii=False).encode() + b"\n")
    return lines, digest.hexdigest()


def run_child(
    who: str, url: str, pid: int, size: Size, workdir: Path, timeout: float, profile: Path | None = None
) -> Run:
    out = workdir / f"{who}.jsonl"
    command = [sys.executable, __file__, "--child", who, "--url", url]
    command += ["--days", str(size.days), "--window-days", str(size.window_days)]
    if who != "rows":
        command += ["--out", str(out)]
    if profile is not None:
        command += ["--profile", str(profile)]
    emulator_cpu, busy, own = process_cpu(pid), machine_busy(), children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    wall = time.perf_counter() - started
    emulator_cpu, busy, own = process_cpu(pid) - emulator_cpu, machine_busy() - busy, children_cpu() - own
    if done.returncode != 0:
        raise SystemExit(f"reports: the {who} contender failed ({done.returncode}):\n{done.stderr}")
    run = Run(**json.loads(done.stdout.strip().splitlines()[-1]))
    run.wall, run.emulator_cpu, run.child_cpu = wall, emulator_cpu, own
    run.others_cpu = max(0.0, busy - emulator_cpu - own)
    if run.rows != size.rows:
        raise SystemExit(f"reports: {who} read {run.rows:,} rows; the emulator holds {size.rows:,}")
    if run.splits:
        raise SystemExit(f"reports: {who} split {run.splits} windows; choose windows under the cap")
    if who != "rows":
        run.lines, run.digest = file_lines_and_digest(out)
        out.unlink()
        if run.lines != size.rows:
            raise SystemExit(f"reports: {who} wrote {run.lines:,} lines for {size.rows:,} rows")
    return run


def measure(sizes: list[Size], runs_for: dict[int, int], timeout: float, workdir: Path) -> None:
    rows_per_day = sizes[0].rows_per_day
    with emulator(rows_per_day) as (url, pid):
        for size in sizes:
            for run in range(runs_for[size.rows]):
                order = CONTENDERS[run % 3 :] + CONTENDERS[: run % 3]
                for who in order:
                    print(f"  {size.label} rows, run {run + 1}: {who} ...", file=sys.stderr, flush=True)
                    size.results[who].append(run_child(who, url, pid, size, workdir, timeout))


def profile_export(size: Size, timeout: float, workdir: Path) -> tuple[Run, Path]:
    path = workdir / "export.prof"
    with emulator(size.rows_per_day) as (url, pid):
        print(f"  {size.label} rows: export under cProfile ...", file=sys.stderr, flush=True)
        run = run_child("export", url, pid, size, workdir, timeout, profile=path)
    return run, path


# -- the report -----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def report(sizes: list[Size], window_days: int) -> None:
    rows_per_day = sizes[0].rows_per_day
    per_window = rows_per_day * window_days
    print(
        f"reports: {REPORT} from the emulator in its own process, {rows_per_day:,} rows a day, windows of "
        f"{window_days} days ({per_window:,} rows, {per_window / ROW_CAP:.0%} of the {ROW_CAP:,} cap); "
        f"each contender in its own process, alternating order; {machine()}"
    )
    header = [
        "rows",
        "windows",
        "contender",
        "runs",
        "seconds, median",
        "rows/s, median",
        "peak RSS MiB, median",
        "RSS after imports MiB",
        "client CPU µs / row",
        "client CPU / wall",
        "emulator CPU / wall",
        "others' CPU / wall",
        "fsync s",
    ]
    lines: list[list[object]] = []
    for size in sizes:
        for who in CONTENDERS:
            results = size.results[who]
            lines.append(
                [
                    size.label,
                    size.windows,
                    NAMES[who],
                    len(results),
                    median([r.seconds for r in results]),
                    f"{median([r.rate for r in results]):,.0f}",
                    f"{median([r.peak_rss for r in results]):.1f}",
                    f"{median([r.rss_before for r in results]):.1f}",
                    f"{median([r.cpu / r.rows for r in results]) * 1e6:.2f}",
                    f"{median([r.child_cpu / r.wall for r in results]):.2f}",
                    f"{median([r.emulator_cpu / r.wall for r in results]):.2f}",
                    f"{median([r.others_cpu / r.wall for r in results]):.2f}",
                    f"{median([r.fsync for r in results]):.2f}" if who == "export" else "",
                ]
            )
    print(table(header, lines))
    print(
        "(client CPU µs / row: over the timed part alone; CPU / wall: over each child's whole life, start-up "
        "included; others' CPU: the machine's busy "
        "time that was neither the emulator's nor the child's, i.e. other processes on this shared machine)"
    )
    for size in sizes:
        export_rates = [r.rate for r in size.results["export"]]
        naive_rates = [r.rate for r in size.results["naive"]]
        rows_rates = [r.rate for r in size.results["rows"]]
        ratios = [e / n for e, n in zip(export_rates, naive_rates, strict=True)]
        iter_ratios = [e / n for e, n in zip(rows_rates, naive_rates, strict=True)]
        same = all(
            e.digest == n.digest for e, n in zip(size.results["export"], size.results["naive"], strict=True)
        )
        print(
            f"{size.label} rows: export / naive rows/s: median {median(ratios):.3f} "
            f"(runs: {', '.join(f'{r:.3f}' for r in ratios)}); {verdict(median(ratios) >= 1.0)} the goal >= 1; "
            f"rows() / naive: {median(iter_ratios):.3f}; export and naive files hold the same rows: "
            f"{'yes' if same else 'NO'}"
        )
    mb = [(s, median([r.peak_rss for r in s.results["export"]]) * MIB / 1e6) for s in sizes]
    worst = max(value for _, value in mb)
    print(
        f"export peak RSS: {', '.join(f'{s.label} rows {v:.1f} MB' for s, v in mb)}; "
        f"{verdict(worst < RSS_GOAL_MB)} the goal < {RSS_GOAL_MB:g} MB"
    )
    for who in CONTENDERS:
        peaks = [median([r.peak_rss for r in s.results[who]]) for s in sizes]
        growth = peaks[-1] - peaks[0]
        print(
            f"{NAMES[who]}: peak RSS from {sizes[0].label} to {sizes[-1].label} rows: "
            f"{peaks[0]:.1f} -> {peaks[-1]:.1f} MiB ({growth:+.1f} MiB)"
            + (
                f"; {verdict(growth <= FLAT_MIB)} the goal flat (<= {FLAT_MIB:g} MiB)"
                if who == "export"
                else ""
            )
        )
    for size in sizes:
        runs = [r for who in CONTENDERS for r in size.results[who]]
        per_million = median([r.emulator_cpu / r.rows for r in runs]) * 1e6
        print(
            f"{size.label} rows: the emulator spent {per_million:.2f} s of CPU per million rows served "
            f"(at most {1e6 / per_million:,.0f} rows/s from its one core); "
            + "; ".join(f"{who}: {bound(size.results[who])}" for who in CONTENDERS)
        )


def bound(runs: list[Run]) -> str:
    client = median([r.child_cpu / r.wall for r in runs])
    served = median([r.emulator_cpu / r.wall for r in runs])
    if served >= 0.9:
        return f"emulator-bound (emulator CPU / wall {served:.2f})"
    if client >= 0.9:
        return f"client-bound (client CPU / wall {client:.2f}, emulator {served:.2f})"
    return f"neither saturated (client {client:.2f}, emulator {served:.2f}: they take turns)"


SPLITTER = "stream splitter (_stream.RecordStream), its raw_decode of each record included"
DECODE_AGAIN = "JSON decoding again: json.loads of each spooled line (Spool.rows)"


def area(file: str, name: str) -> str | None:
    """Which part of the path a profiled function belongs to; None for a builtin that goes with its caller."""
    path = file.replace("\\", "/")
    if path.endswith("wolkvox_async/_stream.py"):
        return SPLITTER
    if path.endswith("json/decoder.py") and name == "raw_decode":
        return None  # called by the splitter and by json.loads: goes with its callers
    if path.endswith("json/decoder.py") or (path.endswith("json/__init__.py") and name == "loads"):
        return DECODE_AGAIN
    if path.endswith(("json/encoder.py", "json/__init__.py")):
        return "JSON encoding (json.dumps: the C encoder)"
    if path.endswith(("wolkvox_async/_reports.py", "tempfile.py")):
        return "spool (_reports.Spool, SpooledTemporaryFile)"
    if path.endswith("wolkvox_async/_export.py"):
        return "export writer (_export._Writer, checkpoint)"
    if any(part in path for part in ("/httpx/", "/httpcore/", "/h11/")) or path.endswith(
        "wolkvox_async/_body.py"
    ):
        return "HTTP (httpx, httpcore, h11, body reader)"
    waiting = ("'poll'", "'select'", "'acquire'", "recv", "'send", "'sendall'")
    if any(part in path for part in ("/asyncio/", "/anyio/", "selectors.py", "threading.py")) or (
        file == "~" and any(word in name for word in waiting)
    ):
        return "event loop, sockets, threads (asyncio, anyio)"
    if file == "~" and "of '_io." in name:
        return "file I/O (export file, spool temporary files)"
    if file == "~":
        return None
    if "/wolkvox_async/" in path:
        return "wolkvox_async, other"
    return "other"


Stats = dict[tuple[str, int, str], tuple[int, int, float, float, dict[tuple[str, int, str], Any]]]


def by_area(raw: Stats) -> dict[str, float]:
    """Own time by area; a generic builtin's (len, isinstance, str.replace...) goes to its callers' areas."""
    areas: dict[str, float] = {}
    for (file, _line, name), (_cc, _nc, own, _cum, callers) in raw.items():
        key = area(file, name)
        if key is not None:
            areas[key] = areas.get(key, 0.0) + own
            continue
        shares = {caller: float(numbers[2]) for caller, numbers in callers.items()}
        spent = sum(shares.values())
        for caller, share in shares.items():
            where = area(caller[0], caller[2]) or "other"
            areas[where] = areas.get(where, 0.0) + own * share / spent
        if not spent:
            areas["other"] = areas.get("other", 0.0) + own
    return areas


def shown(file: str, line: int, name: str) -> str:
    if file == "~":
        return name
    for marker in ("/wolkvox_async/", "/site-packages/", "/lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
            if marker == "/wolkvox_async/":
                file = "wolkvox_async/" + file
            elif marker == "/lib/python3":
                file = file.split("/", 1)[1]
            break
    return f"{file}:{line}({name})"


def report_profile(run: Run, path: Path, size: Size, top: int) -> None:
    import pstats

    stats = pstats.Stats(str(path))
    raw: Stats = vars(stats)["stats"]
    total: float = vars(stats)["total_tt"]
    print(
        f"\nprofile: reports.export at {size.label} rows under cProfile, once (not timed: cProfile "
        f"slows Python code, not C, so shares are indicative): {run.seconds:.1f} s, {run.rate:,.0f} rows/s; "
        f"{total:.1f} s of profiled own time in the main thread; os.fsync {run.fsync:.2f} s (worker thread)"
    )
    ranked = sorted(by_area(raw).items(), key=lambda item: -item[1])
    print(table(["own time by area", "seconds", "share"], [[a, s, f"{s / total:.1%}"] for a, s in ranked]))
    by_own = sorted(raw.items(), key=lambda item: -item[1][2])[:top]
    print(
        table(
            ["function, by own time", "calls", "own s", "cumulative s"],
            [[shown(*key), value[1], value[2], value[3]] for key, value in by_own],
        )
    )
    ours = [
        item
        for item in raw.items()
        if "/wolkvox_async/" in item[0][0] and item[0][2] not in ("<module>", "<lambda>")
    ]
    by_cum = sorted(ours, key=lambda item: -item[1][3])[:top]
    print(
        table(
            ["wolkvox_async function, by cumulative time", "calls", "own s", "cumulative s"],
            [[shown(*key), value[1], value[2], value[3]] for key, value in by_cum],
        )
    )


# -- the command line -----------------------------------------------------------------------------


def count(text: str) -> int:
    """``100k``, ``1M``, ``3_000_000``."""
    text = text.strip().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="rows to export, comma-separated (100k,1M,3M; --quick: 100k,300k)")
    parser.add_argument("--runs", type=int, help="runs per contender for sizes up to 1M (3; --quick: 1)")
    parser.add_argument("--big-runs", type=int, default=1, help="runs per contender above 1M rows (1)")
    parser.add_argument("--rows-per-day", type=int, default=2_000, help="rows the emulator makes a day")
    parser.add_argument("--window-days", type=int, default=29, help="days a window (29: 58,000 rows)")
    parser.add_argument("--profile-size", help="rows of the profiled export (1M; --quick: 300k; 0: none)")
    parser.add_argument("--top", type=int, default=15, help="functions shown from the profile")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 100k and 300k rows, 1 run")
    parser.add_argument("--timeout", type=float, help="seconds one contender may take (60 + rows / 5,000)")
    parser.add_argument("--child", choices=CONTENDERS, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--days", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--profile", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    sizes_text = args.sizes or ("100k,300k" if args.quick else "100k,1M,3M")
    runs = args.runs or (1 if args.quick else 3)
    rows_per_day, window_days = args.rows_per_day, args.window_days
    if rows_per_day * window_days >= ROW_CAP:
        parser.error(f"rows a day × window days must stay under the cap ({ROW_CAP:,}), or windows split")
    wanted = sorted({count(text) for text in sizes_text.split(",")})
    sizes = [Size(rows_per_day, math.ceil(n / rows_per_day), window_days) for n in wanted]
    runs_for = {s.rows: runs if s.rows <= 1_000_000 else args.big_runs for s in sizes}
    profile_text = args.profile_size or ("300k" if args.quick else "1M")
    profile_rows = count(profile_text)
    workdir = Path(tempfile.mkdtemp(prefix="wolkvox-bench-reports-"))
    started, before = time.perf_counter(), processes()
    try:
        measure(sizes, runs_for, args.timeout or 60 + sizes[-1].rows / 5_000, workdir)
        profiled = None
        if profile_rows:
            size = Size(rows_per_day, math.ceil(profile_rows / rows_per_day), window_days)
            profiled = (*profile_export(size, args.timeout or 60 + size.rows / 2_000, workdir), size)
        report(sizes, window_days)
        if profiled is not None:
            run, path, size = profiled
            report_profile(run, path, size, args.top)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    others = other_processes(before)
    print(
        f"\nwhole benchmark: {time.perf_counter() - started:.0f} s; other processes that used >= 1 s of CPU "
        "meanwhile (their own and their waited-for children's; still running at the end): "
        + ("; ".join(f"{name} (pid {pid}) {cpu:.1f} s" for name, pid, cpu in others) or "none")
    )


if __name__ == "__main__":
    main()
