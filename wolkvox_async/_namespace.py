"""What every namespace of the Client shares: how a generated method hands its operation down.

The methods themselves are generated from the specification (``_api``); each
is one line that names its operation and its arguments and picks one of the
helpers below by the kind of its result, so that mypy sees exact types without
a cast.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, TypeVar

from ._converter import record
from ._models import Acknowledgement, Priority
from ._protocol import Build, as_row
from ._spec import Operation

if TYPE_CHECKING:
    from ._client import Client

T = TypeVar("T")

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

    async def _record(
        self, operation: Operation, arguments: Mapping[str, object], options: CallOptions, model: type[T]
    ) -> T:
        answer: T = await self._perform(operation, arguments, options, _maker(model))
        return answer

    async def _records(
        self, operation: Operation, arguments: Mapping[str, object], options: CallOptions, model: type[T]
    ) -> tuple[T, ...]:
        answer: tuple[T, ...] = await self._perform(operation, arguments, options, _maker(model))
        return answer


_makers: dict[type[Any], Callable[[Mapping[str, Any]], Any]] = {}


def _maker(model: type[T]) -> Callable[[Mapping[str, Any]], T]:
    made = _makers.get(model)
    if made is None:

        def made(row: Mapping[str, Any]) -> T:
            return record(model, row)

        _makers[model] = made
    return made
