"""The whole API as data, as a table: every operation of the specification, built and read.

For each of the catalogue's 244 records (243 operations: add_record's two are
one), the namespaced method is called with arguments made from the spec, the
request it builds is checked (method, path, ``api=``, query, body), and
wolkvox's own example answer is decoded into the declared result. The spec
agrees with the catalogue, and the generated code with the spec.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

import wolkvox_async as wv
from wolkvox_async._spec import NAMESPACES, OPERATIONS, Kind, Operation, Param, ResultKind, Shape

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"


def script(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"wolkvox_script_{name}", SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


derive = script("derive_spec")
generate = script("generate_api")

SPECIAL = {"customer_phone": "3001234567", "agent_pass": "Ab1!abcd", "agent_dni": "1020", "agent_name": "Ana"}


def value(param: Param) -> Any:
    if param.wire in SPECIAL:
        return SPECIAL[param.wire]
    return {
        Kind.TEXT: "text",
        Kind.ID: "1001",
        Kind.NUMBER: 5,
        Kind.DATETIME: date(2026, 11, 2) if param.wire.endswith("_end") else datetime(2026, 11, 1, 8, 30),
        Kind.CHOICE: param.choices[0] if param.choices else "",
        Kind.YES_NO: True,
        Kind.LIST: ["a", "b"],
        Kind.OBJECT: {"k": "v"},
        Kind.FILE: ("a.txt", b"hello"),
    }[param.kind]


def wire_value(param: Param) -> Any:
    given = value(param)
    if param.kind is Kind.DATETIME:
        return "20261102235959" if param.wire.endswith("_end") else "20261101083000"
    if param.kind is Kind.YES_NO:
        return "yes"
    if param.kind is Kind.NUMBER:
        return "5"
    return given


def arguments(op: Operation) -> dict[str, Any]:
    given = {p.python_name: value(p) for p in op.params}
    if op.body.shape is Shape.RECORDS:
        given["records"] = [{f.wire: wire_value(f) for f in op.body.fields if f.required} | {"extra": "kept"}]
    return given


EXAMPLES: dict[tuple[str, str], Any] = {}
for record in derive.load():
    EXAMPLES.setdefault((record["file"], derive.api_of(record)), derive.answer_of(record))


def method_of(client: wv.Client, op: Operation) -> Any:
    return getattr(getattr(client, op.namespace), op.method_name)


@pytest.mark.asyncio
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
async def test_every_operation_builds_its_request_and_reads_wolkvox_s_example(op: Operation) -> None:
    seen: list[httpx.Request] = []
    example = EXAMPLES[(op.script, op.api)]
    answer = json.dumps(
        example if example is not None else {"code": 200, "error": None, "msg": "ok"}
    ).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=answer)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = wv.Client("0032", "spec-token", http_client=http, agents_cache_ttl=0, max_retries=0)
        result = await method_of(client, op)(**arguments(op))

    (request,) = seen
    assert request.method == op.method
    assert request.url.path == op.url_path
    query = dict(request.url.params)
    assert query.pop("api", None) == (None if op.path else op.api)
    assert set(query) == {p.wire for p in op.query if p.python_name in arguments(op)}
    assert request.headers["wolkvox-token"] == "spec-token"
    sent = request.content
    if op.body.shape in (Shape.OBJECT, Shape.RECORDS) and op.name not in ("create_agent", "enable_agent"):
        body = json.loads(sent)
        if op.body.shape is Shape.RECORDS:
            assert isinstance(body, list) and body[0]["extra"] == "kept"
        else:
            assert set(body) == {f.wire for f in op.body.fields}
    elif op.body.shape is Shape.FORM:
        assert request.headers["content-type"].startswith("multipart/form-data")
    kind = op.result.kind
    if kind is ResultKind.ACK:
        assert isinstance(result, wv.Acknowledgement)
    elif kind is ResultKind.RECORDS:
        assert isinstance(result, tuple)
        if op.result.model and result:
            assert type(result[0]).__name__ == op.result.model
    elif op.result.model:
        assert type(result).__name__ == op.result.model
    else:
        assert isinstance(result, Mapping)


def test_the_catalogue_has_244_records_and_the_spec_243_operations() -> None:
    assert len(derive.load()) == 244
    assert len(OPERATIONS) == 243
    counts = {namespace: len(ops) for namespace, ops in NAMESPACES.items()}
    assert counts == {
        "agentbox": 14,
        "configuration": 26,
        "information": 16,
        "real_time": 10,
        "campaign": 17,
        "reports": 104,
        "billing": 27,
        "whatsapp": 14,
        "sms": 1,
        "storage": 6,
        "customer": 4,
        "gamification": 1,
        "quality": 1,
        "speech_analytics": 1,
        "listenvox": 1,
    }


def test_the_spec_agrees_with_the_catalogue() -> None:
    assert derive.check() == []


def test_the_generated_code_is_up_to_date() -> None:
    assert (ROOT / "wolkvox_async" / "_api.py").read_text() == generate.render_api()
    assert (ROOT / "wolkvox_async" / "_namespaces.py").read_text() == generate.render_namespaces()
    assert (ROOT / "wolkvox_async" / "_records.py").read_text() == generate.render_records()


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_every_record_is_complete(op: Operation) -> None:
    assert op.doc and (op.doc[0].isupper() or op.doc.startswith("wvx")) and op.doc.endswith(".")
    assert len(op.doc) <= 100
    assert op.doc.isascii() or "ñ" in op.doc, "an English docstring"
    assert op.costs_quota is (op.namespace != "agentbox")
    assert op.result.kind is not ResultKind.ACK or not op.result.fields
    if op.method == "GET":
        assert op.idempotent, "reads are idempotent"
    for param in op.params:
        assert param.kind is not Kind.CHOICE or param.choices


def test_a_missing_required_argument_is_refused_before_sending() -> None:
    client = wv.Client("0032", "t")
    with pytest.raises(TypeError):
        client.reports.cdr_1(date_ini=datetime(2026, 1, 1))  # type: ignore[call-arg, unused-coroutine]
