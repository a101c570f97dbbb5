"""The Client: five endpoint coroutines and their lifecycle."""

from __future__ import annotations

import ssl
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, Literal, TypeVar, Unpack

import httpx

from . import _arguments, _quota
from . import _protocol as protocol
from . import _validation as check
from ._backend import Backend
from ._cache import agents_cache_for
from ._engine import Engine
from ._errors import (
    ConflictError,
    InvalidArgumentError,
    PasswordLostError,
    WolkvoxError,
)
from ._events import Hook
from ._httpx_engine import HttpxClientEngine, HttpxEngine
from ._memory import DEFAULT_BACKEND
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
from ._namespace import CallOptions
from ._namespaces import Namespaces
from ._quota import DEFAULT_TIMEZONE
from ._redact import is_secret_key
from ._scheduler import token_key
from ._server_quota import ServerQuota
from ._settings import AGENTS_CACHE_TTL, UNSET, _Unset, configure_logging_from_environment, resolve
from ._spec import Kind, Operation, Param
from ._transport import CallSettings, Stream, Transport

T = TypeVar("T")

configure_logging_from_environment()


class Client(Namespaces):
    """An asynchronous client for the wolkvox API v2.

    The five first operations are methods of their own (``create_agent``,
    ``enable_agent``, ``list_agents``, ``dial``, ``agent_display``); every
    operation of the API is a method of its namespace, named and given its
    arguments as wolkvox's documentation names them:
    ``client.reports.cdr_1(date_ini=..., date_end=...)``,
    ``client.agentbox.change_status(agent_id="1001", status="ready")``.

    ``server`` (e.g. "0032"), ``token``, ``base_url`` and ``licences`` fall
    back to ``WOLKVOX_SERVER``, ``WOLKVOX_TOKEN``, ``WOLKVOX_BASE_URL`` and
    ``WOLKVOX_LICENCES`` (a number or "auto"; read only when neither
    ``licences`` nor ``daily_quota`` is given). The daily quota is ``licences`` x 1000 calls, or
    ``daily_quota``, or with ``licences="auto"`` the server's own limit
    (``information.token_info``, read before the first counted call of each
    quota day); with none, calls are counted but only the server's own
    refusal stops them. ``quota_reserve`` (a fraction) of it is kept for
    the interactive lane; ``on_quota_exhausted="wait"`` waits for the reset
    instead of raising. ``concurrency`` is the token's limit of simultaneous
    requests, shared with every other Client of the same token in this
    process. ``queue_timeout`` bounds how long a call waits for a slot
    (``QueueTimeoutError``) and ``max_queue`` how many may wait per lane
    (``QueueFullError``).

    ``timeout`` (seconds, an ``httpx.Timeout`` or None) applies to each HTTP
    exchange; when not given, a client passed as ``http_client`` keeps its
    own, otherwise it is 60 s. ``deadline`` (default 60 s, None for none)
    bounds a whole call from the moment it first gets a slot, retries
    included. ``max_retries`` is how often a failed call that cannot act
    twice is sent again (0: never). ``agents_cache_ttl`` is how long a
    ``list_agents`` answer is reused (0: never). ``event_hooks`` maps
    "slot_wait", "request", "response", "retry", "call" (once per call, at its
    end) and "window" to functions taking an event.
    ``priority``, ``queue_timeout``, ``deadline`` and ``max_retries`` may
    also be given per call. ``base_url`` replaces
    ``https://wv{server}.wolkvox.com`` (for the emulator, a proxy).
    ``engine`` is the HTTP library requests travel on: "httpx" (the
    default; runs on asyncio and trio) or "aiohttp" (the ``aiohttp`` extra;
    asyncio only, a third of the default's CPU per call); both keep every rule above.
    ``http_client`` (httpx engine only) sends through your own
    ``httpx.AsyncClient`` (its proxies, headers and hooks); otherwise the
    Client makes its own, with the process's one verifying SSL context
    unless ``ssl_context`` gives another.
    ``backend`` is where the token's slots and quota are kept: in this
    process's memory by default, or shared by several processes and hosts
    (``wolkvox_async.redis.RedisBackend``). ``max_response_size`` (bytes,
    decoded) replaces the largest answer read for every call (32 MiB by
    default; a report export 264 MiB).

    A Client belongs to the event loop (and thread) of its first call:
    make one per event loop; they share the token's slots and quota. Use it
    as an async context manager, or call ``aclose()``; it closes only the
    httpx client it created itself.
    """

    def __init__(
        self,
        server: str | None = None,
        token: str | None = None,
        *,
        licences: int | Literal["auto"] | None = None,
        daily_quota: int | None = None,
        concurrency: int = 2,
        queue_timeout: float | None = None,
        max_queue: int | None = None,
        quota_reserve: float = 0.0,
        on_quota_exhausted: Literal["raise", "wait"] = "raise",
        timeout: float | httpx.Timeout | _Unset | None = UNSET,
        deadline: float | _Unset | None = UNSET,
        max_retries: int = 3,
        agents_cache_ttl: float = AGENTS_CACHE_TTL,
        event_hooks: Mapping[str, Iterable[Hook]] | None = None,
        http_client: httpx.AsyncClient | None = None,
        engine: Literal["httpx", "aiohttp"] = "httpx",
        ssl_context: ssl.SSLContext | None = None,
        base_url: str | None = None,
        quota_timezone: str = DEFAULT_TIMEZONE,
        backend: Backend | None = None,
        max_response_size: int | None = None,
    ) -> None:
        self._settings = settings = resolve(
            server=server,
            token=token,
            licences=licences,
            daily_quota=daily_quota,
            concurrency=concurrency,
            queue_timeout=queue_timeout,
            max_queue=max_queue,
            quota_reserve=quota_reserve,
            on_quota_exhausted=on_quota_exhausted,
            timeout=timeout,
            deadline=deadline,
            max_retries=max_retries,
            agents_cache_ttl=agents_cache_ttl,
            event_hooks=event_hooks,
            own_http_client=http_client is None,
            base_url=base_url,
            quota_timezone=quota_timezone,
            max_response_size=max_response_size,
        )
        self._target = settings.target
        key = token_key(settings.target.token)
        target = settings.target
        self._cache_key = token_key(f"{target.token}\n{target.server}\n{target.base_url}")
        http_engine = _engine_for(engine, http_client, ssl_context, settings.http_timeout, target.base_url)
        if backend is None:
            backend = DEFAULT_BACKEND
        elif not callable(getattr(backend, "scheduler", None)):
            raise InvalidArgumentError(
                f"backend must be a wolkvox_async backend, got {type(backend).__name__}"
            )
        scheduler = backend.scheduler(key, settings.concurrency, settings.max_queue)
        self._transport = Transport(
            http_engine,
            scheduler,
            settings.quota,
            settings.target.token,
            settings.hooks,
            settings.max_response_size,
        )
        self._open_namespaces(self._perform)
        self._server_quota = ServerQuota(
            self._transport,
            lambda: self.information.token_info(),  # the namespaces load with the first call, not here
            limit_from_server=settings.quota_from_server,
        )
        if settings.quota_from_server:
            self._transport.before_counting(self._server_quota.before_counting)

    def __repr__(self) -> str:
        return f"Client(server={self._target.server!r}, base_url={self._target.base_url!r}, token=<hidden>)"

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
        """Close the Client (and the connections it opened); calls after this raise ``ClientClosedError``."""
        await self._transport.aclose()

    def quota(self) -> QuotaSnapshot:
        """The daily quota as last counted here, without I/O: used, limit, remaining, reserve, resets_at.

        With the in-memory backend this is the process's count; with a shared
        backend, the count as of this process's latest call (``fetch_quota``
        reads it now).
        """
        return self._transport.scheduler.quota(self._transport.policy, _quota.now())

    async def fetch_quota(self) -> QuotaSnapshot:
        """The daily quota as the backend counts it now: with a shared backend, every process's calls."""
        return await self._transport.scheduler.fetch_quota(self._transport.policy, _quota.now())

    async def sync_quota(self) -> QuotaSnapshot:
        """The quota after reading the server's own count (``information.token_info``, one call).

        Today's use is taken when it is higher than the local count; with
        ``licences="auto"`` the limit is taken too.
        """
        return await self._server_quota.sync()

    async def _perform(
        self,
        operation: Operation,
        arguments: Mapping[str, object],
        options: CallOptions,
        make: protocol.Build,
        stream: Stream | None = None,
    ) -> Any:
        """Any specified operation: its arguments checked, then sent within the token's limits.

        With ``stream``, a successful answer goes to its sink as it arrives.
        """
        self._transport.check_usable(operation.name)
        query, body, files = _arguments.split(operation, arguments, self._transport.policy.zone)
        secrets = tuple(
            str(arguments[p.python_name])
            for p in operation.params
            if is_secret_key(p.wire) and isinstance(arguments.get(p.python_name), str | int)
        )
        request = protocol.operation_request(self._target, operation, query, body, files, secrets)
        decode = protocol.decoder(operation, make)
        return await self._transport.send(request, decode, self._call(operation, options), stream=stream)

    async def _perform_streamed(
        self, operation: Operation, arguments: Mapping[str, object], options: CallOptions, stream: Stream
    ) -> Any:
        return await self._perform(operation, arguments, options, protocol.as_row, stream)

    async def _known_quota(self) -> QuotaSnapshot:
        """The quota as well as it can be known before a job: from the server first, with ``licences="auto"``."""
        if self._settings.quota_from_server and self._transport.policy.limit is None:
            await self._server_quota.before_counting()
        return await self.fetch_quota()

    def _call(self, operation: Operation, options: CallOptions) -> CallSettings:
        default = Priority.INTERACTIVE if operation.interactive else Priority.BULK
        return self._settings.call(
            default,
            options.get("priority"),
            options.get("queue_timeout", UNSET),
            options.get("deadline", UNSET),
            options.get("max_retries"),
        )

    async def request(
        self,
        script: str,
        api: str,
        *,
        method: Literal["GET", "POST", "PUT", "DELETE"] = "GET",
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        **options: Unpack[CallOptions],
    ) -> Any:
        """Call an operation the specification does not know yet (``script``, ``api=``), within the limits.

        Answers the parsed JSON (wolkvox's envelope, or what came), after the
        same error handling as every call. ``idempotent`` (default: only GET)
        decides whether a lost answer may be sent again; agentbox calls are
        free of quota and interactive, as their documentation says.
        """
        script = check.script(script)
        name = check.api_name(api)
        operation = Operation(
            f"{script.removesuffix('.php')}.{name}",
            method,
            script,
            name,
            method == "GET" if idempotent is None else bool(idempotent),
            script != "agentbox.php",
            query=tuple(Param(key, Kind.TEXT) for key in params or {}),
            interactive=script == "agentbox.php",
        )
        arguments = {param.python_name: (params or {})[param.wire] for param in operation.query}
        self._transport.check_usable(operation.name)
        query, _, _ = _arguments.split(operation, arguments, self._transport.policy.zone)
        request = protocol.operation_request(self._target, operation, query, check.json_body(json))
        return await self._transport.send(
            request, protocol.decode_any(operation), self._call(operation, options)
        )

    async def create_agent(
        self,
        *,
        dni: str,
        name: str,
        sso: str | None = None,
        password: str | Secret | None = None,
        priority: Priority | str | None = None,
        queue_timeout: float | _Unset | None = UNSET,
        deadline: float | _Unset | None = UNSET,
        max_retries: int | None = None,
    ) -> CreatedAgent:
        """Create an agent; wolkvox shows its password in this answer only.

        Without ``password`` the server makes one. ``sso`` (single sign-on)
        is optional, as wolkvox's page says: without it ``agent_sso`` is sent
        empty, as wolkvox's own example does. Never sent twice blindly:
        if the answer is lost, the dni is looked up; an agent found means it
        was created and its password is lost (``PasswordLostError``), none
        means it is safe to send again. With ``max_retries=0``, a lost answer
        raises ``OutcomeUnknownError`` instead.
        """
        wire_dni = check.required_text(dni, "dni")
        request = protocol.create_agent_request(
            self._target,
            dni=wire_dni,
            name=check.required_text(name, "name"),
            sso=check.optional_text(sso, "sso") or "",
            password=check.password(password),
        )
        call = self._settings.call(Priority.BULK, priority, queue_timeout, deadline, max_retries)

        async def reconcile(lost: WolkvoxError) -> None:
            await self._reconcile(wire_dni, call, lost)

        try:
            return await self._transport.send(request, protocol.decode_created_agent, call, reconcile)
        finally:
            agents_cache_for(self._cache_key).invalidate()

    async def _reconcile(self, dni: str, call: CallSettings, lost: WolkvoxError) -> None:
        """After a lost create_agent answer: raise if the dni is an agent now; return if it is safe to resend.

        ``lost`` is the lost answer, or the server refusing the dni as taken
        when it was sent again (then the first attempt made it). Runs within
        the call's deadline: its lookup has none of its own.
        """
        try:
            agents = await self.list_agents(refresh=True, priority=call.priority, deadline=None)
        except WolkvoxError:
            agents = None
        found = next((agent for agent in agents or () if agent.agent_dni == dni), None)
        if found is not None or isinstance(lost, ConflictError):
            agent_id = None if found is None else found.agent_id
            raise PasswordLostError(
                f"create_agent: agent {agent_id or 'with this dni'} was created but the answer, with its "
                "only copy of the password, was lost; set a new password in wolkvox",
                agent_id=agent_id,
            ) from lost
        if agents is None:
            raise lost

    async def enable_agent(
        self,
        agent_id: str | int,
        *,
        priority: Priority | str | None = None,
        queue_timeout: float | _Unset | None = UNSET,
        deadline: float | _Unset | None = UNSET,
        max_retries: int | None = None,
    ) -> Acknowledgement:
        """Allow a disabled agent to log in again. Idempotent, so retried."""
        request = protocol.enable_agent_request(self._target, agent_id=check.agent_id(agent_id))
        call = self._settings.call(Priority.BULK, priority, queue_timeout, deadline, max_retries)
        acknowledged = await self._transport.send(request, protocol.decode_enable_agent, call)
        agents_cache_for(self._cache_key).invalidate()
        return acknowledged

    async def list_agents(
        self,
        agent_id: str | int | None = None,
        *,
        refresh: bool = False,
        priority: Priority | str | None = None,
        queue_timeout: float | _Unset | None = UNSET,
        deadline: float | _Unset | None = UNSET,
        max_retries: int | None = None,
    ) -> tuple[Agent, ...]:
        """The agents report, or one agent's row; empty when nothing matches.

        Wolkvox asks that the report be read at most every 5 minutes, so an
        answer is reused for ``agents_cache_ttl`` seconds and concurrent
        callers share one request; ``refresh=True`` reads it now.
        """
        wanted = None if agent_id is None else check.agent_id(agent_id)
        request = protocol.list_agents_request(self._target, agent_id=wanted)
        call = self._settings.call(Priority.BULK, priority, queue_timeout, deadline, max_retries)

        async def read() -> tuple[Agent, ...]:
            return await self._transport.send(request, protocol.decode_agents, call)

        ttl = self._settings.agents_cache_ttl
        if not ttl:
            return await read()
        self._transport.check_usable(protocol.LIST_AGENTS.name)
        return await agents_cache_for(self._cache_key).get(wanted, ttl, read, refresh=refresh)

    async def dial(
        self,
        agent_id: str | int,
        phone: str | int,
        *,
        customer_id: str | int | None = None,
        customer_name: str | None = None,
        priority: Priority | str | None = None,
        queue_timeout: float | _Unset | None = UNSET,
        deadline: float | _Unset | None = UNSET,
        max_retries: int | None = None,
    ) -> DialResult:
        """Make the agent's softphone call ``phone``. Free of quota.

        Sent again only when it surely never left; once it may have reached
        the server, a lost answer raises ``OutcomeUnknownError``.
        ``phone`` keeps its digits: spaces, '-', '.', '(' and ')' are removed.
        """
        request = protocol.dial_request(
            self._target,
            agent_id=check.agent_id(agent_id),
            phone=check.phone(phone),
            customer_id=check.optional_text(customer_id, "customer_id"),
            customer_name=check.optional_text(customer_name, "customer_name"),
        )
        call = self._settings.call(Priority.INTERACTIVE, priority, queue_timeout, deadline, max_retries)
        return await self._transport.send(request, protocol.decode_dial, call)

    async def agent_display(
        self,
        agent_id: str | int,
        *,
        button: Button | str,
        display: Display | str,
        priority: Priority | str | None = None,
        queue_timeout: float | _Unset | None = UNSET,
        deadline: float | _Unset | None = UNSET,
        max_retries: int | None = None,
    ) -> Acknowledgement:
        """Show or hide a button of the agent's agentbox. Free of quota; idempotent, so retried."""
        request = protocol.agent_display_request(
            self._target,
            agent_id=check.agent_id(agent_id),
            button=check.choice(button, Button, "button"),
            display=check.choice(display, Display, "display"),
        )
        call = self._settings.call(Priority.INTERACTIVE, priority, queue_timeout, deadline, max_retries)
        return await self._transport.send(request, protocol.decode_agent_display, call)


def _engine_for(
    engine: str,
    http_client: httpx.AsyncClient | None,
    ssl_context: ssl.SSLContext | None,
    timeout: httpx.Timeout | None,
    base_url: str,
) -> Engine:
    """The engine ``Client(engine=, http_client=, ssl_context=)`` asks for, checked before anything runs."""
    if engine not in ("httpx", "aiohttp"):
        raise InvalidArgumentError(f"engine must be 'httpx' or 'aiohttp', got {engine!r}")
    if ssl_context is not None and not isinstance(ssl_context, ssl.SSLContext):
        raise InvalidArgumentError(f"ssl_context must be an ssl.SSLContext, got {type(ssl_context).__name__}")
    if http_client is not None:
        if not isinstance(http_client, httpx.AsyncClient):
            raise InvalidArgumentError(
                f"http_client must be an httpx.AsyncClient, got {type(http_client).__name__}"
            )
        if engine != "httpx":
            raise InvalidArgumentError("http_client is an httpx client: it needs engine='httpx'")
        if ssl_context is not None:
            raise InvalidArgumentError(
                "ssl_context is for the Client's own connections, not an http_client's"
            )
        return HttpxClientEngine(http_client, timeout)
    assert timeout is not None, "a Client's own connections always have a timeout"
    if engine == "aiohttp":
        from ._aiohttp_engine import AiohttpEngine

        return AiohttpEngine(timeout, ssl_context, base_url)
    return HttpxEngine(timeout, ssl_context, base_url)
