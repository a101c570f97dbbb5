"""Answers of the operations without state of their own: the documented shape, filled with generated rows.

An acknowledgement answers its envelope; a record, one generated object; a
list, a few generated rows; a read over a ``date_ini``/``date_end`` window (the
reports and their like), ``rows_per_day`` rows for each day of it, streamed,
or wolkvox's 404 "no data" envelope when the window holds none.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import cache

from .._spec import Kind, Operation, ResultKind
from ._answers import Call, answer, as_listed, example, no_data, streamed
from ._rows import MAX_ROWS, RowMaker, base_number, count_in_window, raw_of, rows_in_window, window_of
from ._values import Moment, value_of
from ._wire import Answer

LIST_ROWS = 3
"""Rows of a list that is not a window read, for a GET; a write that answers rows answers one."""

_WINDOW = frozenset({"date_ini", "date_end"})


def is_window_read(op: Operation) -> bool:
    """A read over a date window (a report): its rows are generated per day of the window."""
    names = {param.wire for param in op.query if param.kind is Kind.DATETIME}
    return op.result.kind is not ResultKind.ACK and names >= _WINDOW


@cache
def maker(op: Operation) -> RowMaker:
    """Rows of the documented fields; a record documented without any gets its example's."""
    nested = example(op).nested
    return RowMaker(op.result.fields or tuple(nested), nested)


class Generated:
    """Generated answers, deterministic for ``seed``; ``rows_per_day`` may change at any time."""

    def __init__(self, seed: int, rows_per_day: int) -> None:
        self.seed = seed
        self.rows_per_day = rows_per_day
        self.row_cap = MAX_ROWS
        self.empty_days: frozenset[date] = frozenset()

    def answer(self, call: Call) -> Answer:
        """The default handler: the operation's documented shape, with generated values."""
        op = call.op
        if is_window_read(op):
            return self.report(call)
        words = self._extras(call)
        if op.result.kind is ResultKind.ACK:
            return answer(op, words)
        if op.result.kind is ResultKind.RECORD:
            return answer(op, words, as_listed(op, self.row(op, 0, call.now, self._echo(call))))
        count = LIST_ROWS if op.method == "GET" else 1
        rows = self.rows(op, count, call.now, self._echo(call))
        return answer(op, {**words, "count": len(rows)}, rows)

    def report(self, call: Call, overrides: Mapping[str, object] | None = None) -> Answer:
        """The window's rows, streamed (a summary record: its first); 404 "no data" when it holds none."""
        op = call.op
        start, end = call.request.window or window_of(call.now.date())
        count = count_in_window(start, end, self.rows_per_day, self.row_cap, self.empty_days)
        if not count:
            return no_data(op)
        echo = {**self._echo(call), **(overrides or {})}
        rows = rows_in_window(
            (self.seed, op.name), start, end, self.rows_per_day, self.row_cap, self.empty_days
        )
        if op.result.kind is ResultKind.RECORD:
            record = maker(op).row(*next(rows), echo)
            return answer(op, {**self._extras(call), "count": 1}, as_listed(op, record))
        encode = maker(op).encoder(echo)
        return streamed(op, {**self._extras(call), "count": count}, (encode(*row) for row in rows))

    def row(
        self, op: Operation, index: int, now: datetime, overrides: Mapping[str, object] | None = None
    ) -> dict[str, object]:
        """One row of ``op``'s documented fields, the same for the same seed and index."""
        return maker(op).row(raw_of(base_number(self.seed, op.name) + index), Moment.at(now), overrides)

    def rows(
        self, op: Operation, count: int, now: datetime, overrides: Mapping[str, object] | None = None
    ) -> list[dict[str, object]]:
        return [self.row(op, index, now, overrides) for index in range(count)]

    def _extras(self, call: Call) -> dict[str, object]:
        """The message's words: the call's parameters, how many items it named, the envelope's other keys."""
        lists = [value for value in call.request.fields.values() if isinstance(value, list)]
        words = call.fill(count=len(lists[0]) if lists else max(1, len(call.request.records)))
        number = base_number(self.seed, call.op.name)
        for key in example(call.op).keys or ():
            if key not in ("code", "error", "msg", call.op.result.key):
                words.setdefault(key, value_of(key).make(number, Moment.at(call.now)))
        return words

    @staticmethod
    def _echo(call: Call) -> dict[str, str]:
        """Parameters a row repeats (an ``agent_id`` asked for is the one the rows show)."""
        return {
            name: value
            for name, value in call.request.query.items()
            if value and name not in _WINDOW and name != "api"
        }
