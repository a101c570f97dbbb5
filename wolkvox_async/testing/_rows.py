"""Generated rows: deterministic rows of any documented fields, and report rows over a window.

A row's values follow from its fields' names (``_values``) and 8 random
bytes. Most fields draw from 256 values made once per field, so a row
costs a few allocations, not one per field: 60,000 rows are made quickly and in
little memory. A report's rows of one day follow from (seed, operation, day)
alone, in blocks reached by a row's index, so a window shows the same rows of a
day whatever its bounds, and a day of 100,000 rows is never held: rows are made
one at a time, only those inside the window, and at most ``MAX_ROWS``.
"""

from __future__ import annotations

import bisect
import json
import random
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Final

from ._values import EPOCH, Column, Moment, Value, mix, structure_of, value_of

MAX_ROWS: Final = 60_000
"""Wolkvox answers at most this many records; it cuts a busier window without saying so."""

_DAY_SECONDS = 86_400
_BLOCK = 4_096
"""Rows whose random bytes are drawn together."""
_encode = json.JSONEncoder(separators=(",", ":")).encode


def base_number(*parts: object) -> int:
    """A deterministic 64-bit number for a key, the same in every process (no ``hash()`` salt)."""
    return random.Random("/".join(map(str, parts))).getrandbits(64)


def raw_of(number: int) -> bytes:
    """A row's 8 random bytes from a number."""
    return mix(number).to_bytes(8, "little")


class RowMaker:
    """Makes rows with exactly ``fields``, each valued by its name; ``nested`` gives a field's structure."""

    def __init__(self, fields: Sequence[str], nested: Mapping[str, object] | None = None) -> None:
        nested = nested or {}
        self.fields = tuple(dict.fromkeys(fields))
        plan: list[tuple[tuple[object, ...] | None, int, int, Value]] = []
        for name in self.fields:
            salt = zlib.crc32(name.encode())
            column = Column(structure_of(nested[name]), True) if name in nested else value_of(name)
            if column.per_row:
                plan.append((None, 0, 0, column.make))
            else:
                table = tuple(column.make(mix(salt + k), EPOCH) for k in range(256))
                first = salt % 8
                plan.append((table, first, (first + 1 + (salt >> 3) % 7) % 8, column.make))
        self._plan = tuple(plan)

    def row(
        self, raw: bytes, moment: Moment, overrides: Mapping[str, object] | None = None
    ) -> dict[str, object]:
        """The row of 8 random bytes ``raw`` at ``moment``; ``overrides`` replace the fields they name."""
        number = int.from_bytes(raw, "little")
        values = [
            table[raw[i] ^ raw[j]] if table is not None else make(number, moment)
            for table, i, j, make in self._plan
        ]
        row = dict(zip(self.fields, values, strict=True))
        if overrides:
            row.update((name, value) for name, value in overrides.items() if name in row)
        return row

    def encoder(self, overrides: Mapping[str, object] | None = None) -> Callable[[bytes, Moment], str]:
        """``row`` made straight into its JSON text, from values encoded once: no dict, no encoder per row."""
        overrides = overrides or {}
        plan: list[tuple[tuple[str, ...] | None, int, int, Value]] = []
        for name, (table, i, j, make) in zip(self.fields, self._plan, strict=True):
            if name in overrides:
                plan.append(((_encode(overrides[name]),), 0, 0, make))
            elif table is not None:
                plan.append((tuple(_encode(value) for value in table), i, j, make))
            else:
                plan.append((None, 0, 0, make))
        template = "{" + ",".join(f"{_encode(name)}:%s" for name in self.fields) + "}"
        steps = tuple(plan)

        def encode(raw: bytes, moment: Moment) -> str:
            number = int.from_bytes(raw, "little")
            values = tuple(
                table[raw[i] ^ raw[j]] if table is not None else _encode(make(number, moment))
                for table, i, j, make in steps
            )
            return template % values

        return encode


def count_in_window(
    start: datetime, end: datetime, per_day: int, limit: int = MAX_ROWS, empty: frozenset[date] = frozenset()
) -> int:
    """How many report rows a window holds, up to ``limit``, without making them; ``empty`` days hold none."""
    total = 0
    for _day, first, stop in _days(start, end, per_day, empty):
        total += stop - first
        if total >= limit:
            return limit
    return total


def rows_in_window(
    key: Sequence[object],
    start: datetime,
    end: datetime,
    per_day: int,
    limit: int = MAX_ROWS,
    empty: frozenset[date] = frozenset(),
) -> Iterator[tuple[bytes, Moment]]:
    """The random bytes and moment of each row of the window, in time order, made one by one.

    Those of a day follow from ``(*key, day)``: a block of rows' bytes at a time,
    reached by the row's index, so the rows before the window are never made.
    """
    left = limit
    prefix = "/".join(map(str, key))
    for day, first, stop in _days(start, end, per_day, empty):
        block, raw = -1, b""
        for index in range(first, min(stop, first + left)):
            if index // _BLOCK != block:
                block = index // _BLOCK
                raw = random.Random(f"{prefix}/{day.isoformat()}/{block}").randbytes(8 * _BLOCK)
            offset = 8 * (index % _BLOCK)
            yield raw[offset : offset + 8], Moment.of(day, _second(index, per_day))
        left -= stop - first
        if left <= 0:
            return


def _second(index: int, per_day: int) -> int:
    """The rows of a day spread evenly over it, the ``index``-th at this second."""
    return _DAY_SECONDS * (2 * index + 1) // (2 * per_day)


def _days(
    start: datetime, end: datetime, per_day: int, empty: frozenset[date] = frozenset()
) -> Iterator[tuple[date, int, int]]:
    """Each day of the window (but the ``empty`` ones) and the range of its row indices inside the window."""
    if per_day <= 0:
        return
    rows = range(per_day)
    day = start.date() - timedelta(days=1)
    while (day := day + timedelta(days=1)) <= end.date():
        if day in empty:
            continue
        low = _seconds(start) if day == start.date() else 0
        high = _seconds(end) if day == end.date() else _DAY_SECONDS - 1
        first = bisect.bisect_left(rows, low, key=lambda index: _second(index, per_day))
        stop = bisect.bisect_right(rows, high, key=lambda index: _second(index, per_day))
        if stop > first:
            yield day, first, stop


def _seconds(when: datetime) -> int:
    return when.hour * 3600 + when.minute * 60 + when.second


def window_of(day: date) -> tuple[datetime, datetime]:
    """A whole day, for reads whose window is optional and not given."""
    return datetime.combine(day, time.min), datetime.combine(day, time(23, 59, 59))
