"""The Client: five endpoint coroutines, configuration and lifecycle."""

from __future__ import annotations

import enum
import os
from types import TracebackType
from typing import Final, Literal, TypeVar

import httpx

from . import _protocol as protocol
from . import _quota
from . import _validation as check
from ._errors import InvalidArgumentError
from ._models import (
    Acknowledgement,
    Agent,
    Button,
    CreatedAgent,
    DialResult,
    Display,
    Priority,
    QuotaSnapshot,
    Secret,
)
from ._quota import CALLS_PER_LICENCE, DEFAULT_TIMEZONE, QuotaPolicy
from ._scheduler import scheduler_for, token_key
from ._transport import Transport

T = TypeVar("T")


class _Unset(enum.Enum):
    UNSET = enum.auto()


UNSET: Final = _Unset.UNSET
DEFAULT_TIMEOUT: Final = 60.0
"""Seconds; wolkvox's own limit for one call."""


def _from_env(value: object, name: str) -> object:
    return os.environ.get(name) if value is None else value


class Client:
    """An asynchronous client for the wolkvox API v2.

    ``server`` (e.g. "0032") and ``token`` fall back to ``WOLKVOX_SERVER``
    and ``WOLKVOX_TOKEN``. The daily quota is ``licences`` x 1000 calls, or
    ``daily_quota``; with neither, calls are counted but only the server's
    own refusal stops them. ``quota_reserve`` (a fraction) of it is kept for
    the interactive lane; ``on_quota_exhausted="wait"`` waits for the reset
    instead of raising. ``concurrency`` is the token's limit of simultaneous
    requests, shared with every other Client of the same token in this
    process. ``queue_timeout`` bounds how long a call waits for a slot
    (``QueueTimeoutError``) and ``max_queue`` how many may wait per lane
    (``QueueFullError``); both may be overridden per call, with
    ``priority``. ``timeout`` (seconds, an ``httpx.Timeout`` or None for
    none) applies to each HTTP exchange; when not given, a client passed as
    ``http_client`` keeps its own, otherwise it is 60 s. ``base_url``
    replaces ``https://wv{server}.wolkvox.com`` (for the emulator, a proxy);
    a trailing ``/api/v2`` is optional.

    Use it as an async context manager, or call ``aclose()``; it closes
    only the httpx client it created itself.
    """

    def __init__(
        self,
        server: str | None = None,
        token: str | None = None,
        *,
        licences: int | None = None,
        daily_quota: int | None = None,
        concurrency: int = 2,
        queue_timeout: float | None = None,
        max_queue: int | None = None,
        quota_reserve: float = 0.0,
        on_quota_exhausted: Literal["raise", "wait"] = "raise",
        timeout: float | httpx.Timeout | _Unset | None = UNSET,
        http_client: httpx.AsyncClient | None = None,
        base_url: str | None = None,
        quota_timezone: str = DEFAULT_TIMEZONE,
    ) -> None:
        self._server = check.server(_from_env(server, "WOLKVOX_SERVER"))
        secret = check.token(_from_env(token, "WOLKVOX_TOKEN"))
        limit = check.positive_int(daily_quota, "daily_quota", allow_none=True)
        licence_count = check.positive_int(licences, "licences", allow_none=True)
        if limit is None and licence_count is not None:
            limit = licence_count * CALLS_PER_LICENCE
        elif limit is not None and licence_count is not None:
            raise InvalidArgumentError("give licences or daily_quota, not both")
        slots = check.positive_int(concurrency, "concurrency")
        assert slots is not None
        queue_limit = check.positive_int(max_queue, "max_queue", allow_none=True)
        self._queue_timeout = check.timeout(queue_timeout, "queue_timeout")
        if not isinstance(quota_reserve, int | float) or not 0 <= quota_reserve < 1:
            raise InvalidArgumentError(f"quota_reserve must be a fraction in [0, 1), got {quota_reserve!r}")
        if on_quota_exhausted not in ("raise", "wait"):
            raise InvalidArgumentError(
                f"on_quota_exhausted must be 'raise' or 'wait', got {on_quota_exhausted!r}"
            )
        self._policy = QuotaPolicy(
            limit, _quota.timezone(quota_timezone), float(quota_reserve), on_quota_exhausted == "wait"
        )

        root = (base_url or protocol.default_base_url(self._server)).rstrip("/").removesuffix("/api/v2")
        if not root.startswith(("http://", "https://")):
            raise InvalidArgumentError(f"base_url must start with http:// or https://, got {root!r}")
        self._target = protocol.Target(root, self._server, secret)

        if timeout is UNSET:
            per_request = None if http_client is not None else httpx.Timeout(DEFAULT_TIMEOUT)
        else:
            per_request = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient()
        scheduler = scheduler_for(token_key(secret), slots, queue_limit)
        self._transport = Transport(self._http, scheduler, self._policy, per_request, secret)

    def __repr__(self) -> str:
        return f"Client(server={self._server!r}, base_url={self._target.base_url!r}, token=<hidden>)"

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    def quota(self) -> QuotaSnapshot:
        """The daily quota as this process counts it: used, limit, remaining, reserve, resets_at."""
        return self._transport.scheduler.quota(self._policy, _quota.now())

    async def _send(
        self,
        request: protocol.Request,
        decode: protocol.Decoder[T],
        priority: Priority | str,
        queue_timeout: float | _Unset | None,
    ) -> T:
        lane = check.priority(priority)
        wait = (
            self._queue_timeout if queue_timeout is UNSET else check.timeout(queue_timeout, "queue_timeout")
        )
        return await self._transport.send(request, decode, priority=lane, queue_timeout=wait)

    async def create_agent(
        self,
        *,
        dni: str,
        name: str,
        sso: str,
        password: str | Secret | None = None,
        priority: Priority | str = Priority.BULK,
        queue_timeout: float | _Unset | None = UNSET,
    ) -> CreatedAgent:
        """Create an agent; wolkvox shows its password in this answer only.

        Without ``password`` the server makes one. Never sent twice: if the
        answer is lost, ``OutcomeUnknownError`` is raised.
        """
        request = protocol.create_agent_request(
            self._target,
            dni=check.required_text(dni, "dni"),
            name=check.required_text(name, "name"),
            sso=check.required_text(sso, "sso"),
            password=check.password(password),
        )
        return await self._send(request, protocol.decode_created_agent, priority, queue_timeout)

    async def enable_agent(
        self,
        agent_id: str | int,
        *,
        priority: Priority | str = Priority.BULK,
        queue_timeout: float | _Unset | None = UNSET,
    ) -> Acknowledgement:
        """Allow a disabled agent to log in again."""
        request = protocol.enable_agent_request(self._target, agent_id=check.agent_id(agent_id))
        return await self._send(request, protocol.decode_enable_agent, priority, queue_timeout)

    async def list_agents(
        self,
        agent_id: str | int | None = None,
        *,
        priority: Priority | str = Priority.BULK,
        queue_timeout: float | _Unset | None = UNSET,
    ) -> tuple[Agent, ...]:
        """The agents report, or one agent's row; empty when nothing matches.

        Wolkvox asks that the report be read at most every 5 minutes.
        """
        wanted = None if agent_id is None else check.agent_id(agent_id)
        request = protocol.list_agents_request(self._target, agent_id=wanted)
        return await self._send(request, protocol.decode_agents, priority, queue_timeout)

    async def dial(
        self,
        agent_id: str | int,
        phone: str | int,
        *,
        customer_id: str | int | None = None,
        customer_name: str | None = None,
        priority: Priority | str = Priority.INTERACTIVE,
        queue_timeout: float | _Unset | None = UNSET,
    ) -> DialResult:
        """Make the agent's softphone call ``phone``. Free of quota; never sent twice.

        ``phone`` keeps its digits: spaces, '-', '.', '(' and ')' are removed.
        """
        request = protocol.dial_request(
            self._target,
            agent_id=check.agent_id(agent_id),
            phone=check.phone(phone),
            customer_id=check.optional_text(customer_id, "customer_id"),
            customer_name=check.optional_text(customer_name, "customer_name"),
        )
        return await self._send(request, protocol.decode_dial, priority, queue_timeout)

    async def agent_display(
        self,
        agent_id: str | int,
        *,
        button: Button | str,
        display: Display | str,
        priority: Priority | str = Priority.INTERACTIVE,
        queue_timeout: float | _Unset | None = UNSET,
    ) -> Acknowledgement:
        """Show or hide a button of the agent's agentbox. Free of quota."""
        request = protocol.agent_display_request(
            self._target,
            agent_id=check.agent_id(agent_id),
            button=check.choice(button, Button, "button"),
            display=check.choice(display, Display, "display"),
        )
        return await self._send(request, protocol.decode_agent_display, priority, queue_timeout)
