"""What importing the package loads: the structure that keeps it cheap, not its timing.

Each check runs in a fresh interpreter, since this one has loaded everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import wolkvox_async as wv
from wolkvox_async import _records

ON_USE = {
    "wolkvox_async._bulk",
    "wolkvox_async._jobs",
    "wolkvox_async._provision",
    "wolkvox_async._records",
    "wolkvox_async.testing._emulator",
    "cattrs",
}
"""Loaded by the first call that needs them: a job, a record model's answer, a test's emulator."""

NAMESPACES = {"wolkvox_async._api", "wolkvox_async._reports", "wolkvox_async._export"}
"""Loaded with the Client's first namespace."""


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_package_loads_only_the_errors() -> None:
    loaded = loaded_after("import wolkvox_async")
    assert not loaded & {*ON_USE, *NAMESPACES, "wolkvox_async._client", "httpx", "attrs"}


def test_importing_the_client_loads_no_namespace_job_or_record_model() -> None:
    loaded = loaded_after("from wolkvox_async import Client")
    assert "wolkvox_async._client" in loaded
    assert not loaded & {*ON_USE, *NAMESPACES}


def test_making_a_client_loads_no_job_or_record_model() -> None:
    loaded = loaded_after("from wolkvox_async import Client\nClient(server='0032', token='T', licences=1)")
    assert not loaded & ON_USE


def test_the_pytest_plugin_loads_nothing_heavy() -> None:
    loaded = loaded_after("import wolkvox_async.testing.pytest_plugin")
    assert not loaded & {
        *ON_USE,
        *NAMESPACES,
        "wolkvox_async._client",
        "wolkvox_async.testing._server",
        "httpx",
        "uvicorn",
        "attrs",
    }


def test_every_public_name_resolves_in_a_fresh_interpreter() -> None:
    code = (
        "import wolkvox_async as wv, wolkvox_async.testing as t\n"
        "missing = [n for m in (wv, t) for n in m.__all__ if getattr(m, n, None) is None or n not in dir(m)]\n"
        "assert not missing, missing"
    )
    loaded_after(code)


def test_the_lazy_names_are_the_public_ones() -> None:
    assert set(_records.__all__) <= set(wv.__all__)
    assert len(wv.__all__) == len(set(wv.__all__))
    assert wv.__all__[-len(_records.__all__) :] == _records.__all__
    assert wv.Client.__module__ == "wolkvox_async" and wv.TokenInfo.__module__ == "wolkvox_async"
    assert {name for name in dir(wv) if not name.startswith("_")} >= set(wv.__all__)
