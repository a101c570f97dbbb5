"""Reports at any size: a range cut into windows, each answer streamed to a spool, rows given back in order.

Wolkvox's reports take at most 31 days a call, answer at most 60,000 rows (a
busier window is cut without a word), up to 256 MB, and 404 for an empty
window. ``rows()`` hides all of it: the range is planned into windows
(``_windows``); ``ahead`` windows are fetched at a time through the token's
slots, like any idempotent call; each answer is split into records as it
streams (``_stream``) and written to a spool (a temporary file, in memory
while small), so memory holds one record, not an answer; a window whose
answer reached the cap is split in halves and fetched again, down to one
second (``TooManyRowsError`` then: never a silent loss). Rows come out in
the windows' time order. The fetches run in a task group that is always
closed before a row is yielded, and its errors come out as themselves.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, Final, Protocol

import anyio
import attrs

from ._errors import InsufficientQuotaError, InvalidArgumentError, TooManyRowsError, unwrapped
from ._events import Hooks, WindowEvent
from ._export import ExportResult, export
from ._namespace import CallOptions, Namespace, Row
from ._protocol import check_envelope
from ._spec import NAMESPACES, Kind, Operation, ResultKind
from ._stream import RecordStream
from ._windows import MAX_SPAN, ReportJob, Window, local, plan

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ._models import QuotaSnapshot
    from ._transport import Stream

ROW_CAP: Final = 60_000
"""Wolkvox answers at most this many rows; an answer of exactly this many was cut."""

SPOOL_IN_MEMORY: Final = 1 << 20
"""A window's rows stay in memory up to this many bytes, then go to a temporary file."""

_WINDOW: Final = frozenset({"date_ini", "date_end"})


class Spool:
    """One window's records as JSON lines, written as its answer streams (a ``Sink`` of the Transport)."""

    __slots__ = ("_file", "_records", "count", "operation")

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        self._records = RecordStream(operation.result.key)
        self._file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 (closed by rows or discard)
        self.count = 0

    def feed(self, data: bytes) -> None:
        self._write(self._records.feed(data))

    def _write(self, records: list[tuple[dict[str, Any], str]]) -> None:
        if records:
            lines = "".join(text.replace("\n", " ").replace("\r", " ") + "\n" for _, text in records)
            self._file.write(lines.encode())
            self.count += len(records)

    def close(self) -> Spool:
        """The answer ended: its last records, then wolkvox's verdict on its envelope."""
        self._write(self._records.finish())
        check_envelope(self.operation, 200, self._records.envelope)
        self._file.seek(0)
        return self

    @classmethod
    def empty(cls, operation: Operation) -> Spool:
        """The spool of a window wolkvox said holds nothing (its 404)."""
        return cls(operation)

    def rows(self) -> Iterator[Row]:
        """Its rows, parsed; the spool is gone after."""
        try:
            for line in self._file:
                yield MappingProxyType(json.loads(line.decode()))
        finally:
            self.discard()

    def copy_to(self, out: IO[bytes]) -> int:
        """Its rows as JSON lines, as wolkvox wrote them, without parsing them again; the spool is gone after."""
        try:
            shutil.copyfileobj(self._file, out, 1 << 20)
        finally:
            self.discard()
        return self.count

    def discard(self) -> None:
        self._file.close()


class Performer(Protocol):
    def __call__(
        self, operation: Operation, arguments: Mapping[str, object], options: CallOptions, stream: Stream
    ) -> Awaitable[Any]: ...


@attrs.define
class _Fetched:
    window: Window
    spool: Spool | None = None
    """None: an empty window (wolkvox's 404)."""


def report_operation(api: str) -> Operation:
    """A report by its ``api=`` name (``"cdr_1"``), or another window read by ``"namespace.api"``."""
    namespace, _, name = api.rpartition(".")
    for op in NAMESPACES.get(namespace or "reports", ()):
        if op.api == name:
            break
    else:
        raise InvalidArgumentError(
            f"{api!r} is not a report; wolkvox reports are listed by `wolkvox reports list`"
        )
    window = {p.wire for p in op.query if p.kind is Kind.DATETIME}
    if not window >= _WINDOW or op.result.kind is not ResultKind.RECORDS:
        raise InvalidArgumentError(f"{op.name} is not read over a date_ini/date_end window")
    return op


class ReportsNamespace(Namespace):
    """``reports_manager.php``: the 104 reports, one method each, and ``rows()`` over any range."""

    __slots__ = ()

    def plan(
        self,
        api: str,
        start: datetime | date,
        end: datetime | date,
        *,
        window: timedelta = MAX_SPAN,
        row_cap: int = ROW_CAP,
        ahead: int = 2,
        options: CallOptions | None = None,
        **params: object,
    ) -> ReportJob:
        """Check a range's arguments and cut it into windows, before anything is sent or counted."""
        op = report_operation(api)
        zone: ZoneInfo = self._client._transport.policy.zone
        given = set(params) & _WINDOW
        if given:
            raise InvalidArgumentError(f"{', '.join(sorted(given))}: the range is given as start and end")
        known = {p.python_name for p in op.params}
        unknown = set(params) - known
        if unknown:
            raise InvalidArgumentError(f"{op.name} takes no {', '.join(sorted(unknown))}")
        if not isinstance(row_cap, int) or row_cap < 1:
            raise InvalidArgumentError(f"row_cap must be a positive whole number, got {row_cap!r}")
        if not isinstance(ahead, int) or ahead < 1:
            raise InvalidArgumentError(f"ahead must be a positive whole number, got {ahead!r}")
        windows = plan(local(start, zone, end=False), local(end, zone, end=True), window)
        return ReportJob(op, tuple(windows), dict(params), row_cap, ahead, options or {})

    async def rows(
        self,
        api: str,
        start: datetime | date,
        end: datetime | date,
        *,
        window: timedelta = MAX_SPAN,
        row_cap: int = ROW_CAP,
        ahead: int = 2,
        options: CallOptions | None = None,
        **params: object,
    ) -> AsyncIterator[Row]:
        """Every row of a report from ``start`` to ``end`` (both included), in windows of at most 31 days.

        ``api`` is the report's name (``"cdr_1"``, or ``"customer.cdr_calls"``
        for a window read of another namespace); ``params`` its other
        parameters by their wire names (``skill_id=...``). ``options``
        (priority, queue_timeout, deadline, max_retries) apply to each
        window's call; the bulk lane by default. Naive datetimes and dates
        are read in the operation's zone (``quota_timezone``); a ``date`` as
        ``end`` is its last second. ``window`` is the longest window,
        ``row_cap`` the answer's size that means "cut", ``ahead`` how many
        windows are fetched at once.
        """
        job = self.plan(
            api, start, end, window=window, row_cap=row_cap, ahead=ahead, options=options, **params
        )
        async for _, spool in self.windows(job):
            for row in spool.rows():
                yield row

    async def export(
        self,
        api: str,
        start: datetime | date,
        end: datetime | date,
        path: str | os.PathLike[str],
        *,
        window: timedelta = MAX_SPAN,
        row_cap: int = ROW_CAP,
        ahead: int = 2,
        options: CallOptions | None = None,
        **params: object,
    ) -> ExportResult:
        """Write a report's rows from ``start`` to ``end`` to ``path`` (.csv, .jsonl, .parquet), resumably.

        Atomic: the file appears whole at the end. Run it again after an
        interruption and only what is missing is fetched (see ``_export``).
        """
        job = self.plan(
            api, start, end, window=window, row_cap=row_cap, ahead=ahead, options=options, **params
        )
        return await export(job, Path(path), self.windows)

    async def windows(self, job: ReportJob) -> AsyncGenerator[tuple[Window, Spool], None]:
        """Each window of the range, in time order, with the spool of its rows (read it before the next)."""
        op, hooks = job.operation, self._hooks()
        await self._check_quota(op, len(job.windows))
        total = len(job.windows)
        queue: deque[Window | _Fetched] = deque(job.windows)
        try:
            while queue:
                batch: list[Window | _Fetched] = []
                while queue and len(batch) < job.ahead:
                    batch.append(queue.popleft())
                fetched = await self._fetch_all(job, batch, hooks, total)
                for index, item in enumerate(fetched):
                    if item.spool is not None and item.spool.count >= job.row_cap:
                        halves = item.window.halves()
                        item.spool.discard()
                        if halves is None:
                            raise TooManyRowsError(
                                operation=op.name, window=str(item.window), cap=job.row_cap
                            )
                        await self._emit(hooks, op, "split", item.window, item.spool.count, total)
                        queue.extendleft(reversed([*halves, *fetched[index + 1 :]]))
                        break
                    await self._emit(
                        hooks, op, "done", item.window, item.spool.count if item.spool else 0, total
                    )
                    yield item.window, item.spool or Spool.empty(op)
        finally:
            for left in queue:
                if isinstance(left, _Fetched) and left.spool is not None:
                    left.spool.discard()

    async def _fetch_all(
        self, job: ReportJob, batch: list[Window | _Fetched], hooks: Hooks, total: int
    ) -> list[_Fetched]:
        """Fetch the batch's windows at once (already fetched ones are kept); errors come out unwrapped."""
        results: list[_Fetched] = [item if isinstance(item, _Fetched) else _Fetched(item) for item in batch]

        async def fetch(item: _Fetched) -> None:
            await self._emit(hooks, job.operation, "started", item.window, 0, total)
            item.spool = await self._fetch(job, item.window)

        try:
            async with anyio.create_task_group() as group:
                for item, given in zip(results, batch, strict=True):
                    if not isinstance(given, _Fetched):
                        group.start_soon(fetch, item)
        except BaseExceptionGroup as group_error:
            for item in results:
                if item.spool is not None:
                    item.spool.discard()
            raise unwrapped(group_error) from None
        return results

    async def _fetch(self, job: ReportJob, window: Window) -> Spool | None:
        ini, end = window.wire
        arguments = {**job.params, "date_ini": ini, "date_end": end}
        perform: Performer = self._client._perform_streamed
        answer = await perform(job.operation, arguments, job.options, lambda: Spool(job.operation))
        return answer if isinstance(answer, Spool) else None

    async def _check_quota(self, op: Operation, windows: int) -> None:
        """Refuse up front a range the day's known quota cannot cover: at least one call a window."""
        snapshot: QuotaSnapshot = await self._client._known_quota()
        if snapshot.remaining is not None and snapshot.remaining < windows:
            raise InsufficientQuotaError(
                windows,
                snapshot.remaining,
                snapshot.resets_at,
                operation=op.name,
                hint="a shorter range, or wait for the reset",
            )

    def _hooks(self) -> Hooks:
        hooks: Hooks = self._client._settings.hooks
        return hooks

    @staticmethod
    async def _emit(hooks: Hooks, op: Operation, phase: str, window: Window, rows: int, total: int) -> None:
        if hooks.window:
            ini, end = window.wire
            await hooks.emit(hooks.window, WindowEvent(op.name, phase, ini, end, rows, total))
