"""A report written to a file, window after window: atomic, resumable, in flat memory.

Rows go to ``<file>.partial``; after each window the partial file is made
durable (fsync) and a line is added to ``<file>.checkpoint`` saying which
window ended at which size. Run the same export again after Ctrl-C, a crash
or ``kill -9``: the partial file is cut back to the last finished window and
the range goes on from the second after it, so the final file holds each row
once. At the end the partial file becomes the file (one rename; Parquet is
converted from it) and the checkpoint goes. CSV columns are the report's
documented fields, then ``extra`` (the JSON of any field wolkvox added since);
JSON Lines keeps each row as sent; Parquet (needs ``pyarrow``) holds the CSV's
columns as text.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import time
from collections.abc import AsyncGenerator, Callable, Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import IO, Any, Final, Protocol

import anyio
import attrs

from ._errors import InvalidArgumentError, MissingExtraError, unwrapped
from ._windows import SECOND, ReportJob, Window, plan, stamp

FORMATS: Final = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
EXTRA: Final = "extra"
_PARQUET_BATCH: Final = 50_000


@attrs.frozen
class ExportResult:
    path: Path
    rows: int
    windows: int
    resumed: bool
    elapsed: float


def format_of(path: Path) -> str:
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InvalidArgumentError(f"{path.name}: write .csv, .jsonl (or .ndjson) or .parquet")
    if found == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise MissingExtraError("writing Parquet", "parquet", "pyarrow") from None
    return found


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False)


class SpoolLike(Protocol):
    count: int

    def rows(self) -> Iterator[Mapping[str, Any]]: ...

    def copy_to(self, out: IO[bytes]) -> int: ...


class _Writer:
    """Rows in the partial file's format; CSV's columns are fixed by the report's documented fields.

    JSON Lines are copied from the spool as wolkvox wrote them, never parsed again.
    """

    def __init__(self, kind: str, fields: tuple[str, ...], file: IO[bytes]) -> None:
        self.kind, self.fields, self.file = kind, fields, file
        self._known = frozenset(fields)

    def header(self) -> None:
        if self.kind == "csv":
            self._csv_lines([[*self.fields, EXTRA]])

    def columns(self, row: Mapping[str, Any]) -> list[str]:
        extra = {key: value for key, value in row.items() if key not in self._known}
        return [
            *(_text(row.get(f)) for f in self.fields),
            json.dumps(extra, ensure_ascii=False) if extra else "",
        ]

    def write(self, spool: SpoolLike) -> int:
        if self.kind != "csv":
            return spool.copy_to(self.file)
        count, batch = 0, []
        for row in spool.rows():
            batch.append(self.columns(row))
            if len(batch) >= 10_000:
                count += self._csv_lines(batch)
                batch = []
        return count + self._csv_lines(batch)

    def _csv_lines(self, rows: list[list[str]]) -> int:
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        self.file.write(text.getvalue().encode())
        return len(rows)


class Checkpoint:
    """``<file>.checkpoint``: what this export is, then one line per finished window, durably."""

    def __init__(self, path: Path, identity: Mapping[str, Any]) -> None:
        self.path, self.identity = path, dict(identity)

    def read(self) -> tuple[int, Window | None, int] | None:
        """(partial file's size, last finished window, rows so far), or None to start afresh."""
        if not self.path.exists():
            return None
        lines = [line for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
        entries = []
        for line in lines:
            try:
                entries.append(json.loads(line))
            except ValueError:
                break  # a line cut by a crash: the window before it is the last one finished
        if not entries or entries[0].get("export") != self.identity:
            raise InvalidArgumentError(
                f"{self.path} belongs to another export; remove it (and the .partial file) to start over"
            )
        size, rows, last = int(entries[0]["offset"]), 0, None
        for entry in entries[1:]:
            ini, end = entry["window"]
            size, rows = int(entry["offset"]), rows + int(entry["rows"])
            last = Window(stamp(ini), stamp(end))
        return size, last, rows

    def start(self, offset: int) -> None:
        self._append({"export": self.identity, "offset": offset}, mode="w")

    def finished(self, window: Window, rows: int, offset: int) -> None:
        self._append({"window": list(window.wire), "rows": rows, "offset": offset})

    def _append(self, entry: Mapping[str, Any], mode: str = "a") -> None:
        with self.path.open(mode, encoding="utf-8") as file:
            file.write(json.dumps(entry) + "\n")
            file.flush()
            os.fsync(file.fileno())


OpenWindows = Callable[[ReportJob], AsyncGenerator[tuple[Window, SpoolLike], None]]


async def export(job: ReportJob, path: Path, open_windows: OpenWindows) -> ExportResult:
    """Write ``job`` to ``path``; ``open_windows(job)`` gives each window's spool (a resumed job, a later range).

    The next windows are fetched while one is written (a task of its own,
    one window ahead), and writing runs in a worker thread.
    """
    started = time.monotonic()
    kind = format_of(path)
    partial = path.with_name(path.name + ".partial")
    op = job.operation
    first, last = job.windows[0], job.windows[-1]
    identity = {
        "report": op.name,
        "from": first.wire[0],
        "to": last.wire[1],
        "params": {key: _text(value) for key, value in sorted(job.params.items())},
        "format": kind,
    }
    checkpoint = Checkpoint(path.with_name(path.name + ".checkpoint"), identity)
    known = checkpoint.read() if partial.exists() else None
    fields = op.result.fields
    resumed = known is not None
    rows = count = 0
    with partial.open("r+b" if resumed else "wb") as file:
        writer = _Writer("jsonl" if kind == "parquet" else kind, fields, file)
        if known is None:
            writer.header()
            file.flush()
            checkpoint.start(file.tell())
        else:
            size, done, rows = known
            file.truncate(size)
            file.seek(size)
            if done is not None:
                remaining = (
                    () if done.end >= last.end else tuple(plan(done.end + SECOND, last.end, _span(job)))
                )
                job = attrs.evolve(job, windows=remaining)
        if job.windows:
            rows, count = await _write_windows(job, open_windows, writer, checkpoint, rows)
    if kind == "parquet":
        await anyio.to_thread.run_sync(_to_parquet, partial, path, fields)
        partial.unlink()
    else:
        partial.replace(path)
    checkpoint.path.unlink(missing_ok=True)
    return ExportResult(path, rows, count, resumed, time.monotonic() - started)


def _span(job: ReportJob) -> timedelta:
    return max(w.end - w.start for w in job.windows) + SECOND


async def _write_windows(
    job: ReportJob, open_windows: OpenWindows, writer: _Writer, checkpoint: Checkpoint, rows: int
) -> tuple[int, int]:
    """Fetch in one task, write in this one: each window durable, then checkpointed."""
    send, receive = anyio.create_memory_object_stream[tuple[Window, SpoolLike]](1)
    count = 0

    async def fetch() -> None:
        async with send, contextlib.aclosing(open_windows(job)) as windows:
            async for item in windows:
                await send.send(item)

    try:
        async with anyio.create_task_group() as group, receive:
            group.start_soon(fetch)
            async for window, spool in receive:
                written = await anyio.to_thread.run_sync(writer.write, spool)
                writer.file.flush()
                await anyio.to_thread.run_sync(os.fsync, writer.file.fileno())
                rows, count = rows + written, count + 1
                checkpoint.finished(window, written, writer.file.tell())
    except BaseExceptionGroup as group_error:
        raise unwrapped(group_error) from None
    return rows, count


def _to_parquet(partial: Path, path: Path, fields: tuple[str, ...]) -> None:
    """The JSON Lines of the partial file as Parquet, a batch at a time, every column text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = [*fields, EXTRA]
    schema = pa.schema([(name, pa.string()) for name in names])
    writer = _Writer("csv", fields, io.BytesIO())
    temporary = path.with_name(path.name + ".tmp")
    with pq.ParquetWriter(temporary, schema) as out, partial.open(encoding="utf-8") as lines:
        batch: list[list[str]] = []
        for line in lines:
            batch.append(writer.columns(json.loads(line)))
            if len(batch) >= _PARQUET_BATCH:
                out.write_table(
                    pa.Table.from_arrays(list(map(pa.array, zip(*batch, strict=True))), schema=schema)
                )
                batch = []
        if batch:
            out.write_table(
                pa.Table.from_arrays(list(map(pa.array, zip(*batch, strict=True))), schema=schema)
            )
    temporary.replace(path)
