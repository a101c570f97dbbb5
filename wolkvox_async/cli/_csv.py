"""Reading the agents CSV of ``wolkvox agents create``, every problem pinned to FILE:LINE:COLUMN.

The whole file is checked before anything is sent (by ``_table``'s reader:
encoding and delimiter sniffed): a header ``dni,name`` with optional ``sso``
(single sign-on; empty for none) and ``enable`` columns (yes/no, true/false,
1/0, y/n or empty), no empty dni or name, no dni twice. Lines and columns
count from 1; blank lines are skipped.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from .._provision import AgentRow
from .._validation import YES_NO
from ._table import MAX_PROBLEMS, CsvError, Problem, read_table

__all__ = ["FLAGS", "MAX_PROBLEMS", "OPTIONAL", "REQUIRED", "CsvError", "CsvRow", "Problem", "read_agents"]

REQUIRED = ("dni", "name")
OPTIONAL = ("sso", "enable")
FLAGS = YES_NO


@attrs.frozen
class CsvRow:
    line: int
    row: AgentRow


def read_agents(path: Path) -> list[CsvRow]:
    """The rows of ``path``, or ``CsvError`` listing what is wrong with it."""
    table, problems = read_table(
        path, required=REQUIRED, optional=OPTIONAL, expected="dni,name[,sso][,enable]"
    )
    rows: list[CsvRow] = []
    seen: dict[str, int] = {}
    for found in table.rows:
        line, values = found.line, found.cells
        bad = False
        for column in REQUIRED:
            if not values[column]:
                problems.add(line, table.column(column), f"empty {column}")
                bad = True
        enable = False
        if "enable" in values:
            flag = values["enable"].lower()
            if flag in FLAGS:
                enable = FLAGS[flag]
            else:
                problems.add(
                    line, table.column("enable"), f"enable must be yes or no, got {values['enable']!r}"
                )
                bad = True
        dni = values["dni"]
        if dni and dni in seen:
            problems.add(line, table.column("dni"), f"dni {dni!r} is also on line {seen[dni]}")
            bad = True
        elif dni:
            seen[dni] = line
        if not bad:
            rows.append(
                CsvRow(line, AgentRow(dni=dni, name=values["name"], sso=values.get("sso", ""), enable=enable))
            )
    problems.check()
    return rows
