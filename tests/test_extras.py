"""Without an optional extra, its part of the library says what to install: MissingExtraError, never a traceback.

Each case runs in a fresh interpreter where the extra's packages cannot be imported: a module of
that name, first on ``PYTHONPATH``, raises ``ModuleNotFoundError`` as a missing package does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.timeout(60)

Run = Callable[..., subprocess.CompletedProcess[str]]

IMPORT = """
import json, sys
from wolkvox_async._errors import MissingExtraError, WolkvoxError
try:
    exec(sys.argv[1])
except MissingExtraError as exc:
    print(json.dumps({"extra": exc.extra, "message": str(exc), "both": isinstance(exc, ImportError | WolkvoxError)}))
else:
    print(json.dumps(None))
"""


@pytest.fixture
def without(tmp_path: Path) -> Callable[..., Run]:
    """``without("redis")(args...)`` runs ``python args...`` where ``import redis`` fails."""

    def blocking(*modules: str) -> Run:
        stubs = tmp_path / ("without-" + "-".join(modules))
        stubs.mkdir()
        for name in modules:
            (stubs / f"{name}.py").write_text(
                f"raise ModuleNotFoundError({f'No module named {name!r}'!r}, name={name!r})\n"
            )
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(stubs), os.environ.get("PYTHONPATH")])),
        }

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, *args], capture_output=True, text=True, env=env, timeout=50, check=False
            )

        return run

    return blocking


def missing_extra(run: Run, statement: str) -> dict[str, Any]:
    """What ``statement`` raised: the MissingExtraError's extra and message (fails if it raised nothing)."""
    done = run("-c", IMPORT, statement)
    assert done.returncode == 0, done.stderr
    raised = json.loads(done.stdout)
    assert raised is not None, f"{statement!r} raised nothing"
    assert raised["both"], "a MissingExtraError is an ImportError and a WolkvoxError"
    return dict(raised)


def one_line(done: subprocess.CompletedProcess[str], prefix: str) -> str:
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(prefix)
    return line


def test_redis_without_redis_py(without: Callable[..., Run]) -> None:
    raised = missing_extra(without("redis"), "import wolkvox_async.redis")
    assert raised["extra"] == "redis"
    assert "pip install 'wolkvox-async[redis]'" in raised["message"]


def test_otel_without_opentelemetry(without: Callable[..., Run]) -> None:
    raised = missing_extra(without("opentelemetry"), "import wolkvox_async.otel")
    assert raised["extra"] == "otel"
    assert "opentelemetry-api" in raised["message"]
    assert "pip install 'wolkvox-async[otel]'" in raised["message"]


def test_the_aiohttp_engine_without_aiohttp(without: Callable[..., Run]) -> None:
    raised = missing_extra(
        without("aiohttp"), "import wolkvox_async as wv; wv.Client('0032', 'T', engine='aiohttp')"
    )
    assert raised["extra"] == "aiohttp"
    assert "pip install 'wolkvox-async[aiohttp]'" in raised["message"]


@pytest.mark.parametrize("module", ["typer", "rich"])
def test_the_cli_without_typer_or_rich(without: Callable[..., Run], module: str) -> None:
    raised = missing_extra(without(module), "from wolkvox_async.cli import app")
    assert raised["extra"] == "cli"
    assert module in raised["message"] and "pip install 'wolkvox-async[cli]'" in raised["message"]


def test_the_wolkvox_command_without_typer_is_one_line_and_exits_2(without: Callable[..., Run]) -> None:
    run = without("typer")
    script = Path(sys.executable).parent / "wolkvox"
    commands = [["-m", "wolkvox_async.cli", "quota"]]
    if script.exists():  # the console script, where the package is installed
        commands.append([str(script), "quota"])
    for command in commands:
        done = run(*command)
        assert done.returncode == 2, done.stderr
        line = one_line(done, "wolkvox: ")
        assert "pip install 'wolkvox-async[cli]'" in line


def test_the_emulator_without_uvicorn_imports_and_serving_says_what_to_install(
    without: Callable[..., Run],
) -> None:
    run = without("uvicorn")
    done = run("-c", "from wolkvox_async.testing import Emulator; Emulator(['T'])")
    assert done.returncode == 0, done.stderr
    raised = missing_extra(
        run,
        "from wolkvox_async.testing import Emulator, serve_in_thread\n"
        "with serve_in_thread(Emulator(['T'])): pass",
    )
    assert raised["extra"] == "testing"
    assert "uvicorn" in raised["message"] and "pip install 'wolkvox-async[testing]'" in raised["message"]


def test_serving_the_emulator_from_a_shell_without_uvicorn_is_one_line_and_exits_2(
    without: Callable[..., Run],
) -> None:
    run = without("uvicorn")
    for command, prefix in [
        (["-m", "wolkvox_async.testing", "serve", "--token", "T", "--port", "0"], "python -m wolkvox_async"),
        (["-m", "wolkvox_async.cli", "emulator", "serve", "--token", "T", "--port", "0"], "wolkvox: "),
    ]:
        done = run(*command)
        assert done.returncode == 2, done.stderr
        line = one_line(done, prefix)
        assert "pip install 'wolkvox-async[testing]'" in line
