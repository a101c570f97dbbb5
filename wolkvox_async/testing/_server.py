"""Serving an Emulator over real sockets with uvicorn, on loopback only.

uvicorn is imported here lazily, so that importing ``wolkvox_async.testing``
costs nothing to those who only use the emulator in process.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .._errors import MissingExtraError
from ._emulator import Emulator
from ._faults import ResponseDropped

if TYPE_CHECKING:
    import uvicorn

GRACEFUL_SHUTDOWN_SECONDS = 1


def loopback_host(host: str) -> str:
    """The host to bind, refusing anything a remote machine could reach."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"the emulator binds an IP address, not {host!r}") from None
    if not address.is_loopback:
        raise ValueError(f"the emulator serves loopback only, not {host}")
    return host


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, so clients told the URL may connect before uvicorn takes over."""
    host = loopback_host(host)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # Naming the protocol lets asyncio set TCP_NODELAY on accepted connections, sparing 40 ms per answer.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


def base_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def make_server(emulator: Emulator) -> uvicorn.Server:
    """Raises ``MissingExtraError`` without uvicorn (the ``testing`` extra)."""
    try:
        import uvicorn
    except ImportError as exc:
        raise MissingExtraError("serving the wolkvox emulator", "testing", "uvicorn") from exc

    config = uvicorn.Config(
        emulator,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    _hide_dropped_responses()
    return uvicorn.Server(config)


@contextlib.contextmanager
def serve_in_thread(
    emulator: Emulator, host: str = "127.0.0.1", port: int = 0, *, timeout: float = 5.0
) -> Iterator[str]:
    """Serve ``emulator`` from a background thread and yield its base URL, ``http://127.0.0.1:PORT``.

    Port 0 picks a free port. Start-up and shutdown each wait at most ``timeout`` seconds.
    Needs uvicorn (the ``testing`` extra): without it, ``MissingExtraError``.
    """
    server = make_server(emulator)
    sock = bind(host, port)
    url = base_url(sock)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"wolkvox-emulator {url}", daemon=True
    )
    thread.start()
    try:
        _wait_until(lambda: server.started or not thread.is_alive(), timeout)
        if not server.started:
            raise RuntimeError(f"the wolkvox emulator did not start on {url}")
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout)
        sock.close()


def run_server(emulator: Emulator, host: str, port: int, announce: Callable[[str], None]) -> None:
    """Serve in the foreground until Ctrl-C or SIGTERM, both of which end it cleanly."""
    server = make_server(emulator)
    sock = bind(host, port)
    announce(base_url(sock))
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()


def _wait_until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)


class _DroppedResponseFilter(logging.Filter):
    """Keep uvicorn quiet about answers the emulator breaks on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ResponseDropped))


_DROPPED_RESPONSE_FILTER = _DroppedResponseFilter()


def _hide_dropped_responses() -> None:
    logger = logging.getLogger("uvicorn.error")
    if _DROPPED_RESPONSE_FILTER not in logger.filters:
        logger.addFilter(_DROPPED_RESPONSE_FILTER)
