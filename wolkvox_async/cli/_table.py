"""Reading a CSV file whose header names an operation's fields, every problem pinned to FILE:LINE:COLUMN.

Files come from spreadsheets, so the encoding is sniffed (UTF-8 with or
without a BOM, UTF-16 with a BOM, else cp1252: Excel's on Windows) and so is
the delimiter (``,``, ``;`` or tab: whichever the header line holds most of,
outside quotes). Header names are compared without case or surrounding
spaces; cells lose their surrounding spaces; blank lines are skipped. Lines
and columns count from 1; a row spanning lines (a quoted line break) is
named by its first line. Callers add their own problems to the reader's, so
that the whole file is checked, and reported at once, before anything is sent.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

MAX_PROBLEMS = 20
DELIMITERS = (",", ";", "\t")


@attrs.frozen
class Problem:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class CsvError(Exception):
    """The file cannot be used; ``problems`` says where and why (the first ``MAX_PROBLEMS``), ``more`` how many else."""

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems
        self.more = more


class Problems:
    """What is wrong with a file so far; ``check()`` raises them, in file order."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.found: list[Problem] = []

    def add(self, line: int, column: int, message: str) -> None:
        self.found.append(Problem(self.path, line, column, message))

    def __bool__(self) -> bool:
        return bool(self.found)

    def check(self) -> None:
        if self.found:
            ordered = sorted(self.found, key=lambda p: (p.line, p.column))
            raise CsvError(ordered[:MAX_PROBLEMS], max(0, len(ordered) - MAX_PROBLEMS))


@attrs.frozen
class Row:
    line: int
    cells: Mapping[str, str]
    """Column name -> the cell's text, stripped; every column of the header is there."""


@attrs.frozen
class Table:
    path: Path
    columns: tuple[str, ...]
    """The header's names, normalised (lower case, stripped)."""
    header_line: int
    rows: tuple[Row, ...]
    encoding: str
    delimiter: str

    def column(self, name: str) -> int:
        """The column number of ``name`` (from 1); one past the last if the file has no such column."""
        return self.columns.index(name) + 1 if name in self.columns else len(self.columns) + 1


def read_table(
    path: Path,
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
    expected: str | None = None,
) -> tuple[Table, Problems]:
    """The rows of ``path`` and the problems found in them so far (add yours, then ``check()``).

    A file that cannot be read, or whose header is wrong (a column unknown,
    twice, or missing), raises ``CsvError`` at once: its rows mean nothing.
    """
    name = str(path)
    needed, allowed = tuple(required), (*required, *optional)
    expected = expected or ",".join(needed) + "".join(f"[,{column}]" for column in optional)
    problems = Problems(name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CsvError([Problem(name, 1, 1, f"cannot read: {exc.strerror or exc}")]) from None
    text, encoding = _decode(data, problems)
    problems.check()

    lines = io.StringIO(text, newline="")
    header_text = next((line for line in lines if line.strip()), "")
    delimiter = _delimiter(header_text)
    lines.seek(0)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = next((cells for cells in reader if any(cell.strip() for cell in cells)), None)
    except csv.Error as exc:
        raise CsvError([Problem(name, reader.line_num, 1, f"not valid CSV: {exc}")]) from None
    if header is None:
        raise CsvError([Problem(name, 1, 1, f"empty file; expected a header {expected}")])
    header_line = reader.line_num
    columns = tuple(cell.strip().strip("\ufeff").lower() for cell in header)
    told = False

    def hint(column: str) -> str:
        """A near name, and the columns expected (listed once per file)."""
        nonlocal told
        near = difflib.get_close_matches(column, allowed, n=1, cutoff=0.7) if column else []
        parts = [f"did you mean {near[0]!r}?" for _ in near[:1]]
        if not told:
            parts.append(f"expected {expected}")
            told = True
        return f"; {' '.join(parts)}" if parts else ""

    for index, column in enumerate(columns):
        if not column:
            problems.add(header_line, index + 1, f"a column without a name{hint(column)}")
        elif column not in allowed:
            problems.add(header_line, index + 1, f"unknown column {header[index].strip()!r}{hint(column)}")
        elif column in columns[:index]:
            problems.add(header_line, index + 1, f"column {column!r} appears twice")
    for column in needed:
        if column not in columns:
            problems.add(header_line, len(columns) + 1, f"missing column {column!r} in the header")
    problems.check()

    rows: list[Row] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.add(reader.line_num, 1, f"not valid CSV: {exc}")
            break
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            problems.add(
                start,
                min(len(cells), len(columns)) + 1,
                f"{len(cells)} fields, the header has {len(columns)}",
            )
            continue
        rows.append(Row(start, dict(zip(columns, (cell.strip() for cell in cells), strict=True))))
    table = Table(path, columns, header_line, tuple(rows), encoding, delimiter)
    return table, problems


def _decode(data: bytes, problems: Problems) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (BOM or not), UTF-16 with a BOM, else cp1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            problems.add(1, 1, "not UTF-16 text, though it starts with a UTF-16 BOM")
            return "", "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line, column = _where(data, exc.start + len(codecs.BOM_UTF8))
            problems.add(line, column, f"not UTF-8 text, though it starts with a UTF-8 BOM ({exc.reason})")
            return "", "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line, column = _where(data, exc.start)
        problems.add(line, column, f"neither UTF-8 nor cp1252 text (byte 0x{data[exc.start]:02x})")
        return "", "cp1252"


def _where(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def _delimiter(header: str) -> str:
    """The delimiter the header line holds most of outside quotes; a comma if it holds none."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","
