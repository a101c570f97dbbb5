"""Masking secrets: by structure in JSON (escaped keys too), by whole word in free text."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from wolkvox_async._redact import MASK, Redactor, excerpt, is_secret_key


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        ("password", True),
        ("agent_pass", True),
        ("wolkvox-token", True),
        ("api_token", True),
        ("Contraseña", True),
        ("pwd", True),
        ("token_limit", False),
        ("token_use_today", False),
        ("passenger", False),
        ("msg", False),
    ],
)
def test_secret_keys(key: str, secret: bool) -> None:
    assert is_secret_key(key) is secret


@pytest.mark.parametrize(
    ("body", "shown", "hidden"),
    [
        (b'{"password": "Ab1!x", "msg": "ok"}', '"password": "***"', "Ab1!x"),
        (b'{"pass\\u0077ord": "Ab1!x"}', '"password": "***"', "Ab1!x"),
        (b'{"data": [{"agent_pass": "Ab1!x"}]}', '"agent_pass": "***"', "Ab1!x"),
        (b'{"agent_pass": 12345, "msg": "ok"}', '"agent_pass": "***"', "12345"),
        (b'{"pass\\u0077ord": "Ab1!x", "msg": "cut', '"password": "***"', "Ab1!x"),
        (b'{"a": 1, "agent_pass": 98765, "msg": "cut', '"agent_pass": ***', "98765"),
        (b'{"password": "Ab1!x\\"still', '"password": "***"', "still"),
        (b'{"token_limit": "1000", "token_use_today": "3"}', '"token_limit": "1000"', "nothing"),
        (b"<html>a page</html>", "<html>a page</html>", "nothing"),
    ],
)
def test_excerpts_mask_by_structure(body: bytes, shown: str, hidden: str) -> None:
    text = excerpt(body)
    assert shown in text and hidden not in text, text


def test_escaped_text_is_shown_unescaped_so_a_known_secret_is_found() -> None:
    body = b'{"msg": "bad \\u0074\\u006fk3n", "x": '
    assert Redactor(["tok3n"]).text(excerpt(body)) == '{"msg": "bad ***", "x": '


@pytest.mark.parametrize(
    ("secret", "text", "masked"),
    [
        ("ab", "token ab is unable to match ab in the tab", "token *** is unable to match *** in the tab"),
        ("ab", "ab", "***"),
        ("ab", "(ab).", "(***)."),
        ("tok-1", "tok-1 tok-12 xtok-1", "*** tok-12 xtok-1"),
        ("a.b$", "a.b$ and a.b$c", "*** and a.b$c"),
    ],
)
def test_known_secrets_are_masked_as_whole_words(secret: str, text: str, masked: str) -> None:
    assert Redactor([secret]).text(text) == masked


def test_a_redactor_masks_an_error_s_args_and_attributes() -> None:
    error = ValueError("token s3cr3t refused")
    error.detail = "s3cr3t"  # type: ignore[attr-defined]
    Redactor(["s3cr3t"]).error(error)
    assert error.args == (f"token {MASK} refused",) and error.detail == MASK  # type: ignore[attr-defined]


keys = st.sampled_from(["password", "agent_pass", "msg", "data", "wolkvox-token", "code", "name"])
secrets = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=4, max_size=12).map(
    lambda s: f"S3cr3t{s}"
)


@given(st.dictionaries(keys, st.one_of(secrets, st.integers(), st.none()), max_size=6), st.integers(0, 400))
def test_no_secret_key_value_survives_any_cut(payload: dict[str, object], cut: int) -> None:
    hidden = [v for k, v in payload.items() if is_secret_key(k) and isinstance(v, str)]
    shown = [str(v) for k, v in payload.items() if not is_secret_key(k)]
    assume(not any(secret in other for secret in hidden for other in shown))
    body = json.dumps(payload, ensure_ascii=bool(cut % 2)).encode()
    for head in (body, body[:cut]):
        text = excerpt(head)
        assert not any(secret in text for secret in hidden), (head, text)


@given(st.binary(max_size=2000))
def test_excerpt_never_raises(body: bytes) -> None:
    assert isinstance(excerpt(body), str)
