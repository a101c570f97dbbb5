"""Sending one call: quota, slot, HTTP exchange, decoding, error mapping.

The only module that touches httpx. A call is counted against the quota
before it waits for a slot (so waiting calls can never overrun the quota),
its HTTP request is built before the slot is taken, it holds the slot only
while the exchange runs, the body included, and it is decoded after the slot
is given back: the slot is busy only while the server is.
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from typing import Final, TypeVar

import anyio
import httpx

from . import _quota
from ._errors import (
    ConcurrencyLimitError,
    OutcomeUnknownError,
    QuotaExhaustedError,
    RequestTimeoutError,
    TransportError,
    UnexpectedResponseError,
)
from ._models import Priority
from ._protocol import Decoder, Operation, Request, quota_was_spent
from ._quota import QuotaPolicy
from ._scheduler import TokenScheduler

T = TypeVar("T")

logger = logging.getLogger("wolkvox_async")

_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)

CONCURRENCY_REQUEUES: Final = 8
"""How often a call the server refused for concurrency goes back to the head of its lane.

Such a refusal means the server did nothing, so any call may be sent again;
it also means another process or host is using the token, which this
process cannot see, so after a few tries the refusal is raised instead.
"""


def requeue_backoff(attempt: int) -> float:
    """Seconds before re-queueing: full jitter over 50 ms doubling per attempt, at most 1 s."""
    return random.uniform(0, min(1.0, 0.05 * 2**attempt))


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


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


class Transport:
    __slots__ = ("_http", "_policy", "_scheduler", "_timeout", "_token")

    def __init__(
        self,
        http: httpx.AsyncClient,
        scheduler: TokenScheduler,
        policy: QuotaPolicy,
        timeout: httpx.Timeout | None,
        token: str,
    ) -> None:
        self._http = http
        self._scheduler = scheduler
        self._policy = policy
        self._timeout = timeout
        self._token = token

    @property
    def scheduler(self) -> TokenScheduler:
        return self._scheduler

    @property
    def policy(self) -> QuotaPolicy:
        return self._policy

    async def send(
        self, request: Request, decode: Decoder[T], *, priority: Priority, queue_timeout: float | None
    ) -> T:
        operation = request.operation
        if self._http.is_closed:
            raise RuntimeError(f"{operation.name}: the Client's HTTP client is closed; nothing was sent")
        scheduler, policy = self._scheduler, self._policy
        deadline = None if queue_timeout is None else time.monotonic() + queue_timeout
        counted = operation.costs_quota
        if counted:
            await scheduler.take_quota(
                policy, priority, _quota.now(), operation=operation.name, queue_timeout=queue_timeout
            )
        sent = False
        status: int | str = "-"
        queued = started = time.perf_counter()
        try:
            http_request = self._http_request(request)
            for attempt in itertools.count():
                await scheduler.acquire(
                    priority, _remaining(deadline), operation=operation.name, front=attempt > 0
                )
                try:
                    started = time.perf_counter()
                    sent = True
                    response = await self._http.send(http_request)
                finally:
                    scheduler.release()
                status = response.status_code
                try:
                    return decode(status, response.headers, response.content)
                except ConcurrencyLimitError:
                    if attempt >= CONCURRENCY_REQUEUES:
                        raise
                    pause = requeue_backoff(attempt)
                    logger.warning(
                        "%s refused for concurrency: another process or host is using this token (key %s); "
                        "re-queued at the head of its lane in %.0f ms (attempt %d of %d)",
                        operation.name, scheduler.key, pause * 1e3, attempt + 1, CONCURRENCY_REQUEUES,
                    )  # fmt: skip
                    await anyio.sleep(pause)
            raise AssertionError("unreachable")
        except BaseException as exc:
            never_sent = not sent or isinstance(exc, _NEVER_SENT)
            if counted and (never_sent or not quota_was_spent(exc)):
                scheduler.refund_quota(policy, _quota.now())
            if isinstance(exc, QuotaExhaustedError):
                scheduler.spend_quota(policy, _quota.now())
                exc.resets_at = policy.resets_at(_quota.now())
            elif isinstance(exc, UnexpectedResponseError):
                exc.excerpt = exc.excerpt.replace(self._token, "<token>")
            elif isinstance(exc, httpx.TransportError):
                status = type(exc).__name__
                raise transport_error(operation, exc) from None
            raise
        finally:
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug(
                    "%s status=%s priority=%s slot_wait=%.1fms elapsed=%.1fms token=%s",
                    operation.name,
                    status,
                    priority.name.lower(),
                    (started - queued) * 1e3,
                    (time.perf_counter() - started) * 1e3,
                    scheduler.key,
                )

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
