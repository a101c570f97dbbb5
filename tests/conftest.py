from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from wolkvox_async import _quota


@pytest.fixture
def token() -> str:
    """A token of this test's own, so no state is shared with other tests."""
    return f"tok-{uuid.uuid4().hex}"


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
