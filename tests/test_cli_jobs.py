"""The bulk jobs on the command line (campaign load, dnc add, skills assign, messages send, agents
enable/disable over a CSV), against the emulator on loopback; Ctrl-C mid-job in a real process."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import wolkvox_async as wv
from wolkvox_async.cli import app
from wolkvox_async.cli._jobs import Source, _locate
from wolkvox_async.cli._table import CsvError, read_table
from wolkvox_async.testing import Emulator, Fault, serve_in_thread

pytestmark = pytest.mark.timeout(30)

SERVER = "0032"
CLEAN_ENV: dict[str, str | None] = {
    "WOLKVOX_SERVER": None,
    "WOLKVOX_TOKEN": None,
    "WOLKVOX_BASE_URL": None,
    "WOLKVOX_REDIS_URL": None,
    "COLUMNS": "200",
}


class Served:
    def __init__(self, emulator: Emulator, url: str, token: str) -> None:
        self.emulator, self.url, self.token = emulator, url, token

    def invoke(self, *args: str, licences: str = "5") -> Result:
        """``wolkvox --server --token --base-url --licences ARGS``; ``licences="auto"`` asks the server."""
        options = ["--server", SERVER, "--token", self.token, "--base-url", self.url, "--licences", licences]
        return CliRunner().invoke(app, [*options, *args], env=CLEAN_ENV)

    def calls(self) -> dict[str, int]:
        return dict(self.emulator.stats(self.token).calls)


@pytest.fixture
def served(token: str) -> Iterator[Served]:
    emulator = Emulator({token: 5}, latency=0.002)
    with serve_in_thread(emulator, timeout=5.0) as url:
        yield Served(emulator, url, token)


def write(tmp_path: Path, text: str, *, name: str = "rows.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def report_of(path: Path) -> list[dict[str, str]]:
    with path.with_name(f"{path.stem}.report.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def assert_done(result: Result, served: Served, source: Path) -> None:
    out = result.stdout + result.stderr
    assert result.exit_code == 0, out
    assert "Traceback" not in out and served.token not in out
    printed = result.stdout.replace("\n", "")
    assert str(source.with_name(f"{source.stem}.journal.jsonl").resolve()) in printed
    assert str(source.with_name(f"{source.stem}.report.csv").resolve()) in printed


def assert_again_sends_nothing(served: Served, *args: str) -> None:
    before = served.calls()
    again = served.invoke(*args)
    assert again.exit_code == 0, again.stdout + again.stderr
    assert "nothing was sent" in again.stdout
    assert served.calls() == before


# -- the reader --------------------------------------------------------------------------------------


def test_the_reader_sniffs_cp1252_with_semicolons_and_utf8_bom_with_tabs(tmp_path: Path) -> None:
    cp1252 = write(tmp_path, " Telephone ;MESSAGE\r\n3001;Año nuevo, señor\r\n", encoding="cp1252")
    table, problems = read_table(cp1252, required=("telephone", "message"))
    assert (table.encoding, table.delimiter, not problems) == ("cp1252", ";", True)
    assert [(r.line, dict(r.cells)) for r in table.rows] == [
        (2, {"telephone": "3001", "message": "Año nuevo, señor"})
    ]

    bom = write(tmp_path, 'telephone\tmessage\n\n3002\t"two\nlines; ok"\n3003\tü\n', encoding="utf-8-sig")
    table, problems = read_table(bom, required=("telephone", "message"))
    assert (table.encoding, table.delimiter, not problems) == ("utf-8-sig", "\t", True)
    assert [(r.line, r.cells["message"]) for r in table.rows] == [(3, "two\nlines; ok"), (5, "ü")]


def test_the_reader_pins_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(CsvError) as caught:
        read_table(write(tmp_path, "telefono,message\n1,a\n"), required=("telephone", "message"))
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
        "unknown column 'telefono'; did you mean 'telephone'? expected telephone,message",
        "missing column 'telephone' in the header",
    ]
    path = tmp_path / "bad.csv"
    path.write_bytes(b"telephone,message\n1,\x81\n")  # 0x81 is neither UTF-8 nor cp1252
    with pytest.raises(CsvError) as caught:
        read_table(path, required=("telephone",), optional=("message",))
    assert str(caught.value.problems[0]) == f"{path}:2:3: neither UTF-8 nor cp1252 text (byte 0x81)"


def test_agents_create_reads_a_cp1252_file_with_semicolons_too(served: Served, tmp_path: Path) -> None:
    source = write(tmp_path, "DNI;Name\r\n1020;Peña, Marta\r\n", name="agents.csv", encoding="cp1252")
    result = served.invoke("agents", "create", "--csv", str(source), "--journal", str(tmp_path / "j.jsonl"))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert [a.name for a in served.emulator.agents.values()] == ["Peña, Marta"]


# -- campaign load -----------------------------------------------------------------------------------


def test_campaign_load_from_cp1252_with_semicolons(served: Served, tmp_path: Path) -> None:
    campaign = served.emulator.add_campaign("Cobranza").campaign_id
    source = write(
        tmp_path,
        "Customer_ID;customer_name;TEL1;tel2;opt1;recall_date\r\n"
        "77;Peña;3001234567;;Año 1;2026-01-31T08:00:00\r\n"
        "78;Gómez;3007654321;6011234;;20260201090000\r\n",
        encoding="cp1252",
    )
    args = ("campaign", "load", str(source), "--campaign-id", campaign, "--type", "predictive")
    result = served.invoke(*args)
    assert_done(result, served, source)
    assert [dict(r) for r in served.emulator.campaigns[campaign].records] == [
        {
            "customer_id": "77",
            "customer_name": "Peña",
            "tel1": "3001234567",
            "opt1": "Año 1",
            "recall_date": "20260131080000",
        },
        {
            "customer_id": "78",
            "customer_name": "Gómez",
            "tel1": "3007654321",
            "tel2": "6011234",
            "recall_date": "20260201090000",
        },
    ]
    assert served.calls() == {"campaign.add_record": 1}
    assert [(r["line"], r["outcome"]) for r in report_of(source)] == [("2", "done"), ("3", "done")]
    assert_again_sends_nothing(served, *args)
    assert len(served.emulator.campaigns[campaign].records) == 2


# -- dnc add -----------------------------------------------------------------------------------------


def test_dnc_add_from_utf8_bom_with_tabs(served: Served, tmp_path: Path) -> None:
    source = write(tmp_path, "telephone\tdays_block\n300 123 4567\t30\n3007654321\t\n", encoding="utf-8-sig")
    result = served.invoke("dnc", "add", str(source), "--days-block", "30")
    assert_done(result, served, source)
    assert {(d.telephone, d.days_block) for d in served.emulator.dnc} == {
        ("3001234567", "30"),
        ("3007654321", "30"),
    }
    assert served.calls() == {"campaign.add_dnc": 1}
    assert [r["outcome"] for r in report_of(source)] == ["done", "done"]
    assert_again_sends_nothing(served, "dnc", "add", str(source), "--days-block", "30")


# -- skills assign -----------------------------------------------------------------------------------


def test_skills_assign(served: Served, tmp_path: Path) -> None:
    ana = served.emulator.add_agent("1020", "Ana", "ana").agent_id
    luis = served.emulator.add_agent("1021", "Luis", "luis").agent_id
    skill = served.emulator.add_skill("ventas").skill_id
    source = write(tmp_path, f"agent_id,skill_id,expertise\n{ana},{skill},5\n{luis},{skill},\n")
    result = served.invoke("skills", "assign", str(source))
    assert_done(result, served, source)
    assert dict(served.emulator.skills[skill].members) == {ana: "5", luis: "0"}
    assert served.calls() == {"configuration.add_agents_skill": 2}
    assert_again_sends_nothing(served, "skills", "assign", str(source))


# -- messages send -----------------------------------------------------------------------------------


def test_messages_send_sms_then_whatsapp(served: Served, tmp_path: Path) -> None:
    sms = write(tmp_path, 'telephone,message\n3001234567,"Hola, Ana"\n3007654321,Chao\n', name="sms.csv")
    result = served.invoke("messages", "send", str(sms))
    assert_done(result, served, sms)
    assert served.calls() == {"sms.send_sms": 2}
    assert_again_sends_nothing(served, "messages", "send", str(sms))

    whatsapp = write(
        tmp_path,
        "telephone,message,template_name,template_vars,connector_id\n"
        "3001234567,Hola,,,\n"
        "3007654321,,bienvenida,Ana,9\n",
        name="whatsapp.csv",
    )
    result = served.invoke("messages", "send", str(whatsapp), "--channel", "whatsapp", "--connector-id", "7")
    assert_done(result, served, whatsapp)
    calls = served.calls()
    assert calls["whatsapp.send_message_official"] == calls["whatsapp.send_template_official"] == 1


def test_an_uncertain_sms_exits_5_and_is_never_sent_again(served: Served, tmp_path: Path) -> None:
    served.emulator.queue_faults(Fault.DROP_AFTER_ACTION, operations=["sms.send_sms"])
    source = write(tmp_path, "telephone,message\n3001234567,uno\n")
    result = served.invoke("messages", "send", str(source), "--workers", "1")
    assert result.exit_code == 5, result.stdout + result.stderr
    assert "check them by hand" in result.stdout and "unknown" in result.stdout
    assert [(r["line"], r["outcome"]) for r in report_of(source)] == [("2", "unknown")]
    assert served.calls() == {"sms.send_sms": 1}

    again = served.invoke("messages", "send", str(source))
    assert again.exit_code == 5, again.stdout + again.stderr
    assert served.calls() == {"sms.send_sms": 1}, "an uncertain message is never sent twice"
    assert [r["outcome"] for r in report_of(source)] == ["unknown"]


# -- agents enable / disable -------------------------------------------------------------------------


def test_agents_disable_and_enable_from_a_csv_or_ids(served: Served, tmp_path: Path) -> None:
    ids = [served.emulator.add_agent(f"10{n}", f"Agent {n}", f"a{n}").agent_id for n in range(3)]
    source = write(tmp_path, "agent_id\n" + "\n".join(ids) + "\n")
    result = served.invoke("agents", "disable", str(source))
    assert_done(result, served, source)
    assert [served.emulator.agents[i].enabled for i in ids] == [False, False, False]
    assert served.calls() == {"configuration.disable_agent": 3}
    assert_again_sends_nothing(served, "agents", "disable", str(source))

    journal = tmp_path / "enable.jsonl"
    result = served.invoke("agents", "enable", str(source), "--journal", str(journal))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert str(journal.resolve()) in result.stdout.replace("\n", "")
    assert [served.emulator.agents[i].enabled for i in ids] == [True, True, True]

    one = served.invoke("agents", "disable", ids[0])
    assert one.exit_code == 0 and f"disabled agent {ids[0]}" in one.stdout
    assert not served.emulator.agents[ids[0]].enabled


def test_a_failed_item_exits_1_and_is_tried_again(served: Served, tmp_path: Path) -> None:
    known = served.emulator.add_agent("1020", "Ana", "ana", enabled=False).agent_id
    source = write(tmp_path, f"agent_id\n{known}\n999999\n")
    result = served.invoke("agents", "enable", str(source))
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "NotFoundError" in result.stdout and "run the same command again" in result.stdout
    assert [(r["line"], r["outcome"]) for r in report_of(source)] == [("2", "done"), ("3", "failed")]
    again = served.invoke("agents", "enable", str(source))
    assert again.exit_code == 1
    assert served.calls() == {"enable_agent": 3}, "the done one skipped, the failed one tried again"


def test_agents_create_says_when_a_password_was_lost(served: Served, tmp_path: Path) -> None:
    served.emulator.queue_faults(Fault.DROP_AFTER_ACTION, operations=["create_agent"])
    source = write(tmp_path, "dni,name\n1020,Ana\n", name="agents.csv")
    args = ("agents", "create", "--csv", str(source), "--journal", str(tmp_path / "agents.jsonl"))
    result = served.invoke(*args)
    # still 0 as before: examples/demo.py (and its test) retry on 1 and expect 0 after lost answers
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "password_lost" in result.stdout and "set new ones in wolkvox" in result.stdout
    assert len(served.emulator.agents) == 1
    again = served.invoke(*args)
    assert again.exit_code == 0
    assert len(served.emulator.agents) == 1, "never created twice"


# -- bad input ---------------------------------------------------------------------------------------

BAD = [
    (
        ["campaign", "load", "--campaign-id", "1", "--type", "preview"],
        "customer_id,tel1,telefono\n1,300,\n",
        ":1:3:",
        "unknown column 'telefono'",
    ),
    (
        ["campaign", "load", "--campaign-id", "1", "--type", "preview"],
        "customer_id;tel1;agent_id;recall_date\n1;300;;\n2;301;x;\n3;302;;tomorrow\n",
        ":3:3:",
        "agent_id must be digits",
    ),
    (
        ["campaign", "load", "--campaign-id", "1", "--type", "preview"],
        "customer_id,tel1\n1,300\n1,301\n",
        ":3:1:",
        "customer_id '1' is also on line 2",
    ),
    (
        ["campaign", "load", "--campaign-id", "1", "--type", "preview"],
        "customer_id,tel1\n1,300\n2,\n",
        ":3:2:",
        "empty tel1",
    ),
    (
        ["dnc", "add", "--days-block", "5"],
        "telephone\n300\n+57 300\n",
        ":3:1:",
        "phone must be up to 20 digits",
    ),
    (["dnc", "add"], "telephone,days_block\n300,5\n301,6\n", ":3:2:", "days_block 6 differs from line 2's 5"),
    (["skills", "assign"], "agent_id,skill_id,expertise\n1,2,high\n", ":2:3:", "expertise must be a whole"),
    (["skills", "assign"], "agent_id,skill_id\n1,2\n1,2\n", ":3:1:", "agent 1 in skill 2 is also on line 2"),
    (["messages", "send"], "telephone,message\n300,hola\n301,\n", ":3:2:", "empty message"),
    (["messages", "send"], "telephone,message,template_name\n300,hola,x\n", ":1:3:", "unknown column"),
    (
        ["messages", "send", "--channel", "whatsapp"],
        "telephone,message\n300,hola\n",
        ":2:3:",
        "empty connector_id (and no --connector-id)",
    ),
    (["agents", "enable"], "agent_id\n1001\n1001\n", ":3:1:", "agent_id '1001' is also on line 2"),
    (["agents", "disable"], "agent_id,name\n1001,Ana\n", ":1:2:", "unknown column 'name'"),
    (["agents", "disable"], "agent_id\n", ":2:1:", "no rows after the header"),
]


@pytest.mark.parametrize(("args", "text", "where", "message"), BAD)
def test_a_bad_row_is_pinned_to_line_and_column_and_nothing_is_sent(
    served: Served, tmp_path: Path, args: list[str], text: str, where: str, message: str
) -> None:
    source = write(tmp_path, text)
    result = served.invoke(*args[:2], str(source), *args[2:], licences="auto")
    assert result.exit_code == 2, result.stdout + result.stderr
    assert f"{source}{where} {message}" in result.stderr
    assert "nothing was sent" in result.stderr and "Traceback" not in result.stderr
    assert served.calls() == {}, "not even the quota lookup"
    assert not list(tmp_path.glob("*.jsonl")) and not list(tmp_path.glob("*.report.csv"))


def test_every_problem_of_a_file_is_listed_in_file_order(served: Served, tmp_path: Path) -> None:
    source = write(tmp_path, "telephone,message\nx,\n301,ok\n302\n")
    result = served.invoke("messages", "send", str(source))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[:4] == [
        f"{source}:2:1: phone must be up to 20 digits (spaces, '-', '.', '(' and ')' are removed), got 'x'",
        f"{source}:2:2: empty message",
        f"{source}:4:2: 1 fields, the header has 2",
        "nothing was sent",
    ]


def test_a_row_the_library_refuses_by_number_is_pinned_to_its_line(tmp_path: Path) -> None:
    table, _ = read_table(
        write(tmp_path, "customer_id,tel1\n1,300\n\n2,301\n"), required=("customer_id", "tel1")
    )
    source = Source(table, [{}, {}], [2, 4], ["a", "b"], tmp_path / "j.jsonl", tmp_path / "r.csv")
    problem = _locate(wv.InvalidArgumentError("record 1: tel1 must be text (counting from record 2)"), source)
    assert problem is not None and (problem.line, problem.column) == (4, 2)
    assert _locate(wv.InvalidArgumentError("journal 'row 1' is a symbolic link"), source) is None


def test_a_quota_too_small_exits_3_before_any_job_call(served: Served, tmp_path: Path) -> None:
    served.emulator.set_quota_used(served.token, 4999)
    source = write(tmp_path, "telephone,message\n3001234567,uno\n3007654321,dos\n")
    result = served.invoke("messages", "send", str(source), licences="auto")
    assert result.exit_code == 3, result.stdout + result.stderr
    assert "InsufficientQuotaError" in result.stderr and "nothing was sent" in result.stderr
    assert served.calls() == {"information.token_info": 1}


# -- Ctrl-C in a real process ------------------------------------------------------------------------


def journal_entries(journal: Path) -> list[dict[str, object]]:
    if not journal.exists():
        return []
    entries = []
    for line in journal.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue  # a line being written
    return entries


def interrupt_when_sending(command: list[str], journal: Path, token: str) -> subprocess.CompletedProcess[str]:
    """Run ``command``, send SIGINT once the journal says a call is being sent, and wait for the exit."""
    env = {**os.environ, "COLUMNS": "200", "WOLKVOX_TOKEN": token}
    for name in ("WOLKVOX_SERVER", "WOLKVOX_BASE_URL", "WOLKVOX_REDIS_URL"):
        env.pop(name, None)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            if any(e.get("event") == "sending" for e in journal_entries(journal)):
                break
            time.sleep(0.005)
        assert process.poll() is None, "the job ended before it could be interrupted"
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def cli(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "wolkvox_async.cli", "--server", SERVER, "--base-url", url, *args]


@pytest.mark.timeout(120)
def test_ctrl_c_mid_agents_create_keeps_every_password_and_says_how_to_resume(
    token: str, tmp_path: Path
) -> None:
    emulator = Emulator({token: 5}, latency=0.3)
    rows = [(f"55{n:04d}", f"Agent {n}") for n in range(12)]
    source = write(
        tmp_path, "dni,name\n" + "".join(f"{dni},{name}\n" for dni, name in rows), name="agents.csv"
    )
    journal = tmp_path / "agents.jsonl"
    with serve_in_thread(emulator, timeout=5.0) as url:
        command = cli(
            url, "--licences", "5", "agents", "create", "--csv", str(source), "--journal", str(journal)
        )
        started = time.monotonic()
        done = interrupt_when_sending([*command, "--workers", "4"], journal, token)
        elapsed = time.monotonic() - started
    assert done.returncode == 130, done.stderr
    assert elapsed < 90
    assert "run the same command again to resume" in done.stderr and str(journal) in done.stderr
    assert "Traceback" not in done.stderr and token not in done.stdout + done.stderr

    entries = journal_entries(journal)
    passwords = {e["dni"]: e["password"] for e in entries if e["event"] == "created"}
    sent = {e["dni"] for e in entries if e["event"] == "sending"}
    created = {a.dni: a.password for a in emulator.agents.values()}
    assert created, "the creations in flight finished"
    assert len(created) < len(rows), "the interruption stopped the job"
    assert passwords == created, "every agent created has its password in the journal"
    assert sent == set(created), "every call sent finished and was journaled"


@pytest.mark.timeout(120)
def test_ctrl_c_mid_messages_then_resume_sends_each_message_once(token: str, tmp_path: Path) -> None:
    emulator = Emulator({token: 5}, latency=0.3)
    source = write(tmp_path, "telephone,message\n" + "".join(f"30012345{n:02d},m{n}\n" for n in range(8)))
    journal = source.with_name(f"{source.stem}.journal.jsonl")
    with serve_in_thread(emulator, timeout=5.0) as url:
        command = cli(url, "--licences", "5", "messages", "send", str(source))
        done = interrupt_when_sending(command, journal, token)
        assert done.returncode == 130, done.stderr
        assert "run the same command again" in done.stderr and "Traceback" not in done.stderr
        entries = journal_entries(journal)
        sending = {e["key"] for e in entries if e["event"] == "sending"}
        assert sending and sending == {e["key"] for e in entries if e["event"] == "done"}
        outcomes = [r["outcome"] for r in report_of(source)]
        assert "pending" in outcomes and outcomes.count("done") == len(sending)
        first = emulator.stats(token).calls.get("sms.send_sms", 0)
        assert first == len(sending)

        emulator.latency = 0.0
        again = subprocess.run(
            command, capture_output=True, text=True, timeout=60, env={**os.environ, "WOLKVOX_TOKEN": token}
        )
    assert again.returncode == 0, again.stderr
    assert emulator.stats(token).calls.get("sms.send_sms") == 8, "each message sent once"
    assert [r["outcome"] for r in report_of(source)].count("already_done") == first
