"""Plausible values for any documented field, from its name alone and 64 random bits.

Ids are digits (agents from 1001), dates ``YYYY-mm-dd HH:MM:SS`` at the row's
moment, durations ``00:01:23``, flags yes or no, phones, names, counts,
percentages; a field whose example holds a list or an object gets that
structure, its leaves valued by their own names; anything else is text.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Final, NamedTuple

_MASK = (1 << 64) - 1
_DAY_SECONDS = 86_400


class Moment(NamedTuple):
    """A row's instant, already formatted the ways fields want it."""

    stamp: str
    """``YYYY-mm-dd HH:MM:SS``"""
    day: date
    seconds: int
    """Seconds since the day's midnight."""

    @classmethod
    def at(cls, when: datetime) -> Moment:
        seconds = when.hour * 3600 + when.minute * 60 + when.second
        return cls.of(when.date(), seconds)

    @classmethod
    def of(cls, day: date, seconds: int) -> Moment:
        return cls(f"{day.isoformat()} {_clock(seconds)}", day, seconds)


Value = Callable[[int, Moment], object]
"""A field's value from a number (64 random bits) and the row's moment."""


EPOCH: Final = Moment(f"{date(2026, 1, 1).isoformat()} 00:00:00", date(2026, 1, 1), 0)
"""The moment a table's values are made at: none of them depends on it."""


class Column(NamedTuple):
    """How a field is valued; ``per_row``: from the row's own number or moment, not from a table."""

    make: Value
    per_row: bool = False


def mix(number: int) -> int:
    """splitmix64's finaliser: any number to 64 well-spread bits."""
    z = (number + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


_FIRST_NAMES = ("Ana", "Luis", "María", "Carlos", "Sofía", "Andrés", "Valentina", "Jorge", "Camila", "Diego")
_LAST_NAMES = (
    "Ruiz",
    "Gómez",
    "Pérez",
    "Rodríguez",
    "López",
    "Martínez",
    "García",
    "Torres",
    "Díaz",
    "Vargas",
)
_CITIES = ("Bogotá", "Medellín", "Cali", "Barranquilla", "Cartagena", "Bucaramanga")
_STATUSES = ("ready", "busy", "acw", "aux", "offline")
_CALL_TYPES = ("inbound", "outbound", "internal")
_CHANNELS = ("whatsapp", "webchat", "facebook", "instagram", "email", "telegram")
_RESULTS = ("answer", "no-answer", "busy", "congestion", "failed", "answer-machine", "abandon")
_FEELINGS = ("positive", "neutral", "negative")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_YES_NO = frozenset(
    [
        "enabled",
        "hit",
        "rpc",
        "chat",
        "voice",
        "studio",
        "interactions",
        "is_public",
        "recycled",
        "turbo_dial",
        "enable_edition",
        "ivr_active",
        "chat_active",
        "interaction_active",
        "crm_active",
        "screen_recording",
        "greeting",
        "slow_to_greet",
        "greeting_agent_name",
        "go_to_agent",
        "customer_say_yes",
        "customer_say_no",
        "yes/no",
        "treatment",
        "abandon",
        "ring",
        "pbx",
        "video_call",
        "stereo_recording",
        "gamification",
        "text_analytics",
        "speech_analytics",
        "rsync",
        "wolkvox_storage",
        "blob_storage",
        "aws_s3",
        "intelligentdial",
        "bi",
        "customer_prot",
        "mr_wizard",
        "sso",
        "mailgun",
        "whatsapp",
        "facebook_page",
        "facebook_messenger",
        "instagram_page",
        "instagram_chat",
        "sms_bidireccional",
        "chat_web",
        "telegram",
        "crm",
        "email_active",
        "cobrowsing",
        "routing_recall",
        "amd_conf",
        "isdirectory",
        "voice_message",
    ]
)
_DATES = re.compile(r"(^|_)(date|fecha|created_at|updated|last_use|last_update|login|logout)(_|$)|^fecha")
_CLOCKS = frozenset({"start_time", "end_time", "close_time", "hora"})
_DURATIONS = re.compile(r"(^|_)(time|aht|tmo|asa|ata|att|acw|talk|duration|wait|hold|mute|silence)(_|$)|^aht")
_PERCENTS = re.compile(
    r"occupancy|ocupation|percent|service_level|penetration|accuracy|precision|by_abandon|cpu|ram"
)
_IDS = re.compile(r"(^|_)id($|_)|_id_|^id|conn_id|^rp_id$|^connector_id$")
_PHONES = re.compile(r"^tel|telephone|phone|^ani$|^dnis$|^destin|dial_phone|^to$")
_NAMES = re.compile(r"name|nombre|apellido|^user$|^from$|fromname|quality_analyst")
_THINGS = re.compile(r"skill|campaign|campaing|rp_|routing|connector|template|survey|encuesta")
_COUNTS = re.compile(
    r"calls|^inbound|^outbound|^internal|^hits?$|total|count|records|^answer|abandon|busy|failed|no_answer|"
    r"congestion|^clean$|^dial$|attempt|^items$|^units$|credits|cantidad|llamadas|^agents|chars|characters|"
    r"licenses|^size|minutes|storage|^points$|^evaluations|^surveys|^yes$|^no$|^ready$|^speed$|^page|^limit$|"
    r"^talk$|^average|^maximum|^minimum|^q\d+|^expertise$|^edad$|^age$|^calls_x_min$|^units$|affected|"
    r"^stat_|_seg$|^success$|^errors$|^ad_|^post_|uncode"
)


def value_of(field: str) -> Column:
    """How a field's values are made, from its name alone."""
    name = field.strip().lower()
    exact = _EXACT.get(name)
    if exact is not None:
        return Column(exact)
    if name in _YES_NO or name.endswith("_active"):
        return Column(lambda n, m: "yes" if n & 1 else "no")
    if name in _CLOCKS:
        return Column(lambda n, m: _clock(n % _DAY_SECONDS))
    if name.endswith("_time") or name.startswith("time"):
        return Column(lambda n, m: _clock(n % 900))
    if name == "hour":
        return Column(lambda n, m: f"{m.seconds // 3600:02d}", per_row=True)
    if name in ("day", "dia"):
        return Column(lambda n, m: m.day.isoformat(), per_row=True)
    if name == "month":
        return Column(lambda n, m: f"{m.day.month:02d}", per_row=True)
    if name == "day_of_week":
        return Column(lambda n, m: _WEEKDAYS[m.day.weekday()], per_row=True)
    if _DATES.search(name):
        return Column(lambda n, m: m.stamp, per_row=True)
    if _PERCENTS.search(name):
        return Column(lambda n, m: f"{n % 10_000 / 100:.2f}")
    if _DURATIONS.search(name):
        return Column(lambda n, m: _clock(n % 900))
    if _PHONES.search(name):
        return Column(lambda n, m: f"57300{n % 10_000_000:07d}")
    if _IDS.search(name):
        return _id(name)
    if "dni" in name:
        return Column(lambda n, m: str(10_000_000 + n % 90_000_000))
    if _NAMES.search(name):
        thing = _THINGS.search(name)
        if thing:
            title = thing[0].strip("_").capitalize()
            return Column(lambda n, m: f"{title} {n % 20 + 1}")
        return Column(lambda n, m: f"{_FIRST_NAMES[n % 10]} {_LAST_NAMES[n // 10 % 10]}")
    if _COUNTS.search(name):
        return Column(lambda n, m: str(n % 200))
    return Column(lambda n, m: f"{field} {n % 1000}")


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _id(name: str) -> Column:
    """Agent extensions from 1001, calls (their own per row), customers' documents, other small ids."""
    if "agent" in name:
        return Column(lambda n, m: str(1001 + n % 50))
    if "conn" in name or "call" in name or "session" in name:
        return Column(lambda n, m: str(100_000_000_000 + n % 900_000_000_000), per_row=True)
    if "customer" in name or "cliente" in name:
        return Column(lambda n, m: str(1_000_000_000 + n % 9_000_000_000))
    return Column(lambda n, m: str(1 + n % 9_999))


def _choice(values: Sequence[str]) -> Value:
    return lambda n, m: values[n % len(values)]


_EXACT: Final[Mapping[str, Value]] = {
    "agent_status": _choice(_STATUSES),
    "status": _choice(("active", "inactive")),
    "estado_chat": _choice(("open", "closed")),
    "type_call": _choice(_CALL_TYPES),
    "type_interaction": _choice(_CALL_TYPES),
    "type": _choice(("inbound", "outbound")),
    "type_campaign": _choice(("predictive", "preview")),
    "type_camp": _choice(("predictive", "preview")),
    "dial_mode": _choice(("predictive", "preview")),
    "type_recall": _choice(("auto", "manual")),
    "type_code": _choice(("cod_act1", "cod_act2")),
    "channel": _choice(_CHANNELS),
    "canal": _choice(_CHANNELS),
    "chanel": _choice(_CHANNELS),
    "result": _choice(_RESULTS),
    "resultado": _choice(_RESULTS),
    "call_result": _choice(_RESULTS),
    "skill_result": _choice(_RESULTS),
    "hang_up": _choice(("agent", "customer")),
    "hung_up": _choice(("agent", "customer")),
    "gender": _choice(("M", "F")),
    "sexo": _choice(("M", "F")),
    "feeling": _choice(_FEELINGS),
    "country": _choice(("CO",)),
    "pais": _choice(("CO",)),
    "city": _choice(_CITIES),
    "ciudad": _choice(_CITIES),
    "ip": lambda n, m: f"10.{n % 256}.{n // 256 % 256}.{n // 65_536 % 254 + 1}",
    "by_ip": lambda n, m: f"10.0.{n % 256}.{n // 256 % 254 + 1}",
    "email": lambda n, m: f"user{n % 10_000}@example.com",
    "customer_email": lambda n, m: f"user{n % 10_000}@example.com",
    "cod_act": lambda n, m: f"{n % 100:03d}",
    "cod_act_2": lambda n, m: f"{n % 100:03d}",
    "cod_rslt1": lambda n, m: f"{n % 100:03d}",
    "cod_rslt2": lambda n, m: f"{n % 100:03d}",
    "cost": lambda n, m: f"{n % 100_000 / 100:.2f}",
    "telephone_costs": lambda n, m: f"{n % 100_000 / 100:.2f}",
    "skill": lambda n, m: str(1 + n % 20),
    "campaign": lambda n, m: f"Campaign {n % 20 + 1}",
    "password": lambda n, m: f"Pw{n % 10_000:04d}*x",
    "language": _choice(("es", "en", "pt_BR")),
    "idiom": _choice(("es", "en", "pt_BR")),
    "category": _choice(("MARKETING", "UTILITY", "AUTHENTICATION")),
    "file_name": lambda n, m: f"file_{n % 1000}.pdf",
    "filename": lambda n, m: f"file_{n % 1000}.pdf",
    "full_name": lambda n, m: f"storage/file_{n % 1000}.pdf",
    "name_template": lambda n, m: f"template_{n % 100}",
    "template": lambda n, m: f"template_{n % 100}",
    "contenttype": _choice(("application/pdf", "image/png", "audio/wav")),
}


def structure_of(shape: object) -> Value:
    """Values for a field whose documented value is a list or an object, leaves valued by their names."""
    if isinstance(shape, dict):
        parts = [
            (key, zlib.crc32(key.encode()) | 1, structure_of(value) if value != "" else value_of(key).make)
            for key, value in shape.items()
        ]
        return lambda n, m: {key: make((n * salt >> 13) & _MASK, m) for key, salt, make in parts}
    if isinstance(shape, list):
        if not shape:
            return lambda n, m: []
        item = structure_of(shape[0]) if shape[0] != "" else value_of("text").make
        return lambda n, m: [item(mix(n + index), m) for index in range(2)]
    return value_of("text").make
