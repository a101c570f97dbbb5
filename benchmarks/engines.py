"""The HTTP engines side by side: wolkvox_async on httpx and on aiohttp, raw httpx, raw aiohttp.

Five measurements in one run, each against raw httpx measured in the same run:

1. Client CPU per call: ``time.process_time()`` of this process only, over ``--calls`` dial
   calls, 2 in flight, after 50 warm-up calls, to the emulator serving from its own process on
   127.0.0.1 at L = 0. Contenders: wolkvox_async with its default engine and with
   ``engine="aiohttp"``; raw ``httpx.AsyncClient`` + ``asyncio.Semaphore(2)`` + ``json.loads``
   sending the request of overhead.py; the same over httpx-aiohttp's ``AiohttpTransport``; plain
   ``aiohttp.ClientSession``; for context, wolkvox_async given httpx over httpx-aiohttp
   (``http_client=``) and plain aiohttp with ``trust_env=True``. A fresh token per contender and
   run; the contenders alternate order between runs. The emulator's CPU per call and what other
   processes used are read from /proc: the emulator is another process, so its work is not in the
   client's figure, but a run that others disturbed shows there. Goals: default engine <= 0.85 ×
   raw httpx; aiohttp engine <= 0.5 × raw httpx (moonshot: <= 2 × plain aiohttp).
2. Saturation at L = 10 ms and L = 100 ms, saturation.py's figure: ceil(N/2)·L / elapsed, N calls
   started at once through one token; both engines and raw httpx.
3. Import time, each in fresh interpreters: ``import wolkvox_async`` (which loads the rest
   lazily, PEP 562), ``from wolkvox_async import Client`` (what a first line costs), ``import
   httpx``, ``import aiohttp``; the sum of the code's top-level ``-X importtime`` lines (cumulative),
   and the wall time of ``python -c CODE`` minus that of ``python -c pass``. Goal: <= 1.2 × httpx.
4. ``Client()`` construction in a fresh interpreter, after ``from wolkvox_async import Client``:
   the first (with what it loads lazily), then the median of up to ``--constructions`` more, and
   the memory each holds (tracemalloc: Python objects; RSS: OpenSSL's too), per engine;
   ``httpx.AsyncClient()`` and ``aiohttp.ClientSession()`` for context. Goal: <= 1 ms after the
   first.
5. ``--clients`` Clients made and closed one after another in a fresh interpreter (a web service
   making one per request): each makes one dial to the emulator (L = 0), then ``aclose()``. Time
   and CPU per Client, RSS growth, file descriptors left open; raw httpx doing the same with a fresh
   ``httpx.AsyncClient()`` each time, and plain aiohttp for context.

Until ``Client`` accepts ``engine=``, its aiohttp rows are skipped with a note. ``--profile``
adds one cProfile run of each CPU contender (not timed): own time by package.

    python benchmarks/engines.py [--runs 5] [--calls 1000] [--quick] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from _common import machine, median, table
from jobs import emulator as served  # the emulator in its own process: its URL and pid
from reports import Stats, machine_busy, process_cpu, shown
from saturation import AGENT_PHONE, LICENCES, Case, Run, create_agent, emulator, timed, verdict
from saturation import raw_httpx as saturating_raw_httpx

import wolkvox_async as wv

if TYPE_CHECKING:
    import aiohttp

# aiohttp and httpx_aiohttp are imported where they are used: a child measuring the first
# Client(engine="aiohttp") must not have imported them already.

SERVER = "0032"
QUOTA = LICENCES * 1000
WARM_UP = 50
AIOHTTP: dict[str, Any] = {"engine": "aiohttp"}
MIB = 1 << 20
GOAL_DEFAULT = 0.85  # default engine's CPU per call / raw httpx's
GOAL_AIOHTTP = 0.5  # aiohttp engine's CPU per call / raw httpx's
MOONSHOT = 2.0  # aiohttp engine's CPU per call / plain aiohttp's
GOAL_IMPORT = 1.2  # import wolkvox_async / import httpx
GOAL_CONSTRUCT = 1e-3  # seconds per Client() after the first
GOAL_SATURATION = 0.99  # saturation.py's: wolkvox_async / raw httpx
DISTURBED = 0.25  # others' CPU / wall above which a CPU run is counted as disturbed

Call = Callable[[], Awaitable[None]]


@dataclass
class Target:
    """Where the dial goes; counts the 403s (raw clients) and retries (wolkvox_async) seen."""

    url: str
    token: str
    agent_id: str
    rejections: int = 0

    @property
    def endpoint(self) -> str:
        return f"{self.url}/api/v2/agentbox.php"

    @property
    def params(self) -> dict[str, str]:
        return {"agent_id": self.agent_id, "api": "dial", "customer_phone": AGENT_PHONE}

    @property
    def headers(self) -> dict[str, str]:
        return {"wolkvox-token": self.token, "wolkvox_server": SERVER}

    def check(self, status: int, body: bytes) -> None:
        answer = json.loads(body)
        if status == 403:
            self.rejections += 1
        elif status != 200 or not answer["data"]["conn_id"]:
            raise RuntimeError(f"unexpected answer {status}: {body[:200]!r}")

    def on_retry(self, event: object) -> None:
        self.rejections += 1


# -- the contenders: each an async context manager giving one call --------------------------------

Contender = Callable[[Target], AbstractAsyncContextManager[Call]]


@asynccontextmanager
async def raw_httpx(target: Target) -> AsyncIterator[Call]:
    async with httpx.AsyncClient() as http:
        yield httpx_call(http, target)


@asynccontextmanager
async def httpx_over_aiohttp(target: Target) -> AsyncIterator[Call]:
    from httpx_aiohttp import AiohttpTransport

    async with httpx.AsyncClient(transport=AiohttpTransport()) as http:
        yield httpx_call(http, target)


def httpx_call(http: httpx.AsyncClient, target: Target) -> Call:
    semaphore = asyncio.Semaphore(2)
    endpoint, params, headers = target.endpoint, target.params, target.headers

    async def one() -> None:
        async with semaphore:
            response = await http.post(endpoint, params=params, headers=headers)
        target.check(response.status_code, response.content)

    return one


def plain_aiohttp(*, trust_env: bool = False) -> Contender:
    @asynccontextmanager
    async def contender(target: Target) -> AsyncIterator[Call]:
        import aiohttp

        async with aiohttp.ClientSession(trust_env=trust_env) as session:
            yield aiohttp_call(session, target)

    return contender


def aiohttp_call(session: aiohttp.ClientSession, target: Target) -> Call:
    semaphore = asyncio.Semaphore(2)
    endpoint, params, headers = target.endpoint, target.params, target.headers

    async def one() -> None:
        async with semaphore, session.post(endpoint, params=params, headers=headers) as response:
            status, body = response.status, await response.read()
        target.check(status, body)

    return one


def library(options: dict[str, Any], *, over_httpx_aiohttp: bool = False) -> Contender:
    @asynccontextmanager
    async def contender(target: Target) -> AsyncIterator[Call]:
        http: httpx.AsyncClient | None = None
        if over_httpx_aiohttp:
            from httpx_aiohttp import AiohttpTransport

            http = httpx.AsyncClient(transport=AiohttpTransport())
        try:
            async with wv.Client(
                SERVER,
                target.token,
                base_url=target.url,
                daily_quota=QUOTA,
                event_hooks={"retry": [target.on_retry]},
                http_client=http,
                **options,
            ) as client:

                async def one() -> None:
                    result = await client.dial(target.agent_id, AGENT_PHONE)
                    assert result.conn_id

                yield one
        finally:
            if http is not None:
                await http.aclose()

    return contender


CPU_CONTENDERS: dict[str, Contender] = {
    "ours": library({}),
    "ours-aiohttp": library(AIOHTTP),
    "raw": raw_httpx,
    "httpx-aiohttp": httpx_over_aiohttp,
    "aiohttp": plain_aiohttp(),
    "ours-over": library({}, over_httpx_aiohttp=True),
    "aiohttp-env": plain_aiohttp(trust_env=True),
}
NAMES = {
    "ours": "wolkvox_async, default engine",
    "ours-aiohttp": 'wolkvox_async, engine="aiohttp"',
    "raw": "raw httpx + Semaphore(2) + json.loads",
    "httpx-aiohttp": "httpx over httpx-aiohttp + Semaphore(2)",
    "aiohttp": "plain aiohttp.ClientSession + Semaphore(2)",
    "ours-over": "wolkvox_async, http_client=httpx over httpx-aiohttp",
    "aiohttp-env": "plain aiohttp.ClientSession(trust_env=True) + Semaphore(2)",
    "httpx": "httpx.AsyncClient()",
    "aiohttp-session": "aiohttp.ClientSession()",
    "fresh-raw": "raw httpx, a new httpx.AsyncClient() each",
    "fresh-aiohttp": "plain aiohttp, a new aiohttp.ClientSession() each",
}


def order(keys: list[str], run: int) -> list[str]:
    """The contenders in turn: forward on even runs, backward on odd ones."""
    return keys if run % 2 == 0 else keys[::-1]


def aiohttp_engine_missing() -> str | None:
    """None if ``Client(engine="aiohttp")`` works here; else why not (never the token)."""
    token = f"bench-probe-{uuid.uuid4().hex}"

    async def probe() -> None:
        client = wv.Client(SERVER, token, daily_quota=QUOTA, **AIOHTTP)
        await client.aclose()

    try:
        asyncio.run(probe())
    except (TypeError, ImportError, wv.WolkvoxError) as exc:
        return f"{type(exc).__name__}: {str(exc).replace(token, '<token>')}"
    return None


# -- 1. client CPU per call at L = 0 --------------------------------------------------------------


@dataclass
class CpuRun:
    cpu: float  # this process's CPU per call, s
    wall: float  # wall time per call, s
    server: float  # the emulator's CPU per call, s
    others: float  # other processes' CPU / wall over the run
    rejections: int


async def cpu_run(contender: Contender, target: Target, calls: int, pid: int, bound: float) -> CpuRun:
    try:
        async with asyncio.timeout(bound), contender(target) as one:
            await asyncio.gather(*(one() for _ in range(WARM_UP)))
            warm = target.rejections
            server, busy = process_cpu(pid), machine_busy()
            cpu, start = time.process_time(), time.perf_counter()
            await asyncio.gather(*(one() for _ in range(calls)))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - start
            server, busy = process_cpu(pid) - server, machine_busy() - busy
    except TimeoutError:
        raise SystemExit(f"engines: a run of {calls} calls took more than {bound:g} s; giving up") from None
    others = max(0.0, busy - cpu - server) / wall
    return CpuRun(cpu / calls, wall / calls, server / calls, others, target.rejections - warm)


def measure_cpu(
    url: str, pid: int, agent_id: str, tokens: dict[tuple[str, int], str], keys: list[str], args: Namespace
) -> dict[str, list[CpuRun]]:
    results: dict[str, list[CpuRun]] = {who: [] for who in keys}
    bound = 60 + 0.05 * args.calls
    for run in range(args.runs):
        for who in order(keys, run):
            target = Target(url, tokens["cpu-" + who, run], agent_id)
            results[who].append(asyncio.run(cpu_run(CPU_CONTENDERS[who], target, args.calls, pid, bound)))
    return results


def paired(ours: list[float], theirs: list[float]) -> list[float]:
    return [o / t for o, t in zip(ours, theirs, strict=True)]


def listed(values: list[float]) -> str:
    return ", ".join(f"{v:.3f}" for v in values)


def report_cpu(results: dict[str, list[CpuRun]], calls: int, runs: int, missing: str | None) -> None:
    print(
        f"\n1. client CPU per call: {calls} dial calls per run after {WARM_UP} warm-up calls, 2 in flight, "
        f"emulator in its own process at L = 0 on 127.0.0.1; medians of {runs} runs"
    )
    raw = [r.cpu for r in results["raw"]]
    rows: list[list[object]] = []
    for who, runs_ in results.items():
        cpu = [r.cpu for r in runs_]
        rows.append(
            [
                NAMES[who],
                median(cpu) * 1e3,
                min(cpu) * 1e3,
                max(cpu) * 1e3,
                median(paired(cpu, raw)),
                median([r.wall for r in runs_]) * 1e3,
                median([r.server for r in runs_]) * 1e3,
                median([r.others for r in runs_]),
                sum(r.rejections for r in runs_),
            ]
        )
    if missing:
        rows.insert(1, [NAMES["ours-aiohttp"], "skipped", "", "", "", "", "", "", ""])
    header = ["client", "CPU per call (ms)", "min", "max", "/ raw httpx (paired)", "wall per call (ms)"]
    print(table([*header, "emulator CPU per call (ms)", "others' CPU / wall", "403s or retries"], rows))
    disturbed = sum(r.others > DISTURBED for runs_ in results.values() for r in runs_)
    print(f"runs where other processes used more than {DISTURBED:g} of a core: {disturbed}")
    ours = paired([r.cpu for r in results["ours"]], raw)
    print(
        f"default engine / raw httpx: median {median(ours):.3f} (runs: {listed(ours)}); "
        f"{verdict(median(ours) <= GOAL_DEFAULT)} the goal <= {GOAL_DEFAULT}"
    )
    if missing:
        print(f'engine="aiohttp": skipped, Client(engine="aiohttp") fails here ({missing})')
        return
    engine = paired([r.cpu for r in results["ours-aiohttp"]], raw)
    print(
        f"aiohttp engine / raw httpx: median {median(engine):.3f} (runs: {listed(engine)}); "
        f"{verdict(median(engine) <= GOAL_AIOHTTP)} the goal <= {GOAL_AIOHTTP}"
    )
    moon = paired([r.cpu for r in results["ours-aiohttp"]], [r.cpu for r in results["aiohttp"]])
    print(
        f"aiohttp engine / plain aiohttp: median {median(moon):.3f} (runs: {listed(moon)}); "
        f"{verdict(median(moon) <= MOONSHOT)} the moonshot <= {MOONSHOT:g}"
    )


# -- the profile (--profile): own time by package -------------------------------------------------


PACKAGES = {
    "/wolkvox_async/": "wolkvox_async",
    "/httpx_aiohttp/": "httpx_aiohttp",
    "/httpx/": "httpx",
    "/httpcore/": "httpcore, h11",
    "/h11/": "httpcore, h11",
    "/aiohttp/": "aiohttp, yarl, multidict",
    "/yarl/": "aiohttp, yarl, multidict",
    "/multidict/": "aiohttp, yarl, multidict",
    "/anyio/": "anyio, sniffio",
    "/sniffio/": "anyio, sniffio",
    "/attr/": "attrs, cattrs",
    "/cattrs/": "attrs, cattrs",
    "/asyncio/": "asyncio, sockets",
    "/json/": "json",
}
SOCKET_WORDS = ("'send'", "'recv'", "'recv_into'", "'poll'", "'sendall'", "'select'", "'control'")


def package(file: str, name: str) -> str | None:
    """The package a profiled function belongs to; None for a builtin that goes with its caller."""
    path = file.replace("\\", "/")
    for marker, label in PACKAGES.items():
        if marker in path:
            return label
    if path.endswith(("selectors.py", "socket.py", "ssl.py")) or (
        file == "~" and any(word in name for word in SOCKET_WORDS)
    ):
        return "asyncio, sockets"
    if file == "~":
        return None
    return "other"


def by_package(raw: Stats) -> dict[str, float]:
    """Own time by package; a generic builtin's goes to its callers' packages."""
    areas: dict[str, float] = {}
    for (file, _line, name), (_cc, _nc, own, _cum, callers) in raw.items():
        key = package(file, name)
        if key is not None:
            areas[key] = areas.get(key, 0.0) + own
            continue
        shares = {caller: float(numbers[2]) for caller, numbers in callers.items()}
        spent = sum(shares.values())
        for caller, share in shares.items():
            where = package(caller[0], caller[2]) or "other"
            areas[where] = areas.get(where, 0.0) + own * share / spent
        if not spent:
            areas["other"] = areas.get("other", 0.0) + own
    return areas


async def profiled(contender: Contender, target: Target, calls: int) -> Stats:
    import cProfile
    import pstats

    async with asyncio.timeout(60 + 0.5 * calls), contender(target) as one:
        await asyncio.gather(*(one() for _ in range(WARM_UP)))
        profiler = cProfile.Profile(time.process_time)  # CPU, not the wait for the emulator
        profiler.enable()
        await asyncio.gather(*(one() for _ in range(calls)))
        profiler.disable()
    raw: Stats = vars(pstats.Stats(profiler))["stats"]
    return raw


def report_profile(
    url: str, agent_id: str, tokens: dict[tuple[str, int], str], keys: list[str], calls: int
) -> None:
    profiles = {
        who: asyncio.run(
            profiled(CPU_CONTENDERS[who], Target(url, tokens["profile-" + who, 0], agent_id), calls)
        )
        for who in keys
    }
    shares: dict[str, dict[str, float]] = {}
    for who, raw in profiles.items():
        owned = by_package(raw)
        total = sum(owned.values())
        shares[who] = {area: own / total for area, own in owned.items()}
    areas = sorted(
        {a for s in shares.values() for a in s}, key=lambda a: -max(s.get(a, 0.0) for s in shares.values())
    )
    print(
        f"\nprofile: each CPU contender once under cProfile, {calls} calls (not timed: cProfile slows "
        "Python code, not C, so shares are indicative); own time by package, a builtin's with its caller"
    )
    print(
        table(
            ["package", *(NAMES[w] for w in keys)],
            [[a, *(f"{shares[w].get(a, 0.0):.1%}" for w in keys)] for a in areas],
        )
    )
    for who, raw in profiles.items():
        top = sorted(raw.items(), key=lambda item: -item[1][2])[:8]
        total = sum(v[2] for v in raw.values())
        print(
            f"{NAMES[who]}: most own time in " + "; ".join(f"{shown(*k)} {v[2] / total:.1%}" for k, v in top)
        )


# -- 2. saturation at L = 10 ms and 100 ms --------------------------------------------------------

Saturating = Callable[[str, str, str, int, float], Coroutine[Any, Any, Run]]


def saturating(options: dict[str, Any]) -> Saturating:
    """saturation.py's wolkvox contender, with ``options`` given to the Client."""

    async def bench(url: str, token: str, agent_id: str, calls: int, bound: float) -> Run:
        rejections = 0
        async with wv.Client(SERVER, token, base_url=url, daily_quota=QUOTA, **options) as client:

            async def one() -> None:
                nonlocal rejections
                try:
                    result = await client.dial(agent_id, AGENT_PHONE)
                except wv.ConcurrencyLimitError:
                    rejections += 1
                else:
                    assert result.conn_id

            return await timed(one, calls, bound, lambda: rejections)

    return bench


SATURATING: dict[str, Saturating] = {
    "raw": saturating_raw_httpx,
    "ours": saturating({}),
    "ours-aiohttp": saturating(AIOHTTP),
}


def measure_saturation(case: Case, keys: list[str], runs: int) -> None:
    tokens = {(who, run): f"bench-{who}-{run}-{uuid.uuid4().hex}" for run in range(runs) for who in keys}
    setup = f"bench-setup-{uuid.uuid4().hex}"
    bound = 60 + 10 * case.limit
    with emulator(case.latency, [setup, *tokens.values()]) as url:
        agent_id = asyncio.run(create_agent(url, setup))
        for run in range(runs):
            for who in order(keys, run):
                result = asyncio.run(SATURATING[who](url, tokens[who, run], agent_id, case.calls, bound))
                case.results[who].append(result)


def report_saturation(cases: list[Case], keys: list[str], runs: int, missing: str | None) -> None:
    described = ", ".join(f"L = {c.label}: N = {c.calls}" for c in cases)
    print(
        f"\n2. saturation: one token, 2 in flight, {described}; ceil(N/2)·L / elapsed, medians of {runs} runs"
    )
    rows: list[list[object]] = []
    for case in cases:
        raw = case.efficiencies("raw")
        for who in keys:
            eff = case.efficiencies(who)
            rows.append(
                [
                    case.label,
                    case.calls,
                    NAMES[who],
                    median(eff),
                    min(eff),
                    max(eff),
                    median(paired(eff, raw)),
                    median([r.cpu / case.calls for r in case.results[who]]) * 1e3,
                    sum(r.rejections for r in case.results[who]),
                ]
            )
    header = ["L", "N", "client", "ceil(N/2)·L / elapsed", "min", "max", "/ raw httpx (paired)"]
    print(table([*header, "client CPU per call (ms)", "403s"], rows))
    for case in cases:
        for who in keys[1:]:
            ratios = paired(case.efficiencies(who), case.efficiencies("raw"))
            print(
                f"L = {case.label}, {NAMES[who]} / raw httpx: median {median(ratios):.3f} (runs: {listed(ratios)}); "
                f"{verdict(median(ratios) >= GOAL_SATURATION)} saturation.py's goal >= {GOAL_SATURATION}"
            )
    if missing:
        print('engine="aiohttp": skipped (see 1.)')


# -- 3. import time -------------------------------------------------------------------------------

IMPORTS = ["import wolkvox_async", "from wolkvox_async import Client", "import httpx", "import aiohttp"]
MARK = "-- the code starts here --"


def _import_env() -> dict[str, str]:
    """Bytecode cached as an installed package has it, in a directory of its own (not the checkout)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "wolkvox-bench-pycache")
    return env


IMPORT_ENV = _import_env()


def importtime(code: str) -> float:
    """Seconds of the imports ``code`` makes: the cumulative figures of its top-level ``-X importtime`` lines."""
    marked = f"import sys; sys.stderr.write({MARK!r} + '\\n'); sys.stderr.flush(); {code}"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", marked],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=IMPORT_ENV,
    )
    lines = done.stderr.splitlines()
    total = 0
    for line in lines[lines.index(MARK) + 1 :]:
        parts = line.split("|")  # "import time: self | cumulative | name", nested names indented
        if len(parts) == 3 and line.startswith("import time:") and not parts[2][1:].startswith(" "):
            total += int(parts[1])
    return total / 1e6


def wall(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], timeout=60, check=True, env=IMPORT_ENV)
    return time.perf_counter() - start


def measure_imports(runs: int) -> dict[str, tuple[list[float], list[float]]]:
    for code in IMPORTS:
        importtime(code)  # byte-compiled once, before the clock
    results: dict[str, tuple[list[float], list[float]]] = {code: ([], []) for code in IMPORTS}
    for run in range(runs):
        for code in order(IMPORTS, run):
            cumulative, walls = results[code]
            cumulative.append(importtime(code))
            walls.append(wall(code) - wall("pass"))
    return results


def report_imports(results: dict[str, tuple[list[float], list[float]]], runs: int) -> None:
    print(
        f"\n3. import time, each in a fresh interpreter: -X importtime (the code's top-level imports, "
        f"cumulative) and wall time less python -c pass; medians of {runs} runs"
    )
    httpx_cumulative, httpx_wall = results["import httpx"]
    rows: list[list[object]] = []
    for code, (cumulative, walls) in results.items():
        rows.append(
            [
                code,
                median(cumulative) * 1e3,
                min(cumulative) * 1e3,
                max(cumulative) * 1e3,
                median(paired(cumulative, httpx_cumulative)),
                median(walls) * 1e3,
                median(paired(walls, httpx_wall)),
            ]
        )
    header = ["code", "-X importtime (ms)", "min", "max", "/ httpx (paired)", "wall - python -c pass (ms)"]
    print(table([*header, "/ httpx (paired)"], rows))
    for code in IMPORTS[:2]:
        ratios = paired(results[code][0], httpx_cumulative)
        print(
            f"{code} / import httpx (-X importtime): median {median(ratios):.3f} (runs: {listed(ratios)}); "
            f"{verdict(median(ratios) <= GOAL_IMPORT)} the goal <= {GOAL_IMPORT}"
        )
    probe = "import sys, wolkvox_async; print(' '.join(m for m in ('httpx', 'aiohttp', 'yarl') if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    ).stdout.strip()
    print(
        f"import wolkvox_async loads the rest when first used (PEP 562); of httpx, aiohttp, yarl it loaded: "
        f"{loaded or 'none'}. `from wolkvox_async import Client` is what a user's first line costs."
    )


# -- 4. Client() construction, in a child process -------------------------------------------------

CONSTRUCTED = ["ours", "ours-aiohttp", "httpx", "aiohttp-session"]


def maker(who: str) -> tuple[Callable[[], Any], Callable[[Any], Awaitable[None]]]:
    """How to make one (no I/O) and how to close it."""
    if who in ("ours", "ours-aiohttp"):
        token = f"bench-construct-{uuid.uuid4().hex}"
        options = AIOHTTP if who == "ours-aiohttp" else {}
        client_class = wv.Client  # its module loaded now, before the clock (section 3 times it)

        def make() -> Any:
            return client_class(SERVER, token, daily_quota=QUOTA, **options)

        return make, lambda client: client.aclose()
    if who == "httpx":
        return httpx.AsyncClient, lambda client: client.aclose()
    import aiohttp

    return aiohttp.ClientSession, lambda session: session.close()


def rss() -> float:
    """This process's resident set, in bytes."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def construct(who: str, count: int, budget: float) -> dict[str, Any]:
    make, close = maker(who)
    start = time.perf_counter()
    made = [make()]
    first = time.perf_counter() - start
    gc.collect()
    before, later = rss(), []
    deadline = time.perf_counter() + budget
    for _ in range(count):
        start = time.perf_counter()
        made.append(make())
        later.append(time.perf_counter() - start)
        if start > deadline:
            break
    rss_each = (rss() - before) / len(later)
    for each in made:
        await close(each)
    made.clear()
    gc.collect()
    tracemalloc.start()
    traced = tracemalloc.get_traced_memory()[0]
    deadline = time.perf_counter() + budget
    for _ in range(count):
        made.append(make())
        if time.perf_counter() > deadline:
            break
    gc.collect()
    traced_each = (tracemalloc.get_traced_memory()[0] - traced) / len(made)
    tracemalloc.stop()
    for each in made:
        await close(each)
    return {
        "first": first,
        "later": median(later),
        "made": len(later),
        "traced": traced_each,
        "rss": rss_each,
    }


def run_child(command: list[str], timeout: float, secrets: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *command],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=IMPORT_ENV,
    )
    if done.returncode != 0:
        text = done.stderr[-2000:]
        for secret in secrets:
            text = text.replace(secret, "<token>")
        raise SystemExit(f"engines: a child ({command[0]}) failed (exit {done.returncode}):\n{text}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def measure_construction(keys: list[str], args: Namespace) -> dict[str, list[dict[str, Any]]]:
    results: dict[str, list[dict[str, Any]]] = {who: [] for who in keys}
    command = ["--count", str(args.constructions), "--budget", str(args.budget)]
    for run in range(args.runs):
        for who in order(keys, run):
            results[who].append(run_child(["construct", "--who", who, *command], 60 + 3 * args.budget, []))
    return results


def report_construction(results: dict[str, list[dict[str, Any]]], runs: int, missing: str | None) -> None:
    print(
        f"\n4. Client() construction in a fresh interpreter (no I/O; the first after `from wolkvox_async import "
        f"Client` or import httpx / aiohttp, what it loads lazily included), then up to N more (each pass bounded in time); medians of {runs} runs"
    )
    rows: list[list[object]] = []
    for who, runs_ in results.items():
        rows.append(
            [
                NAMES[who],
                median([r["first"] for r in runs_]) * 1e3,
                median([r["later"] for r in runs_]) * 1e3,
                max(r["later"] for r in runs_) * 1e3,
                min(r["made"] for r in runs_),
                f"{median([r['traced'] for r in runs_]) / 1024:,.1f}",
                f"{median([r['rss'] for r in runs_]) / 1024:,.1f}",
            ]
        )
    if missing:
        rows.insert(1, [NAMES["ours-aiohttp"], "skipped", "", "", "", "", ""])
    header = ["client", "first (ms)", "later, median (ms)", "worst run's median", "N (fewest)"]
    print(table([*header, "KiB each (tracemalloc)", "KiB each (RSS)"], rows))
    for who in ("ours", "ours-aiohttp"):
        if who in results:
            later = median([r["later"] for r in results[who]])
            print(
                f"{NAMES[who]}: {later * 1e3:.3f} ms after the first; {verdict(later <= GOAL_CONSTRUCT)} the goal <= 1 ms"
            )


# -- 5. Clients made and closed, in a child process -----------------------------------------------

FRESH = ["ours", "ours-aiohttp", "raw", "aiohttp"]


async def fresh_call(who: str, target: Target) -> None:
    """Make a client, make one dial, close it."""
    if who in ("ours", "ours-aiohttp"):
        options = AIOHTTP if who == "ours-aiohttp" else {}
        async with wv.Client(
            SERVER,
            target.token,
            base_url=target.url,
            daily_quota=QUOTA,
            event_hooks={"retry": [target.on_retry]},
            **options,
        ) as client:
            result = await client.dial(target.agent_id, AGENT_PHONE)
        assert result.conn_id
    elif who == "raw":
        async with httpx.AsyncClient() as http:
            response = await http.post(target.endpoint, params=target.params, headers=target.headers)
        target.check(response.status_code, response.content)
    else:
        import aiohttp

        async with (
            aiohttp.ClientSession() as session,
            session.post(target.endpoint, params=target.params, headers=target.headers) as answer,
        ):
            status, body = answer.status, await answer.read()
        target.check(status, body)


async def made_and_closed(who: str, target: Target, count: int, bound: float) -> dict[str, Any]:
    await fresh_call(who, target)  # the first: imports, connection set-up code warmed
    gc.collect()
    rss_before, fds_before = rss(), open_fds()
    made = 0
    try:
        async with asyncio.timeout(bound):
            cpu, start = time.process_time(), time.perf_counter()
            for _ in range(count):
                await fresh_call(who, target)
                made += 1
            cpu, elapsed = time.process_time() - cpu, time.perf_counter() - start
    except TimeoutError:
        raise SystemExit(f"engines: {made} of {count} clients in {bound:g} s; giving up") from None
    rss_after, fds_after = rss(), open_fds()
    gc.collect()
    return {
        "elapsed": elapsed,
        "cpu": cpu,
        "rss": rss_after - rss_before,
        "rss_collected": rss() - rss_before,
        "fds": fds_after - fds_before,
        "rejections": target.rejections,
    }


def measure_fresh(
    url: str, agent_id: str, tokens: dict[tuple[str, int], str], keys: list[str], args: Namespace
) -> dict[str, list[dict[str, Any]]]:
    results: dict[str, list[dict[str, Any]]] = {who: [] for who in keys}
    bound = 60 + 0.1 * args.clients
    for run in range(args.runs):
        for who in order(keys, run):
            token = tokens["fresh-" + who, run]
            command = ["clients", "--who", who, "--url", url, "--token", token, "--agent-id", agent_id]
            command += ["--count", str(args.clients), "--bound", str(bound)]
            results[who].append(run_child(command, bound + 60, [token]))
    return results


def report_fresh(
    results: dict[str, list[dict[str, Any]]], count: int, runs: int, missing: str | None
) -> None:
    print(
        f"\n5. {count} clients made and closed one after another in a fresh interpreter, each making one dial "
        f"(emulator at L = 0) and closing; after one made and closed first; medians of {runs} runs"
    )
    raw = [r["elapsed"] for r in results["raw"]]
    rows: list[list[object]] = []
    for who, runs_ in results.items():
        elapsed = [r["elapsed"] for r in runs_]
        rows.append(
            [
                NAMES[{"raw": "fresh-raw", "aiohttp": "fresh-aiohttp"}.get(who, who)],
                median(elapsed),
                median(elapsed) / count * 1e3,
                median(paired(elapsed, raw)),
                median([r["cpu"] for r in runs_]) / count * 1e3,
                median([r["rss"] for r in runs_]) / MIB,
                median([r["rss_collected"] for r in runs_]) / MIB,
                max(r["fds"] for r in runs_),
                sum(r["rejections"] for r in runs_),
            ]
        )
    if missing:
        rows.insert(1, [NAMES["ours-aiohttp"], "skipped", "", "", "", "", "", "", ""])
    header = [
        "client (one per call)",
        "total (s)",
        "per client (ms)",
        "/ raw httpx (paired)",
        "CPU per client (ms)",
    ]
    print(
        table([*header, "RSS growth (MiB)", "after gc.collect()", "fds left (most)", "403s or retries"], rows)
    )


# -- the run --------------------------------------------------------------------------------------


class Namespace(argparse.Namespace):
    runs: int
    calls: int
    quick: bool
    profile: bool
    short_calls: int
    long_calls: int
    clients: int
    constructions: int
    budget: float
    child: str | None
    who: str
    url: str
    token: str
    agent_id: str
    count: int
    bound: float


def child(args: Namespace) -> None:
    if args.child == "construct":
        result = asyncio.run(construct(args.who, args.count, args.budget))
    else:
        target = Target(args.url, args.token, args.agent_id)
        result = asyncio.run(made_and_closed(args.who, target, args.count, args.bound))
    print(json.dumps(result))


def tokens_for(prefixes: list[str], runs: int) -> Iterator[tuple[tuple[str, int], str]]:
    for prefix in prefixes:
        for run in range(runs):
            yield (prefix, run), f"bench-{prefix}-{run}-{uuid.uuid4().hex}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="runs per contender and measurement (5; --quick: 1)")
    parser.add_argument("--calls", type=int, help="dial calls per CPU run (1000; --quick: 200)")
    parser.add_argument("--short-calls", type=int, help="N at L = 10 ms (600; --quick: 100)")
    parser.add_argument("--long-calls", type=int, help="N at L = 100 ms (100; --quick: 20)")
    parser.add_argument("--clients", type=int, help="clients made and closed per run (1000; --quick: 100)")
    parser.add_argument(
        "--constructions", type=int, help="Client() after the first, per pass (200; --quick: 50)"
    )
    parser.add_argument("--budget", type=float, default=2.0, help="seconds a construction pass may take (2)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer calls, 1 run")
    parser.add_argument("--profile", action="store_true", help="one cProfile run of each CPU contender")
    parser.add_argument("--child", choices=["construct", "clients"], help=argparse.SUPPRESS)
    for hidden in ("--who", "--url", "--token", "--agent-id"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bound", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(namespace=Namespace())
    if args.child:
        child(args)
        return
    quick = args.quick
    args.runs = args.runs or (1 if quick else 5)
    args.calls = args.calls or (200 if quick else 1000)
    args.short_calls = args.short_calls or (100 if quick else 600)
    args.long_calls = args.long_calls or (20 if quick else 100)
    args.clients = args.clients or (100 if quick else 1000)
    args.constructions = args.constructions or (50 if quick else 200)

    print(f"engines: {machine()}; httpx {httpx.__version__}, {versions()}")
    print(f"command: python benchmarks/engines.py {' '.join(sys.argv[1:])}".rstrip())
    missing = aiohttp_engine_missing()
    if missing:
        print(f'note: Client(engine="aiohttp") fails here ({missing}): its rows are skipped')

    def keep(keys: list[str]) -> list[str]:
        return [k for k in keys if not (missing and k == "ours-aiohttp")]

    cpu_keys, fresh_keys = keep(list(CPU_CONTENDERS)), keep(FRESH)
    tokens = dict(tokens_for([f"cpu-{k}" for k in cpu_keys] + [f"fresh-{k}" for k in fresh_keys], args.runs))
    if args.profile:
        tokens.update(tokens_for([f"profile-{k}" for k in cpu_keys], 1))
    setup = f"bench-setup-{uuid.uuid4().hex}"
    with served(0.0, [setup, *tokens.values()]) as (url, pid):
        agent_id = asyncio.run(create_agent(url, setup))
        step(f"1. CPU per call, {len(cpu_keys)} clients × {args.runs} runs × {args.calls} calls")
        report_cpu(measure_cpu(url, pid, agent_id, tokens, cpu_keys, args), args.calls, args.runs, missing)
        if args.profile:
            step("profile")
            report_profile(url, agent_id, tokens, cpu_keys, args.calls)

        saturation_keys = keep(["raw", "ours", "ours-aiohttp"])
        cases = [Case(0.010, args.short_calls), Case(0.100, args.long_calls)]
        for case in cases:
            case.results = {who: [] for who in saturation_keys}
            step(f"2. saturation at L = {case.label}, N = {case.calls}, {args.runs} runs")
            measure_saturation(case, saturation_keys, args.runs)
        report_saturation(cases, saturation_keys, args.runs, missing)

        step(f"3. import time, {args.runs} runs")
        report_imports(measure_imports(args.runs), args.runs)
        step(f"4. Client() construction, {args.runs} runs")
        report_construction(measure_construction(keep(CONSTRUCTED), args), args.runs, missing)

        step(f"5. {args.clients} clients made and closed, {len(fresh_keys)} clients × {args.runs} runs")
        report_fresh(measure_fresh(url, agent_id, tokens, fresh_keys, args), args.clients, args.runs, missing)


def versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{name} {version(name)}" for name in ("aiohttp", "httpx-aiohttp", "wolkvox-async"))


def step(message: str) -> None:
    print(f"  ... {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
