"""Answers as the wolkvox pages show them, for respx routes."""

from __future__ import annotations

from collections.abc import Callable

import anyio
import httpx

import wolkvox_async as wv
from wolkvox_async._scheduler import TokenScheduler

BASE = "https://wv0032.wolkvox.com/api/v2"


def created(agent_id: str = "1001", password: str = "Xy7#abcd") -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "code": 201,
            "error": None,
            "msg": "Agent has been created",
            "data": [{"agent_id": agent_id, "password": password}],
        },
    )


def enabled(agent_id: str = "1001") -> httpx.Response:
    return httpx.Response(200, json={"code": 202, "error": None, "msg": f"{agent_id} agent has been enabled"})


def agents(*ids: str) -> httpx.Response:
    rows = [
        {
            "agent_id": i,
            "agent_name": f"Agent {i}",
            "agent_dni": f"dni-{i}",
            "agent_status": "offline",
            "last_use": "-",
            "agent_sso": "",
        }
        for i in ids
    ]
    return httpx.Response(
        200, json={"code": "", "error": None, "msg": f"{len(ids)} records were found", "data": rows}
    )


def dialled(conn_id: str = "c-1") -> httpx.Response:
    return httpx.Response(
        200,
        json={"code": "200", "error": None, "msg": "Dial has been successful", "data": {"conn_id": conn_id}},
    )


def displayed(word: str = "show") -> httpx.Response:
    return httpx.Response(
        200, json={"code": "200", "error": None, "msg": "default", "data": f"Agentbox has been {word}"}
    )


def forbidden(msg: str) -> httpx.Response:
    return httpx.Response(403, json={"code": 403, "error": "FORBIDDEN", "msg": msg})


async def until(condition: Callable[[], bool], within: float = 5.0) -> None:
    """Let other tasks run until ``condition`` holds: a bounded wait for tests."""
    with anyio.fail_after(within):
        while not condition():  # noqa: ASYNC110 (the state polled is the library's, with no event to wait on)
            await anyio.sleep(0.0005)


def scheduler_of(client: wv.Client) -> TokenScheduler:
    """The in-memory scheduler behind a Client, for tests that look at its lanes."""
    scheduler = client._transport.scheduler
    assert isinstance(scheduler, TokenScheduler)
    return scheduler
