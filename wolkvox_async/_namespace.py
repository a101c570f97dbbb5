"""What every namespace of the Client shares: how a generated method hands its operation down.

The methods themselves are generated from the specification (``_api``); each
names its operation and its arguments and picks one of the helpers below by
the kind of its result, so that mypy sees exact types without a cast. A record
model's type is the annotation of the variable its answer is given to, so that
the generated classes (``_records``) load with the first answer that needs them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypedDict

from ._converter import record
from ._models import Acknowledgement, Priority
from ._protocol import Build, as_row
from ._spec import Operation

if TYPE_CHECKING:
    from ._client import Client

Row = Mapping[str, Any]
"""A record of a report (and the like) as wolkvox sent it: its wire field names, read-only."""


class CallOptions(TypedDict, total=False):
    """What any call may change for itself: its lane, its waits and its retries."""

    priority: Priority | str
    queue_timeout: float | None
    deadline: float | None
    max_retries: int


class Perform(Protocol):
    def __call__(
        self, operation: Operation, arguments: Mapping[str, object], options: CallOptions, make: Build
    ) -> Awaitable[Any]: ...


class Namespace:
    """One script of the API (``client.reports``, ``client.agentbox``, ...)."""

    __slots__ = ("_client", "_perform")

    def __init__(self, client: Client, perform: Perform) -> None:
        self._client = client
        self._perform = perform

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    async def _ack(
        self, operation: Operation, arguments: Mapping[str, object], options: CallOptions
    ) -> Acknowledgement:
        answer: Acknowledgement = await self._perform(operation, arguments, options, as_row)
        return answer

    async def _row(self, operation: Operation, arguments: Mapping[str, object], options: CallOptions) -> Row:
        answer: Row = await self._perform(operation, arguments, options, as_row)
        return answer

    async def _rows(
        self, operation: Operation, arguments: Mapping[str, object], options: CallOptions
    ) -> tuple[Row, ...]:
        answer: tuple[Row, ...] = await self._perform(operation, arguments, options, as_row)
        return answer

    async def _model(
        self, operation: Operation, arguments: Mapping[str, object], options: CallOptions
    ) -> Any:
        """The record model(s) the spec names (``operation.result.model``); the caller's annotation types it."""
        return await self._perform(operation, arguments, options, _maker(operation.result.model or ""))


_makers: dict[str, Callable[[Mapping[str, Any]], Any]] = {}


def _maker(name: str) -> Callable[[Mapping[str, Any]], Any]:
    made = _makers.get(name)
    if made is None:
        from ._records import MODELS  # the generated classes load with the first answer that needs them

        model = MODELS[name]

        def made(row: Mapping[str, Any]) -> Any:
            return record(model, row)

        _makers[name] = made
    return made
