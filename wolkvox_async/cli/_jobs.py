"""The bulk jobs on the command line: ``campaign load``, ``dnc add``, ``skills assign``, ``messages send``,
``agents enable`` and ``agents disable``, each over a CSV file whose header names the operation's fields.

Each command checks the whole file before anything is sent (problems as
FILE:LINE:COLUMN, the quota lookup not made), then runs the library's job
with a progress bar on stderr, prints a summary, writes a report beside the
file (``FILE.report.csv``: line, key, outcome, detail) and names the journal
(``FILE.journal.jsonl`` unless ``--journal``): the same command run again with
it resumes, skipping what is done and never sending twice what may have been.
"""

from __future__ import annotations

import csv
import enum
import os
import re
import tempfile
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn
from zoneinfo import ZoneInfo

import attrs
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table as RichTable
from rich.text import Text

import wolkvox_async as wv

from .. import _arguments
from .. import _validation as check
from .._redact import NO_SECRETS
from .._spec import MAX_UPLOAD_RECORDS, Kind, Param, operation
from ._app import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNCERTAIN,
    EXIT_USAGE,
    Target,
    _describe,
    _fail,
    _quota_left,
    _refuse,
    _run,
    _show_problems,
    _stderr,
    agents_app,
    app,
    exit_code,
)
from ._table import CsvError, Problem, Problems, Table, read_table

campaign_app = typer.Typer(help="Load customer records into a campaign.", no_args_is_help=True)
dnc_app = typer.Typer(help="The Do Not Call list.", no_args_is_help=True)
skills_app = typer.Typer(help="Put agents in skills.", no_args_is_help=True)
messages_app = typer.Typer(help="Send SMS or WhatsApp messages.", no_args_is_help=True)
app.add_typer(campaign_app, name="campaign")
app.add_typer(dnc_app, name="dnc")
app.add_typer(skills_app, name="skills")
app.add_typer(messages_app, name="messages")

OnResult = Callable[[wv.ItemResult], object]
Job = Callable[[wv.Client, OnResult], Awaitable[wv.JobReport]]
SHOWN = 30
"""Items needing attention listed after the summary (all are in the report)."""
_DIGITS = re.compile(r"[0-9]+")

FileArgument = Annotated[
    Path, typer.Argument(metavar="FILE", help="The CSV file (, ; or tab; UTF-8 or cp1252).")
]
JournalOption = Annotated[
    Path | None,
    typer.Option(
        help="What was sent and what came of it; reuse it to resume.", show_default="FILE.journal.jsonl"
    ),
]
ReportOption = Annotated[
    Path | None,
    typer.Option(help="line,key,outcome,detail of every item.", show_default="FILE.report.csv"),
]
WorkersOption = Annotated[int, typer.Option(min=1, max=16, help="Calls at once (the token allows 2).")]
BatchOption = Annotated[
    int, typer.Option(min=1, max=MAX_UPLOAD_RECORDS, help="Records per call (wolkvox takes 10,000 at most).")
]


@attrs.frozen
class Source:
    """A file checked and ready for its job: the items in file order, each one's line and label."""

    table: Table
    items: list[Any]
    lines: list[int]
    labels: list[str]
    journal: Path
    report: Path


class RateColumn(ProgressColumn):
    """Items settled per second."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text("– items/s" if speed is None else f"{speed:.1f} items/s", style="progress.data.speed")


# -- reading -----------------------------------------------------------------------------------------


def _read(
    path: Path, required: Iterable[str], optional: Iterable[str], expected: str | None = None
) -> tuple[Table, Problems]:
    """The file's rows and their problems so far, or exit 2 with what is wrong with its header."""
    try:
        table, problems = read_table(path, required=required, optional=optional, expected=expected)
    except CsvError as exc:
        _refuse(exc)
    if not table.rows:
        problems.add(table.header_line + 1, 1, "no rows after the header: nothing to do")
    return table, problems


def _source(
    table: Table,
    problems: Problems,
    items: list[Any],
    lines: list[int],
    labels: list[str],
    journal: Path | None,
    report: Path | None,
) -> Source:
    """The checked file with its journal and report paths, or exit 2 listing every problem found."""
    try:
        problems.check()
    except CsvError as exc:
        _refuse(exc)
    path = table.path
    journal = journal if journal is not None else path.with_name(f"{path.stem}.journal.jsonl")
    report = report if report is not None else path.with_name(f"{path.stem}.report.csv")
    for what, where in (("journal", journal), ("report", report)):
        if not where.parent.is_dir():
            _fail(f"{where}: the {what}'s directory does not exist", EXIT_USAGE)
    if len({path.resolve(), journal.resolve(), report.resolve()}) < 3:
        _fail(
            f"the file, the journal and the report must be three files: {path}, {journal}, {report}",
            EXIT_USAGE,
        )
    return Source(table, items, lines, labels, journal, report)


def _first_line(seen: dict[str, int], key: str, line: int) -> int | None:
    """The line ``key`` was first seen on, if before ``line``; remembers it otherwise."""
    earlier = seen.setdefault(key, line)
    return earlier if earlier != line else None


# -- running -----------------------------------------------------------------------------------------


def _run_job(ctx: typer.Context, title: str, source: Source, job: Job) -> NoReturn:
    """Run ``job`` over ``source`` with a progress bar, then report; Ctrl-C leaves the report so far."""
    results: dict[int, wv.ItemResult] = {}
    out = Console(highlight=False)

    async def work(client: wv.Client) -> int:
        progress = Progress(
            TextColumn(f"[bold]{escape(title)}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("quota left {task.fields[quota]}"),
            console=Console(stderr=True, highlight=False),
        )
        with progress:
            task = progress.add_task(title, total=len(source.items), quota=_quota_left(client))

            def advance(result: wv.ItemResult) -> None:
                results[result.index] = result
                progress.update(task, advance=1, quota=_quota_left(client))

            try:
                report = await job(client, advance)
            except wv.InvalidArgumentError as exc:  # a row the checks above let through: still nothing sent
                problem = _locate(exc, source)
                if problem is None:
                    raise
                _show_problems(CsvError([problem]))
                return EXIT_USAGE
        _write_report(source, {r.index: r for r in report.results})
        return _summarise(out, report, source, client)

    def interrupted() -> str:
        _write_report(source, results, interrupted=True)
        return (
            f"interrupted after {len(results)} of {len(source.items)} items; the calls in flight finished "
            f"and are in the journal {source.journal}: to resume, run the same command again "
            f"({ctx.command_path} {source.table.path} ..., with the same journal); the report so far is "
            f"{source.report}"
        )

    _run(ctx, work, interrupted=interrupted)


_NUMBERED = re.compile(r"(?:record|row) ([0-9]+)\b")
_COUNTING_FROM = re.compile(r"counting from record ([0-9]+)")


def _locate(error: wv.InvalidArgumentError, source: Source) -> Problem | None:
    """The file's line (and column, if named) of an item the library refused by number, if it names one."""
    message = str(error)
    numbered = _NUMBERED.match(message)
    if numbered is None:
        return None
    index = int(numbered.group(1)) - 1
    if (offset := _COUNTING_FROM.search(message)) is not None:
        index += int(offset.group(1)) - 1
    if not 0 <= index < len(source.lines):
        return None
    table = source.table
    named = [c for c in table.columns if re.search(rf"\b{re.escape(c)}\b", message)]
    column = table.column(named[0]) if named else 1
    return Problem(str(table.path), source.lines[index], column, message)


def _write_report(source: Source, results: dict[int, wv.ItemResult], *, interrupted: bool = False) -> None:
    """``line,key,outcome,detail`` for every item, in file order; the old report is replaced at once."""
    temporary: str | None = None
    try:
        fd, temporary = tempfile.mkstemp(dir=source.report.parent, prefix=f".{source.report.name}.")
        with open(fd, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(("line", "key", "outcome", "detail"))
            for index, line in enumerate(source.lines):
                result = results.get(index)
                if result is None:
                    detail = "not reached before the interruption" if interrupted else "not reached"
                    writer.writerow((line, source.labels[index], "pending", detail))
                    continue
                answer = "; ".join(f"{key}={value}" for key, value in result.answer.items())
                writer.writerow((line, result.key, result.outcome.value, result.detail or answer))
        os.replace(temporary, source.report)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        _stderr().print(f"[red]wolkvox: the report {escape(str(source.report))} was not written: {exc}[/red]")


def _summarise(out: Console, report: wv.JobReport, source: Source, client: wv.Client) -> int:
    table = RichTable(title=f"{len(report.results)} items in {report.elapsed:.1f} s")
    table.add_column("outcome")
    table.add_column("items", justify="right")
    for outcome in wv.ItemOutcome:
        table.add_row(outcome.value, str(report.count(outcome)))
    out.print(table)

    trouble = [r for r in report.results if r.outcome in (wv.ItemOutcome.FAILED, wv.ItemOutcome.UNKNOWN)]
    if trouble:
        listed = RichTable(title="items needing attention")
        for column in ("line", "key", "outcome", "detail"):
            listed.add_column(column)
        for r in trouble[:SHOWN]:
            listed.add_row(str(source.lines[r.index]), escape(r.key), r.outcome.value, escape(r.detail or ""))
        out.print(listed)
        if len(trouble) > SHOWN:
            out.print(f"… and {len(trouble) - SHOWN} more (see the report)")

    unknown, failed = report.count(wv.ItemOutcome.UNKNOWN), report.count(wv.ItemOutcome.FAILED)
    typer.echo(f"calls made: {report.calls}")
    typer.echo(f"report: {source.report.resolve()}")
    typer.echo(f"journal: {report.journal.resolve()}")
    if unknown:
        typer.echo(
            f"{unknown} items may or may not have been done (their answer was lost): check them by hand; "
            "the journal keeps them from being sent again"
        )
    if failed:
        typer.echo(f"{failed} items failed: run the same command again, with the same journal, to retry them")
    if report.results and report.count(wv.ItemOutcome.ALREADY_DONE) == len(report.results):
        typer.echo("nothing was sent: the journal holds every item as done (a new --journal does them again)")
    typer.echo(f"quota left today (as last counted): {_quota_left(client)}")
    if unknown:
        return EXIT_UNCERTAIN
    return EXIT_FAILED if failed else EXIT_OK


# -- campaign load -----------------------------------------------------------------------------------


class CampaignType(enum.Enum):
    PREDICTIVE = "predictive"
    PREVIEW = "preview"


class CampaignStatus(enum.Enum):
    START = "start"
    STOP = "stop"


_ADD_RECORD = operation("campaign.add_record")
_RECORD_FIELDS = {param.wire: param for param in _ADD_RECORD.body.fields}
_RECORD_REQUIRED = tuple(param.wire for param in _ADD_RECORD.body.fields if param.required)
_RECORD_OPTIONAL = tuple(wire for wire in _RECORD_FIELDS if wire not in _RECORD_REQUIRED)
_UTC = ZoneInfo("UTC")
_STAMP = re.compile(r"[0-9]{14}")


def _record_value(param: Param, text: str) -> str | datetime:
    """A cell as add_record takes it, checked: a date and time as wolkvox writes it, or ISO 8601."""
    if param.kind is Kind.DATETIME and not _STAMP.fullmatch(text):
        try:
            return datetime.fromisoformat(text)  # with an offset, the library converts it to the zone's time
        except ValueError:
            raise wv.InvalidArgumentError(
                f"{param.wire} must be YYYYmmddHHiiss or 2026-01-31T08:00:00, got {text!r}"
            ) from None
    _arguments.wire(param, text, in_query=False, zone=_UTC)
    return text


@campaign_app.command("load")
def campaign_load(
    ctx: typer.Context,
    file: FileArgument,
    campaign_id: Annotated[str, typer.Option(help="The campaign to add the records to.")],
    type_campaign: Annotated[CampaignType, typer.Option("--type", help="The campaign's type.")],
    status: Annotated[
        CampaignStatus | None, typer.Option(help="Start or stop the campaign after the upload.")
    ] = None,
    batch_size: BatchOption = MAX_UPLOAD_RECORDS,
    journal: JournalOption = None,
    report: ReportOption = None,
) -> None:
    """Add customer records to a campaign: columns are add_record's fields (customer_id and tel1 at least)."""
    try:
        campaign = check.agent_id(campaign_id, "--campaign-id")
    except wv.InvalidArgumentError as exc:
        _fail(str(exc), EXIT_USAGE)
    expected = (
        f"{','.join(_RECORD_REQUIRED)} and any of {', '.join(_RECORD_OPTIONAL)} (empty cells are left out)"
    )
    table, problems = _read(file, _RECORD_REQUIRED, _RECORD_OPTIONAL, expected)
    records: list[dict[str, str | datetime]] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        record: dict[str, str | datetime] = {}
        bad = False
        for column, text in row.cells.items():
            if not text:
                if column in _RECORD_REQUIRED:
                    problems.add(row.line, table.column(column), f"empty {column}")
                    bad = True
                continue
            try:
                record[column] = _record_value(_RECORD_FIELDS[column], text)
            except wv.InvalidArgumentError as exc:
                problems.add(row.line, table.column(column), str(exc))
                bad = True
        customer = row.cells["customer_id"]
        if customer and (earlier := _first_line(seen, customer, row.line)) is not None:
            problems.add(
                row.line, table.column("customer_id"), f"customer_id {customer!r} is also on line {earlier}"
            )
            bad = True
        if not bad:
            records.append(record)
            lines.append(row.line)
    labels = [f"customer {record['customer_id']}" for record in records]
    source = _source(table, problems, records, lines, labels, journal, report)

    async def job(client: wv.Client, on_result: OnResult) -> wv.JobReport:
        return await wv.load_campaign_records(
            client,
            campaign,
            "preview" if type_campaign is CampaignType.PREVIEW else "predictive",
            records,
            journal=source.journal,
            campaign_status=None if status is None else "start" if status is CampaignStatus.START else "stop",
            batch_size=batch_size,
            on_result=on_result,
        )

    _run_job(ctx, f"loading records into campaign {campaign}", source, job)


# -- dnc add -----------------------------------------------------------------------------------------


@dnc_app.command("add")
def dnc_add(
    ctx: typer.Context,
    file: FileArgument,
    days_block: Annotated[
        int | None,
        typer.Option(min=1, help="Days each number stays blocked, unless a days_block column says."),
    ] = None,
    batch_size: BatchOption = MAX_UPLOAD_RECORDS,
    journal: JournalOption = None,
    report: ReportOption = None,
) -> None:
    """Block the telephones of a file (column telephone, optionally days_block) for outbound calls."""
    table, problems = _read(file, ("telephone",), ("days_block",))
    if "days_block" not in table.columns and days_block is None:
        _fail(f"{file}: no days_block: pass --days-block N or add a days_block column", EXIT_USAGE)
    phones: list[str] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    days: tuple[int, int] | None = None
    """The days every number is blocked for, and the line that first said so."""
    for row in table.rows:
        bad = False
        try:
            phone = check.phone(row.cells["telephone"])
        except wv.InvalidArgumentError as exc:
            problems.add(row.line, table.column("telephone"), str(exc))
            phone, bad = "", True
        if phone and (earlier := _first_line(seen, phone, row.line)) is not None:
            problems.add(row.line, table.column("telephone"), f"telephone {phone} is also on line {earlier}")
            bad = True
        cell = row.cells.get("days_block", "")
        given: int | None = days_block
        if cell:
            given = int(cell) if _DIGITS.fullmatch(cell) and int(cell) >= 1 else None
            if given is None:
                problems.add(
                    row.line,
                    table.column("days_block"),
                    f"days_block must be a whole number >= 1, got {cell!r}",
                )
                bad = True
        elif days_block is None:
            problems.add(row.line, table.column("days_block"), "empty days_block (and no --days-block)")
            bad = True
        if given is not None:
            if days is None:
                days = (given, row.line)
            elif given != days[0]:
                problems.add(
                    row.line,
                    table.column("days_block"),
                    f"days_block {given} differs from line {days[1]}'s {days[0]}: a file blocks every number "
                    "for the same days (split it)",
                )
                bad = True
        if not bad:
            phones.append(phone)
            lines.append(row.line)
    source = _source(
        table, problems, phones, lines, [f"telephone {phone}" for phone in phones], journal, report
    )
    blocked = days[0] if days is not None else days_block or 1

    async def job(client: wv.Client, on_result: OnResult) -> wv.JobReport:
        return await wv.add_dnc(
            client, phones, blocked, journal=source.journal, batch_size=batch_size, on_result=on_result
        )

    _run_job(ctx, f"blocking numbers for {blocked} days", source, job)


# -- skills assign -----------------------------------------------------------------------------------


@skills_app.command("assign")
def skills_assign(
    ctx: typer.Context,
    file: FileArgument,
    workers: WorkersOption = 2,
    journal: JournalOption = None,
    report: ReportOption = None,
) -> None:
    """Put agents in skills: columns agent_id, skill_id and optionally expertise (a level; empty is 0)."""
    table, problems = _read(file, ("agent_id", "skill_id"), ("expertise",))
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        bad = False
        for column in ("agent_id", "skill_id"):
            try:
                check.agent_id(row.cells[column], column)
            except wv.InvalidArgumentError as exc:
                problems.add(row.line, table.column(column), str(exc))
                bad = True
        expertise = row.cells.get("expertise", "")
        if expertise and not _DIGITS.fullmatch(expertise):
            problems.add(
                row.line,
                table.column("expertise"),
                f"expertise must be a whole number >= 0, got {expertise!r}",
            )
            bad = True
        pair = f"agent {row.cells['agent_id']} in skill {row.cells['skill_id']}"
        if not bad and (earlier := _first_line(seen, pair, row.line)) is not None:
            problems.add(row.line, table.column("agent_id"), f"{pair} is also on line {earlier}")
            bad = True
        if not bad:
            rows.append(
                {"agent_id": row.cells["agent_id"], "skill_id": row.cells["skill_id"], "expertise": expertise}
            )
            lines.append(row.line)
    labels = [f"agent {row['agent_id']} in skill {row['skill_id']}" for row in rows]
    source = _source(table, problems, rows, lines, labels, journal, report)

    async def job(client: wv.Client, on_result: OnResult) -> wv.JobReport:
        return await wv.assign_skills(
            client, rows, journal=source.journal, on_result=on_result, workers=workers
        )

    _run_job(ctx, "assigning skills", source, job)


# -- messages send -----------------------------------------------------------------------------------


class Channel(enum.Enum):
    SMS = "sms"
    WHATSAPP = "whatsapp"


_WHATSAPP_ONLY = ("connector_id", "template_name", "template_vars")


@messages_app.command("send")
def messages_send(
    ctx: typer.Context,
    file: FileArgument,
    channel: Annotated[Channel, typer.Option(help="SMS, or WhatsApp Business.")] = Channel.SMS,
    connector_id: Annotated[
        str | None, typer.Option(help="WhatsApp: the connector, unless a connector_id column says.")
    ] = None,
    workers: WorkersOption = 2,
    journal: JournalOption = None,
    report: ReportOption = None,
) -> None:
    """Send one message per row (telephone, message; WhatsApp: connector_id, or template_name and
    template_vars), never twice: a send whose answer was lost is reported for a check by hand."""
    whatsapp = channel is Channel.WHATSAPP
    if connector_id is not None:
        if not whatsapp:
            _fail("--connector-id goes with --channel whatsapp", EXIT_USAGE)
        try:
            connector_id = check.agent_id(connector_id, "--connector-id")
        except wv.InvalidArgumentError as exc:
            _fail(str(exc), EXIT_USAGE)
    if whatsapp:
        table, problems = _read(file, ("telephone",), ("message", *_WHATSAPP_ONLY))
    else:
        expected = "telephone,message (connector_id and templates are for --channel whatsapp)"
        table, problems = _read(file, ("telephone", "message"), (), expected)
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    for row in table.rows:
        cells = row.cells
        problems_before = len(problems.found)
        try:
            check.phone(cells["telephone"])
        except wv.InvalidArgumentError as exc:
            problems.add(row.line, table.column("telephone"), str(exc))
        message, template = cells.get("message", ""), cells.get("template_name", "")
        if message and template:
            problems.add(row.line, table.column("template_name"), "a message or a template_name, not both")
        elif not message and not template:
            problems.add(
                row.line,
                table.column("message"),
                "empty message" + (" and template_name" if whatsapp else ""),
            )
        if cells.get("template_vars") and not template:
            problems.add(row.line, table.column("template_vars"), "template_vars without a template_name")
        if whatsapp:
            connector = cells.get("connector_id", "")
            if connector and not _DIGITS.fullmatch(connector):
                problems.add(
                    row.line, table.column("connector_id"), f"connector_id must be digits, got {connector!r}"
                )
            elif not connector and connector_id is None:
                problems.add(
                    row.line, table.column("connector_id"), "empty connector_id (and no --connector-id)"
                )
        if len(problems.found) == problems_before:
            rows.append({column: text for column, text in cells.items() if text})
            lines.append(row.line)
    labels = [f"message to {row['telephone']}" for row in rows]
    source = _source(table, problems, rows, lines, labels, journal, report)

    async def job(client: wv.Client, on_result: OnResult) -> wv.JobReport:
        return await wv.send_messages(
            client,
            rows,
            journal=source.journal,
            channel="whatsapp" if whatsapp else "sms",
            connector_id=connector_id,
            on_result=on_result,
            workers=workers,
        )

    _run_job(ctx, f"sending {channel.value} messages", source, job)


# -- agents enable / disable -------------------------------------------------------------------------

IdsOrFile = Annotated[
    list[str],
    typer.Argument(metavar="ID... | FILE", help="Agent ids, or one CSV file with an agent_id column."),
]


@agents_app.command("enable")
def agents_enable(
    ctx: typer.Context,
    agent_ids: IdsOrFile,
    workers: WorkersOption = 2,
    journal: JournalOption = None,
    report: ReportOption = None,
) -> None:
    """Allow disabled agents to log in again: ids as arguments, or a CSV file of agent_id."""
    _toggle(ctx, agent_ids, True, workers, journal, report)


@agents_app.command("disable")
def agents_disable(
    ctx: typer.Context,
    agent_ids: IdsOrFile,
    workers: WorkersOption = 2,
    journal: JournalOption = None,
    report: ReportOption = None,
) -> None:
    """Stop agents from logging in: ids as arguments, or a CSV file of agent_id."""
    _toggle(ctx, agent_ids, False, workers, journal, report)


def _toggle(
    ctx: typer.Context,
    given: list[str],
    enabled: bool,
    workers: int,
    journal: Path | None,
    report: Path | None,
) -> NoReturn:
    if all(_DIGITS.fullmatch(arg.strip()) for arg in given):
        if journal is not None or report is not None:
            _fail("--journal and --report go with a CSV file, not with agent ids", EXIT_USAGE)
        _toggle_ids(ctx, [arg.strip() for arg in given], enabled)
    if len(given) != 1:
        _fail("give agent ids (digits), or one CSV file with an agent_id column", EXIT_USAGE)
    table, problems = _read(Path(given[0]), ("agent_id",), ())
    ids: list[str] = []
    lines: list[int] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        try:
            agent = check.agent_id(row.cells["agent_id"])
        except wv.InvalidArgumentError as exc:
            problems.add(row.line, table.column("agent_id"), str(exc))
            continue
        if (earlier := _first_line(seen, agent, row.line)) is not None:
            problems.add(row.line, table.column("agent_id"), f"agent_id {agent!r} is also on line {earlier}")
            continue
        ids.append(agent)
        lines.append(row.line)
    source = _source(table, problems, ids, lines, [f"agent {agent}" for agent in ids], journal, report)

    async def job(client: wv.Client, on_result: OnResult) -> wv.JobReport:
        return await wv.set_agents_enabled(
            client, ids, enabled, journal=source.journal, on_result=on_result, workers=workers
        )

    _run_job(ctx, "enabling agents" if enabled else "disabling agents", source, job)


def _toggle_ids(ctx: typer.Context, agent_ids: list[str], enabled: bool) -> NoReturn:
    """Today's ``agents enable 1001 1002``: one call each, in order, no journal."""
    secrets = ctx.obj.redactor() if isinstance(ctx.obj, Target) else NO_SECRETS
    done = "enabled" if enabled else "disabled"

    async def work(client: wv.Client) -> int:
        code = EXIT_OK
        for agent_id in agent_ids:
            try:
                if enabled:
                    await client.enable_agent(agent_id)
                else:
                    await client.configuration.disable_agent(agent_id=agent_id)
            except wv.WolkvoxError as exc:
                _stderr().print(
                    f"[red]wolkvox: agent {escape(agent_id)}: {escape(_describe(exc, secrets))}[/red]"
                )
                code = code or exit_code(exc)
            else:
                typer.echo(f"{done} agent {agent_id}")
        return code

    _run(ctx, work)
