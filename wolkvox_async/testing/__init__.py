"""An in-memory emulator of the wolkvox API v2, for testing clients without a wolkvox account.

In process::

    emulator = Emulator(["T"], licences=5, latency=0.01)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(emulator), base_url="http://wv") as http:
        ...

Over a real socket: ``with serve_in_thread(emulator) as url: ...``, or from a
shell: ``python -m wolkvox_async.testing serve --token T:5 --latency 10ms``.
``RedisServer`` starts a throwaway redis-server on loopback, for testing
with ``wolkvox_async.redis.RedisBackend``.
Serving needs uvicorn (the ``testing`` extra); the emulator itself does not.
"""

from ._emulator import BUTTONS, DEFAULT_TOKEN, DISPLAYS, OPERATIONS, Action, Emulator
from ._faults import Fault, ResponseDropped
from ._redis import RedisServer
from ._server import serve_in_thread
from ._state import PASSWORD_SYMBOLS, AgentRecord, DialRecord, TokenStats, is_valid_password

__all__ = [
    "BUTTONS",
    "DEFAULT_TOKEN",
    "DISPLAYS",
    "OPERATIONS",
    "PASSWORD_SYMBOLS",
    "Action",
    "AgentRecord",
    "DialRecord",
    "Emulator",
    "Fault",
    "RedisServer",
    "ResponseDropped",
    "TokenStats",
    "is_valid_password",
    "serve_in_thread",
]
