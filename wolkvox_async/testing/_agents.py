"""The agents of the emulated operation: created, edited, enabled and disabled, reported, and driven by agentbox.

The five first operations (create_agent, enable_agent, the agents report,
dial, agent_display) keep the handlers they always had, reading their raw
parameters; the others get a validated ``Call``. Every agentbox call needs a
known agent (404 "AGENT NOT FOUND" otherwise) and is logged.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType

from .._spec import Operation
from ._answers import BAD_REQUEST, NOT_FOUND, Call, Handler, answer, no_data, not_found, refuse, script_error
from ._generated import Generated
from ._routing import is_first
from ._state import AgentRecord, DialRecord, is_valid_password, new_password
from ._validation import PARAMETERS_REQUIRED, as_text
from ._wire import Answer, Response, envelope, json_response

Action = tuple[str, ...]
Params = Mapping[str, object]
FirstHandler = Callable[[Params], Response]

DISPLAYS = frozenset({"show", "hide"})
BUTTONS = frozenset({"hungup", "disposition", "dial"})
AGENT_NOT_FOUND = "AGENT NOT FOUND"
WEAK_PASSWORD = "THE PASSWORD NEEDS AN UPPERCASE LETTER, A LOWERCASE LETTER, A NUMBER AND ONE OF !#%&*@"
ALREADY_REGISTERED = "THE AGENT IS ALREADY REGISTERED"

_CONFIGURATION, _INFORMATION, _AGENTBOX = "configuration.php", "information.php", "agentbox.php"
_DETAIL = {
    "change_status": "status",
    "dtmf": "tones",
    "transfer": "customer_phone",
    "aux_call": "customer_phone",
    "type": "cod_act",
    "hang_type_ready": "cod_act",
}
"""The parameter an agentbox action's log entry names besides the agent."""


class Agents:
    """The operation's agents by id, and the dials made; records are replaced, never mutated."""

    def __init__(self, actions: list[Action], generated: Generated, first_id: int) -> None:
        self._actions = actions
        self._generated = generated
        self.records: dict[str, AgentRecord] = {}
        self.ids_by_dni: dict[str, str] = {}
        self.next_id = first_id
        self.dials: list[DialRecord] = []

    def first_handlers(self) -> dict[tuple[str, str], FirstHandler]:
        """The five first operations' handlers, by script and ``api=``."""
        return {
            (_CONFIGURATION, "create_agent"): self._create_agent,
            (_CONFIGURATION, "enable_agent"): self._enable_agent,
            (_INFORMATION, "agents"): self._list_agents,
            (_AGENTBOX, "dial"): self._dial,
            (_AGENTBOX, "agent_display"): self._agent_display,
        }

    def handlers(self, operations: Mapping[str, Operation]) -> dict[str, Handler]:
        """The other agent operations, and every agentbox one that no other family claims."""
        handlers: dict[str, Handler] = {
            "configuration.disable_agent": self._disable_agent,
            "configuration.edit_agent": self._edit_agent,
            "real_time.agents": self._real_time,
        }
        for name, op in operations.items():
            if (
                op.namespace == "agentbox"
                and not is_first(op)
                and any(p.wire == "agent_id" for p in op.query)
            ):
                handlers[name] = self._agentbox
        return handlers

    def new(self, dni: str, name: str, sso: str, password: str) -> AgentRecord:
        agent_id = str(self.next_id)
        self.next_id += 1
        agent = self.records[agent_id] = AgentRecord(agent_id, name, dni, sso, password)
        self.ids_by_dni[dni] = agent_id
        return agent

    def snapshot(self) -> Mapping[str, AgentRecord]:
        return MappingProxyType(dict(self.records))

    # -- the five first operations -------------------------------------------------------------

    def _create_agent(self, params: Params) -> Response:
        dni, name, sso = (as_text(params.get(key)) for key in ("agent_dni", "agent_name", "agent_sso"))
        if not (dni and name):
            return script_error(_CONFIGURATION, 400, BAD_REQUEST, PARAMETERS_REQUIRED)
        password = as_text(params.get("agent_pass")) or new_password()
        if not is_valid_password(password):
            return script_error(_CONFIGURATION, 400, BAD_REQUEST, WEAK_PASSWORD)
        if dni in self.ids_by_dni:
            return script_error(_CONFIGURATION, 404, NOT_FOUND, ALREADY_REGISTERED)
        agent = self.new(dni, name, sso, password)
        self._actions.append(("create_agent", agent.agent_id, dni))
        created = [{"agent_id": agent.agent_id, "password": password}]
        return json_response(200, envelope(201, None, "Agent has been created", data=created))

    def _enable_agent(self, params: Params) -> Response:
        agent_id = as_text(params.get("agent_id"))
        if not agent_id:
            return script_error(_CONFIGURATION, 400, BAD_REQUEST, PARAMETERS_REQUIRED)
        agent = self.records.get(agent_id)
        if agent is None:
            return script_error(_CONFIGURATION, 404, NOT_FOUND, AGENT_NOT_FOUND)
        self.records[agent_id] = replace(agent, enabled=True)
        self._actions.append(("enable_agent", agent_id))
        return json_response(200, envelope(202, None, f"{agent_id} agent has been enabled"))

    def _list_agents(self, params: Params) -> Response:
        wanted = as_text(params.get("agent"))
        rows = [
            agent.report_row() for agent in self.records.values() if not wanted or agent.agent_id == wanted
        ]
        if not rows:
            return script_error(_INFORMATION, 404, NOT_FOUND, "NO RECORDS WERE FOUND", data=[])
        return json_response(200, envelope("", None, f"{len(rows)} records were found", data=rows))

    def _dial(self, params: Params) -> Response:
        agent_id, phone = as_text(params.get("agent_id")), as_text(params.get("customer_phone"))
        if not (agent_id and phone):
            return script_error(_AGENTBOX, 400, BAD_REQUEST, PARAMETERS_REQUIRED)
        if agent_id not in self.records:
            return script_error(_AGENTBOX, 404, NOT_FOUND, AGENT_NOT_FOUND)
        conn_id = uuid.uuid4().hex
        customer_id, customer_name = as_text(params.get("customer_id")), as_text(params.get("customer_name"))
        self.dials.append(DialRecord(agent_id, phone, customer_id, customer_name, conn_id))
        self._actions.append(("dial", agent_id, phone, conn_id))
        return json_response(
            200, envelope("200", None, "Dial has been successful", data={"conn_id": conn_id})
        )

    def _agent_display(self, params: Params) -> Response:
        agent_id, display, button = (as_text(params.get(key)) for key in ("agent_id", "display", "button"))
        if not agent_id or display not in DISPLAYS or button not in BUTTONS:
            return script_error(_AGENTBOX, 400, BAD_REQUEST, PARAMETERS_REQUIRED)
        agent = self.records.get(agent_id)
        if agent is None:
            return script_error(_AGENTBOX, 404, NOT_FOUND, AGENT_NOT_FOUND)
        hidden = agent.hidden_buttons | {button} if display == "hide" else agent.hidden_buttons - {button}
        self.records[agent_id] = replace(agent, hidden_buttons=hidden)
        self._actions.append(("agent_display", agent_id, display, button))
        return json_response(200, envelope("200", None, "default", data=f"Agentbox has been {display}"))

    # -- the others ----------------------------------------------------------------------------

    def _disable_agent(self, call: Call) -> Answer:
        agent_id = call.text("agent_id")
        agent = self.records.get(agent_id)
        if agent is None:
            return not_found(call.op, AGENT_NOT_FOUND)
        self.records[agent_id] = replace(agent, enabled=False)
        self._actions.append((call.key, agent_id))
        return answer(call.op, call.fill())

    def _edit_agent(self, call: Call) -> Answer:
        agent_id = call.text("agent_id")
        agent = self.records.get(agent_id)
        if agent is None:
            return not_found(call.op, AGENT_NOT_FOUND)
        dni = call.text("agent_dni") or agent.dni
        password = call.text("agent_pass") or agent.password
        if not is_valid_password(password):
            return refuse(call.op, 400, BAD_REQUEST, WEAK_PASSWORD)
        if self.ids_by_dni.get(dni, agent_id) != agent_id:
            return not_found(call.op, ALREADY_REGISTERED)
        del self.ids_by_dni[agent.dni]
        self.ids_by_dni[dni] = agent_id
        sso = call.request.fields.get("agent_sso")
        self.records[agent_id] = replace(
            agent,
            dni=dni,
            name=call.text("agent_name") or agent.name,
            sso=agent.sso if sso is None else as_text(sso),
            password=password,
        )
        self._actions.append((call.key, agent_id))
        return answer(call.op, call.fill())

    def _real_time(self, call: Call) -> Answer:
        rows = [
            self._generated.row(
                call.op,
                int(agent.agent_id),
                call.now,
                {"agent_id": agent.agent_id, "agent_name": agent.name, "agent_status": agent.status},
            )
            for agent in self.records.values()
        ]
        if not rows:
            return no_data(call.op)
        return answer(call.op, call.fill(count=len(rows)), rows)

    def _agentbox(self, call: Call) -> Answer:
        agent_id = call.text("agent_id")
        agent = self.records.get(agent_id)
        if agent is None:
            return not_found(call.op, AGENT_NOT_FOUND)
        if call.op.api == "change_status":
            self.records[agent_id] = replace(agent, status=call.text("status"))
        detail = _DETAIL.get(call.op.api)
        self._actions.append((call.key, agent_id, *((call.text(detail),) if detail else ())))
        return self._generated.answer(call)
