from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from wolkvox_async import _quota
from wolkvox_async.testing import RedisServer


@pytest.fixture
def token() -> str:
    """A token of this test's own, so no state is shared with other tests."""
    return f"tok-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True)
def no_wolkvox_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's WOLKVOX_* variables must not change what a test sees; a test sets its own."""
    for name in (
        "WOLKVOX_SERVER",
        "WOLKVOX_TOKEN",
        "WOLKVOX_BASE_URL",
        "WOLKVOX_LICENCES",
        "WOLKVOX_REDIS_URL",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(params=["httpx", "aiohttp"])
def engine(request: pytest.FixtureRequest) -> str:
    """The HTTP engine a test of the transport's contract runs on: each runs on both."""
    return str(request.param)


class Clock:
    """A clock the quota reads, moved by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    # 2026-11-23 12:00 in Bogota (UTC-5)
    fake = Clock(datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
    monkeypatch.setattr(_quota, "now", fake)
    return fake


def _redis_server() -> Iterator[RedisServer]:
    """A redis-server on a free loopback port; skipped only where none is installed, never in CI
    (whose ``.ci/run`` installs it)."""
    try:
        server = RedisServer()
    except FileNotFoundError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no redis-server on PATH (Debian: apt-get install redis-server)")
    with server:
        yield server


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """The test session's redis-server: tests keep apart by key prefix."""
    yield from _redis_server()


@pytest.fixture
def own_redis_server() -> Iterator[RedisServer]:
    """A redis-server for one test, which may stop and restart it."""
    yield from _redis_server()
