"""How a request travels: the engine an HTTP library is wrapped in, so the Transport needs none.

The Transport decides (slots, quota, retries, limits, secrets); an engine
only moves bytes. Two engines implement it: httpx (the default, and any
``httpx.AsyncClient`` a user gives) and aiohttp (the ``aiohttp`` extra).
Each maps its own failures to :class:`ExchangeFailed` by one rule, the
library's, not the HTTP library's: only a connection that was never made
proves the request did not leave. What may have reached the server is
never sent again by an engine on its own, so a ``dial`` rings once.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Protocol
from urllib.parse import urlencode, urlsplit
from urllib.request import getproxies_environment, proxy_bypass_environment  # type: ignore[attr-defined]

from ._errors import InvalidArgumentError
from ._protocol import Request

USER_AGENT = "wolkvox-async"


class ExchangeFailed(Exception):
    """No HTTP answer: ``name`` what failed, ``reached`` whether the request may have left, ``timed_out``."""

    def __init__(self, name: str, *, reached: bool, timed_out: bool = False) -> None:
        super().__init__(name)
        self.name = name
        self.reached = reached
        self.timed_out = timed_out


class Exchange(Protocol):
    """An answer whose status and headers arrived; its body still to read (or already in ``body``)."""

    status: int
    headers: Mapping[str, str]
    body: bytes | None

    async def read(self, feed: Callable[[bytes], object]) -> None:
        """Feed the body as it arrives, still encoded: the Transport decodes it within its size limit."""

    async def aclose(self) -> None:
        """Give the connection back, or drop it if the body was not read to its end."""


class Engine(Protocol):
    """Sends prepared requests. ``prepare`` runs before a slot is taken, so no slot waits on it."""

    def closed(self) -> str | None:
        """Why no request can be sent any more, or None."""

    def bind(self, loop: object) -> None:
        """The event loop of the first call (an asyncio loop or trio's token); refuses one it cannot run on."""

    def prepare(self, request: Request) -> object:
        """The request in the engine's own form; raises ``InvalidArgumentError`` if it cannot be built."""

    async def send(self, prepared: Any) -> Exchange:
        """Send it and wait for the answer's head; raises :class:`ExchangeFailed`."""
        ...

    async def aclose(self) -> None:
        """Close what the engine opened (not an HTTP client it was given)."""


def environment_proxy(base_url: str) -> str | None:
    """The proxy the environment names for ``base_url`` (``HTTPS_PROXY``, ``NO_PROXY``...), read once.

    httpx and aiohttp would each read it again on every request.
    """
    proxies = getproxies_environment()
    if not proxies:
        return None
    parts = urlsplit(base_url)
    if proxy_bypass_environment(parts.netloc, proxies):
        return None
    return proxies.get(parts.scheme) or proxies.get("all")


JSON_TYPE: Final = ("content-type", "application/json")


def json_body(value: Any) -> bytes:
    """One encoding of a JSON body for every engine: compact, UTF-8, no NaN."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def with_query(url: str, params: Sequence[tuple[str, str]]) -> str:
    """The URL and its query, encoded as httpx encodes ``params``."""
    return f"{url}?{urlencode(params)}" if params else url


def unbuildable(request: Request, exc: Exception) -> InvalidArgumentError:
    """What an engine raises for a request its HTTP library cannot build: before anything is sent."""
    return InvalidArgumentError(
        f"{request.operation.name}: the request cannot be built ({type(exc).__name__}); "
        "a value holds characters or a length a URL cannot carry"
    )


_ssl_lock = threading.Lock()
_ssl_context: ssl.SSLContext | None = None


def shared_ssl_context() -> ssl.SSLContext:
    """One verifying SSL context for the process: building one costs 17 ms and 0.8 MiB.

    It honours ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` as httpx does; pass
    ``ssl_context=`` to a Client for another.
    """
    global _ssl_context
    if _ssl_context is None:
        with _ssl_lock:
            if _ssl_context is None:
                import httpx

                _ssl_context = httpx.create_ssl_context()
    return _ssl_context
