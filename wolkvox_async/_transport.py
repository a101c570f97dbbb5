"""Sending one call: quota, slot, HTTP exchange, decoding, error mapping.

The only module that touches httpx. A call is counted against the quota
before it waits for a slot (so waiting calls can never overrun the quota),
its HTTP request is built before the slot is taken, it holds the slot only
while the exchange runs, the body included, and it is decoded after the slot
is given back: the slot is busy only while the server is.
"""

from __future__ import annotations

import logging
import time
from typing import TypeVar

import httpx

from . import _quota
from ._errors import (
    OutcomeUnknownError,
    QuotaExhaustedError,
    RequestTimeoutError,
    TransportError,
    UnexpectedResponseError,
)
from ._protocol import Decoder, Operation, Request, quota_was_spent
from ._quota import QuotaPolicy
from ._scheduler import TokenScheduler

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

    async def send(self, request: Request, decode: Decoder[T]) -> T:
        operation = request.operation
        if self._http.is_closed:
            raise RuntimeError(f"{operation.name}: the Client's HTTP client is closed; nothing was sent")
        counted = operation.costs_quota
        if counted and not self._scheduler.quota.take(self._policy, _quota.now()):
            raise self._quota_error(operation)
        scheduler = self._scheduler
        sent = False
        status: int | str = "-"
        queued = started = time.perf_counter()
        try:
            http_request = self._http_request(request)
            await scheduler.acquire()
            try:
                started = time.perf_counter()
                sent = True
                response = await self._http.send(http_request)
            finally:
                scheduler.release()
            status = response.status_code
            return decode(status, response.headers, response.content)
        except BaseException as exc:
            never_sent = not sent or isinstance(exc, _NEVER_SENT)
            if counted and (never_sent or not quota_was_spent(exc)):
                self._scheduler.quota.refund(self._policy, _quota.now())
            if isinstance(exc, QuotaExhaustedError):
                self._scheduler.quota.mark_spent(self._policy, _quota.now())
                exc.resets_at = self._policy.resets_at(_quota.now())
            elif isinstance(exc, UnexpectedResponseError):
                exc.excerpt = exc.excerpt.replace(self._token, "<token>")
            elif isinstance(exc, httpx.TransportError):
                status = type(exc).__name__
                raise transport_error(operation, exc) from None
            raise
        finally:
            if logger.isEnabledFor(logging.DEBUG):
                logger.debug(
                    "%s status=%s slot_wait=%.1fms elapsed=%.1fms token=%s",
                    operation.name,
                    status,
                    (started - queued) * 1e3,
                    (time.perf_counter() - started) * 1e3,
                    self._scheduler.key,
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

    def _quota_error(self, operation: Operation) -> QuotaExhaustedError:
        snapshot = self._scheduler.quota.snapshot(self._policy, _quota.now())
        limit = f"of {snapshot.limit} calls " if snapshot.limit is not None else ""
        return QuotaExhaustedError(
            f"the daily quota {limit}is used up",
            operation=operation.name,
            status=None,
            resets_at=snapshot.resets_at,
        )
