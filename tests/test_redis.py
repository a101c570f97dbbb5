"""RedisBackend against a real redis-server: many processes, a killed process, a restarted Redis.

The contract it shares with the memory backend is in ``test_backend_contract.py``; here is what
only a shared backend has to show, against the emulator over loopback where calls are sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import subprocess
import sys
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

import pytest
import trio

import wolkvox_async as wv
from wolkvox_async import _quota
from wolkvox_async._quota import QuotaPolicy, timezone
from wolkvox_async._scheduler import token_key
from wolkvox_async.redis import RedisBackend
from wolkvox_async.redis._scheduler import RedisScheduler
from wolkvox_async.testing import RedisServer
from wolkvox_async.testing._redis import free_port
from wolkvox_async.testing.pytest_plugin import Emulated

I, B = wv.Priority.INTERACTIVE, wv.Priority.BULK  # noqa: E741

WORKER = """
import asyncio, json, sys
import wolkvox_async as wv
from wolkvox_async.redis import RedisBackend

async def main() -> None:
    job = json.loads(sys.stdin.readline())
    backend = RedisBackend(job["redis"], prefix=job["prefix"], heartbeat=0.1, lease=job["lease"])
    requeued = []
    hooks = {"retry": [lambda e: requeued.append(e) if e.verdict == "requeue" else None]}
    async with backend, wv.Client(
        "0032", job["token"], licences=job["licences"], base_url=job["url"], backend=backend,
        agents_cache_ttl=0, event_hooks=hooks,
    ) as client:
        if job["mode"] == "bulk":
            print("started", flush=True)
            await asyncio.gather(*(client.list_agents() for _ in range(job["calls"])))
            return
        if job["mode"] == "hold":
            print("holding", flush=True)
            await asyncio.gather(client.list_agents(), client.list_agents("1001"))
            return
        async def call(i: int) -> None:
            if i % 5 == 0:
                await client.dial("1001", "3001234567")
            else:
                await client.list_agents()
        await asyncio.gather(*(call(i) for i in range(job["calls"])))
        print(json.dumps({"requeued": len(requeued), "seen": client.quota().used}), flush=True)

asyncio.run(main())
"""


def start_worker(tmp_path: Path, job: dict[str, Any]) -> subprocess.Popen[str]:
    script = tmp_path / "worker.py"
    if not script.exists():
        script.write_text(WORKER)
    process = subprocess.Popen(
        [sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps(job) + "\n")  # the token goes on stdin, never on a command line
    process.stdin.flush()
    return process


def worker_job(
    served: Emulated, redis_server: RedisServer, prefix: str, mode: str, *, calls: int, lease: float
) -> dict[str, Any]:
    """What a worker process is told: where the emulator and Redis are, the token, what to do."""
    return {
        "redis": redis_server.url, "prefix": prefix, "lease": lease, "token": served.token,
        "licences": 5, "url": served.base_url, "mode": mode, "calls": calls,
    }  # fmt: skip


def new_backend(server: RedisServer, prefix: str | None = None, **options: Any) -> RedisBackend:
    options = {"heartbeat": 0.05, "lease": 2.0, **options}
    return RedisBackend(server.url, prefix=prefix or f"t{uuid.uuid4().hex[:8]}", **options)


# ------------------------------------------------------------------ many processes, one token


@pytest.mark.wolkvox(licences=5, latency=0.002)
def test_four_processes_500_calls_each_never_exceed_the_limit_and_count_the_quota_exactly(
    wolkvox_server: Emulated, redis_server: RedisServer, tmp_path: Path
) -> None:
    emulator = wolkvox_server.emulator
    emulator.add_agent(dni="1", name="Agent One", sso="one")
    prefix = f"t{uuid.uuid4().hex[:8]}"
    job = worker_job(wolkvox_server, redis_server, prefix, "calls", calls=500, lease=30.0)
    workers = [start_worker(tmp_path, job) for _ in range(4)]
    reports = []
    for worker in workers:
        out, _ = worker.communicate(timeout=180)
        assert worker.returncode == 0
        reports.append(json.loads(out.splitlines()[-1]))

    stats = emulator.stats(wolkvox_server.token)
    assert stats.concurrency_rejections == 0
    assert sum(r["requeued"] for r in reports) == 0
    assert stats.max_in_flight == 2
    assert stats.calls == {"agents": 1600, "dial": 400}
    assert stats.quota_used == 1600  # dials are free

    async def counted() -> int:
        async with new_backend(redis_server, prefix) as backend:
            client = wv.Client("0032", wolkvox_server.token, licences=5, base_url="http://x", backend=backend)
            return (await client.fetch_quota()).used

    assert asyncio.run(counted()) == 1600
    assert 500 < max(r["seen"] for r in reports) <= 1600  # each process saw others' calls in the count


@pytest.mark.wolkvox(licences=5, latency=0.01)
def test_a_dial_of_one_process_waits_for_one_slot_not_for_another_process_bulk_job(
    wolkvox_server: Emulated, redis_server: RedisServer, tmp_path: Path
) -> None:
    emulator = wolkvox_server.emulator
    emulator.add_agent(dni="1", name="Agent One", sso="one")
    prefix = f"t{uuid.uuid4().hex[:8]}"
    job = worker_job(wolkvox_server, redis_server, prefix, "bulk", calls=1000, lease=30.0)
    bulk_job = start_worker(tmp_path, job)
    waits: list[float] = []

    async def ivr() -> None:
        hooks = {"slot_wait": [lambda event: waits.append(event.waited)]}
        async with new_backend(redis_server, prefix, lease=30.0) as backend:
            client = wolkvox_server.new_client(backend=backend, event_hooks=hooks)
            async with asyncio.timeout(60):
                while emulator.stats(wolkvox_server.token).calls.get("agents", 0) < 100:  # noqa: ASYNC110
                    await asyncio.sleep(0.02)  # the bulk job has queued its 1,000 calls
            for _ in range(20):
                await client.dial("1001", "3001234567")
                await asyncio.sleep(0.03)
            assert emulator.stats(wolkvox_server.token).calls.get("agents", 0) < 900, "the job still ran"

    try:
        asyncio.run(ivr())
    finally:
        bulk_job.communicate(timeout=120)
    assert bulk_job.returncode == 0
    stats = emulator.stats(wolkvox_server.token)
    assert stats.concurrency_rejections == 0 and stats.max_in_flight == 2
    assert stats.calls == {"agents": 1000, "dial": 20}
    # A slot frees every L/2 on average: a dial waits about that, plus Redis's hand-over, not the
    # job's backlog of hundreds of calls (a FIFO would make it wait for all of them: seconds).
    waits.sort()
    assert waits[len(waits) // 2] < 0.1, waits
    assert waits[-2] < 0.5, waits


# ------------------------------------------------------------------ a process killed while holding slots


@pytest.mark.wolkvox(licences=5, latency=60.0)
def test_the_slots_of_a_killed_process_return_within_the_lease(
    wolkvox_server: Emulated, redis_server: RedisServer, tmp_path: Path
) -> None:
    lease = 2.0
    prefix = f"t{uuid.uuid4().hex[:8]}"
    job = worker_job(wolkvox_server, redis_server, prefix, "hold", calls=0, lease=lease)
    worker = start_worker(tmp_path, job)

    async def main() -> float:
        async with new_backend(redis_server, prefix, heartbeat=0.1, lease=lease) as backend:
            scheduler = backend.scheduler(token_key(wolkvox_server.token), 2)
            async with asyncio.timeout(30):
                while wolkvox_server.emulator.stats(wolkvox_server.token).in_flight < 2:  # noqa: ASYNC110
                    await asyncio.sleep(0.02)  # both calls in flight, their slots held in Redis
            assert await scheduler.slots_in_use() == 2
            await asyncio.sleep(lease)  # renewed meanwhile by the worker's heartbeat
            assert await scheduler.slots_in_use() == 2
            with pytest.raises(wv.QueueTimeoutError):
                await scheduler.acquire(B, 0.2)
            worker.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            slots = [await scheduler.acquire(B, 3 * lease) for _ in range(2)]
            returned = time.monotonic() - killed
            for slot in slots:
                await scheduler.release(slot)
            return returned

    try:
        returned = asyncio.run(main())
    finally:
        worker.kill()
        worker.communicate(timeout=10)
    assert worker.returncode == -signal.SIGKILL
    assert lease - 0.5 <= returned <= lease + 1.0


# ------------------------------------------------------------------ Redis restarted mid-run


@pytest.mark.wolkvox(licences=50, latency=0.5)
def test_a_redis_restart_mid_run_raises_clearly_then_recovers_never_exceeding_the_limit(
    wolkvox_server: Emulated, own_redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "wolkvox_async")
    token = wolkvox_server.token
    server = own_redis_server
    prefix = f"t{uuid.uuid4().hex[:8]}"
    errors: list[wv.BackendError] = []
    done_after_restart = 0
    restarted = False

    async def worker(client: wv.Client, stop: float) -> None:
        nonlocal done_after_restart
        while time.monotonic() < stop:
            try:
                await client.list_agents()
            except wv.BackendError as error:
                errors.append(error)
                await asyncio.sleep(0.05)
            else:
                done_after_restart += restarted

    async def process(stop: float) -> None:  # one "process": its own backend, so its own node
        async with new_backend(server, prefix, heartbeat=0.1, lease=5.0) as backend:
            client = wv.Client(
                "0032", token, licences=50, base_url=wolkvox_server.base_url, backend=backend,
                agents_cache_ttl=0, max_retries=0,
            )  # fmt: skip
            async with client:
                await asyncio.gather(*(worker(client, stop) for _ in range(6)))

    async def main() -> None:
        nonlocal restarted
        stop = time.monotonic() + 6.0
        async with asyncio.TaskGroup() as tg:
            tg.create_task(process(stop))
            tg.create_task(process(stop))
            await asyncio.sleep(1.2)
            # SIGKILL and back, empty, while 2 calls are in flight (0.5 s each): their leases are gone
            server.stop()
            await asyncio.sleep(0.05)
            server.start()
            restarted = True

    asyncio.run(main())

    stats = wolkvox_server.emulator.stats(token)
    assert stats.max_in_flight <= 2
    assert stats.concurrency_rejections == 0
    assert all("Redis" in str(error) for error in errors)  # calls that needed Redis while it was down
    assert done_after_restart >= 5, "calls go through again once Redis is back"
    assert any("Redis lost the state" in r.getMessage() for r in caplog.records)


@pytest.mark.asyncio
async def test_after_redis_loses_its_state_no_slot_is_granted_over_calls_still_in_flight(
    redis_server: RedisServer,
) -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    async with new_backend(redis_server, prefix) as one, new_backend(redis_server, prefix) as two:
        a, b = one.scheduler("k", 2), two.scheduler("k", 2)
        in_flight = [await a.acquire(B), await b.acquire(B)]
        await one.node().redis.flushdb()  # what a restart without persistence leaves
        late = asyncio.create_task(b.acquire(I))
        await asyncio.sleep(one.fence + 5 * one.heartbeat)  # fenced, then both slots put back by heartbeats
        assert not late.done()
        assert await a.slots_in_use() == 2
        await a.release(in_flight[0])
        async with asyncio.timeout(5):
            await b.release(await late)
        await b.release(in_flight[1])
        assert await a.slots_in_use() == 0


@pytest.mark.asyncio
async def test_after_redis_loses_its_state_each_process_puts_its_count_back(
    redis_server: RedisServer,
) -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    policy = QuotaPolicy(100, timezone("America/Bogota"))
    async with new_backend(redis_server, prefix) as one, new_backend(redis_server, prefix) as two:
        a, b = one.scheduler("k", 2), two.scheduler("k", 2)
        for scheduler, calls in ((a, 3), (b, 4)):
            for _ in range(calls):
                await scheduler.take_quota(policy, B, _quota.now(), operation="x")
            await scheduler.release(await scheduler.acquire(B))  # each knows the state's epoch
        await one.node().redis.flushdb()
        for scheduler in (a, b):  # each finds the state lost, and puts its count back at its heartbeat
            await scheduler.release(await scheduler.acquire(B))
        for _ in range(100):
            if (await a.fetch_quota(policy, _quota.now())).used == 7:
                break
            await asyncio.sleep(0.02)
        assert (await b.fetch_quota(policy, _quota.now())).used == 7


@pytest.mark.asyncio
@pytest.mark.wolkvox(licences=5)
async def test_no_redis_is_a_clear_error_and_nothing_is_sent(wolkvox_emulator: Emulated) -> None:
    backend = RedisBackend(f"redis://user:s3cret@127.0.0.1:{free_port()}/0", timeout=1.0)  # nobody listens
    assert "s3cret" not in repr(backend)
    client = wolkvox_emulator.new_client(backend=backend)
    with pytest.raises(wv.BackendError) as caught:
        await client.list_agents()
    with pytest.raises(wv.BackendError):
        await client.dial("1001", "3001234567")
    assert caught.value.operation == "list_agents"
    assert "Redis" in str(caught.value) and "s3cret" not in str(caught.value)
    assert wolkvox_emulator.emulator.stats(wolkvox_emulator.token).calls == {}
    await backend.aclose()


# ------------------------------------------------------------------ across processes: lanes and wake-ups


@pytest.mark.asyncio
async def test_an_interactive_call_of_one_process_goes_before_bulk_calls_of_another(
    redis_server: RedisServer,
) -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    async with new_backend(redis_server, prefix) as ivr, new_backend(redis_server, prefix) as job:
        bulk = job.scheduler("k", 1)
        dial = ivr.scheduler("k", 1)
        first = await bulk.acquire(B)
        order: list[str] = []

        async def call(scheduler: RedisScheduler, priority: wv.Priority, name: str) -> None:
            slot = await scheduler.acquire(priority)
            order.append(name)
            await asyncio.sleep(0.01)
            await scheduler.release(slot)

        async with asyncio.timeout(30), asyncio.TaskGroup() as tg:
            for n in range(5):
                tg.create_task(call(bulk, B, f"bulk{n}"))
                await until(lambda: lanes(bulk), n + 1)
            tg.create_task(call(dial, I, "dial"))
            await until(lambda: lanes(bulk), 6)
            await bulk.release(first)
        assert order[0] == "dial"  # granted by the other process, woken through its wake list
        assert sorted(order[1:]) == [f"bulk{n}" for n in range(5)]


async def lanes(scheduler: RedisScheduler) -> int:
    redis = scheduler._backend.node().redis
    return int(await redis.zcard(scheduler.keys[2])) + int(await redis.zcard(scheduler.keys[3]))


async def until(count: Any, expected: int) -> None:
    for _ in range(400):
        if await count() == expected:
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"never reached {expected}")


@pytest.mark.asyncio
async def test_a_grant_to_a_waiter_that_then_leaves_is_passed_on(redis_server: RedisServer) -> None:
    """Script level: the grant is made and pushed, then the waiter gives up before hearing of it."""
    prefix = f"t{uuid.uuid4().hex[:8]}"
    async with new_backend(redis_server, prefix) as a, new_backend(redis_server, prefix) as b:
        sa, sb = a.scheduler("k", 1), b.scheduler("k", 1)
        na, nb = a.node(), b.node()
        await na.run(sa, "ACQUIRE", "x", 2, 0)  # a new state: fenced
        await asyncio.sleep(a.fence + 0.05)
        assert (await na.run(sa, "ACQUIRE", f"{na.id}:held", 2, 0))[0] == 1
        assert (await nb.run(sb, "ACQUIRE", f"{nb.id}:w", 2, 0))[0] == 0
        await na.run(sa, "RELEASE", f"{na.id}:held")  # granted to b's waiter, pushed to b's wake list
        assert await nb.redis.lrange(nb.wake_key, 0, -1) == [f"{nb.id}:w"]
        assert await sa.slots_in_use() == 1
        await nb.run(sb, "ABANDON", f"{nb.id}:w", 2)
        assert await sa.slots_in_use() == 0


@pytest.mark.asyncio
async def test_waiters_of_a_dead_node_are_skipped(redis_server: RedisServer) -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    async with new_backend(redis_server, prefix) as live:
        scheduler = live.scheduler("k", 1)
        node = live.node()
        slot = await scheduler.acquire(B)
        ghost = ["x", 1, 2000, 150, "ghost:e", "ghost", 100, 4]  # a node whose heartbeat stops at once
        await node.call("ACQUIRE", scheduler.keys, [*ghost, "ghost:1", 2, 0])
        waiter = asyncio.create_task(scheduler.acquire(B))
        await until(lambda: lanes(scheduler), 2)
        await asyncio.sleep(0.2)  # the ghost is now taken for dead
        await scheduler.release(slot)
        async with asyncio.timeout(5):
            await scheduler.release(await waiter)
        assert await lanes(scheduler) == 0


@pytest.mark.asyncio
async def test_a_new_state_is_fenced_before_its_first_grant(redis_server: RedisServer) -> None:
    async with new_backend(redis_server, heartbeat=0.2) as backend:
        scheduler = backend.scheduler("k", 2)
        started = time.monotonic()
        await scheduler.release(await scheduler.acquire(B))
        assert time.monotonic() - started >= backend.fence - 0.05
        started = time.monotonic()
        await scheduler.release(await scheduler.acquire(B))
        assert time.monotonic() - started < backend.fence


# ------------------------------------------------------------------ keys, quota, secrets


@pytest.mark.asyncio
@pytest.mark.wolkvox(licences=5)
async def test_keys_hold_a_hash_of_the_token_never_the_token(
    wolkvox_emulator: Emulated, redis_server: RedisServer
) -> None:
    prefix = f"p{uuid.uuid4().hex[:8]}"
    async with new_backend(redis_server, prefix) as backend:
        client = wolkvox_emulator.new_client(backend=backend)
        await client.list_agents()
        redis = backend.node().redis
        keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
        assert keys and all(key.startswith(f"{prefix}:{token_key(wolkvox_emulator.token)}:") for key in keys)
        for key in keys:
            dump = json.dumps(await redis.hgetall(key) if await redis.type(key) == "hash" else key)
            assert wolkvox_emulator.token not in key + dump


@pytest.mark.asyncio
async def test_the_day_count_expires_an_hour_after_the_reset(redis_server: RedisServer) -> None:
    async with new_backend(redis_server) as backend:
        scheduler = backend.scheduler("k", 2)
        policy = QuotaPolicy(10, timezone("America/Bogota"))
        now = _quota.now()
        await scheduler.take_quota(policy, B, now, operation="x")
        (key,) = [k async for k in backend.node().redis.scan_iter(f"{backend.prefix}:*:quota:*")]
        ttl = await backend.node().redis.pttl(key) / 1000
        expected = (policy.resets_at(now) - now).total_seconds() + 3600
        assert expected - 5 <= ttl <= expected
        assert key.endswith(policy.day(now).isoformat())


@pytest.mark.asyncio
@pytest.mark.wolkvox(licences=1)
async def test_every_process_sees_the_shared_count(
    wolkvox_emulator: Emulated, redis_server: RedisServer
) -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    async with new_backend(redis_server, prefix) as one, new_backend(redis_server, prefix) as two:
        a = wolkvox_emulator.new_client(backend=one, agents_cache_ttl=0)
        b = wolkvox_emulator.new_client(backend=two, agents_cache_ttl=0)
        for _ in range(3):
            await a.list_agents()
        assert a.quota().used == 3 and b.quota().used == 0  # b has not counted anything yet
        assert (await b.fetch_quota()).used == 3
        await b.list_agents()
        assert b.quota().used == 4


def test_trio_is_refused_clearly() -> None:
    backend = RedisBackend(f"redis://127.0.0.1:{free_port()}/0")

    async def main() -> None:
        with pytest.raises(wv.BackendError, match="asyncio"):
            await backend.scheduler("k", 2).acquire(B, operation="dial")

    trio.run(main)


@pytest.mark.parametrize(
    "options",
    [
        {"lease": 0},
        {"heartbeat": -1},
        {"lease": 1.0, "heartbeat": 1.0},
        {"prefix": ""},
        {"max_connections": 1},
    ],
)
def test_bad_options_are_refused(options: dict[str, Any]) -> None:
    with pytest.raises(wv.InvalidArgumentError):
        RedisBackend("redis://127.0.0.1:6379/0", **options)


def test_only_redis_urls() -> None:
    with pytest.raises(wv.InvalidArgumentError):
        RedisBackend("http://127.0.0.1:6379")


SECRET_URLS = [
    "redis://user:s3cret@127.0.0.1:6379/0",
    "redis://:s3cret@127.0.0.1:6379/0",
    "redis://:s3%40cret@127.0.0.1:6379/0",
    "redis://127.0.0.1:6379/0?password=s3cret",
    "redis://127.0.0.1:6379/0?db=1&password=s3cret&socket_keepalive=yes",
    "rediss://default:s3cret@127.0.0.1:6380/0",
    "rediss://127.0.0.1:6380/0?password=s3cret",
    "unix://:s3cret@/run/redis.sock?db=0",
    "unix:///run/redis.sock?password=s3cret",
]


def hidden(text: str) -> bool:
    return "s3cret" not in text and "s3@cret" not in text and "s3%40cret" not in text


@pytest.mark.parametrize("url", SECRET_URLS)
def test_the_password_of_the_url_is_not_in_the_repr(url: str) -> None:
    backend = RedisBackend(url)
    assert hidden(repr(backend)) and "***" in repr(backend)
    assert "6379" in repr(backend) or "6380" in repr(backend) or "/run/redis.sock" in repr(backend)


@pytest.mark.parametrize(
    "url",
    [
        "nope://x",
        "redis://:99999",
        "redis://:s3cret@127.0.0.1:99999/0",
        "redis://127.0.0.1:abc/0",
        "redis://:s3cret@[::1",
        "redis://127.0.0.1/0?db=x&password=s3cret",
        "redis://127.0.0.1/0?PASSWORD=s3cret",
        "redis://127.0.0.1/0?Password=s3cret",
        "redis://127.0.0.1/0?timeout=soon",
        "redis://127.0.0.1/0?no_such_option=1",
        "rediss://:s3cret@127.0.0.1/0?ssl_cert_reqs=maybe",
        "unix://",
    ],
)
def test_a_bad_url_is_refused_by_the_constructor_without_its_password(url: str) -> None:
    with pytest.raises(wv.InvalidArgumentError) as caught:
        RedisBackend(url)
    assert hidden("".join(traceback.format_exception(caught.value)))  # with any cause or context shown


@pytest.mark.asyncio
@pytest.mark.parametrize("url", [u for u in SECRET_URLS if u.startswith("redis://")])
async def test_no_password_in_an_error_or_a_log_even_when_redis_py_quotes_the_url(
    url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from redis.asyncio.connection import AbstractConnection
    from redis.exceptions import ConnectionError as RedisConnectionError

    async def refuse(self: AbstractConnection, *args: object, **kwargs: object) -> None:
        raise RedisConnectionError(f"cannot connect to {url} (password {self.password or 's3cret'})")

    monkeypatch.setattr(AbstractConnection, "connect", refuse)
    backend = RedisBackend(url, timeout=1.0)
    with caplog.at_level(logging.DEBUG, logger="wolkvox_async"):
        with pytest.raises(wv.BackendError) as caught:
            await backend.scheduler("k", 2).acquire(B, operation="dial")
        for _ in range(100):  # the slot it may have taken is given back in the background, and logged
            if any("giving" in record.getMessage() for record in caplog.records):
                break
            await asyncio.sleep(0.01)
        await backend.aclose()
    assert "cannot connect" in str(caught.value)
    assert hidden(str(caught.value)) and hidden(repr(caught.value))
    logged = [record.getMessage() for record in caplog.records]
    assert logged and all(hidden(text) for text in logged)


def test_one_backend_serves_event_loops_one_after_another(redis_server: RedisServer) -> None:
    backend = new_backend(redis_server)
    scheduler = backend.scheduler("k", 2)

    async def use(close: bool) -> None:
        await scheduler.release(await scheduler.acquire(B))
        if close:
            await backend.aclose()

    for close in (False, False, True, False):
        asyncio.run(use(close))
    assert len(backend._nodes) == 1  # nodes of closed loops are dropped, not kept for ever
