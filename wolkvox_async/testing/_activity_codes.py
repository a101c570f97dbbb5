"""Activity codes (dispositions) in their two groups, ``cod_act1`` and ``cod_act2``: created, edited, removed, listed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from ._agents import Action
from ._answers import Call, Handler, answer, no_data, not_found
from ._generated import Generated
from ._wire import Answer

CODE_NOT_FOUND = "ACTIVITY CODE NOT FOUND"
_FLAGS = ("hit", "rpc", "chat", "studio", "voice", "interactions")

CodeKey = tuple[str, str]
"""``(type_code, cod_act)``"""


@dataclass(frozen=True, slots=True)
class ActivityCode:
    type_code: str
    cod_act: str
    description: str = ""
    hit: str = "no"
    rpc: str = "no"
    chat: str = "no"
    studio: str = "no"
    voice: str = "no"
    interactions: str = "no"

    def row(self) -> dict[str, str]:
        flags = {flag: getattr(self, flag) for flag in _FLAGS}
        return {
            "cod_act": self.cod_act,
            "description_cod_act": self.description,
            "type_code": self.type_code,
            **flags,
        }


class ActivityCodes:
    def __init__(self, actions: list[Action], generated: Generated) -> None:
        self._actions = actions
        self._generated = generated
        self.records: dict[CodeKey, ActivityCode] = {}

    def handlers(self) -> dict[str, Handler]:
        return {
            "configuration.create_cod_act": self._create,
            "configuration.edit_cod_act": self._edit,
            "configuration.remove_cod_act": self._remove,
            "information.activity_codes": self._list,
        }

    def snapshot(self) -> Mapping[CodeKey, ActivityCode]:
        return MappingProxyType(dict(self.records))

    def _create(self, call: Call) -> Answer:
        key = (call.text("type_code"), call.text("cod_act"))
        if key in self.records:
            return not_found(call.op, "THE ACTIVITY CODE ALREADY EXISTS")
        self.records[key] = ActivityCode(*key, **_fields(call, ActivityCode(*key)))
        self._actions.append((call.key, *key))
        return answer(call.op, call.fill())

    def _edit(self, call: Call) -> Answer:
        key = (call.text("type_code"), call.text("cod_act"))
        code = self.records.get(key)
        if code is None:
            return not_found(call.op, CODE_NOT_FOUND)
        self.records[key] = replace(code, **_fields(call, code))
        self._actions.append((call.key, *key))
        return answer(call.op, call.fill())

    def _remove(self, call: Call) -> Answer:
        group = call.text("type_code")
        given = call.request.value("cod_act")
        names = [str(name) for name in given] if isinstance(given, list) else [call.text("cod_act")]
        keys = [(group, name) for name in names if (group, name) in self.records]
        if not keys:
            return not_found(call.op, CODE_NOT_FOUND)
        for key in keys:
            del self.records[key]
            self._actions.append((call.key, *key))
        return answer(call.op, call.fill(count=len(keys)))

    def _list(self, call: Call) -> Answer:
        wanted = call.text("cod_act")
        rows = [
            self._generated.row(call.op, index, call.now, code.row())
            for index, code in enumerate(self.records.values())
            if not wanted or code.cod_act == wanted
        ]
        if not rows:
            return no_data(call.op)
        return answer(call.op, call.fill(count=len(rows)), rows)


def _fields(call: Call, code: ActivityCode) -> dict[str, str]:
    """The description and flags given, over the code's current ones."""
    values = {flag: call.text(flag) or getattr(code, flag) for flag in _FLAGS}
    values["description"] = call.text("description_cod_act") or code.description
    return values
