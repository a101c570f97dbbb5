"""Client CPU per call, wolkvox_async / raw httpx, on one in-process transport.

Both clients send the same dial request through the same ``httpx.MockTransport``
(no sockets, no latency), so the difference is what wolkvox-async adds: argument
checks, the per-token limiter, the quota, decoding into models. The baseline is
raw ``httpx.AsyncClient`` + ``asyncio.Semaphore(2)`` + ``json.loads``. Goal: <= 1.15.

    python benchmarks/overhead.py [--calls 2000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable

import httpx
from _common import machine, median, table

import wolkvox_async as wv

DIAL_BODY = json.dumps(
    {"code": "200", "error": None, "msg": "Dial has been successful", "data": {"conn_id": "c-1"}}
).encode()
URL = "https://wv0032.wolkvox.com/api/v2/agentbox.php"


def transport() -> httpx.MockTransport:
    headers = {"content-type": "application/json"}
    return httpx.MockTransport(lambda request: httpx.Response(200, content=DIAL_BODY, headers=headers))


async def raw_httpx(calls: int) -> float:
    semaphore = asyncio.Semaphore(2)
    async with httpx.AsyncClient(transport=transport()) as http:

        async def one() -> None:
            async with semaphore:
                response = await http.post(
                    URL,
                    params={"agent_id": "1001", "api": "dial", "customer_phone": "3001234567"},
                    headers={"wolkvox-token": "bench-token", "wolkvox_server": "0032"},
                )
            assert json.loads(response.content)["data"]["conn_id"] == "c-1"

        return await cpu_per_call(one, calls)


async def wolkvox(calls: int) -> float:
    http = httpx.AsyncClient(transport=transport())
    async with wv.Client("0032", f"bench-{uuid.uuid4().hex}", http_client=http) as client, http:

        async def one() -> None:
            result = await client.dial("1001", "3001234567")
            assert result.conn_id == "c-1"

        return await cpu_per_call(one, calls)


async def cpu_per_call(one: Callable[[], Awaitable[None]], calls: int) -> float:
    await asyncio.gather(*(one() for _ in range(50)))  # warm up
    start = time.process_time()
    await asyncio.gather(*(one() for _ in range(calls)))
    return (time.process_time() - start) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    baseline: list[float] = []
    ours: list[float] = []
    for run in range(args.runs):
        order = [(raw_httpx, baseline), (wolkvox, ours)]
        for bench, results in order if run % 2 == 0 else reversed(order):
            results.append(asyncio.run(bench(args.calls)))
    ratios = [o / b for o, b in zip(ours, baseline, strict=True)]
    print(f"overhead: {args.calls} dial calls per run, {args.runs} runs, {machine()}")
    print(
        table(
            ["client", "CPU per call, median (ms)", "min", "max"],
            [
                [
                    "raw httpx + Semaphore(2) + json.loads",
                    median(baseline) * 1e3,
                    min(baseline) * 1e3,
                    max(baseline) * 1e3,
                ],
                ["wolkvox_async", median(ours) * 1e3, min(ours) * 1e3, max(ours) * 1e3],
            ],
        )
    )
    verdict = "meets" if median(ratios) <= 1.15 else "MISSES"
    print(
        f"ratio wolkvox_async / raw httpx: median {median(ratios):.3f} (runs: {', '.join(f'{r:.3f}' for r in ratios)}); {verdict} the goal <= 1.15"
    )


if __name__ == "__main__":
    main()
