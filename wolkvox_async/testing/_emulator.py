"""The wolkvox API v2, emulated as a raw ASGI application with its state in memory.

It follows wolkvox's documentation, not any client's convenience: the checks
run in a gateway's order (token present, token valid, simultaneous requests,
daily quota), then the operation named by the path and ``api=`` (every one of
``wolkvox_async._spec.OPERATIONS``) checks its parameters against the spec and
answers in the envelope its catalogue example shows, with ``code`` an int, a
string or empty exactly as there. Refusals (401, 403) and injected faults cost
no quota; an answer the operation gave does, even a 4xx, unless the spec says
the operation is free (agentbox).

The modules beside this one hold the rest: ``_routing`` and ``_validation``
(the spec), ``_answers`` and ``_catalog`` (the envelopes), ``_rows`` and
``_generated`` (answers without state, reports), and one per family of state:
``_agents``, ``_skills``, ``_activity_codes``, ``_campaigns``, ``_recalls``,
``_dnc``.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import NamedTuple
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import anyio

from .._spec import Operation
from ._activity_codes import ActivityCode, ActivityCodes, CodeKey
from ._agents import BUTTONS, DISPLAYS, Action, Agents
from ._answers import BAD_REQUEST, Call, Handler, answer, one, refuse, script_error
from ._campaigns import CampaignRecord, Campaigns
from ._dnc import DncRecord, DoNotCall
from ._faults import FAULT_RESPONSES, Fault, FaultLike, FaultPlan, send_and_drop
from ._generated import Generated
from ._recalls import RecallRecord, Recalls
from ._routing import Routes, is_first, stats_key
from ._skills import SkillRecord, Skills
from ._state import AgentRecord, DialRecord, TokenState, TokenStats, new_password
from ._validation import Invalid, validate
from ._wire import Answer, Receive, Scope, Send, envelope, html_page, json_response, read_body, serve_lifespan

__all__ = ["BUTTONS", "DEFAULT_TOKEN", "DISPLAYS", "OPERATIONS", "Action", "Emulator"]

DEFAULT_TOKEN = "test-token"
OPERATIONS = ("create_agent", "enable_agent", "agents", "dial", "agent_display")
"""The five operations the emulator first served, by their ``api=`` names (their stats keys)."""

_CONFIGURATION, _AGENTBOX = "configuration.php", "agentbox.php"
_TOKEN_HEADER = b"wolkvox-token"
_FORBIDDEN = "FORBIDDEN"
_NO_SUCH_API = "THE API YOU WANT TO CONSULT DOES NOT EXIST"

_PAGE_NOT_FOUND = html_page(404, "404 Not Found")
_MISSING_TOKEN = json_response(401, envelope(401, "UNAUTHORIZED", "PLEASE ENTER THE WOLKVOX-TOKEN"))
_INVALID_TOKEN = json_response(403, envelope(403, _FORBIDDEN, "PLEASE VALIDATE TOKEN"))
_QUOTA_EXCEEDED = json_response(403, envelope(403, _FORBIDDEN, "TOKEN LIMIT EXCEEDED"))
_ROUTES = Routes()


class _Incoming(NamedTuple):
    method: str
    path: str
    query: dict[str, str]
    body: bytes
    content_type: str


class Emulator:
    """One wolkvox operation behind the API v2, as an ASGI app for uvicorn or ``httpx.ASGITransport``.

    Its state belongs to the operation, so all its tokens see the same agents,
    skills, activity codes, campaigns and their records, recalls and DNC list;
    limits and counters belong to each token. Tunable at any time:

    - ``latency`` and ``jitter`` (seconds): every request that gets past the
      concurrency check stays in progress ``latency ± uniform(jitter)`` before
      its answer, which makes simultaneous requests observable.
    - ``slow_seconds``: how long a ``Fault.SLOW`` request hangs before its 504.
    - ``concurrency``: the simultaneous-request limit given to tokens added from then on.
    - ``report_rows_per_day``: rows a report (any read over a ``date_ini``/
      ``date_end`` window) holds for each day of its window, 10 by default; 0
      makes reports answer wolkvox's 404 "no data". An answer holds at most
      60,000 rows, as wolkvox's do, and is streamed, never held whole.

    Stats (``calls``, ``accepted``), faults (``operations=``) and the action
    log name an operation by its key: the five first by their ``api=`` value
    (``"create_agent"``, ``"enable_agent"``, ``"agents"``, ``"dial"``,
    ``"agent_display"``), every other by its spec name (``"reports.cdr_1"``,
    ``"real_time.agents"``, ``"agentbox.hang"``); a request naming no known
    operation, by its raw ``api=`` value.

    ``clock`` returns an aware datetime; the quota day turns at midnight in
    ``timezone``. ``seed`` makes jitter, random faults and generated rows
    reproducible: a report's rows follow from (seed, operation, day).
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
        report_rows_per_day: int = 10,
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
        self._actions: list[Action] = []
        self._unauthorized = 0
        self._generated = Generated(0 if seed is None else seed, 0)
        self.report_rows_per_day = report_rows_per_day
        self._agents = Agents(self._actions, self._generated, first_agent_id)
        self._skills = Skills(self._actions, self._agents, self._generated)
        self._codes = ActivityCodes(self._actions, self._generated)
        self._campaigns = Campaigns(self._actions, self._skills, self._generated)
        self._recalls = Recalls(self._actions, self._agents, self._campaigns, self._generated)
        self._dnc = DoNotCall(self._actions, self._generated)
        self._first = self._agents.first_handlers()
        self._handlers: dict[str, Handler] = {
            **self._agents.handlers(_ROUTES.by_name),
            **self._skills.handlers(),
            **self._codes.handlers(),
            **self._campaigns.handlers(),
            **self._recalls.handlers(),
            **self._dnc.handlers(),
            "information.token_info": self._token_info,
        }
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

    @property
    def report_rows_per_day(self) -> int:
        return self._generated.rows_per_day

    @report_rows_per_day.setter
    def report_rows_per_day(self, rows: int) -> None:
        if rows < 0:
            raise ValueError(f"a report cannot hold {rows} rows a day")
        self._generated.rows_per_day = rows

    @property
    def report_row_cap(self) -> int:
        """The most rows a report answers (wolkvox's 60,000); a busier window is cut, silently, as wolkvox does."""
        return self._generated.row_cap

    @report_row_cap.setter
    def report_row_cap(self, rows: int) -> None:
        if rows < 1:
            raise ValueError(f"a report answers at least one row, not {rows}")
        self._generated.row_cap = rows

    @property
    def report_empty_days(self) -> frozenset[date]:
        """Days on which reports hold no row (a quiet holiday): a window of only these answers 404."""
        return self._generated.empty_days

    @report_empty_days.setter
    def report_empty_days(self, days: Iterable[date]) -> None:
        self._generated.empty_days = frozenset(days)

    def set_fault_rate(
        self,
        rate: float,
        kinds: Iterable[FaultLike] = (Fault.SERVER_ERROR,),
        *,
        operations: Iterable[str] | None = None,
    ) -> None:
        """Make each request (of ``operations`` only, by their keys, if given) fail with probability ``rate``."""
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

    # -- seeding state (no call, no quota, no action logged) -----------------------------------

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
        """Seed an agent directly, as if created long ago."""
        with self._lock:
            if dni in self._agents.ids_by_dni:
                raise ValueError(f"an agent with dni {dni!r} already exists")
            agent = self._agents.new(dni, name, sso, password or new_password())
            agent = self._agents.records[agent.agent_id] = replace(
                agent, enabled=enabled, status=status, last_use=last_use
            )
        return agent

    def set_agent_status(self, agent_id: str, status: str, *, last_use: str | None = None) -> AgentRecord:
        """Change what the agents report says of an agent; ``last_use`` defaults to now."""
        with self._lock:
            agent = self._agents.records[agent_id] = replace(
                self._agents.records[agent_id],
                status=status,
                last_use=self._timestamp() if last_use is None else last_use,
            )
        return agent

    def add_skill(
        self, name: str, *, description: str = "", members: Mapping[str, str] | None = None
    ) -> SkillRecord:
        """Seed a skill; ``members`` maps known agent ids to their expertise."""
        with self._lock:
            unknown = set(members or ()) - set(self._agents.records)
            if unknown:
                raise ValueError(f"no such agents: {', '.join(sorted(unknown))}")
            skill = self._skills.new(name, description=description)
            skill = self._skills.records[skill.skill_id] = replace(
                skill, members=MappingProxyType(dict(members or {}))
            )
        return skill

    def add_activity_code(
        self, cod_act: str, description: str = "", *, type_code: str = "cod_act1"
    ) -> ActivityCode:
        with self._lock:
            code = self._codes.records[type_code, cod_act] = ActivityCode(type_code, cod_act, description)
        return code

    def add_campaign(
        self,
        name: str,
        type_campaign: str = "predictive",
        *,
        skill_id: str = "",
        records: Iterable[Mapping[str, object]] = (),
    ) -> CampaignRecord:
        """Seed a campaign, with customer ``records`` as add_record would upload them."""
        with self._lock:
            if skill_id and skill_id not in self._skills.records:
                raise ValueError(f"no such skill: {skill_id}")
            campaign = self._campaigns.new(name, type_campaign, skill_id=skill_id)
            stored = tuple(MappingProxyType(dict(record)) for record in records)
            campaign = self._campaigns.records[campaign.campaign_id] = replace(campaign, records=stored)
        return campaign

    # -- observation ---------------------------------------------------------------------------

    @property
    def agents(self) -> Mapping[str, AgentRecord]:
        """A read-only snapshot of the operation's agents by id."""
        with self._lock:
            return self._agents.snapshot()

    @property
    def skills(self) -> Mapping[str, SkillRecord]:
        """A read-only snapshot of the skills by id, each with its members."""
        with self._lock:
            return self._skills.snapshot()

    @property
    def activity_codes(self) -> Mapping[CodeKey, ActivityCode]:
        """A read-only snapshot of the activity codes by ``(type_code, cod_act)``."""
        with self._lock:
            return self._codes.snapshot()

    @property
    def campaigns(self) -> Mapping[str, CampaignRecord]:
        """A read-only snapshot of the campaigns by id, each with its records."""
        with self._lock:
            return self._campaigns.snapshot()

    @property
    def recalls(self) -> list[RecallRecord]:
        with self._lock:
            return self._recalls.snapshot()

    @property
    def dnc(self) -> list[DncRecord]:
        """The Do Not Call list, one entry per telephone and direction."""
        with self._lock:
            return self._dnc.snapshot()

    @property
    def actions(self) -> list[Action]:
        """Everything the API did, in order, each led by its operation's key: ``("create_agent", agent_id,
        dni)``, ``("enable_agent", agent_id)``, ``("dial", agent_id, phone, conn_id)``, ``("agent_display",
        agent_id, display, button)``, ``("configuration.create_skill", skill_id, name)``,
        ``("campaign.add_record", campaign_id, count)``, ``("agentbox.hang", agent_id)``, ..."""
        with self._lock:
            return list(self._actions)

    def dials_for(self, agent_id: str) -> list[DialRecord]:
        with self._lock:
            return [dial for dial in self._agents.dials if dial.agent_id == agent_id]

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
        """Forget counters, the action log and the dials; state and quota stay."""
        with self._lock:
            for state in self._tokens.values():
                state.reset_stats()
            self._actions.clear()
            self._agents.dials.clear()
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
        if path not in _ROUTES.paths:
            return await _PAGE_NOT_FOUND.send(send)
        token = _header(scope, _TOKEN_HEADER)
        state = self._tokens.get(token) if token else None
        if state is None:
            with self._lock:
                self._unauthorized += 1
            return await (_INVALID_TOKEN if token else _MISSING_TOKEN).send(send)
        query = _parse_query(scope["query_string"])
        op = _ROUTES.find(path, query.get("api", ""))
        key = stats_key(op) if op else query.get("api", "")
        with self._lock:
            state.calls[key] += 1
            entered = state.enter()
        if not entered:
            message = f"EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN ({state.concurrency})"
            return await json_response(403, envelope(403, _FORBIDDEN, message)).send(send)
        try:
            incoming = _Incoming(scope["method"], path, query, body, _header(scope, b"content-type"))
            await self._serve(state, op, key, incoming, send)
        finally:
            with self._lock:
                state.in_flight -= 1

    async def _serve(
        self, state: TokenState, op: Operation | None, key: str, incoming: _Incoming, send: Send
    ) -> None:
        with self._lock:
            fault = self._faults.pick(key, self._rng)
            if fault is not None:
                state.faults[fault.value] += 1
        delay = self._service_time() + (self.slow_seconds if fault is Fault.SLOW else 0.0)
        if delay > 0:
            await anyio.sleep(delay)
        if fault is not None and fault is not Fault.DROP_AFTER_ACTION:
            await FAULT_RESPONSES[fault].send(send)
            return
        with self._lock:
            response = self._answer(state, op, key, incoming)
        if fault is Fault.DROP_AFTER_ACTION:
            await send_and_drop(response, send)
        await response.send(send)

    def _answer(self, state: TokenState, op: Operation | None, key: str, incoming: _Incoming) -> Answer:
        """Charge the call unless the operation is free, then run it; any answer costs one call, a 4xx included."""
        script = incoming.path.rpartition("/")[2]
        costs = op.costs_quota if op is not None else script != _AGENTBOX
        if costs and not state.charge(self._today()):
            return _QUOTA_EXCEEDED
        state.accepted[key] += 1
        if op is None:
            return script_error(script, 400, BAD_REQUEST, _NO_SUCH_API)
        if incoming.method != op.method:
            message = f"THE METHOD {incoming.method} IS NOT ALLOWED FOR THIS API, USE {op.method}"
            headers = ((b"allow", op.method.encode()),)
            return script_error(script, 405, "METHOD NOT ALLOWED", message, headers=headers)
        if is_first(op):
            params = _json_object(incoming.body) if op.script == _CONFIGURATION else incoming.query
            return self._first[op.script, op.api](params)
        try:
            request = validate(op, incoming.query, incoming.body, incoming.content_type)
        except Invalid as invalid:
            return refuse(op, 400, BAD_REQUEST, invalid.msg)
        call = Call(op, request, state, self.now())
        return self._handlers.get(op.name, self._generated.answer)(call)

    def _service_time(self) -> float:
        if not self.jitter:
            return self.latency
        return max(0.0, self.latency + self._rng.uniform(-self.jitter, self.jitter))

    # -- operations on the tokens (called with the lock held) ---------------------------------

    def _token_info(self, call: Call) -> Answer:
        """The server's view of the calling token's quota: this call included, as it was charged before."""
        today = self._today()
        used = call.token.used_on(today)
        known = {
            "description": "wolkvox API token",
            "token_limit": str(call.token.daily_quota),
            "token_use_today": str(used),
            "all_token_today": str(sum(state.used_on(today) for state in self._tokens.values())),
            "available_consumption_options": str(max(0, call.token.daily_quota - used)),
        }
        row = self._generated.row(call.op, 0, call.now, known)
        return answer(call.op, call.fill(count=1), one(call.op, row))

    def _today(self) -> date:
        return self.now().date()

    def _timestamp(self) -> str:
        return self.now().strftime("%Y-%m-%d %H:%M:%S")


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
