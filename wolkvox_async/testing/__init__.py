"""An in-memory emulator of the wolkvox API v2, for testing clients without a wolkvox account.

It answers every operation of the specification (``wolkvox_async._spec``),
keeps the state users would notice (agents, skills, activity codes, campaigns
and their records, recalls, the DNC list, the quota) and generates report rows
over any date window.

In process::

    emulator = Emulator(["T"], licences=5, latency=0.01)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(emulator), base_url="http://wv") as http:
        ...

Over a real socket: ``with serve_in_thread(emulator) as url: ...``, or from a
shell: ``python -m wolkvox_async.testing serve --token T:5 --latency 10ms``.
``RedisServer`` starts a throwaway redis-server on loopback, for testing
with ``wolkvox_async.redis.RedisBackend``.
Serving needs uvicorn (the ``testing`` extra); the emulator itself does not.
Each name loads its module when first used, so that the pytest plugin, in
this package, costs little to load.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from .._lazy import attach

if TYPE_CHECKING:
    from ._activity_codes import ActivityCode
    from ._campaigns import CampaignRecord
    from ._dnc import DncRecord
    from ._emulator import BUTTONS, DEFAULT_TOKEN, DISPLAYS, OPERATIONS, Action, Emulator
    from ._faults import Fault, ResponseDropped
    from ._recalls import RecallRecord
    from ._redis import RedisServer
    from ._rows import MAX_ROWS
    from ._server import serve_in_thread
    from ._skills import SkillRecord
    from ._state import PASSWORD_SYMBOLS, AgentRecord, DialRecord, TokenStats, is_valid_password

__all__ = [
    "BUTTONS",
    "DEFAULT_TOKEN",
    "DISPLAYS",
    "MAX_ROWS",
    "OPERATIONS",
    "PASSWORD_SYMBOLS",
    "Action",
    "ActivityCode",
    "AgentRecord",
    "CampaignRecord",
    "DialRecord",
    "DncRecord",
    "Emulator",
    "Fault",
    "RecallRecord",
    "RedisServer",
    "ResponseDropped",
    "SkillRecord",
    "TokenStats",
    "is_valid_password",
    "serve_in_thread",
]

_LAZY: Final[Mapping[str, tuple[str, ...]]] = {
    "_activity_codes": ("ActivityCode",),
    "_campaigns": ("CampaignRecord",),
    "_dnc": ("DncRecord",),
    "_emulator": ("BUTTONS", "DEFAULT_TOKEN", "DISPLAYS", "OPERATIONS", "Action", "Emulator"),
    "_faults": ("Fault", "ResponseDropped"),
    "_recalls": ("RecallRecord",),
    "_redis": ("RedisServer",),
    "_rows": ("MAX_ROWS",),
    "_server": ("serve_in_thread",),
    "_skills": ("SkillRecord",),
    "_state": ("PASSWORD_SYMBOLS", "AgentRecord", "DialRecord", "TokenStats", "is_valid_password"),
}

if not TYPE_CHECKING:
    __getattr__, __dir__ = attach(__name__, _LAZY)
