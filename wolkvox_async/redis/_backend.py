"""``RedisBackend``: a token's slots, lanes and quota shared by every process and host that uses it."""

from __future__ import annotations

import asyncio
import math
import threading
import weakref
from types import TracebackType
from urllib.parse import urlsplit

from redis.exceptions import RedisError

from .._errors import BackendError, InvalidArgumentError
from .._redact import Redactor
from .._urls import url_secrets
from ._node import Node, connection_pool
from ._scheduler import RedisScheduler


def _seconds(value: object, name: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidArgumentError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


class RedisBackend:
    """Keeps each token's slots, lanes and daily count in Redis, for many processes and hosts.

    ``Client(..., backend=RedisBackend("redis://127.0.0.1:6379/0"))``. Every
    process that uses a token should use the same Redis, ``prefix`` and
    ``concurrency``. A slot is a **lease** that expires ``lease`` seconds
    after its holder's last heartbeat (every ``heartbeat`` seconds while it
    runs): longer than a call's deadline (60 s by default), so a slow call
    never loses its slot, and a process that dies gives its slots back
    within ``lease`` seconds. ``timeout`` bounds each Redis command;
    ``max_connections`` each event loop's connections.

    Runs on asyncio (redis-py's asyncio client); use one backend for the
    whole process and ``await backend.aclose()`` (or ``async with``) at the
    end of each event loop that used it.
    """

    __slots__ = (
        "__weakref__",
        "_lock",
        "_nodes",
        "_redactor",
        "_schedulers",
        "fence",
        "heartbeat",
        "lease",
        "max_connections",
        "node_ttl",
        "prefix",
        "timeout",
        "url",
    )

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        prefix: str = "wolkvox",
        lease: float = 90.0,
        heartbeat: float = 1.0,
        timeout: float = 5.0,
        max_connections: int = 32,
    ) -> None:
        if not isinstance(url, str):
            raise InvalidArgumentError(f"url must be a string, got {type(url).__name__}")
        self._redactor = Redactor(url_secrets(url))
        if not isinstance(prefix, str) or not prefix or any(c.isspace() for c in prefix):
            raise InvalidArgumentError(f"prefix must be a non-empty word, got {prefix!r}")
        if isinstance(max_connections, bool) or not isinstance(max_connections, int) or max_connections < 2:
            raise InvalidArgumentError(f"max_connections must be an int >= 2, got {max_connections!r}")
        self.url = url
        self.prefix = prefix
        self.lease = _seconds(lease, "lease")
        self.heartbeat = _seconds(heartbeat, "heartbeat")
        self.timeout = _seconds(timeout, "timeout")
        self.max_connections = max_connections
        if self.lease <= 3 * self.heartbeat:
            raise InvalidArgumentError("lease must be longer than 3 heartbeats, or live calls would lose it")
        self.node_ttl = 3 * self.heartbeat
        """A node that has not been heard of for this long is taken for dead: its waiters are skipped."""
        self.fence = 3 * self.heartbeat
        """After Redis lost a token's state, no grant for this long, while live nodes put their leases back."""
        self._check_url()
        self._lock = threading.Lock()
        self._nodes: dict[asyncio.AbstractEventLoop, Node] = {}
        self._schedulers: weakref.WeakValueDictionary[str, RedisScheduler] = weakref.WeakValueDictionary()

    def __repr__(self) -> str:
        return (
            f"RedisBackend({self.masked(self.url)!r}, prefix={self.prefix!r}, lease={self.lease}, "
            f"heartbeat={self.heartbeat})"
        )

    def masked(self, text: str) -> str:
        """``text`` without the URL's secrets: its password, in the userinfo or the query."""
        return self._redactor.text(text)

    def _check_url(self) -> None:
        """Refuse now a URL redis-py would refuse at the first call, or in the middle of one.

        redis-py reads the URL's query into keyword arguments of its connections, so a
        connection is made (not connected) as a node would make it.
        """
        shown = repr(self.masked(self.url))
        try:
            parts = urlsplit(self.url)
            parts.port  # noqa: B018 - raises for a port that is not one
        except ValueError as exc:
            raise InvalidArgumentError(f"url {shown} is not a valid URL: {self.masked(str(exc))}") from None
        if parts.scheme not in ("redis", "rediss", "unix"):
            raise InvalidArgumentError(f"url must be a redis://, rediss:// or unix:// URL, got {shown}")
        if parts.scheme == "unix" and not parts.path:
            raise InvalidArgumentError(f"url {shown} names no socket: unix:///path/to/redis.sock")
        try:
            pool = connection_pool(self)
            pool.connection_class(**pool.connection_kwargs)
        except (ValueError, TypeError, RedisError) as exc:
            raise InvalidArgumentError(
                f"url {shown} is refused by redis-py: {self.masked(str(exc))}"
            ) from None

    def scheduler(self, key: str, limit: int, max_queue: int | None = None) -> RedisScheduler:
        with self._lock:
            scheduler = self._schedulers.get(key)
            if scheduler is None:
                scheduler = self._schedulers[key] = RedisScheduler(self, key, limit, max_queue)
        scheduler.limit, scheduler.max_queue = limit, max_queue
        return scheduler

    def node(self, operation: str | None = None) -> Node:
        """This event loop's node, made on first use."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise BackendError(
                "RedisBackend runs on asyncio only (redis-py's asyncio client), not on trio",
                operation=operation,
            ) from None
        node = self._nodes.get(loop)
        if node is None:
            with self._lock:
                for closed in [old for old in self._nodes if old.is_closed()]:
                    del self._nodes[closed]  # a finished asyncio.run that did not aclose()
                node = self._nodes.get(loop)
                if node is None:
                    node = self._nodes[loop] = Node(self, loop)
        return node

    async def aclose(self) -> None:
        """Close this event loop's connections; the next call opens new ones."""
        loop = asyncio.get_running_loop()
        with self._lock:
            node = self._nodes.pop(loop, None)
        if node is not None:
            await node.aclose()

    async def __aenter__(self) -> RedisBackend:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
