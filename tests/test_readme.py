"""The README's quickstart runs as written, against respx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import respx
from helpers import BASE, agents, created, dialled, displayed, enabled

README = Path(__file__).resolve().parent.parent / "README.md"


def test_quickstart_runs_as_written() -> None:
    quickstart = re.search(r"```python\n(import asyncio.*?)```", README.read_text(), re.S)
    assert quickstart is not None
    with respx.mock(base_url=BASE) as api:
        api.post("/configuration.php", params={"api": "create_agent"}).mock(return_value=created("1001"))
        api.put("/configuration.php", params={"api": "enable_agent"}).mock(return_value=enabled("1001"))
        api.get("/information.php").mock(return_value=agents("1", "2"))
        api.post("/agentbox.php", params={"api": "dial"}).mock(return_value=dialled("c-1"))
        api.post("/agentbox.php", params={"api": "agent_display"}).mock(return_value=displayed("hide"))
        namespace: dict[str, object] = {"__name__": "__readme__"}
        exec(compile(quickstart.group(1), str(README), "exec"), namespace)
    assert namespace["vault"] == {"1001": "Xy7#abcd"}
    assert all(route.called for route in api.routes)


pytest_plugins = ["pytester"]


def test_fixture_example_runs_as_written(pytester: pytest.Pytester) -> None:
    example = re.search(r"```python\n(import pytest\n.*?)```", README.read_text(), re.S)
    assert example is not None
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_example=example.group(1))
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
