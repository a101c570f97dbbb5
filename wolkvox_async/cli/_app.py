"""The typer application behind the ``wolkvox`` command (see the package docstring)."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import anyio
import attrs

from .._errors import MissingExtraError

try:
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
    from rich.table import Table
    from rich.text import Text
except ImportError as exc:
    missing = (exc.name or "typer").partition(".")[0]
    raise MissingExtraError("the wolkvox command line", "cli", missing) from exc

import wolkvox_async as wv

from .._journal import Journal
from .._redact import Redactor
from .._urls import url_secrets
from ._csv import CsvError, read_agents

if TYPE_CHECKING:
    from wolkvox_async.redis import RedisBackend

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_QUOTA = 3
EXIT_UNREACHABLE = 4
EXIT_UNCERTAIN = 5
EXIT_INTERRUPTED = 130

HELP = """Work with the wolkvox contact-center API v2 from a shell.

Exit codes: 0 ok; 1 some rows failed, or the API refused the call;
2 usage or bad input (bad CSV, invalid argument, missing server or token);
3 the daily quota is too small; 4 the server (or Redis) cannot be reached;
5 some items need a check by hand (a send whose answer was lost: never sent
again); 130 interrupted (run the same command again to resume).
"""

app = typer.Typer(
    name="wolkvox",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
agents_app = typer.Typer(help="List, create, enable and disable agents.", no_args_is_help=True)
emulator_app = typer.Typer(
    help="The bundled wolkvox API emulator (needs the 'testing' extra).", no_args_is_help=True
)
app.add_typer(agents_app, name="agents")
app.add_typer(emulator_app, name="emulator")


@attrs.frozen
class Target:
    server: str | None
    token: str | None
    base_url: str | None
    licences: int | Literal["auto"]
    redis: str | None = None

    def redactor(self) -> Redactor:
        """Masks the token, and the passwords of the URLs given, in what is printed."""
        return Redactor([self.token, *url_secrets(self.base_url or ""), *url_secrets(self.redis or "")])


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str, code: int) -> NoReturn:
    _stderr().print(f"[red]wolkvox: {escape(message)}[/red]")
    raise typer.Exit(code)


def _show_problems(error: CsvError) -> None:
    """Print what is wrong with a file, one problem a line, and that nothing was sent."""
    err = _stderr()
    for problem in error.problems:
        err.print(f"[red]{escape(str(problem))}[/red]")
    if error.more:
        err.print(f"[red]… and {error.more} more problems[/red]")
    err.print("[red]nothing was sent[/red]")


def _refuse(error: CsvError) -> NoReturn:
    _show_problems(error)
    raise typer.Exit(EXIT_USAGE)


def exit_code(exc: BaseException) -> int:
    """The exit code an error of this library maps to."""
    if isinstance(exc, wv.QuotaExhaustedError):
        return EXIT_QUOTA
    if isinstance(exc, wv.TransportError | wv.BackendError):
        return EXIT_UNREACHABLE
    if isinstance(exc, wv.InvalidArgumentError):
        return EXIT_USAGE
    return EXIT_FAILED


def _describe(exc: BaseException, secrets: Redactor) -> str:
    return secrets.text(f"{type(exc).__name__}: {exc}")


def _single(exc: BaseException) -> BaseException:
    """The one error inside (nested) exception groups, or the group itself."""
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc


def _run(
    ctx: typer.Context,
    work: Callable[[wv.Client], Awaitable[int]],
    *,
    event_hooks: dict[str, list[Callable[[Any], None]]] | None = None,
    interrupted: Callable[[], str] = lambda: "interrupted",
) -> NoReturn:
    """Open a Client for the global options, run ``work`` with it, and exit with its code.

    ``interrupted`` says what Ctrl-C leaves behind (how to resume).
    """
    target: Target = ctx.obj
    if not target.server:
        _fail("no server: pass --server (e.g. --server 0032) or set WOLKVOX_SERVER", EXIT_USAGE)
    if not target.token:
        _fail("no token: pass --token or set WOLKVOX_TOKEN", EXIT_USAGE)

    secrets = target.redactor()
    backend = _backend(target.redis, secrets)

    async def main() -> int:
        async with contextlib.AsyncExitStack() as stack:
            if backend is not None:
                await stack.enter_async_context(backend)
            client = wv.Client(
                target.server,
                target.token,
                licences=target.licences,
                base_url=target.base_url,
                backend=backend,
                event_hooks=event_hooks,
            )
            async with client:
                return await work(client)
        raise AssertionError("unreachable")

    try:
        code = anyio.run(main)
    except KeyboardInterrupt:  # asyncio.Runner made the first Ctrl-C a cancellation: calls in flight ended
        _fail(interrupted(), EXIT_INTERRUPTED)
    except BaseException as group:
        exc = _single(group)
        if isinstance(exc, wv.WolkvoxError):
            _fail(_describe(exc, secrets), exit_code(exc))
        if isinstance(exc, OSError):
            _fail(_describe(exc, secrets), EXIT_FAILED)
        raise
    raise typer.Exit(code)


def _backend(url: str | None, secrets: Redactor) -> RedisBackend | None:
    """The shared backend ``--redis`` names, if any."""
    if url is None:
        return None
    try:
        from wolkvox_async.redis import RedisBackend
    except MissingExtraError as exc:
        _fail(str(exc), EXIT_USAGE)
    try:
        return RedisBackend(url)
    except wv.InvalidArgumentError as exc:
        _fail(f"--redis: {_describe(exc, secrets)}", EXIT_USAGE)


@app.callback()
def options(
    ctx: typer.Context,
    server: Annotated[
        str | None, typer.Option(envvar="WOLKVOX_SERVER", help="The 4-digit wolkvox server, e.g. 0032.")
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="WOLKVOX_TOKEN",
            help="The API token (prefer the environment variable).",
            show_default=False,
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            envvar="WOLKVOX_BASE_URL", help="Replace https://wv{server}.wolkvox.com, e.g. the emulator's URL."
        ),
    ] = None,
    licences: Annotated[
        str,
        typer.Option(
            envvar="WOLKVOX_LICENCES",
            help="The token's licences (a daily quota of licences x 1000 calls), or 'auto': the server's own "
            "limit and count (information.token_info, one call), so each run starts from the server's count.",
        ),
    ] = "auto",
    redis: Annotated[
        str | None,
        typer.Option(
            envvar="WOLKVOX_REDIS_URL",
            help="Share the token's limits and quota with other processes through this Redis "
            "(redis://host:6379/0; needs the 'redis' extra).",
            show_default=False,
        ),
    ] = None,
) -> None:
    ctx.obj = Target(server, token, base_url, _licences(licences), redis)


def _licences(given: str) -> int | Literal["auto"]:
    if given.strip().lower() == "auto":
        return "auto"
    try:
        count = int(given)
    except ValueError:
        count = 0
    if count < 1:
        _fail(f"--licences must be a positive whole number or 'auto', got {given!r}", EXIT_USAGE)
    return count


# -- agents ----------------------------------------------------------------------------------------


def _agent_fields(agent: wv.Agent) -> dict[str, Any]:
    return {
        "agent_id": agent.agent_id,
        "agent_name": agent.agent_name,
        "agent_dni": agent.agent_dni,
        "agent_sso": agent.agent_sso,
        "agent_status": agent.agent_status,
        "enabled": agent.enabled,
        "last_use": agent.last_use,
    }


@agents_app.command("list")
def agents_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array instead of a table.")] = False,
    agent: Annotated[str | None, typer.Option(help="Only this agent id.")] = None,
) -> None:
    """List the agents report (or one agent's row)."""

    async def work(client: wv.Client) -> int:
        agents = await client.list_agents(agent, refresh=True)
        if as_json:
            typer.echo(json.dumps([_agent_fields(a) for a in agents], ensure_ascii=False, indent=2))
            return EXIT_OK
        table = Table(title=f"{len(agents)} agents")
        for column in ("id", "name", "dni", "sso", "status", "enabled", "last use"):
            table.add_column(column)
        for a in agents:
            enabled = {True: "yes", False: "no", None: "?"}[a.enabled]
            table.add_row(
                a.agent_id, a.agent_name, a.agent_dni, a.agent_sso, a.agent_status, enabled, a.last_use
            )
        Console(highlight=False).print(table)
        return EXIT_OK

    _run(ctx, work)


class RateColumn(ProgressColumn):
    """Rows finished per second."""

    def render(self, task: Task) -> Text:
        speed = task.speed
        return Text("– rows/s" if speed is None else f"{speed:.1f} rows/s", style="progress.data.speed")


def _quota_left(client: wv.Client) -> str:
    remaining = client.quota().remaining
    return "?" if remaining is None else str(remaining)


def _passwords(journal: Path, dnis: set[str]) -> dict[str, tuple[str, str]]:
    """dni -> (agent id, password) of the journal's created agents among ``dnis``."""
    found: dict[str, tuple[str, str]] = {}
    for line in Journal(journal).read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("event") == "created" and entry.get("dni") in dnis:
            found[str(entry["dni"])] = (str(entry.get("agent_id", "")), str(entry.get("password", "")))
    return found


@agents_app.command("create")
def agents_create(
    ctx: typer.Context,
    csv_file: Annotated[
        Path, typer.Option("--csv", help="Agents to create: a header dni,name[,sso][,enable].")
    ],
    journal: Annotated[
        Path, typer.Option(help="Where each new agent's password is kept (mode 0600); reuse it to resume.")
    ],
    enable: Annotated[bool, typer.Option("--enable", help="Enable every agent (overrides the CSV).")] = False,
    fit: Annotated[
        bool, typer.Option("--fit", help="If the quota is short, do what fits instead of nothing.")
    ] = False,
    show_passwords: Annotated[
        bool,
        typer.Option(
            "--show-passwords", help="Also print the new passwords (they are always in the journal)."
        ),
    ] = False,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Rows worked on at once.")] = 4,
) -> None:
    """Create the agents of a CSV file that do not exist yet; safe to run again with the same journal."""
    try:
        lines = read_agents(csv_file)
    except CsvError as exc:
        _refuse(exc)
    if not journal.parent.is_dir():
        _fail(f"{journal}: its directory does not exist", EXIT_USAGE)
    rows = [line.row for line in lines]
    line_of = {line.row.dni: line.line for line in lines}
    console = Console(highlight=False)

    async def work(client: wv.Client) -> int:
        progress = Progress(
            TextColumn("[bold]creating agents"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("quota left {task.fields[quota]}"),
            console=console,
        )
        with progress:
            task = progress.add_task("create", total=len(rows), quota=_quota_left(client))

            def advance(result: wv.RowResult) -> None:
                progress.update(task, advance=1, quota=_quota_left(client))

            report = await wv.provision_agents(
                client,
                rows,
                journal=journal,
                enable=True if enable else None,
                if_quota_short="fit" if fit else "raise",
                on_result=advance,
                workers=workers,
            )
        return _summarise(console, report, line_of, show_passwords, client)

    def interrupted() -> str:
        return (
            f"interrupted: the agents created so far, and their passwords, are in the journal {journal}; "
            "run the same command again to resume"
        )

    _run(ctx, work, interrupted=interrupted)


def _summarise(
    console: Console,
    report: wv.ProvisionReport,
    line_of: dict[str, int],
    show_passwords: bool,
    client: wv.Client,
) -> int:
    not_enabled = [
        r
        for r in report.results
        if r.row.enable
        and not r.enabled
        and r.outcome in (wv.RowOutcome.CREATED, wv.RowOutcome.ALREADY_CREATED)
    ]
    table = Table(title=f"{len(report.results)} rows in {report.elapsed:.1f} s")
    table.add_column("outcome")
    table.add_column("rows", justify="right")
    for outcome in wv.RowOutcome:
        table.add_row(outcome.value, str(report.count(outcome)))
    table.add_row("enabled", str(sum(r.enabled for r in report.results)))
    table.add_row("created, not enabled", str(len(not_enabled)))
    console.print(table)

    trouble = [
        r
        for r in report.results
        if r.outcome in (wv.RowOutcome.FAILED, wv.RowOutcome.NOT_FITTED, wv.RowOutcome.PASSWORD_LOST)
    ] + not_enabled
    if trouble:
        problems = Table(title="rows needing attention")
        for column in ("line", "dni", "outcome", "detail"):
            problems.add_column(column)
        for r in trouble[:30]:
            problems.add_row(str(line_of.get(r.row.dni, "")), r.row.dni, r.outcome.value, r.error or "")
        console.print(problems)
        if len(trouble) > 30:
            console.print(f"… and {len(trouble) - 30} more")

    if show_passwords:
        created = _passwords(report.journal, {r.row.dni for r in report.results})
        secrets = Table(title="passwords (shown because of --show-passwords)")
        for column in ("dni", "agent", "password"):
            secrets.add_column(column)
        for dni, (agent_id, password) in created.items():
            secrets.add_row(dni, agent_id, password)
        console.print(secrets)
    console.print(f"journal: {report.journal.resolve()} (mode 0600; the new agents' passwords are there)")
    console.print(f"quota left today (as last counted): {_quota_left(client)}")
    lost = report.count(wv.RowOutcome.PASSWORD_LOST)
    if lost:
        console.print(f"{lost} agents were created but their passwords were lost: set new ones in wolkvox")
    if not report.complete or not_enabled:
        console.print("some rows are not done: run the same command again to retry them")
        return EXIT_FAILED
    return EXIT_OK


@app.command()
def dial(
    ctx: typer.Context,
    agent_id: Annotated[str, typer.Argument(help="The agent whose softphone dials.")],
    phone: Annotated[str, typer.Argument(help="The number to call; spaces, -, ., ( and ) are removed.")],
    customer_id: Annotated[str | None, typer.Option(help="Your id of the customer.")] = None,
    customer_name: Annotated[str | None, typer.Option(help="The customer's name.")] = None,
) -> None:
    """Make an agent's softphone call a number (free of quota)."""

    async def work(client: wv.Client) -> int:
        result = await client.dial(agent_id, phone, customer_id=customer_id, customer_name=customer_name)
        typer.echo(f"agent {agent_id} is dialling; conn_id {result.conn_id or '-'}")
        return EXIT_OK

    _run(ctx, work)


@app.command()
def display(
    ctx: typer.Context,
    agent_id: Annotated[str, typer.Argument(help="The agent whose agentbox changes.")],
    button: Annotated[wv.Button, typer.Option(help="The button.", case_sensitive=False)],
    show: Annotated[bool, typer.Option("--show/--hide", help="Show or hide it.")],
) -> None:
    """Show or hide a button of an agent's agentbox (free of quota)."""

    async def work(client: wv.Client) -> int:
        shown = wv.Display.SHOW if show else wv.Display.HIDE
        ack = await client.agent_display(agent_id, button=button, display=shown)
        typer.echo(f"agent {agent_id}: {button.value} {shown.value} ({ack.detail or ack.msg})")
        return EXIT_OK

    _run(ctx, work)


@app.command()
def quota(ctx: typer.Context) -> None:
    """The daily quota as the server counts it (information.token_info, one call), and with --redis every process's."""

    async def work(client: wv.Client) -> int:
        q = await client.sync_quota()
        limit = "unknown (pass --licences)" if q.limit is None else str(q.limit)
        remaining = "?" if q.remaining is None else str(q.remaining)
        typer.echo(f"limit {limit}, used {q.used}, left {remaining}, resets at {q.resets_at.isoformat()}")
        return EXIT_OK

    _run(ctx, work)


# -- emulator --------------------------------------------------------------------------------------


@emulator_app.command(
    "serve",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def emulator_serve(ctx: typer.Context) -> None:
    """Serve the emulator on a loopback port until Ctrl-C; options as `python -m wolkvox_async.testing serve --help`."""
    from ..testing.__main__ import main as serve_main

    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    try:
        code = serve_main(["serve", *ctx.args])
    except MissingExtraError as exc:
        _fail(str(exc), EXIT_USAGE)
    raise typer.Exit(code)


from . import _jobs, _reports  # noqa: E402, F401  (register `wolkvox reports`, the bulk jobs, `agents enable`)
