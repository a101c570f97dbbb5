"""Several processes through one token with RedisBackend, vs one process; and what a slot costs in Redis.

(1) Throughput. The emulator (``python -m wolkvox_async.testing serve``) runs in its own process
and answers every request after a fixed service time L (10 ms); redis-server runs in another
(``wolkvox_async.testing.RedisServer``). One token allows 2 requests in flight, so N calls
cannot take less than ceil(N/2)·L. Each contender runs in worker processes of this script (the
hidden ``worker`` sub-command; its job, token included, comes on its stdin, never on a command
line). Every worker warms up with 2 calls (its connections open; with Redis, the fence of a new
token state passes), says it is ready, and waits for a common start instant that the parent
sends once all are ready; then it starts its share of the N calls at once (``asyncio.gather``)
and reports when the last one returned. elapsed = the last worker's finish - the common start
(CLOCK_MONOTONIC, one clock for every process on the host); the figure is ceil(N/2)·L / elapsed.
The call is ``list_agents`` (idempotent, costs quota; ``agents_cache_ttl=0`` so that each is a
request). Contenders:

(a) P processes (4), each its own ``wv.Client`` on the token with ``backend=RedisBackend(url)``
    (default lease and heartbeat): the slots, lanes and quota are shared through Redis;
(b) 1 process, the same Client with the default in-memory backend;
(c) 1 process, raw ``httpx.AsyncClient`` + ``asyncio.Semaphore(2)`` + ``json.loads`` sending the
    same GET.

Each run and contender gets a fresh token (and (a) a fresh Redis ``prefix``), so neither quota
nor scheduler state carries over; contenders alternate order between runs. Concurrency
rejections (403) are counted as the re-queues the Client reports to a ``retry`` event hook
(plus any ``ConcurrencyLimitError``), and as 403 answers for raw httpx. After each Redis run the
parent reads the day's count back from Redis (``Client.fetch_quota``): it must equal the calls
made (N + 2 warm-up calls per process), and no lease may be left.

(2) Acquire + release, uncontended, in one process: K pairs ``slot = await s.acquire(BULK)``;
``s.release(slot)`` (awaited when it returns an awaitable) for a ``RedisScheduler`` (acquire and
release are one Lua script each, so at least 2 round trips) and for the in-memory
``TokenScheduler``; and a plain redis-py ``PING`` per op as the floor of one round trip.

Goals (the issue): (a) >= 0.90 of ceil(N/2)·L at L = 10 ms with 4 processes; no concurrency
rejection; the quota count exact. On loopback at L = 10 ms even raw httpx in one process reaches
only about 0.7-0.8 of ceil(N/2)·L (BENCHMARKS.md: Python at both ends costs a few ms per round
trip), so the ratios (a)/(b) and (a)/(c), measured in the same run, say what Redis costs. On a
2-core machine the P workers, the emulator and redis-server share the 2 cores.

    python benchmarks/redis_backend.py [--calls 2000] [--processes 4] [--latency 10ms] [--pairs 5000]
        [--heartbeat 1.0] [--runs 5] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import select
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
import redis.asyncio
from _common import machine, median, table
from saturation import LICENCES, create_agent, duration, emulator, stop

import wolkvox_async as wv
from wolkvox_async._backend import Scheduler
from wolkvox_async._memory import MemoryBackend
from wolkvox_async._scheduler import token_key
from wolkvox_async.redis import RedisBackend
from wolkvox_async.testing import RedisServer

GOAL = 0.90  # of ceil(N/2)·L, for (a)
WARMUP_CALLS = 2  # per process: opens its two connections
START_DELAY = 0.25  # seconds between the parent's start signal and the common start instant
READY_TIMEOUT = 60.0  # seconds for a worker to start, import and warm up (plus 10 heartbeats)
CHECK_TIMEOUT = 30.0  # seconds for reading the quota back from Redis
WARM_PAIRS = 100  # untimed pairs first: the fence of a new state, the scripts loaded, connections made
PAIRS_HEARTBEAT = 0.05  # the cost runs' heartbeat: the fence of a new state is 3 heartbeats
STOP_TIMEOUT = 10.0

REDIS, MEMORY, RAW = "redis", "memory", "raw"
NAMES = {
    REDIS: "(a) wolkvox_async + RedisBackend",
    MEMORY: "(b) wolkvox_async, in-memory backend",
    RAW: "(c) raw httpx + Semaphore(2) + json.loads",
}
COST_NAMES = {
    "memory": "TokenScheduler (in memory): acquire + release",
    "redis": "RedisScheduler: acquire + release",
    "ping": "redis-py PING: one round trip",
}


def clock() -> float:
    """CLOCK_MONOTONIC: on one host, the same clock in every process."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


class Lines:
    """Lines from a pipe, each awaited at most a bounded time (``os.read``: no hidden buffer)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""

    def readline(self, timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                raise TimeoutError(f"redis_backend: no {what} within {timeout:g} s")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise EOFError(f"redis_backend: the pipe closed before {what}")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode()


# -- a worker process: one contender's share of the calls -----------------------------------------


@dataclass
class Job:
    """What the parent tells a worker on its stdin (the token never goes on a command line)."""

    contender: str
    url: str
    token: str
    calls: int
    bound: float  # seconds the timed calls may take
    redis_url: str | None = None
    prefix: str | None = None
    heartbeat: float = 1.0


Call = Callable[[], Awaitable[None]]


@contextlib.asynccontextmanager
async def contender(job: Job) -> AsyncIterator[tuple[Call, Callable[[], int]]]:
    """One call of the contender, and how many concurrency rejections it has seen so far."""
    rejections = 0
    if job.contender == RAW:
        semaphore = asyncio.Semaphore(2)
        endpoint = f"{job.url}/api/v2/information.php"
        params = {"api": "agents"}
        headers = {"wolkvox-token": job.token, "wolkvox_server": "0032"}
        async with httpx.AsyncClient() as http:

            async def raw() -> None:
                nonlocal rejections
                async with semaphore:
                    response = await http.get(endpoint, params=params, headers=headers)
                body = json.loads(response.content)
                if response.status_code == 403:
                    rejections += 1
                else:
                    assert response.status_code == 200, response.content
                    assert body["data"], response.content

            yield raw, lambda: rejections
        return

    def on_retry(event: object) -> None:
        nonlocal rejections
        if isinstance(event, wv.RetryEvent) and event.verdict == "requeue":
            rejections += 1  # a 403 for concurrency, sent again at the head of its lane

    backend = None
    if job.contender == REDIS:
        assert job.redis_url is not None
        assert job.prefix is not None
        backend = RedisBackend(job.redis_url, prefix=job.prefix, heartbeat=job.heartbeat)
    try:
        async with wv.Client(
            "0032",
            job.token,
            base_url=job.url,
            licences=LICENCES,
            agents_cache_ttl=0,  # each list_agents is a request (the cache would make them one)
            event_hooks={"retry": [on_retry]},
            backend=backend,
        ) as client:

            async def ours() -> None:
                nonlocal rejections
                try:
                    agents = await client.list_agents()
                except wv.ConcurrencyLimitError:
                    rejections += 1  # the last of its re-queues
                else:
                    assert agents

            yield ours, lambda: rejections
    finally:
        if backend is not None:
            await backend.aclose()


def say(message: dict[str, Any]) -> None:
    print(json.dumps(message), flush=True)


async def work(job: Job, commands: Lines) -> dict[str, Any]:
    async with contender(job) as (one, rejected):
        await asyncio.gather(*(one() for _ in range(WARMUP_CALLS)))
        warm = rejected()
        say({"ready": True})
        signal_within = READY_TIMEOUT + 10 * job.heartbeat + STOP_TIMEOUT  # the parent waits less
        start = float(json.loads(commands.readline(signal_within, "start signal"))["start"])
        try:
            async with asyncio.timeout(max(0.0, start - clock()) + job.bound):
                await asyncio.sleep(max(0.0, start - clock()))
                began, cpu = clock(), time.process_time()
                await asyncio.gather(*(one() for _ in range(job.calls)))
                finish, cpu = clock(), time.process_time() - cpu
        except TimeoutError:
            raise SystemExit(
                f"redis_backend: a worker's {job.calls} calls took more than {job.bound:g} s; giving up"
            ) from None
        return {"began": began, "finish": finish, "cpu": cpu, "rejections": rejected() - warm}


def worker() -> None:
    commands = Lines(sys.stdin.fileno())
    try:
        job = Job(**json.loads(commands.readline(READY_TIMEOUT, "job")))
        say(asyncio.run(work(job, commands)))
    except (EOFError, TimeoutError) as exc:  # the parent went away, or gave up: one line, not a traceback
        raise SystemExit(f"{exc} (a worker)") from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None


# -- the parent: one run of a contender over its worker processes ---------------------------------


@dataclass
class Run:
    elapsed: float  # seconds, the common start to the last worker's finish
    cpu: float  # seconds of CPU of every worker over the timed calls
    rejections: int
    spread: float  # seconds between the first and the last worker's finish
    lag: float  # seconds from the common start to the latest worker's first call
    quota: int | None = None  # (a): the day's count Redis holds after the run
    expected: int | None = None  # (a): the calls made, warm-up included
    leases: int | None = None  # (a): leases Redis still holds after the run


def start_worker() -> subprocess.Popen[str]:
    command = [sys.executable, os.path.abspath(__file__), "worker"]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def tell(process: subprocess.Popen[str], message: dict[str, Any]) -> None:
    assert process.stdin is not None
    process.stdin.write(json.dumps(message) + "\n")
    process.stdin.flush()


def shares(calls: int, processes: int) -> list[int]:
    return [calls // processes + (1 if i < calls % processes else 0) for i in range(processes)]


def one_run(jobs: list[Job], heartbeat: float) -> Run:
    """Start a worker per job, wait until all are warm, start them together, collect their finish."""
    processes: list[subprocess.Popen[str]] = []
    try:
        for job in jobs:
            process = start_worker()
            processes.append(process)
            tell(process, asdict(job))
        readers = []
        for process in processes:
            assert process.stdout is not None
            readers.append(Lines(process.stdout.fileno()))
        ready_by = time.monotonic() + READY_TIMEOUT + 10 * heartbeat
        for reader in readers:
            json.loads(reader.readline(max(0.0, ready_by - time.monotonic()), "ready line from a worker"))
        start = clock() + START_DELAY
        for process in processes:
            tell(process, {"start": start})
        done_by = time.monotonic() + START_DELAY + jobs[0].bound + STOP_TIMEOUT
        results = [
            json.loads(reader.readline(max(0.0, done_by - time.monotonic()), "result from a worker"))
            for reader in readers
        ]
        for process in processes:
            if process.wait(STOP_TIMEOUT) != 0:
                raise SystemExit(f"redis_backend: a worker exited with {process.returncode}")
    finally:
        for process in processes:
            if process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            stop(process)
    finishes = [float(r["finish"]) for r in results]
    return Run(
        elapsed=max(finishes) - start,
        cpu=sum(float(r["cpu"]) for r in results),
        rejections=sum(int(r["rejections"]) for r in results),
        spread=max(finishes) - min(finishes),
        lag=max(float(r["began"]) for r in results) - start,
    )


async def read_back(redis_url: str, prefix: str, url: str, token: str) -> tuple[int, int]:
    """The day's count and the leases Redis holds for the token, as a new process would see them."""
    backend = RedisBackend(redis_url, prefix=prefix)
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            async with wv.Client("0032", token, base_url=url, licences=LICENCES, backend=backend) as client:
                used = (await client.fetch_quota()).used
            leases = await backend.scheduler(token_key(token), 2).slots_in_use()
    finally:
        await backend.aclose()
    return used, leases


@dataclass
class Throughput:
    latency: float
    calls: int
    processes: int
    results: dict[str, list[Run]] = field(default_factory=lambda: {REDIS: [], MEMORY: [], RAW: []})

    @property
    def limit(self) -> float:
        """ceil(N/2)·L: the shortest time N calls can take at 2 in flight."""
        return math.ceil(self.calls / 2) * self.latency

    def efficiencies(self, who: str) -> list[float]:
        return [self.limit / run.elapsed for run in self.results[who]]

    def ratios(self, who: str, than: str) -> list[float]:
        return [a / b for a, b in zip(self.efficiencies(who), self.efficiencies(than), strict=True)]


def measure_throughput(case: Throughput, runs: int, redis_url: str, heartbeat: float, bound: float) -> None:
    tokens = {(run, who): f"bench-{who}-{run}-{uuid.uuid4().hex}" for run in range(runs) for who in NAMES}
    setup = f"bench-setup-{uuid.uuid4().hex}"
    with emulator(case.latency, [setup, *tokens.values()]) as url:
        asyncio.run(create_agent(url, setup))  # list_agents then has a row to read
        for run in range(runs):
            order = list(NAMES) if run % 2 == 0 else list(reversed(NAMES))
            for who in order:
                token = tokens[run, who]
                if who == REDIS:
                    prefix = f"bench-{run}-{uuid.uuid4().hex[:12]}"
                    jobs = [
                        Job(REDIS, url, token, n, bound, redis_url, prefix, heartbeat)
                        for n in shares(case.calls, case.processes)
                    ]
                    result = one_run(jobs, heartbeat)
                    result.quota, result.leases = asyncio.run(read_back(redis_url, prefix, url, token))
                    result.expected = case.calls + WARMUP_CALLS * case.processes
                else:
                    result = one_run([Job(who, url, token, case.calls, bound)], heartbeat)
                case.results[who].append(result)


# -- acquire + release, uncontended, in one process -----------------------------------------------


async def pairs(scheduler: Scheduler, count: int) -> float:
    """Seconds per uncontended acquire + release."""

    async def pair() -> None:
        slot = await scheduler.acquire(wv.Priority.BULK)
        releasing = scheduler.release(slot)
        if releasing is not None:
            await releasing

    for _ in range(WARM_PAIRS):
        await pair()
    start = time.perf_counter()
    for _ in range(count):
        await pair()
    return (time.perf_counter() - start) / count


async def memory_pairs(redis_url: str, count: int) -> float:
    scheduler = MemoryBackend().scheduler(token_key(f"bench-pairs-{uuid.uuid4().hex}"), 2)
    return await pairs(scheduler, count)


async def redis_pairs(redis_url: str, count: int) -> float:
    backend = RedisBackend(
        redis_url, prefix=f"bench-pairs-{uuid.uuid4().hex[:12]}", heartbeat=PAIRS_HEARTBEAT
    )
    try:
        return await pairs(backend.scheduler(token_key(f"bench-pairs-{uuid.uuid4().hex}"), 2), count)
    finally:
        await backend.aclose()


async def pings(redis_url: str, count: int) -> float:
    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        for _ in range(WARM_PAIRS):
            await client.ping()
        start = time.perf_counter()
        for _ in range(count):
            await client.ping()
        return (time.perf_counter() - start) / count
    finally:
        await client.aclose()


COST = {"memory": memory_pairs, "redis": redis_pairs, "ping": pings}


def measure_cost(redis_url: str, count: int, runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {who: [] for who in COST}
    bound = 60 + 0.01 * count

    async def run(order: list[str]) -> None:
        try:
            async with asyncio.timeout(bound):
                for who in order:
                    results[who].append(await COST[who](redis_url, count))
        except TimeoutError:
            raise SystemExit(f"redis_backend: {count} pairs of each took more than {bound:g} s") from None

    for number in range(runs):
        asyncio.run(run(list(COST) if number % 2 == 0 else list(reversed(COST))))
    return results


# -- the report -----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def listed(values: list[float]) -> str:
    return ", ".join(f"{v:.3f}" for v in values)


def report_throughput(case: Throughput, runs: int, heartbeat: float) -> None:
    print(
        f"redis_backend: one token, 2 in flight, L = {case.latency * 1e3:g} ms, N = {case.calls} list_agents "
        f"calls; (a) over {case.processes} processes (RedisBackend, heartbeat {heartbeat:g} s); {runs} runs; "
        f"{machine()}"
    )
    rows: list[list[object]] = []
    for who, name in NAMES.items():
        results = case.results[who]
        eff = case.efficiencies(who)
        rows.append(
            [
                name,
                case.processes if who == REDIS else 1,
                median([r.elapsed for r in results]),
                median(eff),
                min(eff),
                max(eff),
                median([r.cpu / case.calls for r in results]) * 1e3,
                sum(r.rejections for r in results),
            ]
        )
    header = ["contender", "processes", "elapsed, median (s)", "ceil(N/2)·L / elapsed, median", "min", "max"]
    print(table([*header, "client CPU per call, all processes (ms)", "403 rejections (all runs)"], rows))
    ours, memory, raw = (median(case.efficiencies(who)) for who in (REDIS, MEMORY, RAW))
    print(
        f"(a) {case.processes} processes through Redis reach {ours:.3f} of ceil(N/2)·L (runs: "
        f"{listed(case.efficiencies(REDIS))}); {verdict(ours >= GOAL)} the goal >= {GOAL:.2f}, which one "
        f"process {'also misses' if max(memory, raw) < GOAL else 'meets'} (in memory {memory:.3f}, raw httpx "
        f"{raw:.3f}: the few ms per round trip of Python at both ends of loopback, BENCHMARKS.md)"
    )
    for than in (MEMORY, RAW):
        ratios = case.ratios(REDIS, than)
        print(f"(a) / {NAMES[than]}: median {median(ratios):.3f} (runs: {listed(ratios)})")
    lag = median([r.lag for r in case.results[REDIS]])
    spread = median([r.spread for r in case.results[REDIS]])
    print(
        f"(a): the last worker began {lag * 1e3:.1f} ms after the common start, and the workers' finishes "
        f"lay within {spread * 1e3:.0f} ms of each other (medians over runs; a lane is first come first "
        "served, and each process queues its share in a burst)"
    )
    checks = [(r.quota, r.expected, r.leases) for r in case.results[REDIS]]
    exact = all(quota == expected and leases == 0 for quota, expected, leases in checks)
    print(
        "(a): the day's count in Redis after each run (used / calls made, N + "
        f"{WARMUP_CALLS} warm-up calls per process; leases left): "
        f"{', '.join(f'{q} / {e}; {n}' for q, e, n in checks)}; {verdict(exact)} the expectation "
        "used = calls made, 0 leases"
    )
    rejected = {who: sum(r.rejections for r in case.results[who]) for who in NAMES}
    print(
        f"concurrency rejections (403) seen by the clients, all runs: (a) {rejected[REDIS]}, "
        f"(b) {rejected[MEMORY]}, (c) {rejected[RAW]}; {verdict(rejected[REDIS] == 0)} the goal 0 for (a) "
        "(the CLI emulator does not expose max_in_flight; 0 rejections means it never exceeded 2)"
    )


def report_cost(results: dict[str, list[float]], count: int, runs: int) -> None:
    print(f"acquire + release, uncontended, one process, {count} pairs (PINGs) per run; {runs} runs")
    memory = median(results["memory"])
    rows: list[list[object]] = []
    for who, name in COST_NAMES.items():
        micros = [s * 1e6 for s in results[who]]
        rows.append([name, median(micros), min(micros), max(micros), median(results[who]) / memory])
    print(table(["operation", "µs per op, median", "min", "max", "/ memory pair"], rows))
    ratios = [r / m for r, m in zip(results["redis"], results["memory"], strict=True)]
    trips = [r / p for r, p in zip(results["redis"], results["ping"], strict=True)]
    print(f"RedisScheduler / TokenScheduler, per pair: median {median(ratios):.1f}× (runs: {listed(ratios)})")
    print(
        f"a Redis pair costs {median(trips):.2f} PINGs (runs: {listed(trips)}): acquire and release are one "
        "Lua script each (EVALSHA), so 2 round trips plus the scripts' work"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=duration, default=0.010, help="service time L (10ms)")
    parser.add_argument("--calls", type=int, help="N, calls per run (2000; --quick: 200)")
    parser.add_argument("--processes", type=int, default=4, help="worker processes of (a) (4)")
    parser.add_argument("--heartbeat", type=float, default=1.0, help="RedisBackend heartbeat in (a), s (1.0)")
    parser.add_argument("--pairs", type=int, help="K, acquire + release pairs per run (5000; --quick: 500)")
    parser.add_argument("--runs", type=int, help="runs per contender (5; --quick: 1)")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: N = 200, K = 500, 1 run")
    parser.add_argument(
        "--timeout", type=float, help="seconds one run's calls may take (60 + 10 × ceil(N/2)·L)"
    )
    args = parser.parse_args()
    calls = args.calls or (200 if args.quick else 2000)
    count = args.pairs or (500 if args.quick else 5000)
    runs = args.runs or (1 if args.quick else 5)
    if args.processes < 1 or calls < args.processes:
        parser.error("--processes must be >= 1 and at most --calls")

    def terminated(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # so that the finally blocks stop every child

    signal.signal(signal.SIGTERM, terminated)
    case = Throughput(args.latency, calls, args.processes)
    bound = args.timeout if args.timeout is not None else 60 + 10 * case.limit
    try:
        server = RedisServer()
    except FileNotFoundError as exc:
        raise SystemExit(f"redis_backend: {exc}") from None
    with server:
        measure_throughput(case, runs, server.url, args.heartbeat, bound)
        cost = measure_cost(server.url, count, runs)
    report_throughput(case, runs, args.heartbeat)
    report_cost(cost, count, runs)


if __name__ == "__main__":
    if sys.argv[1:] == ["worker"]:
        worker()
    else:
        main()
