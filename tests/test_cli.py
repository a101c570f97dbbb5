"""The ``wolkvox`` command line, driven through typer's CliRunner against the emulator on loopback."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import wolkvox_async as wv
from wolkvox_async.cli import app
from wolkvox_async.testing import Emulator, RedisServer, serve_in_thread
from wolkvox_async.testing._redis import free_port

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
        self.emulator = emulator
        self.url = url
        self.token = token

    def invoke(self, *args: str, token: str | None = "") -> Result:
        """Run ``wolkvox --server --token --base-url --licences 5 ARGS``; ``token=None`` leaves the token out."""
        given = self.token if token == "" else token
        options = ["--server", SERVER, "--base-url", self.url, "--licences", "5"]
        if given is not None:
            options += ["--token", given]
        return CliRunner().invoke(app, [*options, *args], env=CLEAN_ENV)

    def calls(self) -> int:
        return sum(self.emulator.stats(self.token).calls.values())


@pytest.fixture
def served(token: str) -> Iterator[Served]:
    emulator = Emulator({token: 5}, latency=0.002)
    with serve_in_thread(emulator, timeout=5.0) as url:
        yield Served(emulator, url, token)


def write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "agents.csv"
    path.write_text(text, encoding="utf-8")
    return path


def assert_clean(result: Result, token: str) -> None:
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    assert token not in out


# -- agents list -------------------------------------------------------------------------------------


def test_agents_list_shows_a_table(served: Served) -> None:
    served.emulator.add_agent("1020304050", "Ana Ruiz", "ana.ruiz")
    served.emulator.add_agent("1020304051", "Luis Gómez", "luis.gomez", enabled=False)
    result = served.invoke("agents", "list")
    assert result.exit_code == 0, result.stderr
    assert "Ana Ruiz" in result.stdout and "Luis Gómez" in result.stdout
    assert "1020304051" in result.stdout and "2 agents" in result.stdout


def test_agents_list_json_and_one_agent(served: Served) -> None:
    ana = served.emulator.add_agent("1020304050", "Ana Ruiz", "ana.ruiz")
    served.emulator.add_agent("1020304051", "Luis Gómez", "luis.gomez", enabled=False)
    result = served.invoke("agents", "list", "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {(r["agent_dni"], r["enabled"]) for r in rows} == {("1020304050", True), ("1020304051", False)}

    one = served.invoke("agents", "list", "--json", "--agent", ana.agent_id)
    assert one.exit_code == 0, one.stderr
    assert [r["agent_name"] for r in json.loads(one.stdout)] == ["Ana Ruiz"]


# -- agents create -----------------------------------------------------------------------------------

GOOD_CSV = (
    "dni,name,sso,enable\n"
    "1020304050,Ana Ruiz,ana.ruiz@corp.co,yes\n"
    "1020304051,Luis Gómez,luis.gomez@corp.co,no\n"
    "\n"
    '1020304052,"Peña, Marta",marta.pena@corp.co,\n'
)


def test_agents_create_keeps_the_passwords_in_the_journal_only(served: Served, tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    result = served.invoke(
        "agents", "create", "--csv", str(write_csv(tmp_path, GOOD_CSV)), "--journal", str(journal)
    )
    assert result.exit_code == 0, result.stderr
    assert_clean(result, served.token)

    agents = {a.dni: a for a in served.emulator.agents.values()}
    assert set(agents) == {"1020304050", "1020304051", "1020304052"}
    assert agents["1020304052"].name == "Peña, Marta"
    assert [a.enabled for _, a in sorted(agents.items())] == [True, False, False]

    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    entries = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    passwords = {e["dni"]: e["password"] for e in entries if e["event"] == "created"}
    assert passwords == {dni: a.password for dni, a in agents.items()}
    for password in passwords.values():
        assert password not in result.stdout + result.stderr

    assert "created" in result.stdout and "3/3" in result.stdout
    assert str(journal.resolve()) in result.stdout.replace("\n", "")


def test_agents_create_again_creates_nothing_and_can_show_passwords(served: Served, tmp_path: Path) -> None:
    csv_file, journal = write_csv(tmp_path, GOOD_CSV), tmp_path / "journal.jsonl"
    assert served.invoke("agents", "create", "--csv", str(csv_file), "--journal", str(journal)).exit_code == 0
    again = served.invoke(
        "agents", "create", "--csv", str(csv_file), "--journal", str(journal), "--show-passwords"
    )
    assert again.exit_code == 0, again.stderr
    assert sum(1 for action in served.emulator.actions if action[0] == "create_agent") == 3
    for agent in served.emulator.agents.values():
        assert agent.password in again.stdout


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("dni,sso\n1,ana\n", ":1:3:", "missing column 'name'"),
        ("dni,name,sso\n1,Ana,ana@x.co\n2,,luis@x.co\n", ":3:2:", "empty name"),
        ("dni,name,sso\n1,Ana,ana@x.co\n1,Luis,luis@x.co\n", ":3:1:", "dni '1' is also on line 2"),
        ("dni,name,sso,enable\n1,Ana,ana@x.co,maybe\n", ":2:4:", "enable must be yes or no"),
        ("dni,name,sso\n1,Ana\n", ":2:3:", "2 fields, the header has 3"),
        ("", ":1:1:", "empty file"),
    ],
)
def test_a_malformed_csv_is_pinned_to_line_and_column_and_nothing_is_sent(
    served: Served, tmp_path: Path, text: str, where: str, message: str
) -> None:
    csv_file = write_csv(tmp_path, text)
    result = served.invoke("agents", "create", "--csv", str(csv_file), "--journal", str(tmp_path / "j.jsonl"))
    assert result.exit_code == 2
    assert f"{csv_file}{where} {message}" in result.stderr
    assert "nothing was sent" in result.stderr
    assert_clean(result, served.token)
    assert served.calls() == 0
    assert not served.emulator.agents
    assert not (tmp_path / "j.jsonl").exists()


# -- other commands ----------------------------------------------------------------------------------


def test_a_missing_token_is_one_clear_line(served: Served) -> None:
    result = served.invoke("quota", token=None)
    assert result.exit_code == 2
    assert result.stderr.strip() == "wolkvox: no token: pass --token or set WOLKVOX_TOKEN"
    assert served.calls() == 0


def test_a_wrong_token_is_one_red_line_without_the_token(served: Served) -> None:
    wrong = "wrong-token-abcdefghijkl"
    result = served.invoke("agents", "list", token=wrong)
    assert result.exit_code == 1
    assert "AuthenticationError" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert_clean(result, wrong)


def test_enable(served: Served) -> None:
    agent = served.emulator.add_agent("1020304050", "Ana Ruiz", "ana.ruiz", enabled=False)
    result = served.invoke("agents", "enable", agent.agent_id)
    assert result.exit_code == 0, result.stderr
    assert served.emulator.agents[agent.agent_id].enabled
    assert f"enabled agent {agent.agent_id}" in result.stdout

    unknown = served.invoke("agents", "enable", "999999")
    assert unknown.exit_code == 1
    assert "NotFoundError" in unknown.stderr
    assert_clean(unknown, served.token)


def test_dial(served: Served) -> None:
    agent = served.emulator.add_agent("1020304050", "Ana Ruiz", "ana.ruiz")
    result = served.invoke("dial", agent.agent_id, "300 123 4567", "--customer-name", "Cliente Demo")
    assert result.exit_code == 0, result.stderr
    (dial,) = served.emulator.dials_for(agent.agent_id)
    assert (dial.customer_phone, dial.customer_name) == ("3001234567", "Cliente Demo")
    assert dial.conn_id in result.stdout


def test_display(served: Served) -> None:
    agent = served.emulator.add_agent("1020304050", "Ana Ruiz", "ana.ruiz")
    hide = served.invoke("display", agent.agent_id, "--button", "hungup", "--hide")
    assert hide.exit_code == 0, hide.stderr
    assert served.emulator.agents[agent.agent_id].hidden_buttons == {"hungup"}
    show = served.invoke("display", agent.agent_id, "--button", "hungup", "--show")
    assert show.exit_code == 0, show.stderr
    assert served.emulator.agents[agent.agent_id].hidden_buttons == frozenset()

    bad = served.invoke("display", agent.agent_id, "--button", "mute", "--show")
    assert bad.exit_code == 2


def test_quota(served: Served) -> None:
    result = served.invoke("quota")
    assert result.exit_code == 0, result.stderr
    assert "limit 5000" in result.stdout and "left" in result.stdout


def test_redis_shares_the_count_with_other_processes(served: Served, redis_server: RedisServer) -> None:
    for _ in range(2):
        assert served.invoke("--redis", redis_server.url, "agents", "list").exit_code == 0
    result = CliRunner().invoke(
        app,
        ["--server", SERVER, "--base-url", served.url, "--licences", "5", "quota"],
        env={**CLEAN_ENV, "WOLKVOX_TOKEN": served.token, "WOLKVOX_REDIS_URL": redis_server.url},
    )
    assert result.exit_code == 0, result.stderr
    assert "used 3," in result.stdout  # the two runs before (counted in Redis), and quota's own token_info


def test_an_unreachable_redis_exits_4(served: Served) -> None:
    result = served.invoke("--redis", f"redis://127.0.0.1:{free_port()}/0", "agents", "list")
    assert result.exit_code == 4
    assert "BackendError" in result.stderr and "Traceback" not in result.stderr
    assert served.calls() == 0
    assert_clean(result, served.token)


def test_a_used_up_quota_exits_3(served: Served) -> None:
    served.emulator.set_quota_used(served.token, 5000)
    result = served.invoke("agents", "list")
    assert result.exit_code == 3
    assert "QuotaExhaustedError" in result.stderr
    assert_clean(result, served.token)


def test_an_unreachable_server_exits_4(token: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = CliRunner().invoke(
        app,
        ["--server", SERVER, "--token", token, "--base-url", f"http://127.0.0.1:{port}", "agents", "list"],
        env=CLEAN_ENV,
    )
    assert result.exit_code == 4
    assert "TransportError" in result.stderr or "Error" in result.stderr
    assert_clean(result, token)


def one_line(result: Result) -> str:
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("wolkvox: ")
    return line


@pytest.mark.parametrize(
    "url", ["ftp://x", "http://", "http://host:99999", "not a url", "http://h/?q=1", "http://user:s3cret@h"]
)
def test_a_bad_base_url_is_one_line_and_exits_2(token: str, url: str) -> None:
    result = CliRunner().invoke(
        app, ["--server", SERVER, "--token", token, "--base-url", url, "quota"], env=CLEAN_ENV
    )
    assert result.exit_code == 2, result.output
    one_line(result)
    assert_clean(result, token)
    assert "s3cret" not in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "nope://x",
        "redis://:99999",
        "http://127.0.0.1",
        "redis://:s3cret@127.0.0.1:99999/0",
        "redis://127.0.0.1/0?password=s3cret&db=x",
        "redis://:s3cret@[::1",
    ],
)
def test_a_bad_redis_url_is_one_line_and_exits_2(token: str, url: str) -> None:
    result = CliRunner().invoke(
        app,
        ["--server", SERVER, "--token", token, "--base-url", "http://127.0.0.1:9", "--redis", url, "quota"],
        env=CLEAN_ENV,
    )
    assert result.exit_code == 2, result.output
    one_line(result)
    assert_clean(result, token)
    assert "s3cret" not in result.stderr


def test_a_one_letter_token_is_masked_where_it_stands_alone_only(monkeypatch: pytest.MonkeyPatch) -> None:
    async def refused(*args: object, **kwargs: object) -> None:
        raise wv.BadRequestError("the token e was refused here", operation="list_agents", status=400)

    monkeypatch.setattr(wv.Client, "list_agents", refused)
    result = CliRunner().invoke(
        app,
        ["--server", SERVER, "--token", "e", "--base-url", "http://127.0.0.1:9", "agents", "list"],
        env=CLEAN_ENV,
    )
    assert result.exit_code == 1
    assert one_line(result) == (
        "wolkvox: BadRequestError: list_agents: the token *** was refused here (HTTP 400)"
    )


def test_a_journal_that_is_a_symlink_is_one_line_and_nothing_is_sent(served: Served, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.jsonl"
    journal = tmp_path / "journal.jsonl"
    journal.symlink_to(target)
    result = served.invoke(
        "agents", "create", "--csv", str(write_csv(tmp_path, GOOD_CSV)), "--journal", str(journal)
    )
    assert result.exit_code == 2
    assert "symbolic link" in one_line(result)
    assert_clean(result, served.token)
    assert served.calls() == 0
    assert not target.exists()


def test_emulator_serve_takes_the_options_of_the_testing_module() -> None:
    result = CliRunner().invoke(app, ["emulator", "serve", "--help"], env=CLEAN_ENV)
    assert result.exit_code == 0
    assert "--latency" in result.stdout and "--fault-rate" in result.stdout


def test_importing_the_library_does_not_import_the_cli() -> None:
    # httpx imports rich by itself when rich is installed (for its own CLI): only what we add counts.
    code = (
        "import sys, httpx; before = set(sys.modules); import wolkvox_async; "
        "sys.exit(bool({'typer', 'rich', 'wolkvox_async.cli'} & (set(sys.modules) - before)))"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=20, check=False).returncode == 0


# -- one real process --------------------------------------------------------------------------------


def test_agents_create_in_a_real_process(served: Served, tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    env = {**os.environ, "WOLKVOX_TOKEN": served.token, "WOLKVOX_SERVER": SERVER, "COLUMNS": "200"}
    env.pop("WOLKVOX_BASE_URL", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "wolkvox_async.cli",
            "--base-url",
            served.url,
            "agents",
            "create",
            "--csv",
            str(write_csv(tmp_path, GOOD_CSV)),
            "--journal",
            str(journal),
        ],
        capture_output=True,
        text=True,
        timeout=20,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "3 rows in" in done.stdout and "journal:" in done.stdout
    assert len(served.emulator.agents) == 3
    assert served.token not in done.stdout + done.stderr
