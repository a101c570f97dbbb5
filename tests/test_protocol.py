"""The sans-I/O protocol: requests built, answers decoded, without a network."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wolkvox_async as wv
from wolkvox_async import _protocol as p
from wolkvox_async._redact import excerpt

TARGET = p.Target("https://wv0032.wolkvox.com", "0032", "tok-SECRET")
DECODERS = {
    "create_agent": p.decode_created_agent,
    "enable_agent": p.decode_enable_agent,
    "list_agents": p.decode_agents,
    "dial": p.decode_dial,
    "agent_display": p.decode_agent_display,
}


def body(obj: Any) -> bytes:
    return json.dumps(obj).encode()


# -------------------------------------------------------------- requests


def test_create_agent_request() -> None:
    r = p.create_agent_request(TARGET, dni="1020", name="Ana Ruiz", sso="ana@corp.co")
    assert (r.method, r.url) == ("POST", "https://wv0032.wolkvox.com/api/v2/configuration.php")
    assert r.params == (("api", "create_agent"),)
    assert r.json == {"agent_dni": "1020", "agent_name": "Ana Ruiz", "agent_sso": "ana@corp.co"}
    assert ("wolkvox-token", "tok-SECRET") in r.headers
    assert ("wolkvox_server", "0032") in r.headers


def test_create_agent_request_with_password() -> None:
    r = p.create_agent_request(TARGET, dni="1", name="A", sso="a", password="Ab1!cd")
    assert r.json is not None and r.json["agent_pass"] == "Ab1!cd"
    assert "Ab1!cd" not in repr(r)


def test_enable_agent_request_is_a_put_with_json() -> None:
    r = p.enable_agent_request(TARGET, agent_id="1001")
    assert (r.method, r.params, r.json) == ("PUT", (("api", "enable_agent"),), {"agent_id": "1001"})


@pytest.mark.parametrize(
    ("agent_id", "params"),
    [(None, (("api", "agents"),)), ("1001", (("api", "agents"), ("agent", "1001")))],
)
def test_list_agents_request(agent_id: str | None, params: tuple[tuple[str, str], ...]) -> None:
    r = p.list_agents_request(TARGET, agent_id=agent_id)
    assert (r.method, r.url, r.params, r.json) == (
        "GET",
        "https://wv0032.wolkvox.com/api/v2/information.php",
        params,
        None,
    )


def test_dial_request_query_in_documented_order_and_optional_fields_omitted() -> None:
    r = p.dial_request(TARGET, agent_id="1001", phone="3001234567")
    assert r.method == "POST" and r.url.endswith("/api/v2/agentbox.php") and r.json is None
    assert r.params == (("agent_id", "1001"), ("api", "dial"), ("customer_phone", "3001234567"))
    full = p.dial_request(TARGET, agent_id="1", phone="2", customer_id="3", customer_name="Ana")
    assert full.params[-2:] == (("customer_id", "3"), ("customer_name", "Ana"))


def test_agent_display_request_uses_wire_words() -> None:
    r = p.agent_display_request(TARGET, agent_id="1001", button=wv.Button.HANGUP, display=wv.Display.HIDE)
    assert r.params == (
        ("agent_id", "1001"),
        ("api", "agent_display"),
        ("display", "hide"),
        ("button", "hungup"),
    )


def test_reprs_hide_the_token() -> None:
    r = p.dial_request(TARGET, agent_id="1", phone="2")
    assert "tok-SECRET" not in repr(r) and "tok-SECRET" not in repr(TARGET)


# -------------------------------------------------- the seed pages' answers


def test_create_agent_seed_answer() -> None:
    seed = {
        "code": 201,
        "error": None,
        "msg": "Agent has been created",
        "data": [{"agent_id": "", "password": ""}],
    }
    assert p.decode_created_agent(200, {}, body(seed)) == wv.CreatedAgent("", wv.Secret(""))
    seed["data"] = [{"agent_id": "1001", "password": "Xy7#abcd"}]
    created = p.decode_created_agent(200, {}, body(seed))
    assert created.agent_id == "1001" and created.password.reveal() == "Xy7#abcd"


def test_enable_agent_seed_answer_has_no_data() -> None:
    seed = {"code": 202, "error": None, "msg": "xxxxx agent has been enabled"}
    assert p.decode_enable_agent(200, {}, body(seed)) == wv.Acknowledgement(
        202, "xxxxx agent has been enabled"
    )


def test_agents_seed_answer_with_empty_code() -> None:
    row = dict.fromkeys(("agent_id", "agent_name", "agent_dni", "agent_status", "last_use", "agent_sso"), "")
    seed = {"code": "", "error": None, "msg": "1 records were found", "data": [row]}
    assert p.decode_agents(200, {}, body(seed)) == (wv.Agent(agent_id=""),)


def test_dial_seed_answer() -> None:
    seed = {"code": "200", "error": None, "msg": "Dial has been successful", "data": {"conn_id": ""}}
    assert p.decode_dial(200, {}, body(seed)) == wv.DialResult("", "Dial has been successful")


@pytest.mark.parametrize("shown", ["show", "hide"])
def test_agent_display_seed_answers(shown: str) -> None:
    seed = {"code": "200", "error": None, "msg": "default", "data": f"Agentbox has been {shown}"}
    assert p.decode_agent_display(200, {}, body(seed)) == wv.Acknowledgement(
        200, "default", f"Agentbox has been {shown}"
    )


def test_agents_numbers_as_numbers_unknown_fields_kept_and_last_use_parsed() -> None:
    rows = [
        {
            "agent_id": 1001,
            "agent_name": "Ana",
            "last_use": "2026-06-25 10:50:54",
            "enabled": "yes",
            "skill": 7,
        },
        {"agent_id": "1002", "agent_name": None, "last_use": "-", "enabled": "no"},
        {"agent_id": "1003", "last_use": ""},
    ]
    agents = p.decode_agents(200, {}, body({"code": "", "error": None, "msg": "", "data": rows}))
    assert [a.agent_id for a in agents] == ["1001", "1002", "1003"]
    assert agents[0].last_use_at == datetime(2026, 6, 25, 10, 50, 54)
    assert agents[0].extra == {"enabled": "yes", "skill": 7} and agents[0].enabled is True
    assert (agents[1].agent_name, agents[1].last_use, agents[1].last_use_at) == ("", "-", None)
    assert agents[1].enabled is False and agents[2].enabled is None


@pytest.mark.parametrize("data", [None, "", []])
def test_agents_empty_data(data: object) -> None:
    assert p.decode_agents(200, {}, body({"code": "", "error": None, "msg": "0", "data": data})) == ()


def test_agents_single_object_tolerated() -> None:
    got = p.decode_agents(200, {}, body({"code": "", "error": None, "msg": "", "data": {"agent_id": "9"}}))
    assert got == (wv.Agent(agent_id="9"),)


def test_agents_404_means_no_records() -> None:
    answer = {"code": 404, "error": "NOT FOUND", "msg": "NO RECORDS WERE FOUND", "data": []}
    assert p.decode_agents(404, {}, body(answer)) == ()


@pytest.mark.parametrize("data", [None, {}, "x", []])
def test_dial_without_conn_id_is_tolerated(data: object) -> None:
    answer = {"code": "200", "error": None, "msg": "Dial has been successful", "data": data}
    assert p.decode_dial(200, {}, body(answer)).conn_id == ""


# ---------------------------------------------------- documented errors


ERROR_ROWS = [
    (400, "BAD REQUEST", "THE API YOU WANT TO CONSULT DOES NOT EXIST", wv.BadRequestError),
    (400, "BAD REQUEST", "SOME PARAMETERS ARE REQUIRED", wv.BadRequestError),
    (401, "UNAUTHORIZED", "PLEASE ENTER THE WOLKVOX-TOKEN", wv.AuthenticationError),
    (403, "FORBIDDEN", "TOKEN LIMIT EXCEEDED", wv.QuotaExhaustedError),
    (403, "FORBIDDEN", "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)", wv.ConcurrencyLimitError),
    (403, "FORBIDDEN", "PLEASE VALIDATE TOKEN", wv.AuthenticationError),
    (403, "FORBIDDEN", "SERVER UNDER MAINTENANCE", wv.MaintenanceError),
    (404, "NOT FOUND", "AGENT NOT FOUND", wv.NotFoundError),
    (404, "NOT FOUND", "THE AGENT IS ALREADY REGISTERED", wv.ConflictError),
    (409, "CONFLICT", "DUPLICATE", wv.ConflictError),
    (500, "INTERNAL", "BOOM", wv.ServerError),
    (503, "UNAVAILABLE", "", wv.ServerError),
    (418, "TEAPOT", "?", wv.APIError),
]


@pytest.mark.parametrize(("status", "error", "msg", "cls"), ERROR_ROWS)
@pytest.mark.parametrize("operation", ["create_agent", "enable_agent", "dial", "agent_display"])
def test_documented_error_rows(
    status: int, error: str, msg: str, cls: type[wv.APIError], operation: str
) -> None:
    answer = {"code": status, "error": error, "msg": msg}
    with pytest.raises(cls) as caught:
        DECODERS[operation](status, {}, body(answer))
    exc = caught.value
    assert type(exc) is cls
    assert (exc.status, exc.code, exc.error, exc.msg, exc.operation) == (
        status,
        str(status),
        error,
        msg,
        operation,
    )


def test_messages_match_case_insensitively_by_substring() -> None:
    answer = {"code": "403", "error": "Forbidden", "msg": "Token limit exceeded for today"}
    with pytest.raises(wv.QuotaExhaustedError):
        p.decode_dial(403, {}, body(answer))


def test_an_error_code_in_a_200_body_is_an_error() -> None:
    answer = {
        "code": 403,
        "error": "FORBIDDEN",
        "msg": "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)",
    }
    with pytest.raises(wv.ConcurrencyLimitError) as caught:
        p.decode_enable_agent(200, {}, body(answer))
    assert caught.value.status == 403


def test_an_error_field_in_a_200_body_is_an_error() -> None:
    with pytest.raises(wv.APIError):
        p.decode_enable_agent(200, {}, body({"code": "", "error": "SOMETHING WENT WRONG", "msg": "no"}))


# ---------------------------------------------------- malformed answers


MALFORMED = [
    (200, b"<html><body>502 Bad Gateway</body></html>", wv.UnexpectedResponseError),
    (200, b"", wv.UnexpectedResponseError),
    (200, b'{"code": 201, "error": null, "msg": "Agent has been cre', wv.UnexpectedResponseError),
    (200, b"[1, 2]", wv.UnexpectedResponseError),
    (200, b'"just a string"', wv.UnexpectedResponseError),
    (200, b"\xff\xfe\x00garbage", wv.UnexpectedResponseError),
    (302, b"", wv.UnexpectedResponseError),
    (502, b"<html>Bad Gateway</html>", wv.ServerError),
    (403, b"<html>Mantenimiento</html>", wv.MaintenanceError),
    (401, b"", wv.AuthenticationError),
]


@pytest.mark.parametrize(("status", "raw", "cls"), MALFORMED)
@pytest.mark.parametrize("operation", list(DECODERS))
def test_malformed_answers_are_typed_errors(status: int, raw: bytes, cls: type, operation: str) -> None:
    with pytest.raises(cls):
        DECODERS[operation](status, {}, raw)


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        [{}],
        [{"agent_id": "1"}],
        [{"password": "Ab1!x"}],
        "text",
        [{"agent_id": ["x"], "password": "p"}],
    ],
)
def test_created_agent_with_missing_fields_is_unexpected(data: object) -> None:
    answer = {"code": 201, "error": None, "msg": "Agent has been created", "data": data}
    with pytest.raises(wv.UnexpectedResponseError) as caught:
        p.decode_created_agent(200, {}, body(answer))
    assert "Ab1!x" not in str(caught.value) and "Ab1!x" not in caught.value.excerpt


def test_agents_with_bad_rows_are_unexpected() -> None:
    for rows in ([{"agent_name": "no id"}], [{"agent_id": {"a": 1}}], ["x"], 42):
        with pytest.raises(wv.UnexpectedResponseError):
            p.decode_agents(200, {}, body({"code": "", "error": None, "msg": "", "data": rows}))


def test_excerpt_masks_passwords() -> None:
    raw = b'{"data": [{"agent_id": "1", "password": "Ab1!secret"}], "oops'
    assert "Ab1!secret" not in excerpt(raw)


# ---------------------------------------------------- fuzzing


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "code": st.sampled_from([200, "200", "", 201, 202, 403, "404", None, "x"]) | json_values,
        "error": st.none() | st.sampled_from(["FORBIDDEN", "", "null"]) | json_values,
        "msg": st.sampled_from(["TOKEN LIMIT EXCEEDED", "SIMULTANEOUS", "ok"]) | json_values,
        "data": json_values,
    },
)
bodies = envelopes.map(lambda e: json.dumps(e).encode()) | st.binary(max_size=64)
statuses = st.sampled_from([200, 201, 204, 302, 400, 401, 403, 404, 409, 429, 500, 502, 503]) | st.integers(
    100, 599
)


@settings(max_examples=10_000, deadline=None)
@given(operation=st.sampled_from(list(DECODERS)), status=statuses, raw=bodies)
def test_decoders_raise_only_library_errors(operation: str, status: int, raw: bytes) -> None:
    with contextlib.suppress(wv.WolkvoxError):
        DECODERS[operation](status, {}, raw)
