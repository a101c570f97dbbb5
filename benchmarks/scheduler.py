"""The token scheduler on its own: an uncontended slot's cost, and how waiting scales with W waiters.

(a) Uncontended: one coroutine takes and gives back a slot N times in a tight loop (no other
task, so no call ever waits): ``TokenScheduler("k", MemoryBackend(), 2)`` as the Transport
uses it (``try_acquire()``, ``await acquire(BULK)`` only when that fails, then ``release()``) against ``asyncio.Semaphore(2)``, ``aiolimiter.AsyncLimiter`` (a rate so
high it never waits) and ``anyio.CapacityLimiter(2)``, each with ``async with``; reported in
ns per acquire+release pair, and as a ratio to ``asyncio.Semaphore``. Goal: <= 2x.

(b) Scale: W waiters spread round-robin over 1,000 tokens (a ``TokenScheduler`` per token,
limit 2, sharing one ``MemoryBackend``); each token's 2 slots are taken first, so every
waiter really queues. Time per operation is the wall clock from creating the W tasks until
all of them have acquired and released (enqueue, grant, release), divided by W; the same is
measured with an ``asyncio.Semaphore(2)`` per token. Memory per waiter is measured with
``tracemalloc``: the memory of W tasks parked in the scheduler, minus that of W tasks parked
on a plain ``asyncio.Event`` (one per token: the task, its coroutine and a future, the
baseline "task itself"), divided by W; asyncio's registry of all tasks is left out of both.
Bytes are not noisy, so memory takes 2 runs (``--memory-runs``), timings 5. Goal: <= 1 KB per
waiter beyond the task itself, for W = 1,000, 10,000 and 100,000 (a row each shows how both
figures grow).

    python benchmarks/scheduler.py [--pairs 200000] [--waiters 1000,10000,100000] [--runs 5]
                                   [--memory-runs 2] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import fnmatch
import gc
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiolimiter
import anyio
from _common import machine, median, table

from wolkvox_async import Priority
from wolkvox_async._memory import MemoryBackend
from wolkvox_async._scheduler import TokenScheduler

BULK = Priority.BULK
TOKENS = 1000
UNCONTENDED_GOAL = 2.0
MEMORY_GOAL = 1024  # bytes per waiter beyond the task itself
RUN_TIMEOUT = 300.0
# -- (a) uncontended: acquire + release in a tight loop -------------------------------------------


async def pairs_wolkvox(n: int) -> float:
    scheduler = TokenScheduler("k", MemoryBackend(), 2)
    start = time.perf_counter()
    for _ in range(n):
        if not scheduler.try_acquire():
            await scheduler.acquire(BULK)
        scheduler.release()
    return time.perf_counter() - start


async def pairs_semaphore(n: int) -> float:
    semaphore = asyncio.Semaphore(2)
    start = time.perf_counter()
    for _ in range(n):
        async with semaphore:
            pass
    return time.perf_counter() - start


async def pairs_aiolimiter(n: int) -> float:
    limiter = aiolimiter.AsyncLimiter(max_rate=1e12, time_period=1)  # a bucket that never fills
    start = time.perf_counter()
    for _ in range(n):
        async with limiter:
            pass
    return time.perf_counter() - start


async def pairs_anyio(n: int) -> float:
    limiter = anyio.CapacityLimiter(2)
    start = time.perf_counter()
    for _ in range(n):
        async with limiter:
            pass
    return time.perf_counter() - start


async def pairs_empty(n: int) -> float:
    """The loop alone, for reference: what every contender's figure includes."""
    start = time.perf_counter()
    for _ in range(n):
        pass
    return time.perf_counter() - start


PAIRS: dict[str, Callable[[int], Awaitable[float]]] = {
    "wolkvox_async TokenScheduler": pairs_wolkvox,
    "asyncio.Semaphore(2)": pairs_semaphore,
    "aiolimiter.AsyncLimiter (never waits)": pairs_aiolimiter,
    "anyio.CapacityLimiter(2)": pairs_anyio,
}
OURS, BASELINE = "wolkvox_async TokenScheduler", "asyncio.Semaphore(2)"


def one_pairs_run(bench: Callable[[int], Awaitable[float]], n: int) -> float:
    """Nanoseconds per pair, after a warm-up of n/20 pairs in the same loop."""

    async def run() -> float:
        await bench(max(1, n // 20))
        return await bench(n)

    gc.collect()
    return asyncio.run(run()) / n * 1e9


def uncontended(n: int, runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {name: [] for name in PAIRS}
    results["(empty loop, for reference)"] = []
    names = list(PAIRS)
    for run in range(runs):
        order = names if run % 2 == 0 else list(reversed(names))
        for name in order:
            results[name].append(one_pairs_run(PAIRS[name], n))
        results["(empty loop, for reference)"].append(one_pairs_run(pairs_empty, n))
    return results


# -- (b) scale: W waiters over 1,000 tokens -------------------------------------------------------


@dataclass
class Scale:
    waiters: int
    time: dict[str, list[float]] = field(default_factory=lambda: {"ours": [], "semaphore": []})
    memory: dict[str, list[float]] = field(default_factory=lambda: {"ours": [], "semaphore": [], "event": []})


class Contender:
    """Slots per token, taken by a holder first; waiters that queue for one and give it back."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.schedulers: list[TokenScheduler] = []
        self.semaphores: list[asyncio.Semaphore] = []
        self.events: list[asyncio.Event] = []

    async def hold(self) -> None:
        if self.kind == "ours":
            backend = MemoryBackend()
            self.schedulers = [TokenScheduler(f"k{i}", backend, 2) for i in range(TOKENS)]
            for scheduler in self.schedulers:
                await scheduler.acquire(BULK)
                await scheduler.acquire(BULK)
        elif self.kind == "semaphore":
            self.semaphores = [asyncio.Semaphore(2) for _ in range(TOKENS)]
            for semaphore in self.semaphores:
                await semaphore.acquire()
                await semaphore.acquire()
        else:
            self.events = [asyncio.Event() for _ in range(TOKENS)]

    def start(self, waiters: int) -> list[asyncio.Task[None]]:
        if self.kind == "ours":
            return [asyncio.create_task(self._ours(self.schedulers[i % TOKENS])) for i in range(waiters)]
        if self.kind == "semaphore":
            return [asyncio.create_task(self._semaphore(self.semaphores[i % TOKENS])) for i in range(waiters)]
        return [asyncio.create_task(self._event(self.events[i % TOKENS])) for i in range(waiters)]

    @staticmethod
    async def _ours(scheduler: TokenScheduler) -> None:
        if not scheduler.try_acquire():
            await scheduler.acquire(BULK)
        scheduler.release()

    @staticmethod
    async def _semaphore(semaphore: asyncio.Semaphore) -> None:
        async with semaphore:
            pass

    @staticmethod
    async def _event(event: asyncio.Event) -> None:
        await event.wait()

    def waiting(self) -> int:
        if self.kind == "ours":
            return sum(scheduler.waiting() for scheduler in self.schedulers)
        if self.kind == "semaphore":
            return sum(len(semaphore._waiters or ()) for semaphore in self.semaphores)
        return sum(len(event._waiters) for event in self.events)

    def let_go(self) -> None:
        """The holders give their 2 slots back (the Event's waiters are simply woken)."""
        for scheduler in self.schedulers:
            scheduler.release()
            scheduler.release()
        for semaphore in self.semaphores:
            semaphore.release()
            semaphore.release()
        for event in self.events:
            event.set()

    def check_idle(self) -> None:
        assert all(s.in_flight == 0 and s.waiting() == 0 for s in self.schedulers)
        assert all(not s.locked() for s in self.semaphores)


async def time_per_operation(kind: str, waiters: int) -> float:
    """Seconds per waiter, from creating the waiters until every one has acquired and released."""
    contender = Contender(kind)
    await contender.hold()
    gc.collect()
    start = time.perf_counter()
    tasks = contender.start(waiters)
    await asyncio.sleep(0)  # every waiter runs up to its queue
    contender.let_go()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    contender.check_idle()
    return elapsed / waiters


REGISTRY = "*/_weakrefset.py"
"""Left out of every memory figure: asyncio's set of all tasks, which holds a weakref per task (the
same for every kind of waiter) in a table that grows in steps depending on what it held before
(up to ~80 B per task at W = 100,000, in either direction)."""


async def memory_of_waiters(kind: str, waiters: int) -> float:
    """Bytes (tracemalloc) that ``waiters`` parked tasks hold, per task; the slots are set up first."""
    contender = Contender(kind)
    await contender.hold()
    gc.collect()
    tracemalloc.start()
    try:
        tasks = contender.start(waiters)
        await asyncio.sleep(0)  # every waiter parked
        gc.collect()
        snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    assert contender.waiting() == waiters, (kind, contender.waiting(), waiters)
    contender.let_go()
    await asyncio.gather(*tasks)
    contender.check_idle()
    stats = snapshot.statistics("filename")
    return sum(s.size for s in stats if not fnmatch.fnmatch(s.traceback[0].filename, REGISTRY)) / waiters


def bounded(coro: Awaitable[float]) -> float:
    async def run() -> float:
        async with asyncio.timeout(RUN_TIMEOUT):
            return await coro

    return asyncio.run(run())


def scale(sizes: list[int], runs: int, memory_runs: int) -> list[Scale]:
    cases = [Scale(w) for w in sizes]
    for case in cases:
        for run in range(max(runs, memory_runs)):
            timed = ["ours", "semaphore"] if run % 2 == 0 else ["semaphore", "ours"]
            for kind in timed if run < runs else ():
                case.time[kind].append(bounded(time_per_operation(kind, case.waiters)))
            if run >= memory_runs:
                continue
            measured = ["ours", "semaphore", "event"] if run % 2 == 0 else ["event", "semaphore", "ours"]
            for kind in measured:
                case.memory[kind].append(bounded(memory_of_waiters(kind, case.waiters)))
    return cases


# -- the report -----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def runs_of(values: list[float], unit: str = "", digits: int = 3) -> str:
    return ", ".join(f"{v:.{digits}f}{unit}" for v in values)


def report_uncontended(results: dict[str, list[float]], n: int, runs: int) -> None:
    print(f"(a) uncontended acquire+release: {n} pairs in one coroutine, {runs} runs; {machine()}")
    base = median(results[BASELINE])
    rows: list[list[object]] = []
    for name, values in results.items():
        ratio = f"{median(values) / base:.2f}" if name in PAIRS else "-"
        rows.append([name, f"{median(values):.0f}", f"{min(values):.0f}", f"{max(values):.0f}", ratio])
    print(table(["primitive", "ns per pair, median", "min", "max", "/ asyncio.Semaphore"], rows))
    ratios = [o / b for o, b in zip(results[OURS], results[BASELINE], strict=True)]
    empty = median(results["(empty loop, for reference)"])
    net = (median(results[OURS]) - empty) / (base - empty)
    print(
        f"uncontended ratio TokenScheduler / asyncio.Semaphore: median {median(ratios):.2f} "
        f"(runs: {runs_of(ratios, digits=2)}); {verdict(median(ratios) <= UNCONTENDED_GOAL)} "
        f"the goal <= {UNCONTENDED_GOAL:g} (without the empty loop's {empty:.0f} ns: {net:.2f})"
    )


def report_scale(cases: list[Scale], runs: int, memory_runs: int) -> None:
    print()
    print(
        f"(b) scale: W waiters round-robin over {TOKENS} tokens, 2 slots each held first; "
        f"time per operation = (create W waiters -> all acquired and released) / W, {runs} runs; "
        f"memory by tracemalloc per parked task, {memory_runs} runs"
    )
    rows: list[list[object]] = []
    for case in cases:
        ours_t, sem_t = median(case.time["ours"]), median(case.time["semaphore"])
        ours_m, sem_m, event_m = (median(case.memory[k]) for k in ("ours", "semaphore", "event"))
        rows.append(
            [
                f"{case.waiters:,}",
                f"{ours_t * 1e6:.2f}",
                f"{sem_t * 1e6:.2f}",
                f"{ours_t / sem_t:.2f}",
                f"{event_m:.0f}",
                f"{ours_m:.0f}",
                f"{ours_m - event_m:.0f}",
                f"{sem_m - event_m:.0f}",
            ]
        )
    header = [
        "W",
        "wolkvox µs/op",
        "Semaphore µs/op",
        "ratio",
        "task on Event (B)",
        "task on wolkvox (B)",
        "wolkvox beyond task (B/waiter)",
        "Semaphore beyond task (B/waiter)",
    ]
    print(table(header, rows))
    print(
        "memory per task leaves out asyncio's registry of all tasks (a weakref each, the same for every kind, "
        "in a table that grows in steps); asyncio.Semaphore makes its waiters' deque on the first wait, which "
        "shows at W = 1,000 (one waiter per token); the scheduler's deques exist before its waiters"
    )
    for case in cases:
        beyond = [o - e for o, e in zip(case.memory["ours"], case.memory["event"], strict=True)]
        times = [t * 1e6 for t in case.time["ours"]]
        print(
            f"W = {case.waiters:,}: wolkvox time per operation runs (µs): {runs_of(times, digits=2)}; "
            f"memory beyond the task, runs (B): {runs_of(beyond, digits=0)}"
        )
    worst = max(median(c.memory["ours"]) - median(c.memory["event"]) for c in cases)
    print(
        f"memory per waiter beyond the task itself: at most {worst:.0f} B over W = "
        f"{', '.join(f'{c.waiters:,}' for c in cases)}; {verdict(worst <= MEMORY_GOAL)} the goal <= 1 KB"
    )
    first, last = cases[0], cases[-1]
    if last is not first:
        grow_t = median(last.time["ours"]) / median(first.time["ours"])
        grow_s = median(last.time["semaphore"]) / median(first.time["semaphore"])
        mem = [median(c.memory["ours"]) - median(c.memory["event"]) for c in (first, last)]
        print(
            f"growth from W = {first.waiters:,} to {last.waiters:,}: time per operation x{grow_t:.2f} "
            f"(asyncio.Semaphore x{grow_s:.2f}), memory per waiter beyond the task {mem[0]:.0f} B -> {mem[1]:.0f} B"
        )


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pairs", type=int, help="acquire+release pairs per run in (a) (200000; --quick: 20000)"
    )
    parser.add_argument(
        "--waiters",
        type=sizes,
        help="W values of (b), comma-separated (1000,10000,100000; --quick: 1000,10000)",
    )
    parser.add_argument("--runs", type=int, help="timed runs per contender (5; --quick: 1)")
    parser.add_argument("--memory-runs", type=int, help="memory runs per W and kind (2; --quick: 1)")
    parser.add_argument(
        "--quick", action="store_true", help="a fast smoke run: 20000 pairs, W up to 10000, 1 run"
    )
    args = parser.parse_args()
    n = args.pairs or (20_000 if args.quick else 200_000)
    waiters = args.waiters or ([1000, 10_000] if args.quick else [1000, 10_000, 100_000])
    runs = args.runs or (1 if args.quick else 5)
    memory_runs = args.memory_runs or (1 if args.quick else 2)

    results = uncontended(n, runs)
    cases = scale(waiters, runs, memory_runs)
    report_uncontended(results, n, runs)
    report_scale(cases, runs, memory_runs)
    print(
        "noise: a shared 2-core machine; figures are medians of the runs above, contenders alternate order "
        "between runs; compare ratios within one run of this script, not absolute figures across runs"
    )


if __name__ == "__main__":
    main()
