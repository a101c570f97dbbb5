"""A hostile server over real sockets: answers that inflate, redirect, echo secrets, trickle or lie.

Each attack must end in a typed error (or a tolerated answer), with memory
bounded, the token sent nowhere else, no secret printed, and the token's slot
given back.
"""

from __future__ import annotations

import logging
import pickle
import time
import tracemalloc
from collections.abc import Iterator

import httpx
import pytest
from helpers import scheduler_of, until
from hostile import PASSWORD, Hostile, MiB, serve
from typer.testing import CliRunner

import wolkvox_async as wv
from wolkvox_async.cli import app as cli

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def hostile() -> Iterator[tuple[Hostile, str]]:
    server = Hostile()
    with serve(server) as url:
        server.redirect_to = url
        yield server, url


@pytest.fixture(autouse=True)
def fresh_counts(hostile: tuple[Hostile, str]) -> None:
    """Each test (and each engine) counts the requests it caused, from zero."""
    hostile[0].seen.clear()


def client(url: str, attack: str, token: str, **options: object) -> wv.Client:
    return wv.Client("0032", token, base_url=f"{url}/{attack}", **options)  # type: ignore[arg-type]


def secrets_absent(error: BaseException, *secrets: str) -> None:
    shown = [str(error), repr(error), *map(str, error.args), *map(str, vars(error).values())]
    shown.append(str(pickle.loads(pickle.dumps(error))))
    for secret in secrets:
        assert all(secret not in text for text in shown), (secret, shown)
        assert secret.encode() not in pickle.dumps(error)


# -- size ----------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_300_mb_answer_stops_at_32_mib_and_the_connection_is_closed(
    hostile: tuple[Hostile, str], engine: str, token: str
) -> None:
    server, url = hostile
    tracemalloc.start()
    try:
        async with client(url, "big", token, engine=engine) as c:
            with pytest.raises(wv.ResponseTooLargeError) as caught:
                await c.list_agents()
            peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.limit == 32 * MiB and caught.value.status == 200
    assert peak < 64 * MiB, f"peak {peak / MiB:.0f} MiB"
    assert server.seen["big"].requests == 1, "never retried: it would be as large again"
    await until(lambda: server.seen["big"].hung_up)
    assert server.seen["big"].bytes_sent < 100 * MiB
    assert scheduler_of(c).in_flight == 0


@pytest.mark.asyncio
async def test_the_limit_is_configurable(hostile: tuple[Hostile, str], engine: str, token: str) -> None:
    _, url = hostile
    tracemalloc.start()
    try:
        async with client(url, "big", token, engine=engine, max_response_size=MiB) as c:
            with pytest.raises(wv.ResponseTooLargeError, match="1,048,576 bytes") as caught:
                await c.list_agents()
            peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.limit == MiB
    assert peak < 16 * MiB, f"peak {peak / MiB:.0f} MiB"


@pytest.mark.asyncio
async def test_a_declared_length_over_the_limit_is_refused_before_reading(
    hostile: tuple[Hostile, str], engine: str, token: str
) -> None:
    server, url = hostile
    started = time.monotonic()
    async with client(url, "declared-big", token, engine=engine) as c:
        with pytest.raises(wv.ResponseTooLargeError):
            await c.list_agents()
    assert time.monotonic() - started < 5
    await until(lambda: server.seen["declared-big"].hung_up)


@pytest.mark.asyncio
async def test_a_gzip_bomb_stops_at_the_limit_of_its_decoded_size(
    hostile: tuple[Hostile, str], engine: str, token: str
) -> None:
    server, url = hostile
    server.bomb()  # built before measuring
    tracemalloc.start()
    try:
        async with client(url, "bomb", token, engine=engine) as c:
            with pytest.raises(wv.ResponseTooLargeError):
                await c.list_agents()
            peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert server.seen["bomb"].bytes_sent < 2 * MiB
    assert peak < 64 * MiB, f"peak {peak / MiB:.0f} MiB for a {server.seen['bomb'].bytes_sent:,}-byte bomb"


@pytest.mark.asyncio
@pytest.mark.parametrize("attack", ["brotli", "cut-gzip"])
async def test_encodings_not_asked_for_or_cut_short_are_typed_errors(
    hostile: tuple[Hostile, str], engine: str, token: str, attack: str
) -> None:
    _, url = hostile
    async with client(url, attack, token, engine=engine, max_retries=0) as c:
        with pytest.raises(wv.UnexpectedResponseError, match="cannot be read"):
            await c.list_agents()


@pytest.mark.asyncio
async def test_a_trickle_cannot_outlast_the_deadline(
    hostile: tuple[Hostile, str], engine: str, token: str
) -> None:
    _, url = hostile
    started = time.monotonic()
    async with client(url, "trickle", token, engine=engine, timeout=5, deadline=1.0) as c:
        with pytest.raises(wv.RequestTimeoutError):
            await c.list_agents()
        assert scheduler_of(c).in_flight == 0
    assert 0.9 < time.monotonic() - started < 3.0


# -- where the token goes --------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("operation", ["list_agents", "dial"])
async def test_a_redirect_is_never_followed_even_by_a_client_that_follows_redirects(
    hostile: tuple[Hostile, str], engine: str, token: str, operation: str
) -> None:
    server, url = hostile
    before = server.seen.get("redirect", None)
    asked = before.requests if before else 0
    async with httpx.AsyncClient(follow_redirects=True) as http:
        options = {"http_client": http} if engine == "httpx" else {"engine": engine}
        c = client(url, "redirect", token, **options)
        call = c.dial("1001", "3001234567") if operation == "dial" else c.list_agents()
        with pytest.raises(wv.RedirectError) as caught:
            await call
        await c.aclose()
    assert "stolen" not in server.seen, "the token went to the redirect's target"
    assert server.seen["redirect"].requests == asked + 1, "sent once, not retried"
    error = caught.value
    assert error.status == 302 and error.location.endswith("/stolen/api/v2/information.php")
    assert "leak" not in str(error)
    secrets_absent(error, token)


# -- echoes of secrets -------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_a_server_echoing_the_token_and_password_prints_neither(
    hostile: tuple[Hostile, str], engine: str, token: str, caplog: pytest.LogCaptureFixture
) -> None:
    _, url = hostile
    caplog.set_level(logging.DEBUG, logger="wolkvox_async")
    async with client(url, "echo", token, engine=engine) as c:
        with pytest.raises(wv.BadRequestError) as caught:
            await c.create_agent(dni="1", name="Ana", sso="ana", password=PASSWORD)
    error = caught.value
    assert error.status == 400 and error.operation == "create_agent"
    assert "is not valid for this server" in str(error) and "***" in str(error)
    secrets_absent(error, token, PASSWORD)
    assert all(token not in r.getMessage() and PASSWORD not in r.getMessage() for r in caplog.records)


@pytest.mark.asyncio
async def test_a_short_token_is_masked_as_a_word_without_garbling_the_message(
    hostile: tuple[Hostile, str],
    engine: str,
) -> None:
    _, url = hostile
    async with client(url, "echo", "ab", engine=engine) as c:
        with pytest.raises(wv.BadRequestError) as caught:
            await c.list_agents()
    text = str(caught.value)
    assert "token *** is not valid" in text and "unable" in text and "tab" in text, text
    assert " ab " not in text


@pytest.mark.asyncio
async def test_secrets_behind_escapes_in_a_cut_answer_are_masked(
    hostile: tuple[Hostile, str], engine: str, token: str
) -> None:
    _, url = hostile
    async with client(url, "echo-escaped", token, engine=engine, max_retries=0) as c:
        with pytest.raises(wv.UnexpectedResponseError) as caught:
            await c.list_agents()
    error = caught.value
    assert '"password": "***"' in error.excerpt, error.excerpt
    assert error.status == 200 and "list_agents" in str(error) and "HTTP 200" in str(error)
    secrets_absent(error, token, PASSWORD)


@pytest.mark.asyncio
async def test_a_proxy_page_echoing_the_token_prints_no_token(
    hostile: tuple[Hostile, str], engine: str, token: str
) -> None:
    _, url = hostile
    async with client(url, "echo-html", token, engine=engine, max_retries=0) as c:
        with pytest.raises(wv.ServerError) as caught:
            await c.list_agents()
    secrets_absent(caught.value, token)


# -- 404s that are not wolkvox's -----------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("attack", ["html404", "empty404", "proxy404"])
async def test_a_404_that_is_not_wolkvox_s_is_an_error_not_an_empty_list(
    hostile: tuple[Hostile, str], engine: str, token: str, attack: str
) -> None:
    _, url = hostile
    async with client(url, attack, token, engine=engine, max_retries=0) as c:
        with pytest.raises(wv.UnexpectedResponseError, match="base_url") as caught:
            await c.list_agents()
    assert caught.value.status == 404


@pytest.mark.asyncio
async def test_wolkvox_s_own_404_is_an_empty_list(
    hostile: tuple[Hostile, str], engine: str, token: str
) -> None:
    _, url = hostile
    async with client(url, "wolkvox404", token, engine=engine) as c:
        assert await c.list_agents() == ()


@pytest.mark.parametrize(("attack", "exit_code"), [("html404", 1), ("wolkvox404", 0)])
def test_the_cli_exits_non_zero_on_a_404_that_is_not_wolkvox_s(
    hostile: tuple[Hostile, str], token: str, attack: str, exit_code: int
) -> None:
    _, url = hostile
    options = ["--server", "0032", "--token", token, "--base-url", f"{url}/{attack}"]
    result = CliRunner().invoke(cli, [*options, "agents", "list"], env={"WOLKVOX_REDIS_URL": None})
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output and token not in result.output
