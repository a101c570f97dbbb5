"""``wolkvox``: the command line of wolkvox-async (needs the ``cli`` extra: typer and rich).

    wolkvox [--server 0032] [--token T] [--base-url URL] [--licences N] COMMAND

    agents list [--json] [--agent ID]
    agents create --csv FILE --journal FILE [--enable] [--fit] [--show-passwords] [--workers N]
    agents enable ID... | FILE [--journal J] [--report R] [--workers N]
    agents disable ID... | FILE [--journal J] [--report R] [--workers N]
    campaign load FILE --campaign-id ID --type predictive|preview [--status start|stop] [--batch-size N]
    dnc add FILE [--days-block N] [--batch-size N]
    skills assign FILE [--workers N]
    messages send FILE [--channel sms|whatsapp] [--connector-id ID] [--workers N]
    dial AGENT_ID PHONE [--customer-id ID] [--customer-name NAME]
    display AGENT_ID --button hungup|disposition|dial --show|--hide
    quota
    reports list | export REPORT --from D --to D -o FILE
    emulator serve [options of python -m wolkvox_async.testing serve]

``--server``, ``--token``, ``--base-url`` and ``--licences`` fall back to
``WOLKVOX_SERVER``, ``WOLKVOX_TOKEN``, ``WOLKVOX_BASE_URL`` and
``WOLKVOX_LICENCES``, as a Client does. An error of the library is one
red line on stderr, never a traceback, never the token.

Exit codes:

- 0: ok;
- 1: some rows failed, or the API refused the call;
- 2: usage or bad input (a malformed CSV, an invalid argument, no server or token);
- 3: the daily quota is too small (``InsufficientQuotaError``, ``QuotaExhaustedError``);
- 4: the server cannot be reached (``TransportError``);
- 5: some items of a bulk job need a check by hand: a send whose answer was
  lost (never sent again; ``agents create`` still says 0 for a lost password,
  and names it in its summary);
- 130: interrupted (Ctrl-C): the calls in flight finish and are journaled; run
  the same command again to resume.

``agents create`` checks the whole CSV first (problems are reported as
``FILE:LINE:COLUMN: message``, nothing is sent), then writes every new
agent's password to the journal only; ``--show-passwords`` also prints them.

The bulk jobs (``campaign load``, ``dnc add``, ``skills assign``, ``messages
send``, ``agents enable|disable FILE``) read a CSV whose header names the
operation's fields (UTF-8, UTF-8 with BOM or cp1252; ``,`` ``;`` or tab), check
all of it the same way, and keep a journal (``FILE.journal.jsonl``) and a report
(``FILE.report.csv``: line, key, outcome, detail) beside it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from .._errors import MissingExtraError

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_QUOTA",
    "EXIT_UNCERTAIN",
    "EXIT_UNREACHABLE",
    "EXIT_USAGE",
    "app",
    "main",
]

# Without the extra this package still imports, so that ``wolkvox`` and ``python -m`` can
# say what to install; what needs typer and rich raises MissingExtraError when asked for.
try:
    from ._app import (
        EXIT_FAILED,
        EXIT_INTERRUPTED,
        EXIT_OK,
        EXIT_QUOTA,
        EXIT_UNCERTAIN,
        EXIT_UNREACHABLE,
        EXIT_USAGE,
        app,
    )
except MissingExtraError as exc:
    _missing: MissingExtraError | None = exc
else:
    _missing = None


def __getattr__(name: str) -> Any:
    if _missing is not None and name in __all__:
        raise MissingExtraError(_missing.feature, _missing.extra, _missing.missing) from _missing.__cause__
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return its exit code."""
    if _missing is not None:
        print(f"wolkvox: {_missing}", file=sys.stderr)
        return 2
    try:
        app(args=None if argv is None else list(argv), prog_name="wolkvox")
    except SystemExit as exit_:
        code = exit_.code
        if code is None:
            return 0
        return code if isinstance(code, int) else 1
    return 0
