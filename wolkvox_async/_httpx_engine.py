"""The httpx engine: the default, lean on its own transport, faithful on a user's ``httpx.AsyncClient``.

Without an ``http_client`` the Client owns an ``httpx.AsyncHTTPTransport``
and builds each ``httpx.Request`` itself from the parts the protocol made:
httpx's ``AsyncClient`` would merge defaults, cookies and auth, parse the
URL again and wrap the stream, which is a third of the CPU a call costs
and buys nothing here. A proxy set in the environment is honoured as httpx
would. With an ``http_client``, its own ``build_request`` and ``send`` are
used, so its headers, auth, mounts and event hooks apply.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping
from typing import Any

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
from ._protocol import Request

_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def failed(exc: httpx.RequestError) -> ExchangeFailed:
    """Only a connection never made proves the request did not leave."""
    return ExchangeFailed(
        type(exc).__name__,
        reached=not isinstance(exc, _NEVER_SENT),
        timed_out=isinstance(exc, httpx.TimeoutException),
    )


def _with_json(request: Request, headers: httpx.Headers, extensions: dict[str, Any]) -> httpx.Request:
    """A request with no body or a JSON one, from parts already merged: no URL or header parsed twice."""
    content = None
    if request.json is not None:
        content = json_body(request.json)
        headers[JSON_TYPE[0]] = JSON_TYPE[1]
    return httpx.Request(
        request.method,
        with_query(request.url, request.params),
        headers=headers,
        content=content,
        extensions=extensions,
    )


class HttpxExchange:
    __slots__ = ("_response", "body", "headers", "status")

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.status: int = response.status_code
        self.headers: Mapping[str, str] = response.headers
        try:
            self.body: bytes | None = response.content  # already read: a mock or in-memory transport
        except httpx.ResponseNotRead:
            self.body = None

    async def read(self, feed: Callable[[bytes], object]) -> None:
        try:
            async for chunk in self._response.aiter_raw():
                feed(chunk)
        except httpx.RequestError as exc:
            raise failed(exc) from None

    async def aclose(self) -> None:
        await self._response.aclose()


class HttpxEngine:
    """Requests built from the protocol's parts and sent on a transport this engine owns."""

    __slots__ = ("_closed", "_extensions", "_proxy", "_ssl", "_transport")

    def __init__(self, timeout: httpx.Timeout, ssl_context: ssl.SSLContext | None, base_url: str) -> None:
        self._proxy = environment_proxy(base_url)
        self._ssl = ssl_context
        self._transport: httpx.AsyncHTTPTransport | None = None
        self._extensions = {"timeout": timeout.as_dict()}
        self._closed = False

    def _open(self) -> httpx.AsyncHTTPTransport:
        """Opened by the first call, so that making a Client costs nothing (the SSL context included)."""
        verify = self._ssl or shared_ssl_context()
        self._transport = httpx.AsyncHTTPTransport(verify=verify, proxy=self._proxy)
        return self._transport

    def closed(self) -> str | None:
        return "the Client is closed" if self._closed else None

    def bind(self, loop: object) -> None:
        """httpx runs on asyncio and trio alike."""

    def prepare(self, request: Request) -> httpx.Request:
        headers = [("user-agent", USER_AGENT), *request.headers]
        try:
            if request.files or request.form is not None:
                return httpx.Request(
                    request.method,
                    with_query(request.url, request.params),
                    headers=headers,
                    data=request.form,
                    files=list(request.files) or None,
                    extensions=self._extensions,
                )
            return _with_json(request, httpx.Headers(headers), self._extensions)
        except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
            raise unbuildable(request, exc) from None

    async def send(self, prepared: httpx.Request) -> HttpxExchange:
        try:
            transport = self._transport or self._open()
            return HttpxExchange(await transport.handle_async_request(prepared))
        except httpx.RequestError as exc:
            raise failed(exc) from None

    async def aclose(self) -> None:
        self._closed = True
        if self._transport is not None:
            await self._transport.aclose()


class HttpxClientEngine:
    """A user's ``httpx.AsyncClient``: its headers, cookies, timeout and ``send``, never its redirects."""

    __slots__ = ("_http", "_timeout")

    def __init__(self, http: httpx.AsyncClient, timeout: httpx.Timeout | None) -> None:
        self._http = http
        self._timeout: Any = timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT

    def closed(self) -> str | None:
        return "the http_client given to the Client is closed" if self._http.is_closed else None

    def bind(self, loop: object) -> None:
        """httpx runs on asyncio and trio alike."""

    def prepare(self, request: Request) -> httpx.Request:
        """Built as ``build_request`` would, without parsing the URL twice, when nothing but headers merge."""
        http = self._http
        try:
            if not (request.files or request.form is not None or http.cookies or http.params):
                headers = http.headers.copy()
                headers.update(request.headers)
                timeout = http.timeout if self._timeout is httpx.USE_CLIENT_DEFAULT else self._timeout
                return _with_json(request, headers, {"timeout": timeout.as_dict()})
            return http.build_request(
                request.method,
                request.url,
                params=request.params,
                headers=request.headers,
                json=request.json,
                data=request.form,
                files=list(request.files) or None,
                timeout=self._timeout,
            )
        except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
            raise unbuildable(request, exc) from None

    async def send(self, prepared: httpx.Request) -> HttpxExchange:
        try:
            return HttpxExchange(await self._http.send(prepared, stream=True, follow_redirects=False))
        except httpx.RequestError as exc:
            raise failed(exc) from None

    async def aclose(self) -> None:
        """The user's client is theirs to close."""
