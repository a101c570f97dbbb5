"""The project's two commands, on any Python 3.11+: ``python3 dev.py demo`` and ``python3 dev.py test``.

It needs only the standard library, so it runs on a Python that may not
install packages (Debian's and Ubuntu's own, PEP 668), even one without
pip or ensurepip. Once, it makes a virtual environment of its own in
``.dev/`` with nox in it (with uv if uv is on the PATH; else the venv
module, with pip from ensurepip, or from the system's pip, or from PyPI);
then it runs nox from there. nox makes one environment per session with
virtualenv, which brings its own pip.

    python3 dev.py demo               the demo, against the bundled emulator
    python3 dev.py test               what CI runs: tests, lint, typecheck, docs, build
    python3 dev.py SESSION... [-- ARGS]   any nox session, e.g. tests -- -k engines
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
ENV = ROOT / ".dev"
BIN = ENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
NOX = BIN / ("nox.exe" if os.name == "nt" else "nox")
COMMANDS = {"demo": ["-s", "demo"], "test": []}
"""``test`` runs nox's default sessions, as the noxfile names them: the one list CI follows."""


def say(text: str) -> None:
    print(f"dev.py: {text}", flush=True)


def run(*command: str | Path) -> None:
    subprocess.run([str(part) for part in command], check=True)


def works(*command: str | Path) -> bool:
    try:
        done = subprocess.run([str(part) for part in command], capture_output=True, check=False)
    except OSError:
        return False
    return done.returncode == 0


def make_environment() -> None:
    """A virtual environment with nox, by the first way this machine allows."""
    say(f"making {ENV.relative_to(ROOT)}/ with nox in it (once)")
    shutil.rmtree(ENV, ignore_errors=True)
    uv = shutil.which("uv")
    if uv:
        run(uv, "venv", "--quiet", "--python", sys.executable, ENV)
        run(uv, "pip", "install", "--quiet", "--python", PYTHON, "nox")
        return
    try:
        if importlib.util.find_spec("ensurepip") is None:
            raise OSError("no ensurepip")
        venv.EnvBuilder(with_pip=True).create(ENV)
    except (subprocess.CalledProcessError, OSError, SystemExit):  # Debian's venv exits without ensurepip
        shutil.rmtree(ENV, ignore_errors=True)
        venv.EnvBuilder(with_pip=False).create(ENV)
        bring_pip()
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "nox")


def bring_pip() -> None:
    """pip into ``.dev`` without ensurepip (Debian without python3-venv): the system's pip, else PyPI's."""
    if works(sys.executable, "-m", "pip", "--version"):
        try:
            run(sys.executable, "-m", "pip", "--python", PYTHON, "install", "--quiet", "pip")
            return
        except subprocess.CalledProcessError:
            say("the system's pip could not install into .dev; fetching pip from PyPI")
    index = "https://pypi.org/pypi/pip/json"
    with urllib.request.urlopen(index, timeout=60) as answer:
        release = json.load(answer)
    wheel = next(f for f in release["urls"] if f["packagetype"] == "bdist_wheel")
    with urllib.request.urlopen(urllib.parse.urljoin(index, wheel["url"]), timeout=120) as answer:
        content = answer.read()
    if hashlib.sha256(content).hexdigest() != wheel["digests"]["sha256"]:
        raise SystemExit("dev.py: the pip wheel from PyPI does not match its published sha256")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / wheel["filename"]
        path.write_bytes(content)
        run(PYTHON, path / "pip", "install", "--quiet", path)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file must say so on an older Python
        raise SystemExit(
            f"dev.py: wolkvox-async needs Python 3.11 or newer, this is {sys.version.split()[0]}"
        )
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    split = argv.index("--") if "--" in argv else len(argv)
    names, extra = argv[:split], argv[split + 1 :]
    nox_args = COMMANDS[names[0]] if len(names) == 1 and names[0] in COMMANDS else ["-s", *names]
    if not works(NOX, "--version"):
        make_environment()
    command = [str(NOX), "--noxfile", str(ROOT / "noxfile.py"), *nox_args]
    if extra:
        command += ["--", *extra]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
