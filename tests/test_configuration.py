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
    ],
)
def test_invalid_configuration(options: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WOLKVOX_SERVER", raising=False)
    monkeypatch.delenv("WOLKVOX_TOKEN", raising=False)
    settings = {"server": "0032", "token": "t", **options}
    with pytest.raises(wv.InvalidArgumentError) as caught:
        wv.Client(settings.pop("server"), settings.pop("token"), **settings)
    assert "a\nb" not in str(caught.value)


def test_missing_server_and_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WOLKVOX_SERVER", raising=False)
    monkeypatch.delenv("WOLKVOX_TOKEN", raising=False)
    with pytest.raises(wv.InvalidArgumentError, match="server"):
        wv.Client()
    with pytest.raises(wv.InvalidArgumentError, match="token"):
        wv.Client("0032")


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
