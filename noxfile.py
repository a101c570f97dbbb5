"""Sessions: ``tests``, ``lint``, ``typecheck`` (the default set), ``demo`` and ``bench``."""

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff==0.17.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("mypy")


@nox.session
def demo(session: nox.Session) -> None:
    """The README's first command: the provisioning job, through the CLI, against the bundled emulator."""
    session.install(".[testing,cli]")
    session.run("python", "examples/demo.py")


@nox.session
def bench(session: nox.Session) -> None:
    """Every benchmark; each prints ratios measured in one run. Pass a script name to run one."""
    session.install("-e", ".[bench]")
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
