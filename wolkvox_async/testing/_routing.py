"""Which operation of the specification a request names, found by its path and ``api=`` as wolkvox's scripts do."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from .._spec import OPERATIONS, Operation

FIRST_OPERATIONS: Final = frozenset(
    {
        ("configuration.php", "create_agent"),
        ("configuration.php", "enable_agent"),
        ("information.php", "agents"),
        ("agentbox.php", "dial"),
        ("agentbox.php", "agent_display"),
    }
)
"""The five operations the emulator began with: their handlers and stats keys stay as they were."""


def is_first(op: Operation) -> bool:
    return (op.script, op.api) in FIRST_OPERATIONS


def stats_key(op: Operation) -> str:
    """How stats, faults and logs name an operation: the five first by ``api=``, every other by spec name."""
    return op.api if is_first(op) else op.name


class Routes:
    """The operations by ``(path, api)``; one with a path of its own (ListenVox) answers there whatever the api."""

    def __init__(self, operations: Iterable[Operation] = OPERATIONS) -> None:
        self._by_api: dict[tuple[str, str], Operation] = {}
        self._by_path: dict[str, Operation] = {}
        for op in operations:
            if op.path:
                self._by_path[op.path] = op
            else:
                self._by_api[op.url_path, op.api] = op
        self.paths: frozenset[str] = frozenset(self._by_path) | {path for path, _ in self._by_api}
        self.by_name: Mapping[str, Operation] = {
            op.name: op for op in (*self._by_api.values(), *self._by_path.values())
        }

    def find(self, path: str, api: str) -> Operation | None:
        return self._by_path.get(path) or self._by_api.get((path, api))
