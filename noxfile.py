"""Sessions: ``tests``, ``lint``, ``typecheck``, ``docs``, ``build`` (the default set, what CI runs), ``demo`` and ``bench``.

Each installs the package with the extras it needs and its tools from a PEP 735 dependency
group of ``pyproject.toml`` (read here, so any pip will do).
"""

from __future__ import annotations

import re
import shutil
import tarfile
import tempfile
import zipfile
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"  # nox.project.dependency_groups
nox.options.sessions = ["tests", "lint", "typecheck", "docs", "build"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
EXTRAS = ("testing", "redis", "parquet", "cli", "aiohttp", "otel")
"""Every published extra; the tests and mypy need them all."""
EVERYTHING = f".[{','.join(EXTRAS)}]"


def group(name: str) -> tuple[str, ...]:
    return nox.project.dependency_groups(PYPROJECT, name)


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", EVERYTHING, *group("test"))
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install(*group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", EVERYTHING, *group("typecheck"))
    session.run("mypy", *session.posargs)


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site, built as it is published; any warning fails it (``--strict``)."""
    session.install("-e", ".", *group("docs"))
    site = Path(session.create_tmp()) / "site"
    session.run(
        "mkdocs",
        "build",
        "--strict",
        "--site-dir",
        str(site),
        *session.posargs,
        env={"NO_MKDOCS_2_WARNING": "1"},  # Material's banner about its end of life
    )


@nox.session
def build(session: nox.Session) -> None:
    """The sdist and wheel as published: built, checked, installed in a clean virtualenv and smoke-tested.

    The artifacts are left in ``.nox/build/tmp/dist``; the virtualenv lives in a temporary
    directory outside the checkout, and the smoke test runs from there, so that it imports
    the installed wheel and not the source tree.
    """
    session.install("build[virtualenv]", "twine", "virtualenv")
    dist = Path(session.create_tmp()) / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    if not session.run("python", "-m", "build", "--outdir", str(dist), str(ROOT)):
        return  # --install-only: nothing was built
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    session.run("twine", "check", "--strict", str(wheel), str(sdist))
    check_wheel(session, wheel)
    check_sdist(session, sdist)
    with tempfile.TemporaryDirectory(prefix="wolkvox-async-smoke-") as scratch:
        venv = Path(scratch) / "venv"
        session.run("virtualenv", "--quiet", str(venv))
        python = venv / ("Scripts/python.exe" if (venv / "Scripts").is_dir() else "bin/python")
        session.run(str(python), "-m", "pip", "install", "--quiet", f"{wheel}[testing]", external=True)
        with session.chdir(scratch):
            session.run(str(python), str(ROOT / "scripts" / "smoke.py"), external=True)


def version() -> str:
    text = (ROOT / "wolkvox_async" / "_version.py").read_text()
    found = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    assert found, "no __version__ in wolkvox_async/_version.py"
    return found.group(1)


def check_wheel(session: nox.Session, wheel: Path) -> None:
    """py.typed and the licence in, tests and tools out, the metadata whole."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        info = f"wolkvox_async-{version()}.dist-info"
        metadata = archive.read(f"{info}/METADATA").decode()
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    problems = []
    if "wolkvox_async/py.typed" not in names:
        problems.append("no wolkvox_async/py.typed")
    if f"{info}/licenses/LICENSE" not in names:
        problems.append("no licenses/LICENSE")
    strays = sorted({name.split("/")[0] for name in names} - {"wolkvox_async", info})
    if strays:
        problems.append(f"files outside the package: {strays}")
    fields = set(metadata.split("\n\n", 1)[0].splitlines())
    wanted = {
        f"Version: {version()}",
        "License-Expression: MIT",
        "License-File: LICENSE",
        "Requires-Python: >=3.11",
        "Classifier: Typing :: Typed",
        *(f"Provides-Extra: {extra}" for extra in EXTRAS),
    }
    problems += [f"METADATA lacks {field!r}" for field in sorted(wanted - fields)]
    problems += [
        f"METADATA has {field!r}" for field in sorted(fields) if field.endswith((": dev", ": bench"))
    ]
    if "wolkvox = wolkvox_async.cli:main" not in entry_points or "[pytest11]" not in entry_points:
        problems.append("entry_points.txt lacks the wolkvox command or the pytest plugin")
    if problems:
        session.error(f"{wheel.name}: " + "; ".join(problems))
    session.log(f"{wheel.name}: {len(names)} files, py.typed, LICENSE, extras {', '.join(EXTRAS)}")


def check_sdist(session: nox.Session, sdist: Path) -> None:
    """The licence, changelog and tests in; nothing of a local checkout."""
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    missing = {"LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml", "wolkvox_async/py.typed"} - names
    local = sorted(name for name in names if name.split("/")[0] in {".venv", ".nox", ".git", "dist", "site"})
    if missing or local:
        session.error(f"{sdist.name}: missing {sorted(missing)}, local files {local[:5]}")
    session.log(f"{sdist.name}: {len(names)} files")


@nox.session
def demo(session: nox.Session) -> None:
    """The README's first command: the provisioning job, through the CLI, against the bundled emulator."""
    session.install(".[testing,cli]")
    session.run("python", "examples/demo.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Every benchmark; each prints ratios measured in one run. Pass a script name to run one."""
    session.install("-e", ".[redis,aiohttp,testing]", *group("bench"))
    scripts = session.posargs or [
        "overhead.py",
        "saturation.py",
        "scheduler.py",
        "priority.py",
        "provision.py",
        "redis_backend.py",
        "reports.py",
        "jobs.py",
        "engines.py",
    ]
    for script in scripts:
        session.run("python", f"benchmarks/{script}")
