"""The Do Not Call list: telephones blocked for inbound or outbound calls, added, removed and listed."""

from __future__ import annotations

from dataclasses import dataclass

from ._agents import Action
from ._answers import Call, Handler, answer, no_data, not_found, one
from ._generated import Generated
from ._validation import as_text
from ._wire import Answer

DIRECTIONS = ("inbound", "outbound")

DncKey = tuple[str, str]
"""``(telephone, direction)``"""


@dataclass(frozen=True, slots=True)
class DncRecord:
    telephone: str
    direction: str
    """``inbound`` or ``outbound``."""
    added: str
    """When it was added, ``YYYY-mm-dd HH:MM:SS``."""
    days_block: str = ""


class DoNotCall:
    def __init__(self, actions: list[Action], generated: Generated) -> None:
        self._actions = actions
        self._generated = generated
        self.records: dict[DncKey, DncRecord] = {}

    def handlers(self) -> dict[str, Handler]:
        return {
            "configuration.add_dnc": self._add,
            "configuration.remove_dnc": self._remove,
            "campaign.add_dnc": self._add_records,
            "information.get_dnc": self._list,
        }

    def snapshot(self) -> list[DncRecord]:
        return list(self.records.values())

    def _add(self, call: Call) -> Answer:
        phones = _phones(call.request.value("telephones"))
        directions = _directions(call.text("type_call"))
        for phone in phones:
            self._block(call, phone, directions)
        return answer(call.op, call.fill(count=len(phones)))

    def _add_records(self, call: Call) -> Answer:
        added = rejected = 0
        for record in call.request.records:
            phone = as_text(record.get("telephone")).strip()
            if not phone.isdigit() or (phone, "outbound") in self.records:
                rejected += 1
                continue
            self._block(call, phone, ("outbound",), as_text(record.get("days_block")))
            added += 1
        totals = {
            "total_added": str(added),
            "total_rejected": str(rejected),
            "total_sent": str(added + rejected),
        }
        row = self._generated.row(call.op, 0, call.now, totals)
        return answer(call.op, call.fill(count=added), one(call.op, row))

    def _remove(self, call: Call) -> Answer:
        phones = _phones(call.request.value("telephones"))
        keys = [
            (phone, d)
            for phone in phones
            for d in _directions(call.text("type"))
            if (phone, d) in self.records
        ]
        if not keys:
            return not_found(call.op, "THE TELEPHONES ARE NOT IN THE DNC LIST")
        for key in keys:
            del self.records[key]
            self._actions.append((call.key, *key))
        return answer(call.op, call.fill(count=len({phone for phone, _ in keys})))

    def _list(self, call: Call) -> Answer:
        directions = _directions(call.text("type"))
        rows = [
            self._generated.row(
                call.op,
                index,
                call.now,
                {"phone_number": r.telephone, "type": r.direction, "date_delete": r.added},
            )
            for index, r in enumerate(self.records.values())
            if r.direction in directions
        ]
        if not rows:
            return no_data(call.op)
        return answer(call.op, call.fill(count=len(rows)), rows)

    def _block(self, call: Call, phone: str, directions: tuple[str, ...], days: str = "") -> None:
        for direction in directions:
            stamp = call.now.strftime("%Y-%m-%d %H:%M:%S")
            self.records[phone, direction] = DncRecord(phone, direction, stamp, days)
            self._actions.append((call.key, phone, direction))


def _phones(value: object) -> list[str]:
    """The telephones of a list, or of a comma-separated text."""
    items = value if isinstance(value, list) else as_text(value).split(",")
    return [text for text in (as_text(item).strip() for item in items) if text]


def _directions(kind: str) -> tuple[str, ...]:
    """``inbound``, ``outbound``, or both for ``all``, ``inbound/outbound`` or nothing."""
    kind = kind.strip().lower()
    return (kind,) if kind in DIRECTIONS else DIRECTIONS
