"""``wolkvox reports``: list the reports, and export one over any range to a file, resumably."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

import wolkvox_async as wv
from wolkvox_async._spec import NAMESPACES, Kind, Operation, ResultKind

from ._app import EXIT_OK, EXIT_USAGE, _fail, _run, app

reports_app = typer.Typer(help="List the reports and export them over any range.", no_args_is_help=True)
app.add_typer(reports_app, name="reports")

_STAMP = re.compile(r"[0-9]{14}")
_WINDOW = ("date_ini", "date_end")


def moment(text: str, option: str) -> datetime | date:
    """``2026-01-01``, ``2026-01-01T08:00:00`` or wolkvox's ``20260101080000``."""
    given = text.strip()
    try:
        if _STAMP.fullmatch(given):
            return datetime.strptime(given, "%Y%m%d%H%M%S")
        if len(given) == 10:
            return date.fromisoformat(given)
        return datetime.fromisoformat(given)
    except ValueError:
        _fail(
            f"{option} must be a date (2026-01-01), a date and time (2026-01-01T08:00:00) or 20260101080000",
            EXIT_USAGE,
        )


def window_reads() -> list[Operation]:
    """Every report, then the other reads over a date window (``customer.cdr_calls`` and the like)."""
    found = []
    for ops in NAMESPACES.values():
        for op in ops:
            window = {p.wire for p in op.query if p.kind is Kind.DATETIME}
            if window >= set(_WINDOW) and op.result.kind is ResultKind.RECORDS:
                found.append(op)
    return sorted(found, key=lambda op: (op.namespace != "reports", op.namespace))


def report_name(op: Operation) -> str:
    return op.api if op.namespace == "reports" else f"{op.namespace}.{op.api}"


@reports_app.command("list")
def list_reports() -> None:
    """Every report wolkvox offers, with its parameters besides the date window."""
    table = Table("report", "parameters", "what it holds", show_lines=False)
    for op in window_reads():
        params = [p.wire + ("" if p.required else "?") for p in op.query if p.wire not in _WINDOW]
        table.add_row(report_name(op), " ".join(params), op.doc)
    Console(highlight=False, soft_wrap=False).print(table)
    raise typer.Exit(EXIT_OK)


@reports_app.command("export")
def export_report(
    ctx: typer.Context,
    report: Annotated[str, typer.Argument(help="The report, e.g. cdr_1 (see `wolkvox reports list`).")],
    start: Annotated[str, typer.Option("--from", help="2026-01-01, 2026-01-01T08:00:00 or 20260101080000.")],
    end: Annotated[str, typer.Option("--to", help="Included: a date means its last second.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file: .csv, .jsonl or .parquet.")],
    skill_id: Annotated[str | None, typer.Option(help="For skill reports: an id, or all.")] = None,
    campaign_id: Annotated[str | None, typer.Option(help="For campaign reports: an id, or all.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", help="Another parameter, NAME=VALUE (repeatable).")
    ] = None,
    window_days: Annotated[int, typer.Option(min=1, max=31, help="The longest window, in days.")] = 31,
) -> None:
    """Export a report over any range, in windows of at most 31 days; run it again to resume."""
    params: dict[str, Any] = {}
    for item in param or []:
        name, equals, value = item.partition("=")
        if not equals or not name.strip():
            _fail(f"--param must be NAME=VALUE, got {item!r}", EXIT_USAGE)
        params[name.strip()] = value
    if skill_id is not None:
        params["skill_id"] = skill_id
    if campaign_id is not None:
        params["campaign_id"] = campaign_id
    first, last = moment(start, "--from"), moment(end, "--to")
    console = Console(stderr=True, highlight=False)
    progress = Progress(
        TextColumn(f"[bold]{report}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("windows, {task.fields[rows]:,} rows, {task.fields[rate]}"),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
    state: dict[str, Any] = {"task": None, "rows": 0, "done": 0}

    def on_window(event: wv.WindowEvent) -> None:
        task: TaskID | None = state["task"]
        if task is None:
            task = state["task"] = progress.add_task("export", total=event.windows, rows=0, rate="")
        if event.phase == "split":
            progress.update(task, total=(progress.tasks[task].total or 0) + 1)
        elif event.phase == "done":
            state["rows"] += event.rows
            state["done"] += 1
            elapsed = progress.tasks[task].elapsed or 0
            rate = f"{state['rows'] / elapsed:,.0f} rows/s" if elapsed else ""
            progress.update(task, advance=1, rows=state["rows"], rate=rate)

    async def work(client: wv.Client) -> int:
        with progress:
            result = await client.reports.export(
                report, first, last, output, window=timedelta(days=window_days), **params
            )
        resumed = " (resumed)" if result.resumed else ""
        typer.echo(f"{result.rows:,} rows in {result.path}{resumed}, {result.elapsed:.1f} s")
        return EXIT_OK

    def interrupted() -> str:
        return (
            f"interrupted after {state['done']} windows; what is done is kept in {output}.partial: "
            "run the same command again to resume"
        )

    _run(ctx, work, event_hooks={"window": [on_window]}, interrupted=interrupted)
