"""The job engine: many calls through one token, journaled, resumable, safe to interrupt.

A job is a list of items; each becomes one call, or shares one with others (a
batch of campaign records). For each call the journal gets its intent
("sending", with the items it carries) before it is sent and its outcome
("done", "failed", "unknown") after, durably. Run the job again with the same
journal and:

- items the journal holds as done are skipped (``ALREADY_DONE``);
- items sent without an outcome (the process died, the answer was lost) are
  uncertain. An idempotent call is simply sent again. Otherwise the job looks
  them up where the API offers a way (``reconcile``) once wolkvox can no
  longer be running them (60 s after they were sent: ``SETTLE``); found, they
  are done, absent, they are sent again. With no way to look, they are
  ``UNKNOWN``, to be checked by hand: never sent twice, never dropped;
- the rest is sent.

Cancellation (Ctrl-C, SIGTERM, a cancelled task) stops the job from taking
new items; the calls already journaled as being sent finish within their
deadline (shielded, at most ``IN_FLIGHT``) and their outcomes are journaled:
no answer the server gave is lost.
"""

from __future__ import annotations

import contextlib
import enum
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

import anyio
import attrs

from ._errors import (
    InsufficientQuotaError,
    MaintenanceError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    WolkvoxError,
    unwrapped,
)
from ._journal import Journal, now, sent_at

SETTLE: Final = timedelta(seconds=61)
"""Wolkvox runs a call for up to 60 s: a lookup that does not find a call's effect is trusted only after."""

IN_FLIGHT: Final = 75.0
"""How long calls already sent may finish after the job is cancelled: their 60 s deadline, and a margin."""


class ItemOutcome(enum.Enum):
    DONE = "done"
    """Done by this run."""
    ALREADY_DONE = "already_done"
    """Done by an earlier run of this journal, or found done at the server: skipped."""
    FAILED = "failed"
    """Not done; ``detail`` says why. Running the job again tries it again."""
    UNKNOWN = "unknown"
    """It may have been done and nothing can tell: check by hand. Never sent again by the job."""


@attrs.frozen
class ItemResult:
    index: int
    """The item's place in the job's input, from 0."""
    key: str
    outcome: ItemOutcome
    detail: str | None = None
    answer: Mapping[str, Any] = attrs.field(factory=dict)
    """What the server answered of it, where it says (a message's ``conn_id``)."""


@attrs.frozen
class JobReport:
    job: str
    results: tuple[ItemResult, ...]
    journal: Path
    elapsed: float
    calls: int = 0
    """Calls this run made, lookups included."""

    def count(self, outcome: ItemOutcome) -> int:
        return sum(result.outcome is outcome for result in self.results)

    @property
    def complete(self) -> bool:
        """Every item is done."""
        return all(r.outcome in (ItemOutcome.DONE, ItemOutcome.ALREADY_DONE) for r in self.results)

    @property
    def needs_check(self) -> bool:
        """Some item may or may not have been done: check those by hand."""
        return any(r.outcome is ItemOutcome.UNKNOWN for r in self.results)


Call = Callable[[list[int]], Awaitable[Mapping[str, Any] | None]]
"""Send the items (indices) as one call; the answer's words to keep, or None. Raises the library's errors.

It may return ``{"_done": [indices]}`` when the answer says only some were done."""

Reconcile = Callable[[list[int]], Awaitable[set[int]]]
"""Look uncertain items up at the server: the indices found done (one call or a few, not one per item)."""


@attrs.frozen
class Plan:
    """A job as the engine runs it."""

    name: str
    keys: Sequence[str]
    """Each item's identity in the journal: stable across runs of the same input."""
    call: Call
    batch: int = 1
    """Items per call."""
    idempotent: bool = False
    reconcile: Reconcile | None = None
    lookups: int = 1
    """Calls one reconciliation costs at least (for the quota check)."""
    workers: int = 4
    """Calls worked on at once: more than the token's 2 places, so a place never idles while a call's
    journal entries are written; the token's own limit applies underneath."""
    settle: timedelta = SETTLE
    """How long after a call was sent a lookup that misses it is trusted (shorter only in tests)."""


@attrs.define
class _State:
    sending_at: datetime | None = None
    outcome: str | None = None
    detail: str | None = None


class Engine:
    """Runs a ``Plan`` against a client's quota, writing its journal."""

    def __init__(self, plan: Plan, journal: Journal, known_quota: Callable[[], Awaitable[Any]]) -> None:
        self.plan = plan
        self.journal = journal
        self._known_quota = known_quota
        self._results: dict[int, ItemResult] = {}
        self._on_result: Callable[[ItemResult], object] | None = None
        self.calls = 0

    def _read(self) -> dict[int, _State]:
        index = {key: i for i, key in enumerate(self.plan.keys)}
        states: dict[int, _State] = {}
        for entry in self.journal.entries():
            items = entry.get("items") or [entry["key"]]
            for key in items:
                position = index.get(str(key))
                if position is None:
                    continue
                state = states.setdefault(position, _State())
                event = entry.get("event")
                if event == "sending":
                    state.sending_at, state.outcome = sent_at(entry), None
                elif event in ("done", "failed", "unknown"):
                    state.outcome, state.detail = str(event), entry.get("detail")
        return states

    def _finish(
        self, index: int, outcome: ItemOutcome, detail: str | None = None, answer: Any = None
    ) -> None:
        result = ItemResult(index, self.plan.keys[index], outcome, detail, dict(answer or {}))
        self._results[index] = result
        if self._on_result is not None:
            self._on_result(result)

    async def run(self, on_result: Callable[[ItemResult], object] | None = None) -> JobReport:
        started = time.monotonic()
        self._on_result = on_result
        plan, states = self.plan, self._read()
        pending: list[int] = []
        uncertain: list[int] = []
        for index in range(len(plan.keys)):
            state = states.get(index)
            if state is None or state.outcome == "failed":
                pending.append(index)
            elif state.outcome == "done":
                self._finish(index, ItemOutcome.ALREADY_DONE, state.detail)
            elif state.outcome == "unknown" and plan.reconcile is None:
                self._finish(index, ItemOutcome.UNKNOWN, state.detail)
            elif plan.idempotent:
                pending.append(index)
            else:
                uncertain.append(index)
        calls = -(-len(pending) // plan.batch) + (plan.lookups if uncertain else 0)
        await self._check_quota(calls)
        if uncertain:
            sent = [moment for i in uncertain if (moment := states[i].sending_at) is not None]
            pending += await self._reconcile(uncertain, max(sent, default=now()), ItemOutcome.ALREADY_DONE)
            pending.sort()
        lost, partial = await self._send(pending)
        if lost or partial:
            again = await self._reconcile(lost + partial, now() if lost else None, ItemOutcome.DONE)
            for index in again:
                self._finish(
                    index, ItemOutcome.FAILED, "not done: wolkvox has no trace of it; run the job again"
                )
                await self.journal.write("failed", plan.keys[index], detail="not found after a lost answer")
        results = tuple(self._results[i] for i in range(len(plan.keys)) if i in self._results)
        return JobReport(plan.name, results, self.journal.path, time.monotonic() - started, self.calls)

    async def _check_quota(self, calls: int) -> None:
        snapshot = await self._known_quota()
        if snapshot.remaining is not None and calls > snapshot.remaining:
            raise InsufficientQuotaError(
                calls,
                snapshot.remaining,
                snapshot.resets_at,
                operation=self.plan.name,
                hint="nothing was sent",
            )

    async def _reconcile(
        self, indices: list[int], last_sent: datetime | None, found_as: ItemOutcome
    ) -> list[int]:
        """Settle uncertain items: ``found_as`` where found, UNKNOWN where nothing can tell; the rest to send again."""
        plan = self.plan
        if plan.reconcile is None:
            for index in indices:
                self._finish(index, ItemOutcome.UNKNOWN, "sent, and its outcome is unknown: check by hand")
                await self.journal.write("unknown", plan.keys[index], detail="outcome unknown")
            return []
        await settled(last_sent, plan.settle)
        try:
            found = await plan.reconcile(indices)
        except WolkvoxError as exc:
            for index in indices:
                self._finish(
                    index,
                    ItemOutcome.UNKNOWN,
                    f"could not be looked up ({type(exc).__name__}): check by hand",
                )
            return []
        finally:
            self.calls += plan.lookups
        again = []
        for index in indices:
            if index in found:
                self._finish(index, found_as, "found done at the server")
                await self.journal.write("done", plan.keys[index], detail="found done at the server")
            else:
                again.append(index)
        return again

    async def _send(self, pending: list[int]) -> tuple[list[int], list[int]]:
        """Send the pending items in batches, ``workers`` calls at once.

        Answers the items whose answer was lost, and those a call answered
        without saying they were done (a batch only partly taken).
        """
        plan = self.plan
        batches = [pending[start : start + plan.batch] for start in range(0, len(pending), plan.batch)]
        limiter = anyio.CapacityLimiter(max(1, plan.workers))
        lost: list[int] = []
        partial: list[int] = []

        async def one(batch: list[int]) -> None:
            async with limiter, self.in_flight():
                keys = [plan.keys[i] for i in batch]
                await self.journal.write("sending", keys[0], items=keys if len(keys) > 1 else None)
                self.calls += 1
                try:
                    answer = await plan.call(batch)
                except WolkvoxError as exc:
                    if not plan.idempotent and may_have_acted(exc):
                        (lost if may_still_be_running(exc) else partial).extend(batch)
                        return
                    detail = f"{type(exc).__name__}: {exc}"
                    await self.journal.write(
                        "failed", keys[0], items=keys if len(keys) > 1 else None, detail=detail
                    )
                    for index in batch:
                        self._finish(index, ItemOutcome.FAILED, detail)
                    return
                done = set((answer or {}).get("_done", batch))
                kept = {k: v for k, v in (answer or {}).items() if k != "_done"}
                done_keys = [plan.keys[i] for i in batch if i in done]
                if done_keys:
                    await self.journal.write(
                        "done", done_keys[0], items=done_keys if len(done_keys) > 1 else None, **kept
                    )
                for index in batch:
                    if index in done:
                        self._finish(index, ItemOutcome.DONE, None, kept)
                    else:
                        partial.append(index)

        try:
            async with anyio.create_task_group() as group:
                for batch in batches:
                    group.start_soon(one, batch)
        except BaseExceptionGroup as group_error:
            raise unwrapped(group_error) from None
        return sorted(lost), sorted(partial)

    def in_flight(self) -> contextlib.AbstractAsyncContextManager[None]:
        return in_flight()


@contextlib.asynccontextmanager
async def in_flight() -> AsyncIterator[None]:
    """A call being sent: it finishes, and its outcome is journaled, even if the job is cancelled."""
    with anyio.CancelScope(shield=True) as scope:
        scope.deadline = anyio.current_time() + IN_FLIGHT
        yield


async def settled(last_sent: datetime | None, settle: timedelta = SETTLE) -> None:
    """Wait until wolkvox can no longer be running a call sent at ``last_sent``."""
    if last_sent is not None:
        wait = (last_sent + settle - now()).total_seconds()
        if wait > 0:
            await anyio.sleep(wait)


def may_have_acted(error: WolkvoxError) -> bool:
    """Whether a call that failed so may still have done its work at the server.

    A lost answer, an answer that cannot be read, a 5xx or an unexplained
    403 after the request left: the server may have acted. A refusal
    (400, 401, 404, quota, concurrency) or a request that never left: it did not.
    """
    if isinstance(error, TransportError):
        return error.may_have_reached_server
    return isinstance(error, UnexpectedResponseError | ServerError | MaintenanceError)


def may_still_be_running(error: WolkvoxError) -> bool:
    """Whether wolkvox may still be running a call that failed so, so a lookup must wait :data:`SETTLE`.

    No answer, or a gateway's 502/504 (the gateway gave up, not wolkvox): it
    may be. Any other answer comes from wolkvox once it is done with the call.
    """
    if isinstance(error, TransportError):
        return error.may_have_reached_server
    return isinstance(error, ServerError) and error.status in (502, 504)


def unique_keys(keys: Iterable[str]) -> list[str]:
    """Keys made unique by their order among equal ones (``#2``, ``#3``): a repeated item is its own item."""
    seen: dict[str, int] = {}
    unique = []
    for key in keys:
        seen[key] = seen.get(key, 0) + 1
        unique.append(key if seen[key] == 1 else f"{key} #{seen[key]}")
    return unique
