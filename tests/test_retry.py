"""The retry decision, as a table: no network, no clock, no randomness."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import wolkvox_async as wv
from wolkvox_async._protocol import AGENT_DISPLAY, CREATE_AGENT, DIAL, ENABLE_AGENT, LIST_AGENTS
from wolkvox_async._retry import RetryPolicy, Verdict, decide, retry_after
from wolkvox_async._spec import Operation

POLICY = RetryPolicy(max_retries=3, initial_delay=0.2, max_delay=5.0, max_retry_after=30.0)
IDEMPOTENT = [LIST_AGENTS, ENABLE_AGENT, AGENT_DISPLAY]
ONCE_ONLY = [DIAL, CREATE_AGENT]


def never_sent(op: Operation) -> wv.TransportError:
    return wv.TransportError("refused", operation=op.name, may_have_reached_server=False)


def lost(op: Operation) -> wv.TransportError:
    if op.idempotent:
        return wv.RequestTimeoutError("read timeout", operation=op.name, may_have_reached_server=True)
    return wv.OutcomeUnknownError("lost", operation=op.name)


def api(cls: type[wv.APIError], op: Operation, status: int) -> wv.APIError:
    return cls("x", operation=op.name, status=status)


def concurrency(op: Operation) -> wv.APIError:
    return api(wv.ConcurrencyLimitError, op, 403)


def server(op: Operation) -> wv.APIError:
    return api(wv.ServerError, op, 503)


def maintenance(op: Operation) -> wv.APIError:
    return api(wv.MaintenanceError, op, 403)


def garbled(op: Operation) -> wv.UnexpectedResponseError:
    return wv.UnexpectedResponseError("truncated", operation=op.name, status=200)


def not_found(op: Operation) -> wv.APIError:
    return api(wv.NotFoundError, op, 404)


def auth(op: Operation) -> wv.APIError:
    return api(wv.AuthenticationError, op, 401)


def quota(op: Operation) -> wv.QuotaExhaustedError:
    return wv.QuotaExhaustedError("spent", operation=op.name, status=403, resets_at=None)


def bad_request(op: Operation) -> wv.APIError:
    return api(wv.BadRequestError, op, 400)


TABLE = [
    # failure, operations, verdict
    (never_sent, IDEMPOTENT + ONCE_ONLY, Verdict.RETRY),
    (concurrency, IDEMPOTENT + ONCE_ONLY, Verdict.REQUEUE),
    (lost, IDEMPOTENT, Verdict.RETRY),
    (lost, [DIAL], Verdict.STOP),
    (lost, [CREATE_AGENT], Verdict.RECONCILE),
    (server, IDEMPOTENT, Verdict.RETRY),
    (server, ONCE_ONLY, Verdict.STOP),
    (maintenance, IDEMPOTENT, Verdict.RETRY),
    (maintenance, ONCE_ONLY, Verdict.STOP),
    (garbled, IDEMPOTENT, Verdict.RETRY),
    (garbled, ONCE_ONLY, Verdict.STOP),
    (not_found, IDEMPOTENT + ONCE_ONLY, Verdict.STOP),
    (auth, IDEMPOTENT + ONCE_ONLY, Verdict.STOP),
    (quota, IDEMPOTENT + ONCE_ONLY, Verdict.STOP),
    (bad_request, IDEMPOTENT + ONCE_ONLY, Verdict.STOP),
]
CASES = [(failure, op, verdict) for failure, ops, verdict in TABLE for op in ops]


@pytest.mark.parametrize(
    ("failure", "op", "verdict"), CASES, ids=[f"{f.__name__}-{o.name}" for f, o, _ in CASES]
)
def test_the_table(failure: object, op: Operation, verdict: Verdict) -> None:
    error = failure(op)  # type: ignore[operator]
    decision = decide(
        op, error, retries=0, requeues=0, elapsed=0.0, budget=60.0, policy=POLICY, rand=lambda: 1.0
    )
    assert decision.verdict is verdict


def test_backoff_is_capped_exponential_with_full_jitter() -> None:
    delays = [
        decide(
            LIST_AGENTS, server(LIST_AGENTS), retries=n, requeues=0, elapsed=0, budget=None,
            policy=RetryPolicy(max_retries=10), rand=lambda: 1.0,
        ).delay
        for n in range(8)
    ]  # fmt: skip
    assert delays == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0, 5.0]
    jittered = decide(
        LIST_AGENTS,
        server(LIST_AGENTS),
        retries=2,
        requeues=0,
        elapsed=0,
        budget=None,
        policy=POLICY,
        rand=lambda: 0.25,
    )
    assert jittered.delay == pytest.approx(0.2)


def test_max_retries_and_zero_disables() -> None:
    for retries, verdict in [(0, Verdict.RETRY), (2, Verdict.RETRY), (3, Verdict.STOP)]:
        d = decide(
            LIST_AGENTS,
            server(LIST_AGENTS),
            retries=retries,
            requeues=0,
            elapsed=0,
            budget=None,
            policy=POLICY,
        )
        assert d.verdict is verdict
    off = RetryPolicy(max_retries=0)
    lost_create = lost(CREATE_AGENT)
    assert (
        decide(CREATE_AGENT, lost_create, retries=0, requeues=0, elapsed=0, budget=None, policy=off).verdict
        is Verdict.STOP
    )
    assert (
        decide(DIAL, never_sent(DIAL), retries=0, requeues=0, elapsed=0, budget=None, policy=off).verdict
        is Verdict.STOP
    )
    assert (
        decide(DIAL, concurrency(DIAL), retries=0, requeues=0, elapsed=0, budget=None, policy=off).verdict
        is Verdict.REQUEUE
    )


def test_requeues_are_bounded() -> None:
    d = decide(DIAL, concurrency(DIAL), retries=0, requeues=8, elapsed=0, budget=None, policy=POLICY)
    assert d.verdict is Verdict.STOP


def test_nothing_waits_past_the_deadline() -> None:
    d = decide(
        LIST_AGENTS,
        server(LIST_AGENTS),
        retries=0,
        requeues=0,
        elapsed=59.9,
        budget=60,
        policy=POLICY,
        rand=lambda: 1.0,
    )
    assert d.verdict is Verdict.STOP
    assert "deadline" in d.reason


@pytest.mark.parametrize(
    ("header", "verdict", "delay"),
    [
        ("2", Verdict.RETRY, 2.0),
        ("30", Verdict.RETRY, 30.0),
        ("31", Verdict.STOP, 0.0),
        ("soon", Verdict.RETRY, 0.2),
    ],
)
def test_retry_after_is_honoured_up_to_a_cap(header: str, verdict: Verdict, delay: float) -> None:
    d = decide(
        LIST_AGENTS, server(LIST_AGENTS), retries=0, requeues=0, elapsed=0, budget=None, policy=POLICY,
        headers={"retry-after": header}, rand=lambda: 1.0,
    )  # fmt: skip
    assert (d.verdict, d.delay) == (verdict, delay)


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2015, 10, 21, 7, 27, 50, tzinfo=UTC)
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, now) == 10.0
    assert retry_after({}, now) is None


@given(
    op=st.sampled_from(IDEMPOTENT + ONCE_ONLY),
    failure=st.sampled_from([never_sent, lost, server, maintenance, garbled, concurrency, not_found]),
    retries=st.integers(0, 10),
    requeues=st.integers(0, 10),
    elapsed=st.floats(0, 100),
    budget=st.none() | st.floats(0.1, 100),
)
def test_never_repeats_what_may_have_acted(
    op: Operation, failure: object, retries: int, requeues: int, elapsed: float, budget: float | None
) -> None:
    error = failure(op)  # type: ignore[operator]
    d = decide(op, error, retries=retries, requeues=requeues, elapsed=elapsed, budget=budget, policy=POLICY)
    may_have_acted = not isinstance(error, wv.ConcurrencyLimitError) and not (
        isinstance(error, wv.TransportError) and not error.may_have_reached_server
    )
    if not op.idempotent and may_have_acted:
        assert d.verdict in (Verdict.STOP, Verdict.RECONCILE)
    if d.verdict in (Verdict.RETRY, Verdict.REQUEUE) and budget is not None:
        assert elapsed + d.delay < budget
