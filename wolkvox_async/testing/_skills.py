"""Skills and the agents in them: created, edited, joined and left, and read back by three reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from ._agents import AGENT_NOT_FOUND, Action, Agents
from ._answers import Call, Handler, answer, no_data, not_found, one
from ._generated import Generated
from ._wire import Answer

SKILL_NOT_FOUND = "SKILL NOT FOUND"


@dataclass(frozen=True, slots=True)
class SkillRecord:
    """One skill as the operation stores it; ``members`` maps agent ids to their expertise."""

    skill_id: str
    name: str
    description: str = ""
    voicemail: str = ""
    welcome_message: str = ""
    vto: str = ""
    last_use: str = ""
    members: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


class Skills:
    def __init__(self, actions: list[Action], agents: Agents, generated: Generated) -> None:
        self._actions = actions
        self._agents = agents
        self._generated = generated
        self.records: dict[str, SkillRecord] = {}
        self._next_id = 1

    def handlers(self) -> dict[str, Handler]:
        return {
            "configuration.create_skill": self._create,
            "configuration.edit_skill": self._edit,
            "configuration.add_agents_skill": self._add_agent,
            "configuration.remove_agents_skill": self._remove_agent,
            "information.skills": self._list,
            "information.agents_in_skill": self._members,
            "real_time.skills": self._real_time,
        }

    def new(self, name: str, description: str = "", last_use: str = "") -> SkillRecord:
        skill_id = str(self._next_id)
        self._next_id += 1
        skill = self.records[skill_id] = SkillRecord(skill_id, name, description, last_use=last_use)
        return skill

    def snapshot(self) -> Mapping[str, SkillRecord]:
        return MappingProxyType(dict(self.records))

    def _create(self, call: Call) -> Answer:
        skill = self.new(call.text("skill_name"), last_use=call.now.strftime("%Y-%m-%d %H:%M:%S"))
        skill = self.records[skill.skill_id] = _edited(call, skill)
        self._actions.append((call.key, skill.skill_id, skill.name))
        row = self._generated.row(call.op, 0, call.now, {"skill_id": skill.skill_id})
        return answer(call.op, call.fill(count=1, skill_id=skill.skill_id), one(call.op, row))

    def _edit(self, call: Call) -> Answer:
        skill = self.records.get(call.text("skill_id"))
        if skill is None:
            return not_found(call.op, SKILL_NOT_FOUND)
        self.records[skill.skill_id] = _edited(call, skill)
        self._actions.append((call.key, skill.skill_id))
        return answer(call.op, call.fill())

    def _add_agent(self, call: Call) -> Answer:
        skill = self.records.get(call.text("skill_id"))
        agent_id = call.text("agent_id")
        if skill is None:
            return not_found(call.op, SKILL_NOT_FOUND)
        if agent_id not in self._agents.records:
            return not_found(call.op, AGENT_NOT_FOUND)
        members = {**skill.members, agent_id: call.text("expertise")}
        self.records[skill.skill_id] = replace(skill, members=MappingProxyType(members))
        self._actions.append((call.key, skill.skill_id, agent_id))
        return answer(call.op, call.fill())

    def _remove_agent(self, call: Call) -> Answer:
        skill = self.records.get(call.text("skill_id"))
        agent_id = call.text("agent_id")
        if skill is None:
            return not_found(call.op, SKILL_NOT_FOUND)
        if agent_id not in skill.members:
            return not_found(call.op, "THE AGENT IS NOT IN THE SKILL")
        members = {member: level for member, level in skill.members.items() if member != agent_id}
        self.records[skill.skill_id] = replace(skill, members=MappingProxyType(members))
        self._actions.append((call.key, skill.skill_id, agent_id))
        return answer(call.op, call.fill())

    def _list(self, call: Call) -> Answer:
        wanted = call.text("skill")
        rows = [
            self._row(call, skill, skill_description=skill.description)
            for skill in self.records.values()
            if not wanted or skill.skill_id == wanted
        ]
        if not rows:
            return no_data(call.op)
        return answer(call.op, call.fill(count=len(rows)), rows)

    def _members(self, call: Call) -> Answer:
        skill = self.records.get(call.text("skill_id"))
        if skill is None:
            return not_found(call.op, SKILL_NOT_FOUND)
        rows = []
        for agent_id, expertise in skill.members.items():
            agent = self._agents.records.get(agent_id)
            if agent is not None:
                values = {"agent_id": agent_id, "agent_name": agent.name, "last_use": agent.last_use}
                rows.append(
                    self._generated.row(call.op, int(agent_id), call.now, {**values, "expertise": expertise})
                )
        if not rows:
            return no_data(call.op)
        return answer(call.op, call.fill(count=len(rows)), rows)

    def _real_time(self, call: Call) -> Answer:
        skill = self.records.get(call.text("skill_id"))
        if skill is None:
            return not_found(call.op, SKILL_NOT_FOUND)
        return answer(call.op, call.fill(count=1), one(call.op, self._row(call, skill)))

    def _row(self, call: Call, skill: SkillRecord, **values: str) -> dict[str, object]:
        known = {"skill_id": skill.skill_id, "skill_name": skill.name, "last_use": skill.last_use, **values}
        return self._generated.row(call.op, int(skill.skill_id), call.now, known)


def _edited(call: Call, skill: SkillRecord) -> SkillRecord:
    """The skill with the fields the call gives."""
    return replace(
        skill,
        name=call.text("skill_name") or skill.name,
        description=call.text("description_skill") or skill.description,
        voicemail=call.text("voicemail") or skill.voicemail,
        welcome_message=call.text("welcome_message") or skill.welcome_message,
        vto=call.text("vto") or skill.vto,
    )
