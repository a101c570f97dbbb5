"""The wolkvox API v2, emulated as a raw ASGI application with its state in memory.

It follows wolkvox's documentation, not any client's convenience: the checks
run in a gateway's order (token present, token valid, simultaneous requests,
daily quota), then the operation answers in the envelope its page shows, with
``code`` an int, a string or empty exactly as there. Refusals (401, 403) and
injected faults cost no quota; an answer the operation gave does, even a 4xx.
"""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import NamedTuple
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import anyio

from ._faults import FAULT_RESPONSES, Fault, FaultLike, FaultPlan, send_and_drop
from ._state import AgentRecord, DialRecord, TokenState, TokenStats, is_valid_password, new_password
from ._wire import (
    Receive,
    Response,
    Scope,
    Send,
    envelope,
    html_page,
    json_response,
    read_body,
    serve_lifespan,
)

DEFAULT_TOKEN = "test-token"
OPERATIONS = ("create_agent", "enable_agent", "agents", "dial", "agent_display")
DISPLAYS = frozenset({"show", "hide"})
BUTTONS = frozenset({"hungup", "disposition", "dial"})

Action = tuple[str, ...]
Params = Mapping[str, object]

_PREFIX = "/api/v2/"
_CONFIGURATION, _INFORMATION, _AGENTBOX = "configuration.php", "information.php", "agentbox.php"
_SCRIPTS = frozenset({_CONFIGURATION, _INFORMATION, _AGENTBOX})
_TOKEN_HEADER = b"wolkvox-token"

_BAD_REQUEST, _NOT_FOUND, _FORBIDDEN = "BAD REQUEST", "NOT FOUND", "FORBIDDEN"
_NO_SUCH_API = "THE API YOU WANT TO CONSULT DOES NOT EXIST"
_PARAMETERS_REQUIRED = "SOME PARAMETERS ARE REQUIRED"
_WEAK_PASSWORD = "THE PASSWORD NEEDS AN UPPERCASE LETTER, A LOWERCASE LETTER, A NUMBER AND ONE OF !#%&*@"
_AGENT_NOT_FOUND = "AGENT NOT FOUND"

_PAGE_NOT_FOUND = html_page(404, "404 Not Found")
_MISSING_TOKEN = json_response(401, envelope(401, "UNAUTHORIZED", "PLEASE ENTER THE WOLKVOX-TOKEN"))
_INVALID_TOKEN = json_response(403, envelope(403, _FORBIDDEN, "PLEASE VALIDATE TOKEN"))
_QUOTA_EXCEEDED = json_response(403, envelope(403, _FORBIDDEN, "TOKEN LIMIT EXCEEDED"))


class _Route(NamedTuple):
    method: str
    handler: Callable[[Emulator, Params], Response]


class Emulator:
    """One wolkvox operation behind the API v2, as an ASGI app for uvicorn or ``httpx.ASGITransport``.

    Agents belong to the operation, so all its tokens see the same ones; limits
    and counters belong to each token. Tunable at any time:

    - ``latency`` and ``jitter`` (seconds): every request that gets past the
      concurrency check stays in progress ``latency ± uniform(jitter)`` before
      its answer, which makes simultaneous requests observable.
    - ``slow_seconds``: how long a ``Fault.SLOW`` request hangs before its 504.
    - ``concurrency``: the simultaneous-request limit given to tokens added from then on.

    ``clock`` returns an aware datetime; the quota day turns at midnight in
    ``timezone``. ``seed`` makes jitter and random faults reproducible.
    """

    def __init__(
        self,
        tokens: Mapping[str, int] | Iterable[str] | None = None,
        *,
        licences: int = 1,
        concurrency: int = 2,
        latency: float = 0.0,
        jitter: float = 0.0,
        slow_seconds: float = 5.0,
        clock: Callable[[], datetime] | None = None,
        timezone: str = "America/Bogota",
        first_agent_id: int = 1001,
        seed: int | None = None,
    ) -> None:
        self.latency = latency
        self.jitter = jitter
        self.slow_seconds = slow_seconds
        self.concurrency = concurrency
        self._clock = clock or _utc_now
        self._tz = ZoneInfo(timezone)
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._faults = FaultPlan()
        self._tokens: dict[str, TokenState] = {}
        self._agents: dict[str, AgentRecord] = {}
        self._agent_ids_by_dni: dict[str, str] = {}
        self._next_agent_id = first_agent_id
        self._dials: list[DialRecord] = []
        self._actions: list[Action] = []
        self._unauthorized = 0
        if tokens is None:
            tokens = {DEFAULT_TOKEN: licences}
        elif isinstance(tokens, str):
            tokens = [tokens]
        for token in tokens:
            self.add_token(token, tokens[token] if isinstance(tokens, Mapping) else licences)

    # -- configuration -------------------------------------------------------------------------

    def add_token(
        self, token: str, licences: int = 1, *, daily_quota: int | None = None, concurrency: int | None = None
    ) -> None:
        """Accept ``token``, with a daily quota of ``licences`` × 1000 calls unless given outright."""
        if not token:
            raise ValueError("a token cannot be empty")
        state = TokenState(
            licences=licences,
            daily_quota=licences * 1000 if daily_quota is None else daily_quota,
            concurrency=self.concurrency if concurrency is None else concurrency,
        )
        with self._lock:
            self._tokens[token] = state

    def set_quota_used(self, token: str, used: int) -> None:
        """Start the token's day as if ``used`` calls had already been made today."""
        with self._lock:
            state = self._tokens[token]
            state.used_on(self._today())
            state.quota_used = used

    def set_fault_rate(
        self,
        rate: float,
        kinds: Iterable[FaultLike] = (Fault.SERVER_ERROR,),
        *,
        operations: Iterable[str] | None = None,
    ) -> None:
        """Make each request (of ``operations`` only, if given) fail with probability ``rate``."""
        with self._lock:
            self._faults.set_rate(rate, kinds, operations)

    def queue_faults(self, *kinds: FaultLike, operations: Iterable[str] | None = None) -> None:
        """Make the next matching requests fail, one fault each, in order; they go before any rate."""
        with self._lock:
            self._faults.queue(kinds, operations)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def pending_faults(self) -> int:
        """Queued faults not yet consumed."""
        return self._faults.pending

    def add_agent(
        self,
        dni: str,
        name: str,
        sso: str = "",
        *,
        password: str | None = None,
        enabled: bool = True,
        status: str = "offline",
        last_use: str = "",
    ) -> AgentRecord:
        """Seed an agent directly, as if created long ago: no call, no quota, no action logged."""
        with self._lock:
            if dni in self._agent_ids_by_dni:
                raise ValueError(f"an agent with dni {dni!r} already exists")
            agent = self._new_agent(dni, name, sso, password or new_password())
            agent = self._agents[agent.agent_id] = replace(
                agent, enabled=enabled, status=status, last_use=last_use
            )
        return agent

    def set_agent_status(self, agent_id: str, status: str, *, last_use: str | None = None) -> AgentRecord:
        """Change what the agents report says of an agent; ``last_use`` defaults to now."""
        with self._lock:
            agent = self._agents[agent_id] = replace(
                self._agents[agent_id],
                status=status,
                last_use=self._timestamp() if last_use is None else last_use,
            )
        return agent

    # -- observation ---------------------------------------------------------------------------

    @property
    def agents(self) -> Mapping[str, AgentRecord]:
        """A read-only snapshot of the operation's agents by id."""
        with self._lock:
            return MappingProxyType(dict(self._agents))

    @property
    def actions(self) -> list[Action]:
        """Everything the API did, in order: ``("create_agent", agent_id, dni)``,
        ``("enable_agent", agent_id)``, ``("dial", agent_id, phone, conn_id)``,
        ``("agent_display", agent_id, display, button)``."""
        with self._lock:
            return list(self._actions)

    def dials_for(self, agent_id: str) -> list[DialRecord]:
        with self._lock:
            return [dial for dial in self._dials if dial.agent_id == agent_id]

    def stats(self, token: str | None = None) -> TokenStats:
        """One token's counters; ``token`` may be left out when there is only one."""
        with self._lock:
            if token is None:
                if len(self._tokens) != 1:
                    raise ValueError("name the token: this emulator has several")
                (state,) = self._tokens.values()
            else:
                state = self._tokens[token]
            return state.snapshot(self._today())

    @property
    def unauthorized(self) -> int:
        """Requests refused for a missing or unknown token."""
        return self._unauthorized

    def reset_stats(self) -> None:
        """Forget counters, the action log and the dials; agents and quota stay, being state."""
        with self._lock:
            for state in self._tokens.values():
                state.reset_stats()
            self._actions.clear()
            self._dials.clear()
            self._unauthorized = 0

    def now(self) -> datetime:
        """The emulator's clock, in its quota time zone."""
        return self._clock().astimezone(self._tz)

    # -- ASGI ----------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await serve_lifespan(receive, send)
        if scope["type"] != "http":
            raise RuntimeError(f"the wolkvox emulator speaks HTTP only, not {scope['type']}")
        body = await read_body(receive)
        path: str = scope["path"]
        script = path[len(_PREFIX) :]
        if not path.startswith(_PREFIX) or script not in _SCRIPTS:
            return await _PAGE_NOT_FOUND.send(send)
        token = _header(scope, _TOKEN_HEADER)
        state = self._tokens.get(token) if token else None
        if state is None:
            with self._lock:
                self._unauthorized += 1
            return await (_INVALID_TOKEN if token else _MISSING_TOKEN).send(send)
        query = _parse_query(scope["query_string"])
        api = query.get("api", "")
        with self._lock:
            state.calls[api] += 1
            entered = state.enter()
        if not entered:
            message = f"EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN ({state.concurrency})"
            return await json_response(403, envelope(403, _FORBIDDEN, message)).send(send)
        try:
            params = _json_object(body) if script == _CONFIGURATION else query
            await self._serve(state, script, api, scope["method"], params, send)
        finally:
            with self._lock:
                state.in_flight -= 1

    async def _serve(
        self, state: TokenState, script: str, api: str, method: str, params: Params, send: Send
    ) -> None:
        with self._lock:
            fault = self._faults.pick(api, self._rng)
            if fault is not None:
                state.faults[fault.value] += 1
        delay = self._service_time() + (self.slow_seconds if fault is Fault.SLOW else 0.0)
        if delay > 0:
            await anyio.sleep(delay)
        if fault is not None and fault is not Fault.DROP_AFTER_ACTION:
            await FAULT_RESPONSES[fault].send(send)
            return
        with self._lock:
            response = self._answer(state, script, api, method, params)
        if fault is Fault.DROP_AFTER_ACTION:
            await send_and_drop(response, send)
        await response.send(send)

    def _answer(self, state: TokenState, script: str, api: str, method: str, params: Params) -> Response:
        """Charge the call, then run it; any answer costs one call, a 4xx included, but agentbox calls are free."""
        if script != _AGENTBOX and not state.charge(self._today()):
            return _QUOTA_EXCEEDED
        state.accepted[api] += 1
        route = _ROUTES.get((script, api))
        if route is None:
            return _error(script, 400, _BAD_REQUEST, _NO_SUCH_API)
        if method != route.method:
            message = f"THE METHOD {method} IS NOT ALLOWED FOR THIS API, USE {route.method}"
            return _error(
                script, 405, "METHOD NOT ALLOWED", message, headers=((b"allow", route.method.encode()),)
            )
        return route.handler(self, params)

    def _service_time(self) -> float:
        if not self.jitter:
            return self.latency
        return max(0.0, self.latency + self._rng.uniform(-self.jitter, self.jitter))

    # -- operations (called with the lock held) ------------------------------------------------

    def _create_agent(self, params: Params) -> Response:
        dni, name, sso = (_text(params, key) for key in ("agent_dni", "agent_name", "agent_sso"))
        if not (dni and name and sso):
            return _error(_CONFIGURATION, 400, _BAD_REQUEST, _PARAMETERS_REQUIRED)
        password = _text(params, "agent_pass") or new_password()
        if not is_valid_password(password):
            return _error(_CONFIGURATION, 400, _BAD_REQUEST, _WEAK_PASSWORD)
        if dni in self._agent_ids_by_dni:
            return _error(_CONFIGURATION, 404, _NOT_FOUND, "THE AGENT IS ALREADY REGISTERED")
        agent = self._new_agent(dni, name, sso, password)
        self._actions.append(("create_agent", agent.agent_id, dni))
        created = [{"agent_id": agent.agent_id, "password": password}]
        return json_response(200, envelope(201, None, "Agent has been created", data=created))

    def _enable_agent(self, params: Params) -> Response:
        agent_id = _text(params, "agent_id")
        if not agent_id:
            return _error(_CONFIGURATION, 400, _BAD_REQUEST, _PARAMETERS_REQUIRED)
        agent = self._agents.get(agent_id)
        if agent is None:
            return _error(_CONFIGURATION, 404, _NOT_FOUND, _AGENT_NOT_FOUND)
        self._agents[agent_id] = replace(agent, enabled=True)
        self._actions.append(("enable_agent", agent_id))
        return json_response(200, envelope(202, None, f"{agent_id} agent has been enabled"))

    def _list_agents(self, params: Params) -> Response:
        wanted = _text(params, "agent")
        rows = [
            agent.report_row() for agent in self._agents.values() if not wanted or agent.agent_id == wanted
        ]
        if not rows:
            return _error(_INFORMATION, 404, _NOT_FOUND, "NO RECORDS WERE FOUND", data=[])
        return json_response(200, envelope("", None, f"{len(rows)} records were found", data=rows))

    def _dial(self, params: Params) -> Response:
        agent_id, phone = _text(params, "agent_id"), _text(params, "customer_phone")
        if not (agent_id and phone):
            return _error(_AGENTBOX, 400, _BAD_REQUEST, _PARAMETERS_REQUIRED)
        if agent_id not in self._agents:
            return _error(_AGENTBOX, 404, _NOT_FOUND, _AGENT_NOT_FOUND)
        conn_id = uuid.uuid4().hex
        customer_id, customer_name = _text(params, "customer_id"), _text(params, "customer_name")
        self._dials.append(DialRecord(agent_id, phone, customer_id, customer_name, conn_id))
        self._actions.append(("dial", agent_id, phone, conn_id))
        return json_response(
            200, envelope("200", None, "Dial has been successful", data={"conn_id": conn_id})
        )

    def _agent_display(self, params: Params) -> Response:
        agent_id, display, button = (_text(params, key) for key in ("agent_id", "display", "button"))
        if not agent_id or display not in DISPLAYS or button not in BUTTONS:
            return _error(_AGENTBOX, 400, _BAD_REQUEST, _PARAMETERS_REQUIRED)
        agent = self._agents.get(agent_id)
        if agent is None:
            return _error(_AGENTBOX, 404, _NOT_FOUND, _AGENT_NOT_FOUND)
        hidden = agent.hidden_buttons | {button} if display == "hide" else agent.hidden_buttons - {button}
        self._agents[agent_id] = replace(agent, hidden_buttons=hidden)
        self._actions.append(("agent_display", agent_id, display, button))
        return json_response(200, envelope("200", None, "default", data=f"Agentbox has been {display}"))

    def _new_agent(self, dni: str, name: str, sso: str, password: str) -> AgentRecord:
        agent_id = str(self._next_agent_id)
        self._next_agent_id += 1
        agent = self._agents[agent_id] = AgentRecord(agent_id, name, dni, sso, password)
        self._agent_ids_by_dni[dni] = agent_id
        return agent

    def _today(self) -> date:
        return self.now().date()

    def _timestamp(self) -> str:
        return self.now().strftime("%Y-%m-%d %H:%M:%S")


_ROUTES: dict[tuple[str, str], _Route] = {
    (_CONFIGURATION, "create_agent"): _Route("POST", Emulator._create_agent),
    (_CONFIGURATION, "enable_agent"): _Route("PUT", Emulator._enable_agent),
    (_INFORMATION, "agents"): _Route("GET", Emulator._list_agents),
    (_AGENTBOX, "dial"): _Route("POST", Emulator._dial),
    (_AGENTBOX, "agent_display"): _Route("POST", Emulator._agent_display),
}


def _error(
    script: str,
    status: int,
    error: str,
    msg: str,
    *,
    headers: tuple[tuple[bytes, bytes], ...] = (),
    **data: object,
) -> Response:
    """An error from the script itself: agentbox.php writes its codes as strings, the others as ints."""
    code: int | str = str(status) if script == _AGENTBOX else status
    return json_response(status, envelope(code, error, msg, **data), headers)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1").strip()
    return ""


def _parse_query(query_string: bytes) -> dict[str, str]:
    """The first value of each parameter, blanks kept, as PHP's ``$_GET`` would hold them."""
    return {key: values[0] for key, values in parse_qs(query_string.decode("latin-1"), True).items()}


def _json_object(body: bytes) -> dict[str, object]:
    """The JSON body's fields; a body that is no JSON object gives none, so its parameters are missing."""
    try:
        value = json.loads(body)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _text(params: Params, key: str) -> str:
    """A parameter as the PHP server would read it: a non-blank string or a number; anything else is absent."""
    value = params.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    return ""
