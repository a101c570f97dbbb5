"""pytest fixtures that give a test a wolkvox emulator and a Client configured for it.

Installed with the package (entry point ``pytest11``), so users' tests just ask::

    async def test_my_provisioning(wolkvox_emulator):
        new = await wolkvox_emulator.client.create_agent(dni="1", name="Ana", sso="ana")
        assert wolkvox_emulator.emulator.agents[new.agent_id].dni == "1"

- ``wolkvox_emulator``: the emulator in process, through ``httpx.ASGITransport``.
- ``wolkvox_server``: the emulator served by uvicorn on a free 127.0.0.1 port
  (needs the ``testing`` extra), for timeouts, dropped connections and real sockets.

Each test gets a fresh emulator and its own token, so no limit or quota count
is shared between tests. ``@pytest.mark.wolkvox(licences=1, latency=0.01, ...)``
sets the emulator's options (``licences``, ``daily_quota``, ``concurrency``,
``latency``, ``jitter``, ``seed``, ``report_rows_per_day``); the Client is given the same quota and
concurrency. The fixtures are synchronous, so they serve asyncio, trio and any
pytest async plugin alike; their clients keep no connection open after a
request, so nothing outlives the test's event loop.

pytest loads this module in every run of every project that installs the
package, so it imports nothing heavy: a fixture's body loads the Client, the
emulator and httpx when a test first asks for one.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .. import Client
    from ._emulator import Emulator

_EMULATOR_OPTIONS = ("concurrency", "latency", "jitter", "seed", "report_rows_per_day")
_IN_PROCESS = "http://wolkvox-emulator.invalid"


class Emulated:
    """An emulator, where it answers, the token it accepts, and a Client for it.

    ``client_options`` are the Client settings that match the emulator's
    limits (quota, concurrency).
    """

    __slots__ = ("base_url", "client", "client_options", "emulator", "token")

    def __init__(
        self, emulator: Emulator, base_url: str, token: str, client_options: Mapping[str, Any]
    ) -> None:
        self.emulator = emulator
        self.base_url = base_url
        self.token = token
        self.client_options = client_options
        self.client: Client = self.new_client()

    def __repr__(self) -> str:
        return f"Emulated(base_url={self.base_url!r}, client_options={dict(self.client_options)!r})"

    def new_client(self, **options: Any) -> Client:
        """Another Client on the same token (so sharing its limits), with ``options`` changed.

        Without an ``http_client`` of yours, it gets one that keeps no
        connection open between requests. ``engine="aiohttp"`` (served
        emulator only) gets the Client's own session: close the Client.
        """
        import httpx

        from .. import Client

        if "http_client" not in options and options.get("engine", "httpx") == "httpx":
            if self.base_url == _IN_PROCESS:
                transport: httpx.AsyncBaseTransport = httpx.ASGITransport(app=self.emulator)
            else:
                transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))
            options["http_client"] = httpx.AsyncClient(transport=transport)
        return Client("0032", self.token, **{**self.client_options, "base_url": self.base_url, **options})


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "wolkvox(**options): options for the emulator of the wolkvox_emulator and wolkvox_server "
        "fixtures (licences, daily_quota, concurrency, latency, jitter, seed, report_rows_per_day)",
    )


@contextlib.contextmanager
def _emulated(request: pytest.FixtureRequest, *, serve: bool) -> Iterator[Emulated]:
    from ._emulator import Emulator
    from ._server import serve_in_thread

    marker = request.node.get_closest_marker("wolkvox")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    unknown = set(options) - {"licences", "daily_quota", *_EMULATOR_OPTIONS}
    if unknown:
        raise pytest.UsageError(f"unknown @pytest.mark.wolkvox options: {', '.join(sorted(unknown))}")
    token = f"test-{uuid.uuid4().hex}"
    licences, daily_quota = options.get("licences", 1), options.get("daily_quota")
    emulator = Emulator({}, **{key: options[key] for key in _EMULATOR_OPTIONS if key in options})
    emulator.add_token(token, licences, daily_quota=daily_quota)
    client_options: dict[str, Any] = {"daily_quota": daily_quota} if daily_quota else {"licences": licences}
    if "concurrency" in options:
        client_options["concurrency"] = options["concurrency"]
    if not serve:
        yield Emulated(emulator, _IN_PROCESS, token, client_options)
        return
    with serve_in_thread(emulator) as url:
        yield Emulated(emulator, url, token, client_options)


@pytest.fixture
def wolkvox_emulator(request: pytest.FixtureRequest) -> Iterator[Emulated]:
    """A fresh emulator in process and a Client for it."""
    with _emulated(request, serve=False) as emulated:
        yield emulated


@pytest.fixture
def wolkvox_server(request: pytest.FixtureRequest) -> Iterator[Emulated]:
    """A fresh emulator served on a free 127.0.0.1 port and a Client for it."""
    with _emulated(request, serve=True) as emulated:
        yield emulated
