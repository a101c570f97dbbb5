"""The Client: five endpoint coroutines, configuration and lifecycle."""

from __future__ import annotations

import enum
import os
from types import TracebackType
from typing import Final

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
    QuotaSnapshot,
    Secret,
)
from ._quota import CALLS_PER_LICENCE, DEFAULT_TIMEZONE, QuotaPolicy
from ._scheduler import scheduler_for
from ._transport import Transport


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
    own refusal stops them. ``concurrency`` is the token's limit of
    simultaneous requests, shared with every other Client of the same token
    in this process. ``timeout`` (seconds, an ``httpx.Timeout`` or None for
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
        self._policy = QuotaPolicy(limit, _quota.timezone(quota_timezone))

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
        scheduler = scheduler_for(secret, slots)
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
        """The daily quota as this process counts it: used, limit, remaining, resets_at."""
        return self._transport.scheduler.quota.snapshot(self._policy, _quota.now())

    async def create_agent(
        self, *, dni: str, name: str, sso: str, password: str | Secret | None = None
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
        return await self._transport.send(request, protocol.decode_created_agent)

    async def enable_agent(self, agent_id: str | int) -> Acknowledgement:
        """Allow a disabled agent to log in again."""
        request = protocol.enable_agent_request(self._target, agent_id=check.agent_id(agent_id))
        return await self._transport.send(request, protocol.decode_enable_agent)

    async def list_agents(self, agent_id: str | int | None = None) -> tuple[Agent, ...]:
        """The agents report, or one agent's row; empty when nothing matches.

        Wolkvox asks that the report be read at most every 5 minutes.
        """
        wanted = None if agent_id is None else check.agent_id(agent_id)
        request = protocol.list_agents_request(self._target, agent_id=wanted)
        return await self._transport.send(request, protocol.decode_agents)

    async def dial(
        self,
        agent_id: str | int,
        phone: str | int,
        *,
        customer_id: str | int | None = None,
        customer_name: str | None = None,
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
        return await self._transport.send(request, protocol.decode_dial)

    async def agent_display(
        self, agent_id: str | int, *, button: Button | str, display: Display | str
    ) -> Acknowledgement:
        """Show or hide a button of the agent's agentbox. Free of quota."""
        request = protocol.agent_display_request(
            self._target,
            agent_id=check.agent_id(agent_id),
            button=check.choice(button, Button, "button"),
            display=check.choice(display, Display, "display"),
        )
        return await self._transport.send(request, protocol.decode_agent_display)
