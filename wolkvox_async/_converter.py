"""The library's own cattrs converter: wire dicts into models, leniently.

Wolkvox sends every value as a string but numbers sometimes slip through as
numbers, and the agents report grows fields over time. So text fields take
strings, numbers and null; unknown keys are kept in ``Agent.extra``. The
global cattrs converter is never touched, so users' own hooks are not ours.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from . import _models
from ._models import Agent, CreatedAgent, DialResult, Secret

if TYPE_CHECKING:
    import cattrs

__all__ = ["record", "structure", "text"]

T = TypeVar("T")


def text(value: Any, _: object = str) -> str:
    """A wire value as text: strings as they are, numbers printed, null as ""."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    raise TypeError(f"expected a string, got {type(value).__name__}")


@functools.cache
def _converter() -> cattrs.Converter:
    """Built at the first answer that needs it: cattrs costs more to import than most calls do."""
    import cattrs
    from cattrs.gen import make_dict_structure_fn, override

    for model in (Agent, CreatedAgent, DialResult):
        attrs.resolve_types(model, vars(_models))  # the package later names them as its own (__module__)
    converter = cattrs.Converter(detailed_validation=False, forbid_extra_keys=False)
    converter.register_structure_hook(str, text)
    converter.register_structure_hook(Secret, lambda value, _: Secret(text(value)))
    agent_fields = frozenset(a.name for a in attrs.fields(Agent)) - {"extra", "last_use_at"}
    structure_agent_fields = make_dict_structure_fn(
        Agent,
        converter,
        extra=override(struct_hook=lambda value, _: value),
        last_use_at=override(omit=True),
    )

    def structure_agent(obj: Any, cls: type[Agent]) -> Agent:
        if not isinstance(obj, dict):
            raise TypeError(f"an agent must be an object, got {type(obj).__name__}")
        extra = {key: value for key, value in obj.items() if key not in agent_fields}
        return structure_agent_fields({**obj, "extra": extra}, cls)

    converter.register_structure_hook(Agent, structure_agent)
    converter.register_structure_hook(CreatedAgent, make_dict_structure_fn(CreatedAgent, converter))
    converter.register_structure_hook(DialResult, make_dict_structure_fn(DialResult, converter))
    return converter


def structure(value: Any, cls: type[T]) -> T:
    """``value`` (a wire dict) as one of the hand-written models."""
    made: T = _converter().structure(value, cls)
    return made


def _field_text(value: Any) -> str:
    """A record's value as text: nested arrays and objects as their JSON."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return text(value)


def record(cls: type[T], row: Mapping[str, Any]) -> T:
    """A generated record model from a row as sent: each documented field as text, the row kept whole.

    ``cls.WIRE`` maps its attribute names to the wire's; ``as_sent`` keeps
    every field as it came, unknown ones included.
    """
    wire: Mapping[str, str] = getattr(cls, "WIRE")  # noqa: B009 (generated classes carry it)
    values = {name: _field_text(row[key]) for name, key in wire.items() if key in row}
    make: Any = cls
    made: T = make(**values, as_sent=MappingProxyType(dict(row)))
    return made
