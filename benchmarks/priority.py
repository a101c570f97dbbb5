"""One interactive call behind a bulk backlog: how long it waits for a slot, wolkvox_async vs FIFO limiters.

The emulator (``python -m wolkvox_async.testing serve``) runs in another process and answers
every request after a service time L (10 ms). One token, 2 requests in flight. Each run starts
B bulk calls at once (``list_agents``, which costs quota, so every run and contender gets a
fresh token), lets them queue until the first ``--settle`` of them have started their
requests, waits a random fraction of L (so the dial does not always arrive just after a
grant), then issues ONE ``dial``. The figure is the dial's wait: from the moment it is issued
to the start of its HTTP request (an httpx ``request`` event hook, the same for every
contender), in service times S, where S is the measured mean time a slot spends per call
(2 × the mean gap between bulk request starts, past the first settle/2 of them); it is also
given in L. As soon as the dial has returned, the bulk calls still queued or in flight are
cancelled (for wolkvox_async this also checks that cancellation gives every slot back).

Contenders: wolkvox_async (``client.list_agents()``, bulk lane by default, with the agents
cache off so that each is a request; ``client.dial()``,
interactive lane by default); raw ``httpx`` behind a FIFO ``asyncio.Semaphore(2)``; and
``aiometer.run_on_each(..., max_at_once=2)``, the dial appended as one more job to the list it
is consuming (it takes a job only when a slot frees). A FIFO limiter makes the dial wait
behind every queued bulk call, about (queued / 2) service times: ~70 s at B = 10,000 and
L = 10 ms. To keep the whole script near 2.5 minutes, the FIFO contenders are measured in one
run each (``--fifo-runs``) at the same B as wolkvox_async (``--fifo-bulk`` to change it);
their wait is that deterministic. Goal: the dial waits <= 1 service time with wolkvox_async.

    python benchmarks/priority.py [--bulk 10000] [--runs 5] [--fifo-runs 1] [--fifo-bulk B] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiometer
import httpx
from _common import machine, median, table
from saturation import AGENT_PHONE, create_agent, duration, emulator

import wolkvox_async as wv
from wolkvox_async._memory import DEFAULT_BACKEND
from wolkvox_async._scheduler import token_key

GOAL = 1.0  # service times
HTTP_TIMEOUT = 30.0
SETTLE_TIMEOUT = 30.0  # seconds for the first --settle bulk requests to start


@dataclass
class Probe:
    """What one run sees: when each request started, and how many bulk calls finished."""

    bulk: int
    settle: int
    starts: list[float] = field(default_factory=list)  # perf_counter at each bulk request's start
    dial_start: float | None = None
    finished: int = 0  # bulk calls that completed
    settled: asyncio.Event = field(default_factory=asyncio.Event)

    async def on_request(self, request: httpx.Request) -> None:
        now = time.perf_counter()
        if request.url.path.endswith("/agentbox.php"):
            self.dial_start = now
            return
        self.starts.append(now)
        if len(self.starts) >= self.settle:
            self.settled.set()

    def http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(event_hooks={"request": [self.on_request]}, timeout=HTTP_TIMEOUT)


@dataclass
class Run:
    bulk: int
    queued: int  # bulk calls not yet started when the dial was issued
    wait: float  # seconds from issuing the dial to the start of its request
    latency: float  # seconds from issuing the dial to its return
    service: float  # S: measured seconds a slot spends per call
    cancelled: int  # bulk calls cancelled once the dial had returned
    elapsed: float  # seconds, the whole run
    left: tuple[int, int] | None = None  # wolkvox_async: (in flight, waiting) after the cancellation

    @property
    def waits(self) -> float:
        return self.wait / self.service


def service_time(starts: list[float], until: float, skip: int) -> float:
    """2 × the mean gap between bulk request starts (2 slots), from start ``skip`` to ``until``."""
    window = [t for t in starts[skip:] if t <= until]
    if len(window) < 2:
        raise RuntimeError(f"too few bulk requests ({len(window)}) to measure the service time")
    return 2 * (window[-1] - window[0]) / (len(window) - 1)


async def measure(
    probe: Probe,
    dial: Callable[[], Awaitable[None]],
    stop: Callable[[], Awaitable[None]],
    latency: float,
    rng: random.Random,
) -> Run:
    """Once the backlog has settled, issue the dial; then stop the bulk calls left."""
    begun = time.perf_counter()
    try:
        try:
            async with asyncio.timeout(SETTLE_TIMEOUT):
                await probe.settled.wait()
        except TimeoutError:
            raise RuntimeError(
                f"{len(probe.starts)} bulk requests started in {SETTLE_TIMEOUT:g} s, not {probe.settle}"
            ) from None
        await asyncio.sleep(rng.uniform(0, latency))
        queued = probe.bulk - len(probe.starts)
        if queued < probe.bulk // 2:
            raise RuntimeError(f"only {queued} of {probe.bulk} bulk calls still queued: raise --bulk")
        issued = time.perf_counter()
        await dial()
        done = time.perf_counter()
    finally:
        await stop()
    assert probe.dial_start is not None
    return Run(
        bulk=probe.bulk,
        queued=queued,
        wait=probe.dial_start - issued,
        latency=done - issued,
        service=service_time(probe.starts, done, probe.settle // 2),
        cancelled=probe.bulk - probe.finished,
        elapsed=time.perf_counter() - begun,
    )


async def cancel(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    for outcome in await asyncio.gather(*tasks, return_exceptions=True):
        if isinstance(outcome, BaseException) and not isinstance(outcome, asyncio.CancelledError):
            raise outcome


# -- the contenders -------------------------------------------------------------------------------


async def wolkvox(
    url: str, token: str, agent_id: str, probe: Probe, latency: float, rng: random.Random
) -> Run:
    http = probe.http()
    # agents_cache_ttl=0: each bulk call is a request of its own (the cache would make them one)
    async with http, wv.Client("0032", token, base_url=url, http_client=http, agents_cache_ttl=0) as client:
        scheduler = DEFAULT_BACKEND.scheduler(token_key(token), 2)

        async def one() -> None:
            await client.list_agents()  # the bulk lane by default
            probe.finished += 1

        async def dial() -> None:
            result = await client.dial(agent_id, AGENT_PHONE)  # the interactive lane by default
            assert result.conn_id

        tasks = [asyncio.create_task(one()) for _ in range(probe.bulk)]
        run = await measure(probe, dial, lambda: cancel(tasks), latency, rng)
        run.left = (scheduler.in_flight, scheduler.waiting())
    return run


def raw_calls(
    http: httpx.AsyncClient, url: str, token: str, agent_id: str
) -> tuple[Callable[[], Awaitable[None]], Callable[[], Awaitable[None]]]:
    """The same two requests wolkvox_async sends, with raw httpx and json.loads."""
    headers = {"wolkvox-token": token, "wolkvox_server": "0032"}
    dial_params = {"agent_id": agent_id, "api": "dial", "customer_phone": AGENT_PHONE}

    async def bulk() -> None:
        response = await http.get(f"{url}/api/v2/information.php", params={"api": "agents"}, headers=headers)
        assert response.status_code == 200, response.content
        assert json.loads(response.content)["data"], response.content

    async def dial() -> None:
        response = await http.post(f"{url}/api/v2/agentbox.php", params=dial_params, headers=headers)
        assert response.status_code == 200, response.content
        assert json.loads(response.content)["data"]["conn_id"], response.content

    return bulk, dial


async def semaphore(
    url: str, token: str, agent_id: str, probe: Probe, latency: float, rng: random.Random
) -> Run:
    slots = asyncio.Semaphore(2)
    async with probe.http() as http:
        bulk_call, dial_call = raw_calls(http, url, token, agent_id)

        async def one() -> None:
            async with slots:
                await bulk_call()
            probe.finished += 1

        async def dial() -> None:
            async with slots:
                await dial_call()

        tasks = [asyncio.create_task(one()) for _ in range(probe.bulk)]
        return await measure(probe, dial, lambda: cancel(tasks), latency, rng)


async def aiometer_fifo(
    url: str, token: str, agent_id: str, probe: Probe, latency: float, rng: random.Random
) -> Run:
    async with probe.http() as http:
        bulk_call, dial_call = raw_calls(http, url, token, agent_id)
        dialled = asyncio.Event()
        failures: list[BaseException] = []

        async def job(kind: str) -> None:
            try:
                if kind == "bulk":
                    await bulk_call()
                    probe.finished += 1
                else:
                    await dial_call()
                    dialled.set()
            except Exception as exc:  # ends the wait for the dial, which re-raises it
                failures.append(exc)
                dialled.set()

        jobs = ["bulk"] * probe.bulk
        runner = asyncio.create_task(aiometer.run_on_each(job, jobs, max_at_once=2))

        async def dial() -> None:
            jobs.append("dial")  # one more job: aiometer reads the list lazily, a job per free slot
            await dialled.wait()
            if failures:
                raise failures[0]

        async def stop() -> None:
            await cancel([runner])

        return await measure(probe, dial, stop, latency, rng)


Contender = Callable[[str, str, str, Probe, float, random.Random], Awaitable[Run]]
CONTENDERS: dict[str, Contender] = {"ours": wolkvox, "semaphore": semaphore, "aiometer": aiometer_fifo}
NAMES = {
    "ours": "wolkvox_async (bulk lane + interactive dial)",
    "semaphore": "raw httpx + FIFO asyncio.Semaphore(2)",
    "aiometer": "aiometer.run_on_each(max_at_once=2)",
}
FIFO = ("semaphore", "aiometer")


def one_run(
    who: str, url: str, token: str, agent_id: str, bulk: int, settle: int, latency: float, seed: int
) -> Run:
    bound = 30 + 3 * math.ceil(bulk / 2) * latency

    async def run() -> Run:
        probe = Probe(bulk, settle)
        try:
            async with asyncio.timeout(bound):
                return await CONTENDERS[who](url, token, agent_id, probe, latency, random.Random(seed))
        except TimeoutError:
            raise SystemExit(f"priority: a {who} run with B = {bulk} took more than {bound:g} s") from None

    return asyncio.run(run())


# -- the report -----------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def report(results: dict[str, list[Run]], latency: float, settle: int, total: float) -> None:
    ms = latency * 1e3
    print(
        f"priority: one token, 2 in flight, L = {ms:g} ms (emulator in its own process); B bulk calls queued, "
        f"then one dial once {settle} bulk requests had started; {machine()}"
    )
    rows: list[list[object]] = []
    for who, runs in results.items():
        if not runs:
            continue
        waits = [r.waits for r in runs]
        rows.append(
            [
                NAMES[who],
                f"{runs[0].bulk:,}",
                len(runs),
                f"{median([r.queued for r in runs]):,.0f}",
                f"{median([r.wait for r in runs]) * 1e3:.1f}",
                f"{median(waits):.2f}",
                f"{min(waits):.2f}",
                f"{max(waits):.2f}",
                f"{median([r.wait / latency for r in runs]):.2f}",
                f"{median([r.service for r in runs]) * 1e3:.2f}",
                f"{median([r.latency for r in runs]) * 1e3:.1f}",
                f"{median([r.elapsed for r in runs]):.1f}",
            ]
        )
    header = [
        "client",
        "B",
        "runs",
        "bulk queued at the dial",
        "dial wait (ms)",
        "in S, median",
        "min",
        "max",
    ]
    header += ["in L", "S measured (ms)", "dial latency (ms)", "run (s)"]
    print(table(header, rows))
    ours = results["ours"]
    waits = [r.waits for r in ours]
    print(
        f"wolkvox_async: the dial waited a median {median(waits):.2f} service times (runs: "
        f"{', '.join(f'{w:.2f}' for w in waits)}; max {max(waits):.2f}); {verdict(median(waits) <= GOAL)} "
        f"the goal <= {GOAL:g} service time"
    )
    for who in FIFO:
        if not results[who]:
            continue
        theirs = results[who]
        expected = median([r.queued / 2 for r in theirs])
        print(
            f"{NAMES[who]}: the dial waited {median([r.waits for r in theirs]):.0f} service times "
            f"(FIFO: about queued / 2 = {expected:.0f} expected), {median([r.wait for r in theirs]):.1f} s; "
            f"{median([r.waits for r in theirs]) / median(waits):.0f}× wolkvox_async's wait"
        )
    left = [r.left for r in ours]
    cancelled = [r.cancelled for r in ours]
    done = [f"wolkvox_async {len(ours)} run(s) at B = {ours[0].bulk:,}"]
    done += [f"{NAMES[w]} {len(results[w])} run(s) at B = {results[w][0].bulk:,}" for w in FIFO if results[w]]
    print(
        f"what was done: {'; '.join(done)}. Once the dial had returned, the bulk calls left were cancelled: "
        f"wolkvox_async {', '.join(f'{c:,}' for c in cancelled)} per run, its scheduler then at "
        f"(in flight, waiting) = {', '.join(str(x) for x in left)}; "
        f"{verdict(all(x == (0, 0) for x in left))} the expectation (0, 0). Whole script: {total:.0f} s."
    )
    print(
        "noise: a shared 2-core machine (client and emulator each on one core); S is measured in the same run "
        "as the wait, contenders alternate order between runs, and the FIFO figures rest on one run each"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=duration, default=0.010, help="service time L (10ms)")
    parser.add_argument(
        "--bulk", type=int, help="B, bulk calls queued ahead of the dial (10000; --quick: 1000)"
    )
    parser.add_argument("--runs", type=int, help="wolkvox_async runs (5; --quick: 1)")
    parser.add_argument("--fifo-runs", type=int, help="runs of each FIFO contender (1)")
    parser.add_argument("--fifo-bulk", type=int, help="B for the FIFO contenders (--bulk)")
    parser.add_argument("--settle", type=int, help="bulk requests started before the dial (50; --quick: 20)")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: B = 1000, 1 run each")
    args = parser.parse_args()
    bulk = args.bulk or (1000 if args.quick else 10_000)
    runs = args.runs or (1 if args.quick else 5)
    fifo_runs = args.fifo_runs if args.fifo_runs is not None else 1
    fifo_bulk = args.fifo_bulk or bulk
    settle = args.settle or (20 if args.quick else 50)

    started = time.perf_counter()
    plan = {"ours": (runs, bulk), "semaphore": (fifo_runs, fifo_bulk), "aiometer": (fifo_runs, fifo_bulk)}
    tokens = {
        (run, who): f"bench-prio-{who}-{run}-{uuid.uuid4().hex}"
        for who, (count, _) in plan.items()
        for run in range(count)
    }
    setup = f"bench-setup-{uuid.uuid4().hex}"
    results: dict[str, list[Run]] = {who: [] for who in CONTENDERS}
    with emulator(args.latency, [setup, *tokens.values()]) as url:
        agent_id = asyncio.run(create_agent(url, setup))
        for run in range(max(count for count, _ in plan.values())):
            order = list(CONTENDERS) if run % 2 == 0 else list(reversed(CONTENDERS))
            for who in order:
                count, b = plan[who]
                if run < count:
                    seed = run * 10 + list(CONTENDERS).index(who)
                    results[who].append(
                        one_run(who, url, tokens[run, who], agent_id, b, settle, args.latency, seed)
                    )
    report(results, args.latency, settle, time.perf_counter() - started)


if __name__ == "__main__":
    main()
