"""Reading the agents CSV of ``wolkvox agents create``, every problem pinned to FILE:LINE:COLUMN.

The whole file is checked before anything is sent: a header ``dni,name``
with optional ``sso`` (single sign-on; empty for none) and ``enable`` columns
(yes/no, true/false, 1/0, y/n or empty), no empty dni or name, no dni twice. Lines and columns count from 1;
blank lines are skipped.
"""

from __future__ import annotations

import csv
from pathlib import Path

import attrs

from .._provision import AgentRow
from .._validation import YES_NO

REQUIRED = ("dni", "name")
OPTIONAL = ("sso", "enable")
FLAGS = YES_NO
MAX_PROBLEMS = 20


@attrs.frozen
class Problem:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class CsvError(Exception):
    """The file cannot be used; ``problems`` says where and why (at most ``MAX_PROBLEMS``)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@attrs.frozen
class CsvRow:
    line: int
    row: AgentRow


def read_agents(path: Path) -> list[CsvRow]:
    """The rows of ``path``, or ``CsvError`` listing what is wrong with it."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError([Problem(name, 1, 1, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise CsvError([Problem(name, 1, 1, f"cannot read: {exc.strerror or exc}")]) from None

    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    problems: list[Problem] = []

    def problem(line: int, column: int, message: str) -> None:
        problems.append(Problem(name, line, column, message))

    try:
        header = next((cells for cells in reader if any(cell.strip() for cell in cells)), None)
    except csv.Error as exc:
        raise CsvError([Problem(name, reader.line_num, 1, f"not valid CSV: {exc}")]) from None
    if header is None:
        raise CsvError([Problem(name, 1, 1, "empty file; expected a header dni,name[,sso][,enable]")])
    header_line = reader.line_num
    columns = [cell.strip().lower() for cell in header]
    for index, column in enumerate(columns):
        if column not in REQUIRED + OPTIONAL:
            problem(
                header_line,
                index + 1,
                f"unknown column {header[index].strip()!r}; expected dni,name[,sso][,enable]",
            )
        elif column in columns[:index]:
            problem(header_line, index + 1, f"column {column!r} appears twice")
    for column in REQUIRED:
        if column not in columns:
            problem(header_line, len(columns) + 1, f"missing column {column!r} in the header")
    if problems:
        raise CsvError(problems)
    where = {column: columns.index(column) for column in REQUIRED + OPTIONAL if column in columns}

    rows: list[CsvRow] = []
    seen: dict[str, int] = {}
    while len(problems) < MAX_PROBLEMS:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problem(reader.line_num, 1, f"not valid CSV: {exc}")
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            problem(
                line, min(len(cells), len(columns)) + 1, f"{len(cells)} fields, the header has {len(columns)}"
            )
            continue
        values = {column: cells[index].strip() for column, index in where.items()}
        bad = False
        for column in REQUIRED:
            if not values[column]:
                problem(line, where[column] + 1, f"empty {column}")
                bad = True
        enable = False
        if "enable" in values:
            flag = values["enable"].lower()
            if flag in FLAGS:
                enable = FLAGS[flag]
            else:
                problem(line, where["enable"] + 1, f"enable must be yes or no, got {values['enable']!r}")
                bad = True
        dni = values["dni"]
        if dni and dni in seen:
            problem(line, where["dni"] + 1, f"dni {dni!r} is also on line {seen[dni]}")
            bad = True
        elif dni:
            seen[dni] = line
        if not bad:
            rows.append(
                CsvRow(line, AgentRow(dni=dni, name=values["name"], sso=values.get("sso", ""), enable=enable))
            )
    if problems:
        raise CsvError(problems)
    return rows
