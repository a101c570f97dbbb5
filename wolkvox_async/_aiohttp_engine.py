"""The aiohttp engine (``Client(engine="aiohttp")``): the same contract at about half httpx's CPU per call.

aiohttp's own choices are overridden where they differ from the library's
rules: it reads the proxy from the environment once, not on each request
(in a thread, twice), it never re-sends a request on a dropped keep-alive connection (it
would for GET, PUT and DELETE, which some wolkvox actions use), never
follows a redirect, never decompresses (the Transport does, within its size
limit), keeps no cookies, and maps its failures by the library's rule of
what may have reached the server. It runs on asyncio only.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

import httpx

from ._engine import (
    JSON_TYPE,
    USER_AGENT,
    ExchangeFailed,
    environment_proxy,
    json_body,
    shared_ssl_context,
    unbuildable,
    with_query,
)
from ._errors import MissingExtraError, UsageError
from ._protocol import Request

try:
    import aiohttp
    import yarl
except ImportError as exc:  # pragma: no cover - exercised in a bare environment
    raise MissingExtraError("Client(engine='aiohttp')", "aiohttp", "aiohttp") from exc


def failed(exc: BaseException) -> ExchangeFailed:
    """Only a connection never made (or not made in time) proves the request did not leave."""
    never_sent = isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError)
    return ExchangeFailed(type(exc).__name__, reached=not never_sent, timed_out=isinstance(exc, TimeoutError))


_FAILURES = (aiohttp.ClientError, TimeoutError, OSError)
_NO_BODY_TYPE = ("content-type",)
"""aiohttp would label an empty body application/octet-stream; httpx sends none."""


def client_timeout(timeout: httpx.Timeout | None) -> aiohttp.ClientTimeout:
    """httpx's timeouts in aiohttp's terms: connect (DNS, TCP, TLS) and each read; no total."""
    if timeout is None:
        return aiohttp.ClientTimeout(total=None)
    return aiohttp.ClientTimeout(
        total=None, connect=timeout.connect, sock_connect=timeout.connect, sock_read=timeout.read
    )


class AiohttpExchange:
    __slots__ = ("_done", "_response", "body", "headers", "status")

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self._response = response
        self._done = False
        self.status: int = response.status
        self.headers: Mapping[str, str] = response.headers
        self.body: bytes | None = None

    async def read(self, feed: Callable[[bytes], object]) -> None:
        content = self._response.content
        try:
            while chunk := await content.readany():
                feed(chunk)
        except _FAILURES as exc:
            raise failed(exc) from None
        self._done = True

    async def aclose(self) -> None:
        if self._done:
            self._response.release()
        else:
            self._response.close()


class _Prepared:
    __slots__ = ("data", "headers", "method", "url")

    def __init__(
        self, method: str, url: yarl.URL, headers: dict[str, str], data: bytes | aiohttp.FormData | None
    ) -> None:
        self.method, self.url, self.headers, self.data = method, url, headers, data


class AiohttpEngine:
    """One ``aiohttp.ClientSession``, opened on the first call's event loop."""

    __slots__ = ("_bases", "_closed", "_proxy", "_session", "_ssl", "_timeout")

    def __init__(
        self, timeout: httpx.Timeout | None, ssl_context: ssl.SSLContext | None, base_url: str
    ) -> None:
        self._timeout = client_timeout(timeout)
        self._proxy = environment_proxy(base_url)
        self._ssl = ssl_context
        self._session: aiohttp.ClientSession | None = None
        self._bases: dict[str, str] = {}
        self._closed = False

    def closed(self) -> str | None:
        return "the Client is closed" if self._closed else None

    def bind(self, loop: object) -> None:
        if not isinstance(loop, asyncio.AbstractEventLoop):
            raise UsageError(
                "engine='aiohttp' runs on asyncio only; under trio use the default engine (httpx)"
            )

    def _base(self, url: str) -> str:
        """The URL without its query, percent-encoded once per path."""
        encoded = self._bases.get(url)
        if encoded is None:
            encoded = self._bases[url] = str(yarl.URL(url))
        return encoded

    def prepare(self, request: Request) -> _Prepared:
        headers = {"user-agent": USER_AGENT}
        headers.update(request.headers)
        data: bytes | aiohttp.FormData | None = None
        try:
            url = yarl.URL(with_query(self._base(request.url), request.params), encoded=True)
            if request.files:
                form = aiohttp.FormData(quote_fields=False)
                for name, value in (request.form or {}).items():
                    form.add_field(name, value)
                for name, (filename, content) in request.files:
                    form.add_field(name, content, filename=filename)
                data = form
            elif request.form is not None:
                data = urlencode(list(request.form.items())).encode()
                headers["content-type"] = "application/x-www-form-urlencoded"
            elif request.json is not None:
                data = json_body(request.json)
                headers[JSON_TYPE[0]] = JSON_TYPE[1]
        except (ValueError, UnicodeError) as exc:
            raise unbuildable(request, exc) from None
        return _Prepared(request.method, url, headers, data)

    def _open(self) -> aiohttp.ClientSession:
        if "_retry_connection" not in aiohttp.ClientSession.ATTRS:
            raise UsageError(
                f"aiohttp {aiohttp.__version__} may send a request again on its own, which a dial must "
                "never be: engine='aiohttp' needs an aiohttp whose re-sending it can turn off (3.10 to 3.14)"
            )
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=self._ssl or shared_ssl_context(), limit=0),
            timeout=self._timeout,
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        session._retry_connection = False  # no re-send behind the library's back: see the module's docstring
        self._session = session
        return session

    async def send(self, prepared: _Prepared) -> AiohttpExchange:
        session = self._session or self._open()
        try:
            response = await session._request(
                prepared.method,
                prepared.url,
                headers=prepared.headers,
                data=prepared.data,
                allow_redirects=False,
                proxy=self._proxy,
                skip_auto_headers=_NO_BODY_TYPE if prepared.data is None else (),
            )
        except _FAILURES as exc:
            raise failed(exc) from None
        return AiohttpExchange(response)

    async def aclose(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()
