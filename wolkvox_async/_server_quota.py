"""The quota as the server counts it: ``information.token_info`` read once a quota day.

Counting from zero at every start is wrong for a CLI run, a restarted
worker or a token another tool also uses; the server knows its limit
(``token_limit``) and today's use (``token_use_today``). With
``licences="auto"`` the limit comes from there, read before the first call
of each quota day that costs quota; today's use is taken whenever it is
higher than the local count (the count errs high, never low).
``token_info`` itself costs one call, as its page says.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import date
from typing import TYPE_CHECKING, Final

import anyio
import attrs

from . import _quota
from ._errors import WolkvoxError
from ._models import QuotaSnapshot
from ._transport import Transport

if TYPE_CHECKING:
    from ._records import TokenInfo

logger = logging.getLogger("wolkvox_async")

_reading: Final[ContextVar[bool]] = ContextVar("wolkvox_async_reading_token_info", default=False)
"""Set while token_info is being read, so that its own call does not wait for itself."""


def whole(value: str) -> int | None:
    try:
        number = int(value.strip().replace(",", "").replace(".", ""))
    except ValueError:
        return None
    return number if number >= 0 else None


class ServerQuota:
    __slots__ = ("_day", "_lock", "_read", "_transport", "limit_from_server")

    def __init__(
        self, transport: Transport, read: Callable[[], Awaitable[TokenInfo]], *, limit_from_server: bool
    ) -> None:
        self._transport = transport
        self._read = read
        self.limit_from_server = limit_from_server
        self._day: date | None = None
        self._lock = anyio.Lock()

    async def before_counting(self) -> None:
        """Read the server's count first if this quota day has not been read yet (once, for all callers)."""
        if _reading.get() or self._day == self._transport.policy.day(_quota.now()):
            return
        async with self._lock:
            today = self._transport.policy.day(_quota.now())
            if self._day == today:
                return
            try:
                await self.sync()
            except WolkvoxError as exc:
                self._day = today  # not again before tomorrow: the server's own refusals still hold
                logger.warning(
                    "the quota could not be read from the server (%s); counting from here", type(exc).__name__
                )

    async def sync(self) -> QuotaSnapshot:
        """Read ``token_info`` now and take its limit (when from the server) and today's use."""
        reading = _reading.set(True)
        try:
            info = await self._read()
        finally:
            _reading.reset(reading)
        transport, now = self._transport, _quota.now()
        limit, used = whole(info.token_limit), whole(info.token_use_today)
        if self.limit_from_server and limit is not None:
            transport.policy = attrs.evolve(transport.policy, limit=limit)
        if used is not None:
            await transport.scheduler.raise_quota(transport.policy, now, used)
        self._day = transport.policy.day(now)
        return await transport.scheduler.fetch_quota(transport.policy, now)
