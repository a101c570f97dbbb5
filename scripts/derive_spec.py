"""Derive the operation specification from wolkvox's catalogue, and check the curated one against it.

    python scripts/derive_spec.py draft OUT_DIR   # one draft module per namespace, to curate by hand
    python scripts/derive_spec.py check           # the package's spec against the catalogue

The catalogue (``catalog/catalog.json``, from wolkvox's public Postman
collection) holds each operation's method, script, ``api=`` name, query, example
body and example answers, and a Spanish description with parameter tables.
What can be read from it is read here: namespaces, methods, query and body
fields, body shapes, result kinds and fields, which parameters the description
calls optional. What it leaves vague (idempotency, English docstrings, types,
models) is decided by hand in ``wolkvox_async/_spec/<namespace>.py``; ``check``
then proves that every catalogue record is in the spec with the same method,
script, ``api=`` name and query and body fields.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog" / "catalog.json"

NAMESPACES = {
    "agentbox.php": "agentbox",
    "configuration.php": "configuration",
    "information.php": "information",
    "real_time.php": "real_time",
    "campaign.php": "campaign",
    "reports_manager.php": "reports",
    "billing.php": "billing",
    "whatsapp.php": "whatsapp",
    "sms.php": "sms",
    "wolkvox_storage.php": "storage",
    "customer.php": "customer",
    "gamification.php": "gamification",
    "quality.php": "quality",
    "speech_analytics.php": "speech_analytics",
    "listenvox.php": "listenvox",
}

FRIENDLY = {
    ("configuration.php", "create_agent"): "create_agent",
    ("configuration.php", "enable_agent"): "enable_agent",
    ("information.php", "agents"): "list_agents",
    ("agentbox.php", "dial"): "dial",
    ("agentbox.php", "agent_display"): "agent_display",
}
"""The five first operations keep the names their errors, logs and events always had."""

LISTENVOX_API = "upload"
"""ListenVox's upload has no ``api=`` name in the catalogue; this is the one it is given."""

HEADER_NAMES = {"wolkvox-token", "wolkvox_server", "content-type", "api"}


def load() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(CATALOG.read_text(encoding="utf-8"))
    return records


def api_of(record: dict[str, Any]) -> str:
    return str(record["api"] or (LISTENVOX_API if record["file"] == "listenvox.php" else ""))


def loose_json(text: str | None) -> Any:
    """An example as JSON, mended where wolkvox left placeholders (``"error": ,``, trailing commas)."""
    if not text or not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    mended = re.sub(r":\s*(?=[,}\]])", ": null", text)
    mended = re.sub(r",\s*(?=[}\]])", "", mended)
    mended = re.sub(r'(?<=")\s*\n\s*(?=")', ",\n", mended)
    try:
        return json.loads(mended)
    except ValueError:
        return None


def tables(description: str) -> dict[str, list[list[str]]]:
    """The description's Request and Response tables, as rows of cells."""
    found: dict[str, list[list[str]]] = {}
    for match in re.finditer(r"##\s*\**(Request|Response)\**\s*\n(.*?)(?=\n##|\Z)", description, re.S):
        rows = [
            [cell.strip().strip("*").strip() for cell in line.strip().strip("|").split("|")]
            for line in match.group(2).splitlines()
            if line.startswith("|") and not re.match(r"\|\s*-", line)
        ]
        found[match.group(1)] = rows[1:]
    return found


def optional_names(description: str) -> set[str]:
    """Parameters the description calls optional (opcional, no es obligatorio)."""
    names: set[str] = set()
    for line in description.splitlines():
        lowered = line.lower()
        if "opcional" not in lowered and "no es obligatorio" not in lowered and "optional" not in lowered:
            continue
        names.update(re.findall(r"\{\{(\w+)\}\}", line))
        names.update(re.findall(r"[`‘'“\"](\w+)[`’'”\"]", line))
        cells = [c.strip().strip("*`") for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells:
            names.add(cells[0].replace("(URL)", "").strip())
    return names


def url_query(record: dict[str, Any]) -> list[str]:
    return [name.strip() for name in record["query"] if name.strip() and name.strip() != "api"]


def extra_url_params(record: dict[str, Any]) -> list[str]:
    """Query parameters the description adds to the URL's (``Parámetro opcional en la URL``)."""
    extra = []
    for row in tables(record["description"]).get("Request", []):
        if len(row) < 2:
            continue
        name = row[0].replace("(URL)", "").strip()
        if "url" in row[1].lower() and re.fullmatch(r"\w+", name) and name not in HEADER_NAMES:
            extra.append(name)
    return [name for name in extra if name not in url_query(record)]


def body_of(record: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    """The body's shape and its fields with the JSON type of their example values."""
    body = record["body"]
    if not body:
        return "none", []
    if body.get("mode") == "formdata":
        return "form", [(f["key"], f["type"]) for f in body.get("fields", [])]
    example = loose_json(body.get("raw"))
    if isinstance(example, dict):
        return "object", [(key, type(value).__name__) for key, value in example.items()]
    if isinstance(example, list) and example and isinstance(example[0], dict):
        return "records", [(key, type(value).__name__) for key, value in example[0].items()]
    return "none", []


def answer_of(record: dict[str, Any]) -> Any:
    for example in record.get("examples") or []:
        parsed = loose_json(example.get("body"))
        if parsed is not None:
            return parsed
    return None


def result_of(record: dict[str, Any]) -> tuple[str, str | None, list[str]]:
    """The result's kind, where its records are, and the fields of one record."""
    answer = answer_of(record)
    if isinstance(answer, list):
        first = answer[0] if answer and isinstance(answer[0], dict) else {}
        return "records", None, list(first)
    if not isinstance(answer, dict):
        return "ack", "data", []
    key = "data" if "data" in answer else next((k for k, v in answer.items() if isinstance(v, list)), "data")
    data = answer.get(key)
    if isinstance(data, list):
        first = data[0] if data and isinstance(data[0], dict) else {}
        return "records", key, list(first)
    if isinstance(data, dict):
        return "record", key, list(data)
    return "ack", key, []


def ascii_name(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def operations() -> Iterator[dict[str, Any]]:
    """Each distinct operation, as the facts the catalogue gives (add_record's two records merged)."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for record in load():
        script, api = record["file"], api_of(record)
        query = url_query(record)
        optional = optional_names(record["description"])
        facts = seen.get((script, api))
        if facts is not None:  # add_record, predictive and preview: what one lacks is optional
            merged = [name for name in facts["query"] if name in query]
            facts["optional"] |= {n for n in facts["query"] if n not in query} | (
                set(query) - set(facts["query"])
            )
            facts["query"] = merged + [name for name in query if name not in merged]
            facts["titles"].append(record["title"])
            continue
        shape, fields = body_of(record)
        kind, key, result_fields = result_of(record)
        facts = {
            "script": script,
            "api": api,
            "namespace": NAMESPACES[script],
            "name": FRIENDLY.get((script, api), f"{NAMESPACES[script]}.{api}"),
            "method": record["method"],
            "query": query,
            "extra_query": extra_url_params(record),
            "optional": optional,
            "body": shape,
            "fields": fields,
            "result": kind,
            "key": key,
            "result_fields": result_fields,
            "titles": [record["title"]],
            "path": "/listenVox/listenvox.php" if script == "listenvox.php" else "",
        }
        seen[(script, api)] = facts
        yield facts


KIND_BY_JSON = {"list": "Kind.LIST", "dict": "Kind.OBJECT", "int": "Kind.NUMBER", "file": "Kind.FILE"}


def param_source(name: str, json_type: str, required: bool) -> str:
    kind = KIND_BY_JSON.get(json_type, "")
    if name in ("date_ini", "date_end"):
        kind = "Kind.DATETIME"
    elif not kind and (name.endswith("_id") or name in ("id_camp", "id_customer")):
        kind = "Kind.ID"
    arguments = [repr(name)] + ([kind] if kind else []) + ([] if required else ["required=False"])
    return f"Param({', '.join(arguments)})"


def draft(facts: dict[str, Any]) -> str:
    query = [*facts["query"], *facts["extra_query"]]
    lines = [
        f"    op(  # {' / '.join(facts['titles'])}",
        f"        {facts['api']!r},",
        f"        {facts['method']!r},",
    ]
    if facts["name"] != f"{facts['namespace']}.{facts['api']}":
        lines.append(f"        name={facts['name']!r},")
    idempotent = facts["method"] == "GET"
    lines.append(f"        idempotent={idempotent},  # guess: by method")
    lines.append(f"        doc={facts['titles'][0]!r},")
    if query:
        params = [
            param_source(n, "str", n not in facts["optional"] and n not in facts["extra_query"])
            for n in query
        ]
        lines.append(f"        query=({', '.join(params)},),")
    if facts["body"] != "none":
        shape = {"object": "Shape.OBJECT", "records": "Shape.RECORDS", "form": "Shape.FORM"}[facts["body"]]
        fields = [param_source(n, t, n not in facts["optional"]) for n, t in facts["fields"]]
        lines.append(f"        body=Body({shape}, ({', '.join(fields)},)),")
    if facts["result"] != "ack":
        kind = {"record": "ResultKind.RECORD", "records": "ResultKind.RECORDS"}[facts["result"]]
        arguments = [kind, f"fields={tuple(facts['result_fields'])!r}"]
        if facts["key"] != "data":
            arguments.append(f"key={facts['key']!r}")
        lines.append(f"        result=Result({', '.join(arguments)}),")
    if facts["path"]:
        lines.append(f"        path={facts['path']!r},")
    lines.append("    ),")
    return "\n".join(lines)


def write_drafts(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    by_namespace: dict[str, list[dict[str, Any]]] = {}
    for facts in operations():
        by_namespace.setdefault(facts["namespace"], []).append(facts)
    for namespace, all_facts in by_namespace.items():
        script = all_facts[0]["script"]
        body = "\n".join(draft(facts) for facts in all_facts)
        (out / f"{namespace}.py").write_text(
            f'"""{script}."""\n\nfrom ._model import Body, Kind, Param, Result, ResultKind, Shape, family\n\n'
            f"op = family({namespace!r}, {script!r})\n\nOPERATIONS = (\n{body}\n)\n",
            encoding="utf-8",
        )
    print(
        f"{sum(len(v) for v in by_namespace.values())} operations in {len(by_namespace)} namespaces -> {out}"
    )


def check() -> list[str]:
    """What the package's spec says differently from the catalogue, one line per difference."""
    sys.path.insert(0, str(ROOT))
    from wolkvox_async._spec import OPERATIONS, Shape

    problems: list[str] = []
    spec = {(op.script, op.api): op for op in OPERATIONS}
    wanted = {(f["script"], f["api"]): f for f in operations()}
    for key in sorted(set(spec) - set(wanted)):
        problems.append(f"{key[0]}?api={key[1]}: in the spec, not in the catalogue")
    for key, facts in sorted(wanted.items()):
        op = spec.get(key)
        where = f"{key[0]}?api={key[1]}"
        if op is None:
            problems.append(f"{where}: in the catalogue, not in the spec")
            continue
        if op.method != facts["method"]:
            problems.append(f"{where}: method {op.method}, the catalogue says {facts['method']}")
        if op.namespace != facts["namespace"]:
            problems.append(f"{where}: namespace {op.namespace}, its script says {facts['namespace']}")
        named = {p.wire for p in op.query}
        for name in facts["query"]:
            if name not in named:
                problems.append(f"{where}: query parameter {name!r} of the catalogue is missing")
        if facts["body"] != "none" and op.body.shape is Shape.NONE:
            problems.append(f"{where}: the catalogue sends a {facts['body']} body, the spec none")
        fields = {p.wire for p in op.body.fields}
        for name, _ in facts["fields"]:
            if facts["body"] != "form" and name not in fields and name not in named:
                problems.append(f"{where}: body field {name!r} of the catalogue is missing")
    return problems


def main(argv: list[str]) -> int:
    if argv[:1] == ["draft"] and len(argv) == 2:
        write_drafts(Path(argv[1]))
        return 0
    if argv == ["check"]:
        problems = check()
        print("\n".join(problems) or f"the spec agrees with the catalogue ({CATALOG.relative_to(ROOT)})")
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
