"""Agents, dials, and each token's limits and counters (the other families of state have modules of their own)."""

from __future__ import annotations

import secrets
import string
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

PASSWORD_SYMBOLS = "!#%&*@"
_PASSWORD_CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits, PASSWORD_SYMBOLS)
_PASSWORD_ALPHABET = "".join(_PASSWORD_CLASSES)


def is_valid_password(password: str) -> bool:
    """The documented rule: an upper-case letter, a lower-case letter, a digit and one of ``!#%&*@``."""
    return all(any(char in chars for char in password) for chars in _PASSWORD_CLASSES)


def new_password(length: int = 10) -> str:
    chars = [secrets.choice(chars) for chars in _PASSWORD_CLASSES]
    chars += (secrets.choice(_PASSWORD_ALPHABET) for _ in range(length - len(chars)))
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@dataclass(frozen=True, slots=True)
class AgentRecord:
    """One agent as the operation stores it; replaced, never mutated, so readers on other threads are safe."""

    agent_id: str
    name: str
    dni: str
    sso: str
    password: str
    enabled: bool = False
    status: str = "offline"
    last_use: str = ""
    hidden_buttons: frozenset[str] = frozenset()

    def report_row(self) -> dict[str, str]:
        return {
            "agent_id": self.agent_id,
            "agent_name": self.name,
            "agent_dni": self.dni,
            "agent_status": self.status,
            "last_use": self.last_use,
            "agent_sso": self.sso,
            "enabled": "yes" if self.enabled else "no",
        }


@dataclass(frozen=True, slots=True)
class DialRecord:
    agent_id: str
    customer_phone: str
    customer_id: str
    customer_name: str
    conn_id: str


@dataclass(frozen=True, slots=True)
class TokenStats:
    """A snapshot of one token's limits and what it went through since the last ``reset_stats()``.

    ``calls`` counts every request with a token, refused or not, by its
    operation's key (the five first by their ``api=`` value, ``"agents"``,
    ``"dial"``...; every other by its spec name, ``"reports.cdr_1"``; an
    unknown one by the ``api=`` it gave); ``accepted`` only those the operation
    itself answered (not refused by a limit, not replaced by a fault).
    """

    licences: int
    daily_quota: int
    concurrency: int
    in_flight: int
    max_in_flight: int
    concurrency_rejections: int
    quota_rejections: int
    quota_used: int
    calls: Mapping[str, int]
    accepted: Mapping[str, int]
    faults: Mapping[str, int]


@dataclass(slots=True)
class TokenState:
    licences: int
    daily_quota: int
    concurrency: int
    in_flight: int = 0
    max_in_flight: int = 0
    concurrency_rejections: int = 0
    quota_rejections: int = 0
    quota_day: date | None = None
    quota_used: int = 0
    calls: Counter[str] = field(default_factory=Counter)
    accepted: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)

    def enter(self) -> bool:
        """Take a place among the requests in progress, if the token has one left."""
        if self.in_flight >= self.concurrency:
            self.concurrency_rejections += 1
            return False
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        return True

    def used_on(self, today: date) -> int:
        if today != self.quota_day:
            self.quota_day, self.quota_used = today, 0
        return self.quota_used

    def charge(self, today: date) -> bool:
        if self.used_on(today) >= self.daily_quota:
            self.quota_rejections += 1
            return False
        self.quota_used += 1
        return True

    def reset_stats(self) -> None:
        self.max_in_flight = self.in_flight
        self.concurrency_rejections = self.quota_rejections = 0
        self.calls.clear()
        self.accepted.clear()
        self.faults.clear()

    def snapshot(self, today: date) -> TokenStats:
        return TokenStats(
            licences=self.licences,
            daily_quota=self.daily_quota,
            concurrency=self.concurrency,
            in_flight=self.in_flight,
            max_in_flight=self.max_in_flight,
            concurrency_rejections=self.concurrency_rejections,
            quota_rejections=self.quota_rejections,
            quota_used=self.used_on(today),
            calls=MappingProxyType(dict(self.calls)),
            accepted=MappingProxyType(dict(self.accepted)),
            faults=MappingProxyType(dict(self.faults)),
        )
