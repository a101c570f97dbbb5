"""Sending one call: attempts, retries, the deadline, quota, slot, HTTP exchange, decoding.

Bytes travel through an engine (``_engine``: httpx or aiohttp), which
decides nothing. Each attempt is counted against the quota before it waits
for a slot (so waiting calls can never overrun the quota), its HTTP request
is built before the slot is taken, it holds the slot
only while the exchange runs, the body included, and it is decoded after the
slot is given back: the slot is busy only while the server is. Whether to
try again is ``_retry.decide``'s business, not this module's; acting on its
verdicts, reconciliation included, is this module's alone.

The server is not trusted: redirects are never followed (the token would go
with them), the body is read as it streams and stops at the size limit
(``_body``), and every error is masked of the call's secrets (``_redact``)
before it leaves.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol, TypeVar

import anyio
import attrs

from . import _quota
from ._backend import Scheduler
from ._body import BadEncoding, BodyReader, TooLarge
from ._deadline import Deadline
from ._engine import Engine, Exchange, ExchangeFailed
from ._errors import (
    ClientClosedError,
    OutcomeUnknownError,
    QuotaExhaustedError,
    RequestTimeoutError,
    ResponseTooLargeError,
    TransportError,
    UnexpectedResponseError,
    UsageError,
    WolkvoxError,
    WrongEventLoopError,
)
from ._events import CallEvent, Hooks, RequestEvent, ResponseEvent, RetryEvent, SlotWaitEvent
from ._models import Priority
from ._protocol import Decoder, Request, quota_was_spent
from ._quota import QuotaPolicy
from ._redact import Redactor
from ._retry import RetryPolicy, Verdict, decide
from ._spec import Operation
from ._stream import StreamError

T = TypeVar("T")

logger = logging.getLogger("wolkvox_async")


class Sink(Protocol):
    """Where a successful answer's body goes as it streams (a report's records), instead of memory."""

    def feed(self, data: bytes) -> None: ...

    def close(self) -> object:
        """The body ended: what the call answers; raises if it was cut short or wrong."""


Stream = Callable[[], Sink]
"""A fresh sink for each attempt: an attempt that failed half-way leaves nothing behind."""

Reconcile = Callable[[WolkvoxError], Awaitable[None]]
"""Finds out whether a call whose answer was lost (the error given) acted: raises what the
caller must see if it did or cannot be told, returns if it surely did not (so it may be
sent again)."""


def transport_error(operation: Operation, exc: ExchangeFailed) -> TransportError:
    """Name an engine's failure by what it means for the call.

    Only a connection that was never made proves the request did not leave;
    after that, a call that must not run twice has an unknown outcome.
    """
    reached, what = exc.reached, exc.name
    if reached and not operation.idempotent:
        return OutcomeUnknownError(
            f"{operation.name} may have been carried out, but its answer was lost ({what}); "
            "check before sending it again",
            operation=operation.name,
        )
    error_type = RequestTimeoutError if exc.timed_out else TransportError
    sent = "may have reached the server" if reached else "never reached the server"
    return error_type(
        f"{operation.name} failed: {what}; it {sent}",
        operation=operation.name,
        may_have_reached_server=reached,
    )


def running_loop() -> object:
    """The event loop the caller runs on: an asyncio loop, or trio's run (its token)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            return trio.lowlevel.current_trio_token()
        except RuntimeError:
            pass
    raise UsageError("a Client is used from inside an asyncio or trio event loop")


@attrs.define
class _Attempt:
    """What one attempt learned, for the retry decision and the deadline's verdict."""

    number: int
    in_flight: bool = False
    reached: bool = False
    headers: Mapping[str, str] | None = None


@attrs.define
class _Tally:
    """A call's attempts so far, for its CallEvent; kept only when a hook listens."""

    began: float
    attempts: int = 0
    slot_wait: float = 0.0
    status: int | None = None


@attrs.frozen
class CallSettings:
    """How one call may wait and try: its lane, queue timeout, total deadline and retries."""

    priority: Priority
    queue_timeout: float | None
    deadline: float | None
    retry: RetryPolicy


_binding = threading.Lock()


class Transport:
    __slots__ = (
        "_before_counting",
        "_closed",
        "_engine",
        "_hooks",
        "_loop",
        "_max_response",
        "_policy",
        "_redactor",
        "_scheduler",
        "_thread",
        "_token",
    )

    def __init__(
        self,
        engine: Engine,
        scheduler: Scheduler,
        policy: QuotaPolicy,
        token: str,
        hooks: Hooks | None = None,
        max_response: int | None = None,
    ) -> None:
        self._engine = engine
        self._scheduler = scheduler
        self._policy = policy
        self._token = token
        self._redactor = Redactor((token,))
        self._hooks = hooks or Hooks()
        self._max_response = max_response
        self._loop: object | None = None
        self._thread = ""
        self._closed = False
        self._before_counting: Callable[[], Awaitable[None]] | None = None

    @property
    def scheduler(self) -> Scheduler:
        return self._scheduler

    @property
    def policy(self) -> QuotaPolicy:
        return self._policy

    @policy.setter
    def policy(self, policy: QuotaPolicy) -> None:
        """A limit learned later (from the server), for every call from now on."""
        self._policy = policy

    def before_counting(self, hook: Callable[[], Awaitable[None]]) -> None:
        """Run ``hook`` before a call is counted against the quota (the server's count read first)."""
        self._before_counting = hook

    @property
    def bound(self) -> bool:
        """Whether a call has tied it to an event loop yet."""
        return self._loop is not None

    async def aclose(self) -> None:
        """Close the engine; on the loop it runs on, if it ever ran."""
        self._closed = True
        if self._loop is not None:
            self.check_loop("aclose")
        await self._engine.aclose()

    def check_usable(self, operation: str) -> None:
        """Raise before anything is counted or sent if this call cannot work.

        The HTTP client's connections belong to the event loop that first
        used them, so the Transport is tied to that loop (and its thread).
        """
        if self._closed:
            raise ClientClosedError("the Client is closed; nothing was sent", operation=operation)
        if (closed := self._engine.closed()) is not None:
            raise ClientClosedError(f"{closed}; nothing was sent", operation=operation)
        self.check_loop(operation)

    def check_loop(self, operation: str) -> None:
        loop = running_loop()
        if loop is not self._loop:
            self._bind(loop, operation)

    def _bind(self, loop: object, operation: str) -> None:
        with _binding:
            if self._loop is None:
                self._engine.bind(loop)
                self._loop, self._thread = loop, threading.current_thread().name
                return
        raise WrongEventLoopError(
            f"this Client belongs to the event loop it first ran on (thread {self._thread!r}); "
            "make one Client per event loop: they still share the token's slots and quota. "
            "Nothing was sent",
            operation=operation,
        )

    async def send(
        self,
        request: Request,
        decode: Decoder[T],
        settings: CallSettings,
        reconcile: Reconcile | None = None,
        stream: Stream | None = None,
    ) -> T:
        """Send until it succeeds or ``decide`` says stop; the deadline counts from the first slot.

        ``reconcile`` is what to do when ``decide`` says a lost answer must
        be looked into before the call may be sent again (create_agent);
        it runs within the same deadline. With ``stream``, a successful
        answer's body goes to a sink as it arrives and the call answers what
        the sink's ``close`` does; other answers are decoded as usual.
        """
        self.check_usable(request.operation.name)
        if not self._hooks.call:
            return await self._send(request, decode, settings, reconcile, stream, None)
        tally = _Tally(time.perf_counter())
        try:
            result = await self._send(request, decode, settings, reconcile, stream, tally)
        except BaseException as exc:
            await self._called(request, settings, tally, type(exc).__name__)
            raise
        await self._called(request, settings, tally, None)
        return result

    async def _called(
        self, request: Request, settings: CallSettings, tally: _Tally, error: str | None
    ) -> None:
        event = CallEvent(
            request.operation.name, settings.priority.name.lower(), tally.attempts, tally.slot_wait,
            tally.status, error, time.perf_counter() - tally.began, request.url,
        )  # fmt: skip
        await self._hooks.emit(self._hooks.call, event)

    async def _send(
        self,
        request: Request,
        decode: Decoder[T],
        settings: CallSettings,
        reconcile: Reconcile | None,
        stream: Stream | None,
        tally: _Tally | None,
    ) -> T:
        operation = request.operation
        prepared = self._engine.prepare(request)
        retries = requeues = 0
        began: float | None = None
        attempt = _Attempt(1)
        reached_before = reconciled = False

        def start_clock() -> None:
            nonlocal began
            if began is None:
                began = time.monotonic()
                if settings.deadline is not None:
                    deadline.start(settings.deadline)

        with Deadline() as deadline:
            while True:
                try:
                    return await self._attempt(
                        prepared, request, decode, settings, attempt, start_clock, stream, tally
                    )
                except WolkvoxError as error:
                    elapsed = 0.0 if began is None else time.monotonic() - began
                    decision = decide(
                        operation, error, retries=retries, requeues=requeues, elapsed=elapsed,
                        budget=settings.deadline, policy=settings.retry, headers=attempt.headers,
                        reconciled=reconciled,
                    )  # fmt: skip
                    if decision.verdict is Verdict.STOP:
                        raise
                    reached_before = reached_before or attempt.reached
                    if decision.verdict is Verdict.RECONCILE:
                        if reconcile is None:
                            raise
                        retries += 1
                        logger.info(
                            "%s attempt %d lost its answer; looking into whether it acted",
                            operation.name, attempt.number,
                        )  # fmt: skip
                        await reconcile(error)
                        reconciled = True
                        attempt = _Attempt(attempt.number + 1)
                        continue
                    if decision.verdict is Verdict.REQUEUE:
                        requeues += 1
                        logger.warning(
                            "%s refused for concurrency: another process or host is using this token "
                            "(key %s); re-queued at the head of its lane in %.0f ms",
                            operation.name, self._scheduler.key, decision.delay * 1e3,
                        )  # fmt: skip
                    else:
                        retries += 1
                        logger.info(
                            "%s attempt %d failed (%s); retrying in %.0f ms",
                            operation.name, attempt.number, type(error).__name__, decision.delay * 1e3,
                        )  # fmt: skip
                    if self._hooks.retry:
                        event = RetryEvent(
                            operation.name, attempt.number, decision.verdict.value, decision.delay,
                            type(error).__name__, decision.reason,
                        )  # fmt: skip
                        await self._hooks.emit(self._hooks.retry, event)
                    attempt = _Attempt(attempt.number + 1)
                    await anyio.sleep(decision.delay)
        assert deadline.expired, "only the call's own deadline ends the loop"
        reached = reached_before or attempt.reached
        if reached and not operation.idempotent:
            raise OutcomeUnknownError(
                f"{operation.name} passed its deadline of {settings.deadline} s after it may have "
                "reached the server; it may have been carried out: check before sending it again",
                operation=operation.name,
            )
        raise RequestTimeoutError(
            f"{operation.name} passed its deadline of {settings.deadline} s",
            operation=operation.name,
            may_have_reached_server=reached,
        )

    async def _attempt(
        self,
        prepared: object,
        request: Request,
        decode: Decoder[T],
        settings: CallSettings,
        attempt: _Attempt,
        start_clock: Callable[[], None],
        stream: Stream | None = None,
        tally: _Tally | None = None,
    ) -> T:
        scheduler, policy, hooks, operation = self._scheduler, self._policy, self._hooks, request.operation
        if tally is not None:
            tally.attempts, tally.status = attempt.number, None
        counted = operation.costs_quota
        queued = started = time.perf_counter()
        if counted:
            if self._before_counting is not None:
                await self._before_counting()
                policy = self._policy
            await scheduler.take_quota(
                policy,
                settings.priority,
                _quota.now(),
                operation=operation.name,
                queue_timeout=settings.queue_timeout,
            )
        status: int | str = "-"
        try:
            slot = scheduler.try_acquire()
            if slot is None:
                slot = await scheduler.acquire(
                    settings.priority,
                    settings.queue_timeout,
                    operation=operation.name,
                    front=attempt.number > 1,
                )
            try:
                started = time.perf_counter()
                start_clock()
                if tally is not None:
                    tally.slot_wait += started - queued
                if hooks.slot_wait or hooks.request:
                    lane = settings.priority.name.lower()
                    await hooks.emit(
                        hooks.slot_wait, SlotWaitEvent(operation.name, lane, attempt.number, started - queued)
                    )
                    await hooks.emit(hooks.request, RequestEvent(operation.name, lane, attempt.number))
                attempt.in_flight = attempt.reached = True
                exchange = await self._engine.send(prepared)
                try:
                    status, attempt.headers = exchange.status, exchange.headers
                    if tally is not None:
                        tally.status = status
                    sink = stream() if stream is not None and 200 <= status < 300 else None
                    body = await self._read(exchange, operation, sink)
                finally:
                    await exchange.aclose()
                attempt.in_flight = False
            finally:
                if (releasing := scheduler.release(slot)) is not None:
                    await releasing
            result = (
                self._streamed(sink, operation, status) if sink else decode(status, exchange.headers, body)
            )
        except BaseException as exc:
            never_sent = isinstance(exc, ExchangeFailed) and not exc.reached
            if counted and (not attempt.reached or never_sent or not quota_was_spent(exc)):
                await scheduler.refund_quota(policy, _quota.now())
            if isinstance(exc, WolkvoxError):
                self._redactor_for(request).error(exc)
            if isinstance(exc, QuotaExhaustedError):
                await scheduler.spend_quota(policy, _quota.now())
                exc.resets_at = policy.resets_at(_quota.now())
            elif isinstance(exc, ExchangeFailed):
                attempt.in_flight = False
                attempt.reached = exc.reached
                status = exc.name
                error = transport_error(operation, exc)
                if self._ended(operation, attempt, None, status, queued, started):
                    await self._respond(operation, attempt, None, status, started)
                raise error from None
            if isinstance(exc, Exception):
                code = status if isinstance(status, int) else None
                if self._ended(operation, attempt, code, type(exc).__name__, queued, started):
                    await self._respond(operation, attempt, code, type(exc).__name__, started)
            raise
        if self._ended(operation, attempt, status, None, queued, started):
            await self._respond(operation, attempt, status, None, started)
        return result

    @staticmethod
    def _streamed(sink: Sink, operation: Operation, status: int) -> Any:
        try:
            return sink.close()
        except StreamError as exc:
            raise UnexpectedResponseError(
                f"the answer cannot be read: {exc}", operation=operation.name, status=status
            ) from None

    def _redactor_for(self, request: Request) -> Redactor:
        return Redactor((self._token, *request.secrets)) if request.secrets else self._redactor

    async def _read(self, exchange: Exchange, operation: Operation, sink: Sink | None = None) -> bytes:
        """The decoded body (or, with a sink, fed to it), read as it streams.

        Past the limit the connection is dropped, not drained.
        """
        limit = self._max_response or operation.max_response
        status = exchange.status
        try:
            body = exchange.body
            if body is None:
                headers = exchange.headers
                reader = BodyReader(
                    limit,
                    headers.get("content-encoding", ""),
                    headers.get("content-length"),
                    sink.feed if sink else None,
                )
                await exchange.read(reader.feed)
                return reader.finish()
            if len(body) > limit:
                raise TooLarge
            if sink is not None:
                sink.feed(body)
            return body
        except TooLarge:
            raise ResponseTooLargeError(operation=operation.name, status=status, limit=limit) from None
        except (BadEncoding, StreamError) as exc:
            raise UnexpectedResponseError(
                f"the body cannot be read: {exc}", operation=operation.name, status=status
            ) from None

    def _ended(
        self,
        operation: Operation,
        attempt: _Attempt,
        status: int | None,
        error: str | None,
        queued: float,
        started: float,
    ) -> bool:
        """Log an attempt's end; True if response hooks want to hear of it too."""
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "%s attempt=%d status=%s error=%s slot_wait=%.1fms elapsed=%.1fms token=%s",
                operation.name, attempt.number, status, error, (started - queued) * 1e3,
                (time.perf_counter() - started) * 1e3, self._scheduler.key,
            )  # fmt: skip
        return bool(self._hooks.response)

    async def _respond(
        self, operation: Operation, attempt: _Attempt, status: int | None, error: str | None, started: float
    ) -> None:
        event = ResponseEvent(operation.name, attempt.number, status, error, time.perf_counter() - started)
        await self._hooks.emit(self._hooks.response, event)
