"""A Client's configuration: arguments and environment, checked once, before anything is sent."""

from __future__ import annotations

import enum
import functools
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from typing import Final, Literal

import attrs
import httpx

from . import _protocol as protocol
from . import _quota
from . import _validation as check
from ._errors import InvalidArgumentError
from ._events import Hook, Hooks
from ._models import Priority
from ._quota import CALLS_PER_LICENCE, QuotaPolicy
from ._retry import RetryPolicy
from ._transport import CallSettings


class _Unset(enum.Enum):
    UNSET = enum.auto()


UNSET: Final = _Unset.UNSET
"""An argument not given, as opposed to None (which means "no limit")."""

DEFAULT_TIMEOUT: Final = 60.0
"""Seconds for each HTTP exchange, and for a whole call: wolkvox's own limit for one call."""

AGENTS_CACHE_TTL: Final = 300.0
"""Wolkvox asks that the agents report be read at most every 5 minutes."""


@attrs.frozen(repr=False, slots=False)
class Settings:
    target: protocol.Target
    quota: QuotaPolicy
    concurrency: int
    max_queue: int | None
    http_timeout: httpx.Timeout | None
    queue_timeout: float | None
    deadline: float | None
    retry: RetryPolicy
    agents_cache_ttl: float
    hooks: Hooks
    max_response_size: int | None = None
    quota_from_server: bool = False
    """``licences="auto"``: the limit and today's count come from ``information.token_info``."""

    def call(
        self,
        default: Priority,
        priority: Priority | str | None,
        queue_timeout: float | _Unset | None,
        deadline: float | _Unset | None,
        max_retries: int | None,
    ) -> CallSettings:
        """One call's settings: the client's, changed by what the call gives."""
        if priority is None and queue_timeout is UNSET and deadline is UNSET and max_retries is None:
            return self._defaults[default]
        return CallSettings(
            priority=default if priority is None else check.priority(priority),
            queue_timeout=self.queue_timeout
            if queue_timeout is UNSET
            else check.timeout(queue_timeout, "queue_timeout"),
            deadline=self.deadline if deadline is UNSET else check.timeout(deadline, "deadline"),
            retry=self.retry
            if max_retries is None
            else attrs.evolve(self.retry, max_retries=check.count(max_retries, "max_retries")),
        )

    @functools.cached_property
    def _defaults(self) -> dict[Priority, CallSettings]:
        """The settings of a call that changes nothing, one per lane: most calls."""
        return {lane: CallSettings(lane, self.queue_timeout, self.deadline, self.retry) for lane in Priority}


ENVIRONMENT: Final = ("WOLKVOX_SERVER", "WOLKVOX_TOKEN", "WOLKVOX_BASE_URL", "WOLKVOX_LICENCES")
"""What a Client (and the CLI) reads from the environment when the argument is not given."""


def _from_env(value: object, name: str) -> object:
    """The argument, or else the variable (an empty one counts as unset, as shells leave them)."""
    if value is not None:
        return value
    return os.environ.get(name) or None


def _licences_from_env() -> int | Literal["auto"] | None:
    raw = os.environ.get("WOLKVOX_LICENCES", "").strip()
    if not raw:
        return None
    if raw.lower() == "auto":
        return "auto"
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    raise InvalidArgumentError(f"WOLKVOX_LICENCES must be a positive integer or 'auto', got {raw!r}")


def _base_url(given: str | None, server: str) -> str:
    if given is not None:
        return check.base_url(given)
    from_env = os.environ.get("WOLKVOX_BASE_URL") or None
    if from_env is None:
        return protocol.default_base_url(server)
    try:
        return check.base_url(from_env)
    except InvalidArgumentError as exc:
        raise InvalidArgumentError(f"WOLKVOX_BASE_URL: {exc}") from None


def resolve(
    *,
    server: str | None,
    token: str | None,
    licences: int | Literal["auto"] | None,
    daily_quota: int | None,
    concurrency: int,
    queue_timeout: float | None,
    max_queue: int | None,
    quota_reserve: float,
    on_quota_exhausted: Literal["raise", "wait"],
    timeout: float | httpx.Timeout | _Unset | None,
    deadline: float | _Unset | None,
    max_retries: int,
    agents_cache_ttl: float,
    event_hooks: Mapping[str, Iterable[Hook]] | None,
    own_http_client: bool,
    base_url: str | None,
    quota_timezone: str,
    max_response_size: int | None = None,
) -> Settings:
    wire_server = check.server(_from_env(server, "WOLKVOX_SERVER"))
    secret = check.token(_from_env(token, "WOLKVOX_TOKEN"))
    limit = check.positive_int(daily_quota, "daily_quota", allow_none=True)
    if licences is None and limit is None:
        licences = _licences_from_env()
    auto = licences == "auto"
    if isinstance(licences, str) and not auto:
        raise InvalidArgumentError(f"licences must be a positive integer or 'auto', got {licences!r}")
    licence_count = None if auto else check.positive_int(licences, "licences", allow_none=True)
    if limit is not None and (licence_count is not None or auto):
        raise InvalidArgumentError("give licences or daily_quota, not both")
    if licence_count is not None:
        limit = licence_count * CALLS_PER_LICENCE
    if not isinstance(quota_reserve, int | float) or not 0 <= quota_reserve < 1:
        raise InvalidArgumentError(f"quota_reserve must be a fraction in [0, 1), got {quota_reserve!r}")
    if on_quota_exhausted not in ("raise", "wait"):
        raise InvalidArgumentError(
            f"on_quota_exhausted must be 'raise' or 'wait', got {on_quota_exhausted!r}"
        )
    if not isinstance(agents_cache_ttl, int | float) or agents_cache_ttl < 0:
        raise InvalidArgumentError(f"agents_cache_ttl must be seconds >= 0, got {agents_cache_ttl!r}")

    root = _base_url(base_url, wire_server)
    if max_response_size is not None:
        check.positive_int(max_response_size, "max_response_size")

    if timeout is UNSET:
        http_timeout = httpx.Timeout(DEFAULT_TIMEOUT) if own_http_client else None
    elif isinstance(timeout, httpx.Timeout):
        http_timeout = timeout
    else:
        http_timeout = httpx.Timeout(check.timeout(timeout, "timeout"))

    concurrency_limit = check.positive_int(concurrency, "concurrency")
    assert concurrency_limit is not None
    return Settings(
        target=protocol.Target(root, wire_server, secret),
        quota=QuotaPolicy(
            limit, _quota.timezone(quota_timezone), float(quota_reserve), on_quota_exhausted == "wait"
        ),
        concurrency=concurrency_limit,
        max_queue=check.positive_int(max_queue, "max_queue", allow_none=True),
        http_timeout=http_timeout,
        queue_timeout=check.timeout(queue_timeout, "queue_timeout"),
        deadline=DEFAULT_TIMEOUT if deadline is UNSET else check.timeout(deadline, "deadline"),
        retry=RetryPolicy(max_retries=check.count(max_retries, "max_retries")),
        agents_cache_ttl=float(agents_cache_ttl),
        hooks=Hooks.from_mapping(event_hooks),
        max_response_size=max_response_size,
        quota_from_server=auto,
    )


def configure_logging_from_environment() -> None:
    """``WOLKVOX_LOG=debug`` (or info, warning) sends the library's log to stderr."""
    level = os.environ.get("WOLKVOX_LOG", "").strip().upper()
    if not level:
        return
    logger = logging.getLogger("wolkvox_async")
    if isinstance(logging.getLevelName(level), int):
        logger.setLevel(level)
    if not any(getattr(h, "_wolkvox", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        handler._wolkvox = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
