"""Whether to send a failed call again: a pure decision, apart from any I/O.

The big SDKs retry POSTs blindly; here that would ring a customer twice or
create a second agent and lose its password. So what may be repeated
depends on whether the call can act twice and whether it may have acted:

- a request that surely never left (no connection was made) is sent again,
  whatever it is;
- a refusal for concurrency did nothing: the call goes back to the head of
  its lane, whatever it is;
- ``list_agents``, ``enable_agent`` and ``agent_display`` are idempotent:
  sent again after a lost or garbled answer, a timeout, a 5xx or a
  maintenance 403,
  with capped exponential back-off and full jitter, within the call's
  deadline, honouring ``Retry-After`` up to a cap;
- a ``dial`` that may have reached the server is never sent again: its
  outcome is unknown and the caller is told so;
- a ``create_agent`` whose answer was lost is reconciled: look its dni up;
  if the agent exists it was created (its password is lost), otherwise it
  is safe to send again; a dni refused as taken when it is sent again is
  looked up too (the first attempt made it). The Transport acts on the
  verdict, within the call's deadline.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final

import attrs

from ._errors import (
    ConcurrencyLimitError,
    ConflictError,
    MaintenanceError,
    OutcomeUnknownError,
    RedirectError,
    ResponseTooLargeError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
)
from ._protocol import CREATE_AGENT
from ._spec import Operation


class Verdict(enum.Enum):
    RETRY = "retry"
    """Send it again after ``delay``."""
    REQUEUE = "requeue"
    """Back to the head of its lane after ``delay``: the server did nothing."""
    RECONCILE = "reconcile"
    """Find out whether it acted before deciding (create_agent)."""
    STOP = "stop"
    """Raise the error."""


@attrs.frozen
class Decision:
    verdict: Verdict
    delay: float = 0.0
    reason: str = ""


STOP_UNRETRYABLE: Final = Decision(Verdict.STOP, reason="not retryable")


@attrs.frozen
class RetryPolicy:
    """How hard to try. ``max_retries=0`` sends every call once and reconciles nothing
    (concurrency refusals still re-queue: those calls were never carried out).

    Back-off: full jitter over ``initial_delay`` doubling per retry, at most
    ``max_delay`` (spreads clients that failed together). ``Retry-After`` is
    honoured up to ``max_retry_after``; a longer one stops instead of waiting.
    """

    max_retries: int = 3
    initial_delay: float = 0.2
    max_delay: float = 5.0
    max_retry_after: float = 30.0
    max_requeues: int = 8
    requeue_delay: float = 0.05

    def backoff(self, retry: int, rand: Callable[[], float] = random.random) -> float:
        return rand() * min(self.max_delay, self.initial_delay * 2.0 ** (retry - 1))

    def requeue_backoff(self, requeue: int, rand: Callable[[], float] = random.random) -> float:
        return rand() * min(1.0, self.requeue_delay * 2.0 ** (requeue - 1))


def retry_after(headers: Mapping[str, str], now: datetime | None = None) -> float | None:
    """``Retry-After`` in seconds (delta or HTTP date), or None when absent or unreadable."""
    value = headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (ValueError, TypeError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def decide(
    operation: Operation,
    error: BaseException,
    *,
    retries: int,
    requeues: int,
    elapsed: float,
    budget: float | None,
    policy: RetryPolicy,
    headers: Mapping[str, str] | None = None,
    reconciled: bool = False,
    rand: Callable[[], float] = random.random,
) -> Decision:
    """What to do after ``error``, given the retries and re-queues done so far and the time spent.

    ``budget`` is the call's whole deadline in seconds (None: no deadline);
    no wait is chosen that would end past it. ``reconciled``: the call was
    sent again after a reconciliation found it had not acted.
    """
    if isinstance(error, ConcurrencyLimitError):
        if requeues >= policy.max_requeues:
            return Decision(Verdict.STOP, reason=f"refused for concurrency {requeues + 1} times")
        return _within(budget, elapsed, Decision(Verdict.REQUEUE, policy.requeue_backoff(requeues + 1, rand)))
    if operation is CREATE_AGENT and reconciled and isinstance(error, ConflictError):
        return Decision(Verdict.RECONCILE, reason="taken when sent again; the lost attempt made it")
    if operation is CREATE_AGENT and isinstance(error, OutcomeUnknownError):
        if retries >= policy.max_retries:
            return Decision(Verdict.STOP, reason="may have acted; never sent twice")
        return Decision(Verdict.RECONCILE, reason="answer lost; look the dni up")
    if isinstance(error, OutcomeUnknownError):
        return Decision(Verdict.STOP, reason="may have acted; never sent twice")
    if isinstance(error, ResponseTooLargeError | RedirectError):
        return STOP_UNRETRYABLE
    never_sent = isinstance(error, TransportError) and not error.may_have_reached_server
    transient = isinstance(error, TransportError | ServerError | MaintenanceError | UnexpectedResponseError)
    if not (never_sent or (transient and operation.idempotent)):
        return STOP_UNRETRYABLE
    if retries >= policy.max_retries:
        return Decision(Verdict.STOP, reason=f"gave up after {retries} retries")
    delay = policy.backoff(retries + 1, rand)
    asked = retry_after(headers or {})
    if asked is not None:
        if asked > policy.max_retry_after:
            return Decision(
                Verdict.STOP, reason=f"Retry-After {asked:.0f} s is over {policy.max_retry_after:.0f} s"
            )
        delay = max(delay, asked)
    return _within(budget, elapsed, Decision(Verdict.RETRY, delay))


def _within(budget: float | None, elapsed: float, decision: Decision) -> Decision:
    if budget is not None and elapsed + decision.delay >= budget:
        return Decision(Verdict.STOP, reason="no time left within the call's deadline")
    return decision
