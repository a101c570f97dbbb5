"""What happens to a call, for users' metrics: events passed to hooks.

``Client(event_hooks={"request": [f], "response": [g], "retry": [h], "slot_wait": [k], "window": [w],
"call": [c]})``. A hook takes one event and may be a plain function or a coroutine function.
Hooks run in the calling task, so they see its context (the current span, context variables).
Events carry no token, no password and no request body: they are safe to
log or export as they are. A hook that raises is logged and ignored: metrics
must never change a call's outcome (a dial that rang must not look failed).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Final, TypeAlias

import attrs

from ._errors import InvalidArgumentError

logger = logging.getLogger("wolkvox_async")


@attrs.frozen
class SlotWaitEvent:
    """A call got a slot of its token after waiting ``waited`` seconds (quota waits included)."""

    operation: str
    priority: str
    attempt: int
    waited: float


@attrs.frozen
class RequestEvent:
    """A call's request is about to be sent (attempt 1, 2, ...)."""

    operation: str
    priority: str
    attempt: int


@attrs.frozen
class ResponseEvent:
    """An attempt ended: an HTTP ``status``, or ``error`` naming what went wrong instead."""

    operation: str
    attempt: int
    status: int | None
    error: str | None
    elapsed: float


@attrs.frozen
class RetryEvent:
    """A call will be sent again after ``delay`` seconds: ``retry`` or ``requeue`` (concurrency)."""

    operation: str
    attempt: int
    verdict: str
    delay: float
    error: str
    reason: str


@attrs.frozen
class WindowEvent:
    """A report's window, by ``phase``: "started", "done" (with its ``rows``) or "split" (cut at the row cap).

    ``start`` and ``end`` are wolkvox's ``YYYYmmddHHiiss``, both included;
    ``windows`` is how many windows the range needs at least (its calls).
    """

    operation: str
    phase: str
    start: str
    end: str
    rows: int = 0
    windows: int = 0


@attrs.frozen
class CallEvent:
    """A call ended, after all its attempts: one per call, for spans and per-call metrics.

    ``attempts`` is how many were started (0 if none got that far);
    ``slot_wait`` the seconds they waited for slots, summed; ``status`` the
    last attempt's HTTP status, if it had one; ``error`` the class name of
    what the call raised (None: it answered), cancellation included;
    ``elapsed`` the seconds since the call began, queueing and retries
    included; ``url`` where it went, without its query. A call refused before
    it is sent (bad arguments, a closed Client, another event loop) or
    answered from the agents cache emits none.
    """

    operation: str
    priority: str
    attempts: int
    slot_wait: float
    status: int | None
    error: str | None
    elapsed: float
    url: str


Event: TypeAlias = SlotWaitEvent | RequestEvent | ResponseEvent | RetryEvent | WindowEvent | CallEvent
Hook: TypeAlias = Callable[[Event], Awaitable[None] | None]
EVENT_NAMES: Final = ("slot_wait", "request", "response", "retry", "window", "call")


@attrs.frozen
class Hooks:
    """The hooks of one Client, by event name."""

    slot_wait: tuple[Hook, ...] = ()
    request: tuple[Hook, ...] = ()
    response: tuple[Hook, ...] = ()
    retry: tuple[Hook, ...] = ()
    window: tuple[Hook, ...] = ()
    call: tuple[Hook, ...] = ()

    @classmethod
    def from_mapping(cls, hooks: Mapping[str, Iterable[Hook]] | None) -> Hooks:
        if not hooks:
            return cls()
        unknown = set(hooks) - set(EVENT_NAMES)
        if unknown:
            raise InvalidArgumentError(
                f"unknown event hook names {sorted(unknown)}; use {', '.join(EVENT_NAMES)}"
            )
        chosen: dict[str, tuple[Hook, ...]] = {}
        for name, functions in hooks.items():
            chosen[name] = tuple(functions)
            if not all(callable(f) for f in chosen[name]):
                raise InvalidArgumentError(f"event_hooks[{name!r}] must hold callables")
        return cls(**chosen)

    async def emit(self, hooks: tuple[Hook, ...], event: Event) -> None:
        for hook in hooks:
            try:
                result = hook(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.warning(
                    "event hook %s raised on %s; ignored", getattr(hook, "__qualname__", hook),
                    type(event).__name__, exc_info=True,
                )  # fmt: skip
