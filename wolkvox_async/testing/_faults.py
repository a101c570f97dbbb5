"""Failures the emulator injects, to see how a client copes with a server that misbehaves."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable
from enum import StrEnum
from typing import NoReturn

import httpx

from ._wire import Answer, Response, Send, envelope, html_page, json_response


class Fault(StrEnum):
    """What goes wrong. Every kind but DROP_AFTER_ACTION strikes before the operation acts, costing no quota."""

    SERVER_ERROR = "500"
    UNAVAILABLE = "503"
    MAINTENANCE = "maintenance"
    """A 403 whose body is none of the documented ones."""
    HTML = "html"
    """HTTP 200 with an HTML page instead of JSON."""
    TRUNCATED = "truncated"
    """HTTP 200 with a well-framed but half JSON body."""
    SLOW = "slow"
    """Answer 504 only after ``Emulator.slow_seconds``, meant to outlast the client's timeout."""
    DROP_AFTER_ACTION = "drop_after_action"
    """Act, then break the connection halfway through the answer."""


FaultLike = Fault | str
Operations = frozenset[str] | None


class ResponseDropped(httpx.RemoteProtocolError):
    """Raised by the app after a partial answer.

    Over a socket the server closes the connection and the client sees its own
    RemoteProtocolError; in process, through httpx.ASGITransport, this exception
    reaches the client itself, so it must already be the httpx error a broken
    connection gives.
    """


_TRUNCATED_JSON = (
    b'{"code":"200","error":null,"msg":"1 records were found","data":[{"agent_id":"1001",'
    b'"agent_name":"Ana Maria","agent_dni":"1020304050","agent_status":"offline","last_use":"",'
    b'"agent_sso":"ana.maria","enabled":"yes"}]}'
)

FAULT_RESPONSES = {
    Fault.SERVER_ERROR: html_page(500, "500 Internal Server Error"),
    Fault.UNAVAILABLE: html_page(503, "503 Service Unavailable"),
    Fault.MAINTENANCE: json_response(403, envelope(403, "FORBIDDEN", "SERVER UNDER MAINTENANCE")),
    Fault.HTML: html_page(200, "wolkvox"),
    Fault.TRUNCATED: Response(200, _TRUNCATED_JSON[: len(_TRUNCATED_JSON) // 2]),
    Fault.SLOW: html_page(504, "504 Gateway Time-out"),
}


async def send_and_drop(response: Answer, send: Send) -> NoReturn:
    """Promise the whole body, deliver half of it, then break off, as a lost answer looks on the wire."""
    body = response.body if isinstance(response, Response) else next(iter(response.chunks()), b"")
    sent = body[: len(body) // 2]
    await send(response.start())
    await send({"type": "http.response.body", "body": sent, "more_body": True})
    raise ResponseDropped(
        "peer closed connection without sending complete message body "
        f"(received {len(sent)} bytes, expected {len(body)}): the wolkvox emulator dropped it on purpose"
    )


class FaultPlan:
    """Which requests fail: scripted faults first, in order, then a random rate."""

    __slots__ = ("_script", "kinds", "operations", "rate")

    def __init__(self) -> None:
        self.rate = 0.0
        self.kinds: tuple[Fault, ...] = ()
        self.operations: Operations = None
        self._script: deque[tuple[Fault, Operations]] = deque()

    def set_rate(self, rate: float, kinds: Iterable[FaultLike], operations: Iterable[str] | None) -> None:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"a fault rate is a probability, not {rate}")
        chosen = tuple(Fault(kind) for kind in kinds)
        if rate and not chosen:
            raise ValueError("a fault rate needs at least one fault kind")
        self.rate, self.kinds, self.operations = rate, chosen, _operations(operations)

    def queue(self, kinds: Iterable[FaultLike], operations: Iterable[str] | None) -> None:
        wanted = _operations(operations)
        self._script.extend((Fault(kind), wanted) for kind in kinds)

    def clear(self) -> None:
        self.rate, self.kinds, self.operations = 0.0, (), None
        self._script.clear()

    @property
    def pending(self) -> int:
        return len(self._script)

    def pick(self, operation: str, rng: random.Random) -> Fault | None:
        for index, (fault, wanted) in enumerate(self._script):
            if wanted is None or operation in wanted:
                del self._script[index]
                return fault
        if (
            self.rate
            and (self.operations is None or operation in self.operations)
            and rng.random() < self.rate
        ):
            return rng.choice(self.kinds)
        return None


def _operations(operations: Iterable[str] | None) -> Operations:
    if isinstance(operations, str):
        return frozenset({operations})
    return None if operations is None else frozenset(operations)
