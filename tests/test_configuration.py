"""Client configuration, argument checks and secret values: no event loop needed."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import wolkvox_async as wv
from wolkvox_async import _validation as check


@pytest.mark.parametrize(
    "options",
    [
        {"server": 32},
        {"server": "32"},
        {"server": "00320"},
        {"server": "abcd"},
        {"token": ""},
        {"token": "a\nb"},
        {"licences": 0},
        {"daily_quota": -5},
        {"licences": 1, "daily_quota": 5},
        {"concurrency": 0},
        {"quota_timezone": "Mars/Olympus"},
        {"base_url": "ftp://x"},
        {"token": "tökén-ñ"},
        {"token": "a\x00b"},
        {"token": "two words"},
        {"token": "tab\tinside"},
        {"max_response_size": 0},
        {"http_client": "not a client"},
    ],
)
def test_invalid_configuration(options: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WOLKVOX_SERVER", raising=False)
    monkeypatch.delenv("WOLKVOX_TOKEN", raising=False)
    settings = {"server": "0032", "token": "t", **options}
    with pytest.raises(wv.InvalidArgumentError) as caught:
        wv.Client(settings.pop("server"), settings.pop("token"), **settings)
    for secret in ("a\nb", "tökén", "a\x00b", "two words", "tab\tinside"):
        assert secret not in str(caught.value)


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("ftp://x", "http"),
        ("http://", "http"),
        ("not a url", "http"),
        ("http://host:99999", "not a URL"),
        ("http://h:0", "http"),
        ("http://h/?q=1", "query"),
        ("http://h/path#part", "query or a fragment"),
        ("http://user:s3cretpw@h", "credentials"),
        ("https://:t0ksecret@h/x", "credentials"),
        ("http://h x/", "http"),
        (8765, "string"),
    ],
)
def test_a_base_url_that_would_lose_or_leak_something_is_refused(given: object, why: str) -> None:
    with pytest.raises(wv.InvalidArgumentError, match=why) as caught:
        wv.Client("0032", "t", base_url=given)  # type: ignore[arg-type]
    assert "s3cretpw" not in str(caught.value) and "t0ksecret" not in str(caught.value)


@pytest.mark.parametrize(
    ("given", "root"),
    [
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("http://127.0.0.1:8765/api/v2/", "http://127.0.0.1:8765"),
        ("https://proxy.example/wolkvox/", "https://proxy.example/wolkvox"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_good_base_urls(given: str, root: str) -> None:
    assert wv.Client("0032", "t", base_url=given)._target.base_url == root


def test_missing_server_and_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WOLKVOX_SERVER", raising=False)
    monkeypatch.delenv("WOLKVOX_TOKEN", raising=False)
    with pytest.raises(wv.InvalidArgumentError, match="server"):
        wv.Client()
    with pytest.raises(wv.InvalidArgumentError, match="token"):
        wv.Client("0032")


def test_the_environment_configures_a_client_as_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WOLKVOX_SERVER", "0045")
    monkeypatch.setenv("WOLKVOX_TOKEN", "env-token")
    monkeypatch.setenv("WOLKVOX_BASE_URL", "http://127.0.0.1:8765/")
    monkeypatch.setenv("WOLKVOX_LICENCES", "3")
    client = wv.Client()
    assert (client._target.server, client._target.token) == ("0045", "env-token")
    assert client._target.base_url == "http://127.0.0.1:8765"
    assert client.quota().limit == 3000
    given = wv.Client("0032", "t", base_url="http://other:1", licences=1)
    assert (given._target.base_url, given.quota().limit) == ("http://other:1", 1000), "arguments win"
    assert wv.Client(daily_quota=42).quota().limit == 42, "WOLKVOX_LICENCES is not a second quota"
    monkeypatch.setenv("WOLKVOX_LICENCES", "auto")
    assert wv.Client()._settings.quota_from_server
    monkeypatch.setenv("WOLKVOX_LICENCES", "")
    monkeypatch.setenv("WOLKVOX_BASE_URL", "")
    unset = wv.Client()
    assert unset.quota().limit is None and unset._target.base_url == "https://wv0045.wolkvox.com"


@pytest.mark.parametrize(
    ("name", "value", "why"),
    [
        ("WOLKVOX_LICENCES", "many", "WOLKVOX_LICENCES must be a positive integer or 'auto'"),
        ("WOLKVOX_LICENCES", "0", "WOLKVOX_LICENCES"),
        ("WOLKVOX_BASE_URL", "ftp://x", "WOLKVOX_BASE_URL: base_url"),
        ("WOLKVOX_BASE_URL", "http://user:pw-s3cret@h", "WOLKVOX_BASE_URL"),
    ],
)
def test_a_bad_environment_variable_is_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, why: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(wv.InvalidArgumentError, match=why) as caught:
        wv.Client("0032", "t")
    assert "pw-s3cret" not in str(caught.value)


def test_licences_make_the_daily_quota() -> None:
    assert wv.Client("0032", "t", licences=3).quota().limit == 3000
    assert wv.Client("0032", "t", daily_quota=42).quota().limit == 42
    assert wv.Client("0032", "t").quota().limit is None


@pytest.mark.parametrize(
    ("given", "wire"),
    [("1001", "1001"), (" 1001 ", "1001"), (1001, "1001"), (0, "0")],
)
def test_agent_id_normalised(given: object, wire: str) -> None:
    assert check.agent_id(given) == wire


@pytest.mark.parametrize(
    ("given", "wire"),
    [("3001234567", "3001234567"), ("(300) 123-45.67", "3001234567"), (3001234567, "3001234567")],
)
def test_phone_normalised(given: object, wire: str) -> None:
    assert check.phone(given) == wire


@pytest.mark.parametrize("weak", ["weakpassword1", "NOLOWER1!", "nodigit!A", "NoSymbol1a", "Sp ace1!a "])
def test_password_rule_never_echoes_the_password(weak: str) -> None:
    with pytest.raises(wv.InvalidArgumentError) as caught:
        check.password(weak)
    assert weak.strip() not in str(caught.value)


def test_password_accepts_the_documented_rule_and_secrets() -> None:
    assert check.password("Ab1!") == "Ab1!"
    assert check.password(wv.Secret("Zz9@")) == "Zz9@"
    assert check.password(None) is None


def test_secret_is_masked_and_not_pickled() -> None:
    secret = wv.Secret("Ab1!")
    assert "Ab1!" not in f"{secret!r} {secret} {secret:>20}"
    assert secret == wv.Secret("Ab1!") and secret.reveal() == "Ab1!"
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_models_are_frozen_and_hashable() -> None:
    agent = wv.Agent(agent_id="1", extra={"enabled": "yes"})
    with pytest.raises(AttributeError):
        agent.agent_id = "2"  # type: ignore[misc]
    assert hash(agent) == hash(wv.Agent(agent_id="1", extra={"enabled": "no"}))
    assert "password" not in repr(wv.CreatedAgent("1", wv.Secret("Ab1!x"))).replace("password=", "")
