"""Every code block of the README runs as written, or, where a test cannot run it, is checked.

- ``python`` blocks run against the emulator served on 127.0.0.1, with
  ``WOLKVOX_SERVER``, ``WOLKVOX_TOKEN`` and ``WOLKVOX_BASE_URL`` pointing at it
  (as a user's deployment would set them) and ``TOKEN`` defined. A block
  with top-level ``await`` runs as a coroutine; an ``async def`` it defines
  that takes a Client is called with one. The pytest example runs under
  pytester. The Redis example gets the test's own redis-server for its URL.
- ``sh`` blocks, line by line: ``wolkvox ...`` runs through the command line
  in a folder holding the files it names; the emulator's ``serve`` lines
  start, print their URL and are stopped. The lines a test cannot run
  (``dev.py``, ``pip``, ``nox``, benchmarks) are checked against what CI,
  the ``build`` session and the ``bench`` session run.
- The error tree is checked against the classes.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import wolkvox_async as wv
from wolkvox_async import cli
from wolkvox_async.testing import Emulator, serve_in_thread

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TOKEN = "readme-token-0123456789"
pytest_plugins = ["pytester"]


@attrs.frozen
class Block:
    line: int
    language: str
    text: str

    def __str__(self) -> str:
        return f"README.md:{self.line}"


def blocks() -> list[Block]:
    found = []
    for match in re.finditer(r"^```(\w*)\n(.*?)^```$", README.read_text(), re.M | re.S):
        line = README.read_text()[: match.start()].count("\n") + 1
        found.append(Block(line, match.group(1), match.group(2)))
    return found


def emulator() -> Emulator:
    """What the README's examples name: agents 1001 and 1002, skill 7, preview campaign 12, report rows."""
    served = Emulator({TOKEN: 5, "your-token": 5, "T": 5}, report_rows_per_day=3, seed=1)
    served.add_agent("9001", "Ana Ruiz", "ana9001")
    served.add_agent("9002", "Luis Gómez", "luis9002")
    for n in range(7):
        served.add_skill(f"Skill {n + 1}")
    for n in range(12):
        served.add_campaign(f"Campaign {n + 1}", "preview")
    return served


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """The emulator served, the variables set, and a folder with the files the examples name."""
    with serve_in_thread(emulator()) as url:
        monkeypatch.setenv("WOLKVOX_SERVER", "0032")
        monkeypatch.setenv("WOLKVOX_TOKEN", TOKEN)
        monkeypatch.setenv("WOLKVOX_BASE_URL", url)
        monkeypatch.chdir(tmp_path)
        shutil.copy(ROOT / "examples" / "agents.csv", "agents.csv")
        Path("agents-to-disable.csv").write_text("agent_id\n1001\n1002\n")
        Path("customers.csv").write_text("customer_id,customer_name,tel1\n900123,Luis,3001234567\n")
        Path("numbers.csv").write_text("telephone\n3001234567\n3007654321\n")
        Path("skills.csv").write_text("agent_id,skill_id,expertise\n1001,7,5\n1002,7,\n")
        Path("messages.csv").write_text("telephone,message\n3001234567,Hola\n")
        yield url


# -- python ------------------------------------------------------------------------------------------------


def client_functions(tree: ast.Module) -> list[str]:
    """The ``async def``s of a block whose one parameter is a Client."""
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.AsyncFunctionDef)
        and len(node.args.args) == 1
        and "Client" in ast.unparse(node.args.args[0].annotation or ast.Constant(""))
    ]


def run_python(block: Block, text: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "__readme__", "TOKEN": TOKEN}
    code = compile(text, str(block), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)
    if inspect.iscoroutine(result):
        asyncio.run(result)
    for name in client_functions(ast.parse(text)):

        async def call(function: Any = namespace[name]) -> None:
            async with wv.Client(licences=5) as client:
                await function(client)

        asyncio.run(call())
    return namespace


PYTHON = [b for b in blocks() if b.language == "python"]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("block", PYTHON, ids=str)
def test_python_block_runs_as_written(
    block: Block, environment: str, request: pytest.FixtureRequest, pytester: pytest.Pytester
) -> None:
    text = block.text
    if "@pytest.mark" in text:
        pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
        pytester.makepyfile(test_example=text)
        pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
        return
    if "RedisBackend(" in text:
        if shutil.which("redis-server") is None:
            pytest.skip("no redis-server here (CI installs it)")
        server = request.getfixturevalue("redis_server")
        text = text.replace("redis://127.0.0.1:6379/0", server.url)
    if "opentelemetry" in text:
        pytest.importorskip("opentelemetry.sdk")
    namespace = run_python(block, text)
    if "vault" in namespace:  # the quickstart kept the password wolkvox showed once
        assert list(namespace["vault"].values()) != []


# -- sh ------------------------------------------------------------------------------------------------------


def commands(block: Block) -> list[list[str]]:
    joined = block.text.replace("\\\n", " ")
    return [words for line in joined.splitlines() if (words := shlex.split(line, comments=True))]


def sessions() -> set[str]:
    text = (ROOT / "noxfile.py").read_text()
    return set(re.findall(r"^def (\w+)\(session", text, re.M))


def extras() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return set(project["optional-dependencies"])


def serve_briefly(argv: list[str]) -> None:
    """Start an emulator as the line says, wait for its URL, stop it."""
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stderr is not None
        line = process.stdout.readline()
        assert "wolkvox emulator listening on http://127.0.0.1:" in line, process.stderr.read()
    finally:
        process.terminate()
        process.wait(10)


def check_pip(argv: list[str]) -> None:
    """``pip install '.[extra]'``: every extra named exists (the build session installs the wheel)."""
    assert argv[:2] == ["pip", "install"], argv
    for target in argv[2:]:
        named = re.fullmatch(r"\.(?:\[([\w,]+)\])?", target)
        assert named, target
        assert set(filter(None, (named.group(1) or "").split(","))) <= extras(), target


def run_command(argv: list[str], capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> None:
    program, args = argv[0], argv[1:]
    if program == "wolkvox" and args[:2] == ["emulator", "serve"]:
        serve_briefly([sys.executable, "-m", "wolkvox_async.cli", *args])
    elif program == "wolkvox":
        if "--redis" in args:
            if shutil.which("redis-server") is None:
                return
            args[args.index("--redis") + 1] = request.getfixturevalue("redis_server").url
        code = cli.main(args)
        printed = capsys.readouterr()
        assert code == 0, (argv, printed.out[-2000:], printed.err[-2000:])
        assert TOKEN not in printed.out + printed.err
    elif argv[:3] in (["python", "-m", "wolkvox_async.testing"], ["python3", "-m", "wolkvox_async.testing"]):
        serve_briefly([sys.executable, *argv[1:]])
    elif argv[:2] == ["python3", "dev.py"]:
        assert args[1] in ("demo", "test")
        assert "python3 dev.py test" in (ROOT / ".ci" / "run").read_text(), "CI runs the README's command"
        assert "demo" in sessions()
    elif program == "pip":
        check_pip(argv)
    elif argv[:3] == ["python", "-m", "build"]:
        assert "build" in sessions()
    elif program in ("python", "python3") and args and args[0].startswith("benchmarks/"):
        assert (ROOT / args[0]).is_file() and "bench" in sessions()
    elif program == "nox" or argv[1:3] == ["-m", "nox"]:
        named = args[args.index("-s") + 1 :] if "-s" in args else []
        assert set(named) <= sessions(), named
    else:
        pytest.fail(f"the README runs {argv[0]!r}, which this test does not know how to run or check")


SHELL = [b for b in blocks() if b.language == "sh"]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("block", SHELL, ids=str)
def test_shell_block_runs_or_is_checked(
    block: Block, environment: str, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    for argv in commands(block):
        run_command(argv, capsys, request)


# -- text ------------------------------------------------------------------------------------------------------


def test_the_error_tree_is_the_classes() -> None:
    [tree] = [b for b in blocks() if b.language == "" and b.text.startswith("WolkvoxError")]
    parents: list[type[BaseException]] = []
    for line in tree.text.splitlines():
        name = re.search(r"(\w+Error)", line)
        assert name, line
        depth = 0 if line.startswith("WolkvoxError") else (line.index(name.group(1)) - 4) // 4 + 1
        error = getattr(wv, name.group(1))
        del parents[depth:]
        if parents:
            assert error.__base__ is parents[-1] or parents[-1] in error.__bases__, (error, parents[-1])
        parents.append(error)
    named = {m.group(1) for line in tree.text.splitlines() if (m := re.search(r"(\w+Error)", line))}
    public = {n for n in wv.__all__ if n.endswith("Error") and issubclass(getattr(wv, n), wv.WolkvoxError)}
    assert public == named, public ^ named


def test_every_block_is_covered() -> None:
    kinds = {b.language for b in blocks()}
    assert kinds <= {"python", "sh", ""}, kinds
    assert [b for b in blocks() if b.language == ""] == [
        b for b in blocks() if b.language == "" and b.text.startswith("WolkvoxError")
    ]
    assert os.environ.get("WOLKVOX_TOKEN") is None, "the tests run without the developer's token"
