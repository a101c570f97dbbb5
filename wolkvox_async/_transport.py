"""Sending one call: attempts, retries, the deadline, quota, slot, HTTP exchange, decoding.

The only module that touches httpx. Each attempt is counted against the
quota before it waits for a slot (so waiting calls can never overrun the
quota), its HTTP request is built before the slot is taken, it holds the slot
only while the exchange runs, the body included, and it is decoded after the
slot is given back: the slot is busy only while the server is. Whether to
try again is ``_retry.decide``'s business, not this module's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

import anyio
import attrs
import httpx

from . import _quota
from ._backend import Scheduler
from ._deadline import Deadline
from ._errors import (
    OutcomeUnknownError,
    QuotaExhaustedError,
    RequestTimeoutError,
    TransportError,
    UnexpectedResponseError,
    WolkvoxError,
)
from ._events import Hooks, RequestEvent, ResponseEvent, RetryEvent, SlotWaitEvent
from ._models import Priority
from ._protocol import Decoder, Operation, Request, quota_was_spent
from ._quota import QuotaPolicy
from ._retry import RetryPolicy, Verdict, decide

T = TypeVar("T")

logger = logging.getLogger("wolkvox_async")

_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def transport_error(operation: Operation, exc: httpx.TransportError) -> TransportError:
    """Name an httpx failure by what it means for the call.

    Only a connection that was never made proves the request did not leave;
    after that, a call that must not run twice has an unknown outcome.
    """
    reached = not isinstance(exc, _NEVER_SENT)
    what = type(exc).__name__
    if reached and not operation.idempotent:
        return OutcomeUnknownError(
            f"{operation.name} may have been carried out, but its answer was lost ({what}); "
            "check before sending it again",
            operation=operation.name,
        )
    error_type = RequestTimeoutError if isinstance(exc, httpx.TimeoutException) else TransportError
    sent = "may have reached the server" if reached else "never reached the server"
    return error_type(
        f"{operation.name} failed: {what}; it {sent}",
        operation=operation.name,
        may_have_reached_server=reached,
    )


@attrs.define
class _Attempt:
    """What one attempt learned, for the retry decision and the deadline's verdict."""

    number: int
    in_flight: bool = False
    reached: bool = False
    headers: httpx.Headers | None = None


@attrs.frozen
class CallSettings:
    """How one call may wait and try: its lane, queue timeout, total deadline and retries."""

    priority: Priority
    queue_timeout: float | None
    deadline: float | None
    retry: RetryPolicy


class Transport:
    __slots__ = ("_hooks", "_http", "_policy", "_scheduler", "_timeout", "_token")

    def __init__(
        self,
        http: httpx.AsyncClient,
        scheduler: Scheduler,
        policy: QuotaPolicy,
        timeout: httpx.Timeout | None,
        token: str,
        hooks: Hooks | None = None,
    ) -> None:
        self._http = http
        self._scheduler = scheduler
        self._policy = policy
        self._timeout = timeout
        self._token = token
        self._hooks = hooks or Hooks()

    @property
    def scheduler(self) -> Scheduler:
        return self._scheduler

    async def send(self, request: Request, decode: Decoder[T], settings: CallSettings) -> T:
        """Send until it succeeds or ``decide`` says stop; the deadline counts from the first slot."""
        operation = request.operation
        if self._http.is_closed:
            raise RuntimeError(f"{operation.name}: the Client's HTTP client is closed; nothing was sent")
        http_request = self._http_request(request)
        retries = requeues = 0
        began: float | None = None
        attempt = _Attempt(1)
        reached_before = False

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
                        http_request, decode, operation, settings, attempt, start_clock
                    )
                except WolkvoxError as error:
                    elapsed = 0.0 if began is None else time.monotonic() - began
                    decision = decide(
                        operation, error, retries=retries, requeues=requeues, elapsed=elapsed,
                        budget=settings.deadline, policy=settings.retry, headers=attempt.headers,
                    )  # fmt: skip
                    if decision.verdict not in (Verdict.RETRY, Verdict.REQUEUE):
                        raise
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
                    reached_before = reached_before or attempt.reached
                    attempt = _Attempt(attempt.number + 1)
                    await anyio.sleep(decision.delay)
        assert deadline.expired, "only the call's own deadline ends the loop"
        reached = reached_before or attempt.reached
        if attempt.in_flight and not operation.idempotent:
            raise OutcomeUnknownError(
                f"{operation.name} passed its deadline of {settings.deadline} s while in flight; "
                "it may have been carried out: check before sending it again",
                operation=operation.name,
            )
        raise RequestTimeoutError(
            f"{operation.name} passed its deadline of {settings.deadline} s",
            operation=operation.name,
            may_have_reached_server=reached,
        )

    async def _attempt(
        self,
        http_request: httpx.Request,
        decode: Decoder[T],
        operation: Operation,
        settings: CallSettings,
        attempt: _Attempt,
        start_clock: Callable[[], None],
    ) -> T:
        scheduler, policy, hooks = self._scheduler, self._policy, self._hooks
        counted = operation.costs_quota
        queued = started = time.perf_counter()
        if counted:
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
                if hooks.slot_wait or hooks.request:
                    lane = settings.priority.name.lower()
                    await hooks.emit(
                        hooks.slot_wait, SlotWaitEvent(operation.name, lane, attempt.number, started - queued)
                    )
                    await hooks.emit(hooks.request, RequestEvent(operation.name, lane, attempt.number))
                attempt.in_flight = attempt.reached = True
                response = await self._http.send(http_request)
                attempt.in_flight = False
            finally:
                if (releasing := scheduler.release(slot)) is not None:
                    await releasing
            status, attempt.headers = response.status_code, response.headers
            result = decode(status, response.headers, response.content)
        except BaseException as exc:
            if counted and (not attempt.reached or isinstance(exc, _NEVER_SENT) or not quota_was_spent(exc)):
                await scheduler.refund_quota(policy, _quota.now())
            if isinstance(exc, QuotaExhaustedError):
                await scheduler.spend_quota(policy, _quota.now())
                exc.resets_at = policy.resets_at(_quota.now())
            elif isinstance(exc, UnexpectedResponseError):
                exc.excerpt = exc.excerpt.replace(self._token, "<token>")
            elif isinstance(exc, httpx.TransportError):
                attempt.in_flight = False
                attempt.reached = not isinstance(exc, _NEVER_SENT)
                status = type(exc).__name__
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

    def _http_request(self, request: Request) -> httpx.Request:
        """Built before the slot is taken, so that no slot waits on it."""
        return self._http.build_request(
            request.method,
            request.url,
            params=request.params,
            headers=request.headers,
            json=request.json,
            timeout=self._timeout if self._timeout is not None else httpx.USE_CLIENT_DEFAULT,
        )
