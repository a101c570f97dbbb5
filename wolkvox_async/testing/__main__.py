"""``python -m wolkvox_async.testing serve``: the emulator on a loopback port, until Ctrl-C."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from .._errors import MissingExtraError
from ._emulator import Emulator
from ._faults import Fault
from ._server import loopback_host, run_server

_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(ms|s)?")


def duration(text: str) -> float:
    """Seconds from ``10ms``, ``1.5s`` or a bare ``0.2``."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (try 10ms or 0.5s)")
    value = float(match[1])
    return value / 1000 if match[2] == "ms" else value


def token_spec(text: str) -> tuple[str, int | None]:
    """``T`` or ``T:licences``."""
    token, _, licences = text.rpartition(":")
    if token and licences.isdigit():
        return token, int(licences)
    if not text:
        raise argparse.ArgumentTypeError("a token cannot be empty")
    return text, None


def fault_kinds(text: str) -> tuple[Fault, ...]:
    try:
        return tuple(Fault(kind.strip()) for kind in text.split(",") if kind.strip())
    except ValueError:
        known = ", ".join(fault.value for fault in Fault)
        raise argparse.ArgumentTypeError(f"unknown fault in {text!r}; known: {known}") from None


def probability(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"a rate is a probability between 0 and 1, not {text}")
    return value


def rows_per_day(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"rows a day are a whole number, 0 or more, not {text!r}")
    return int(text)


def host(text: str) -> str:
    try:
        return loopback_host(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def mask(token: str) -> str:
    """Enough of a token to tell it apart, not enough to use it."""
    return f"{token[:2]}…{token[-2:]}" if len(token) >= 12 else "***"


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m wolkvox_async.testing", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the wolkvox API v2 emulator on a loopback port")
    serve.add_argument(
        "--host", type=host, default="127.0.0.1", help="a loopback address (default 127.0.0.1)"
    )
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port (default 8765)")
    serve.add_argument(
        "--token",
        type=token_spec,
        action="append",
        required=True,
        metavar="TOKEN[:LICENCES]",
        help="a token to accept; repeatable",
    )
    serve.add_argument("--licences", type=int, default=1, help="licences of tokens given without (default 1)")
    serve.add_argument("--daily-quota", type=int, help="calls a day per token, instead of licences × 1000")
    serve.add_argument(
        "--concurrency", type=int, default=2, help="simultaneous requests per token (default 2)"
    )
    serve.add_argument("--latency", type=duration, default=0.0, help="service time, e.g. 10ms")
    serve.add_argument(
        "--jitter", type=duration, default=0.0, help="uniform ± spread of the latency, e.g. 2ms"
    )
    serve.add_argument("--fault-rate", type=probability, default=0.0, help="probability that a request fails")
    serve.add_argument(
        "--faults",
        type=fault_kinds,
        default=(Fault.SERVER_ERROR,),
        help="comma-separated fault kinds drawn at --fault-rate (default 500)",
    )
    serve.add_argument(
        "--slow", type=duration, default=5.0, help="how long a 'slow' fault hangs (default 5s)"
    )
    serve.add_argument(
        "--report-rows-per-day",
        type=rows_per_day,
        default=10,
        metavar="N",
        help="rows a report holds for each day of its window; 0: reports find no data (default 10)",
    )
    serve.add_argument("--seed", type=int, help="makes jitter, random faults and report rows reproducible")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and serve; raises ``MissingExtraError`` without uvicorn (the ``testing`` extra)."""
    args = parser().parse_args(argv)
    emulator = Emulator(
        tokens=(),
        concurrency=args.concurrency,
        latency=args.latency,
        jitter=args.jitter,
        slow_seconds=args.slow,
        seed=args.seed,
        report_rows_per_day=args.report_rows_per_day,
    )
    for token, licences in args.token:
        emulator.add_token(
            token, args.licences if licences is None else licences, daily_quota=args.daily_quota
        )
    if args.fault_rate:
        emulator.set_fault_rate(args.fault_rate, args.faults)
    tokens = ", ".join(mask(token) for token, _ in args.token)

    def announce(url: str) -> None:
        print(f"wolkvox emulator listening on {url}/api/v2/ (tokens {tokens}); Ctrl-C to stop", flush=True)

    run_server(emulator, args.host, args.port, announce)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except MissingExtraError as exc:
        print(f"python -m wolkvox_async.testing: {exc}", file=sys.stderr)
        sys.exit(2)
