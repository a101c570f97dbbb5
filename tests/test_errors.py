"""Errors behave like Python errors: they pickle, name their public module, and say what happened."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import pytest

import wolkvox_async as wv

WHEN = datetime(2026, 12, 4, 5, 0, tzinfo=UTC)

EXAMPLES: dict[type[BaseException], BaseException] = {
    wv.WolkvoxError: wv.WolkvoxError("something"),
    wv.InvalidArgumentError: wv.InvalidArgumentError("phone must be digits"),
    wv.QueueError: wv.QueueError("no slot", operation="dial", priority="interactive"),
    wv.QueueTimeoutError: wv.QueueTimeoutError("no slot in 1 s", operation="dial", priority="interactive"),
    wv.QueueFullError: wv.QueueFullError("10 wait", operation="list_agents", priority="bulk"),
    wv.TransportError: wv.TransportError(
        "ConnectError", operation="list_agents", may_have_reached_server=False
    ),
    wv.RequestTimeoutError: wv.RequestTimeoutError(
        "ReadTimeout", operation="list_agents", may_have_reached_server=True
    ),
    wv.OutcomeUnknownError: wv.OutcomeUnknownError("dial may have rung", operation="dial"),
    wv.PasswordLostError: wv.PasswordLostError("create_agent: lost", agent_id="1001"),
    wv.APIError: wv.APIError("odd", operation="dial", status=418, code="418", error="TEAPOT"),
    wv.BadRequestError: wv.BadRequestError(
        "SOME PARAMETERS ARE REQUIRED", operation="dial", status=400, code="400"
    ),
    wv.AuthenticationError: wv.AuthenticationError("PLEASE VALIDATE TOKEN", operation="dial", status=403),
    wv.QuotaExhaustedError: wv.QuotaExhaustedError(
        "TOKEN LIMIT EXCEEDED",
        operation="list_agents",
        status=403,
        resets_at=WHEN,
        code="403",
        error="FORBIDDEN",
    ),
    wv.ConcurrencyLimitError: wv.ConcurrencyLimitError("SIMULTANEOUS", operation="dial", status=403),
    wv.MaintenanceError: wv.MaintenanceError("", operation="dial", status=403),
    wv.NotFoundError: wv.NotFoundError("AGENT NOT FOUND", operation="dial", status=404, code="404"),
    wv.ConflictError: wv.ConflictError("ALREADY REGISTERED", operation="create_agent", status=404),
    wv.ServerError: wv.ServerError("HTTP 502", operation="list_agents", status=502),
    wv.UnexpectedResponseError: wv.UnexpectedResponseError(
        "a body that is not JSON", operation="list_agents", status=200, excerpt="<html>oops</html>"
    ),
    wv.ResponseTooLargeError: wv.ResponseTooLargeError(operation="list_agents", status=200, limit=1024),
    wv.RedirectError: wv.RedirectError(operation="dial", status=302, location="https://elsewhere/x"),
    wv.TooManyRowsError: wv.TooManyRowsError(
        operation="reports.cdr_1", window="2026-01-01 00:00:00", cap=60_000
    ),
    wv.BackendError: wv.BackendError("Redis unreachable", operation="dial"),
    wv.UsageError: wv.UsageError("misused", operation="dial"),
    wv.ClientClosedError: wv.ClientClosedError("the Client is closed", operation="dial"),
    wv.WrongEventLoopError: wv.WrongEventLoopError("another loop", operation="dial"),
    wv.MissingExtraError: wv.MissingExtraError("RedisBackend", "redis", "redis-py"),
    wv.InsufficientQuotaError: wv.InsufficientQuotaError(
        needed=10, remaining=3, resets_at=WHEN, operation="reports.cdr_1", hint="a shorter range"
    ),
}


def public_errors() -> list[type[BaseException]]:
    return [
        obj
        for name in wv.__all__
        if isinstance(obj := getattr(wv, name), type) and issubclass(obj, BaseException)
    ]


def test_every_public_error_has_an_example() -> None:
    assert set(public_errors()) == set(EXAMPLES)


@pytest.mark.parametrize("error", EXAMPLES.values(), ids=lambda e: type(e).__name__)
def test_errors_pickle_with_their_attributes(error: BaseException) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        copy = pickle.loads(pickle.dumps(error, protocol))
        assert type(copy) is type(error)
        assert copy.args == error.args and vars(copy) == vars(error)
        assert str(copy) == str(error) and repr(copy) == repr(error)


@pytest.mark.parametrize("cls", EXAMPLES, ids=lambda c: c.__name__)
def test_errors_live_in_the_public_package(cls: type[BaseException]) -> None:
    assert cls.__module__ == "wolkvox_async"
    assert getattr(wv, cls.__name__) is cls


@pytest.mark.parametrize(
    "error", [e for e in EXAMPLES.values() if hasattr(e, "status")], ids=lambda e: type(e).__name__
)
def test_messages_name_the_operation_and_the_status(error: BaseException) -> None:
    text = str(error)
    assert getattr(error, "operation") in text  # noqa: B009
    assert f"HTTP {getattr(error, 'status')}" in text or getattr(error, "status") is None  # noqa: B009


def test_an_unexpected_answer_shows_the_start_of_its_excerpt() -> None:
    error = wv.UnexpectedResponseError("not JSON", operation="list_agents", status=200, excerpt="x" * 500)
    assert str(error) == f"list_agents: not JSON (HTTP 200): {'x' * 120!r}..."


def test_errors_survive_a_process_pool() -> None:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1) as pool:
        future = pool.submit(_raise_quota)
        with pytest.raises(wv.QuotaExhaustedError) as caught:
            future.result(timeout=30)
    assert caught.value.resets_at == WHEN and caught.value.status == 403


def _raise_quota() -> None:
    raise EXAMPLES[wv.QuotaExhaustedError]


def test_missing_extra_is_an_import_error_naming_the_extra() -> None:
    error = EXAMPLES[wv.MissingExtraError]
    assert isinstance(error, ImportError) and "pip install 'wolkvox-async[redis]'" in str(error)
