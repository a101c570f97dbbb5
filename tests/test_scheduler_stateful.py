"""The per-token scheduler against a model of itself, under random interleavings.

A hypothesis state machine drives real calls (tasks that ``acquire``, hold a
slot until told, then ``release``) on an event loop of its own, and runs a
model of the scheduler's rules beside them: a slot is handed straight to the
next waiter, interactive first but every fifth slot to bulk while both lanes
wait, first come first served within a lane, ``front`` to the head of it.

Actions only schedule work (a task's first step, an event set, a
cancellation); ``step`` then runs the loop until nothing is left to run. The
loop runs callbacks first in, first out, so the model applies the same
actions in the same order, and a cancellation that races a hand-over (the
waiter cancelled before the slot is handed to it, or after but before it
resumed) is modelled exactly. The loop's clock moves only when
``let_time_pass`` says, so a queue deadline expires exactly then and the
model knows which ones did.

Every slot handed to a waiter is recorded at that moment (by wrapping the
scheduler's waiters), not when the task resumes: a call that takes a free slot
without waiting returns before an earlier-woken task resumes, so resume order
is not grant order. Resume order is checked to be grant order among the woken.
"""

from __future__ import annotations

import asyncio
import contextvars
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import anyio
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

import wolkvox_async as wv
from wolkvox_async import Priority, _scheduler
from wolkvox_async._backend import BULK_SHARE
from wolkvox_async._memory import MemoryBackend
from wolkvox_async._scheduler import TokenScheduler
from wolkvox_async._waiter import Waiter, new_waiter

I, B = Priority.INTERACTIVE, Priority.BULK  # noqa: E741 (as in test_scheduler.py)

TICK: Final = 2.0**-10
"""About a millisecond, and exact in binary: clock sums and deadlines compare without rounding."""


class ManualClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose clock moves only when the test moves it.

    Timers (the scheduler's one deadline timer per loop) fire on the loop's own
    ``time()``, so they fire exactly when the test advances the clock past them.
    The loop is only ever run with callbacks ready, so it never waits on the clock.
    """

    def __init__(self) -> None:
        super().__init__()
        self.clock = 1.0

    def time(self) -> float:
        return self.clock


class Status(enum.Enum):
    PENDING = "pending"  # its task has not run yet
    WAITING = "waiting"  # parked in the scheduler
    HOLDING = "holding"
    RELEASED = "released"  # held a slot and gave it back (done, or cancelled while holding)
    EXPIRED = "expired"  # QueueTimeoutError
    CANCELLED = "cancelled"  # cancelled before it held a slot (waiting, or handed one but not resumed)


@dataclass(eq=False)
class Call:
    n: int  # arrival order
    priority: Priority
    timeout: float | None
    front: bool
    try_first: bool  # try_acquire() first, as the transport does
    done: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    # what happened, written by the call's task and the recording waiter
    status: Status = Status.PENDING
    queued: bool = False  # it waited (the scheduler made it a waiter)
    held: bool = False  # acquire() returned
    # what the model expects
    expect: Status = Status.PENDING
    deadline: float | None = None
    handed: bool = False  # the model handed it a slot

    def __repr__(self) -> str:
        extra = "".join(
            [
                " front" if self.front else "",
                " try-first" if self.try_first else "",
                f" timeout={self.timeout / TICK:g}t" if self.timeout is not None else "",
            ]
        )
        return f"<#{self.n} {self.priority.name.lower()}{extra}>"


# ------------------------------------------------------------------ grant-time recording

_RECORDING: contextvars.ContextVar[tuple[Call, list[Call]]] = contextvars.ContextVar("_RECORDING")


class RecordingWaiter:
    """The scheduler's own waiter, noting the moment it is handed a slot."""

    __slots__ = ("_call", "_inner", "_log")

    def __init__(self, inner: Waiter, call: Call, log: list[Call]) -> None:
        self._inner, self._call, self._log = inner, call, log

    @property
    def granted(self) -> bool:
        return self._inner.granted

    @granted.setter
    def granted(self, value: bool) -> None:
        self._inner.granted = value

    @property
    def cancelled(self) -> bool:
        return self._inner.cancelled

    @cancelled.setter
    def cancelled(self, value: bool) -> None:
        self._inner.cancelled = value

    def wake(self) -> bool:
        if self._inner.granted:  # a hand-over (an expiry wakes it ungranted)
            self._log.append(self._call)
        return self._inner.wake()

    async def wait(self, expires_in: float | None, on_expiry: Callable[[], None]) -> None:
        await self._inner.wait(expires_in, on_expiry)


def recording_new_waiter() -> Waiter:
    waiter = new_waiter()
    recording = _RECORDING.get(None)
    if recording is None:
        return waiter
    call, log = recording
    call.queued = True
    return RecordingWaiter(waiter, call, log)


# ------------------------------------------------------------------ the machine


class Action(enum.Enum):
    ARRIVE = "arrive"  # the call's task takes its first step: acquire()
    RELEASE = "release"  # a holder's task resumes (done or cancelled) and releases
    ABANDON = "abandon"  # a waiter's task resumes cancelled


priorities = st.sampled_from([I, B])
timeouts = st.none() | st.integers(min_value=1, max_value=3)  # in ticks
rarely = st.integers(min_value=0, max_value=7).map(lambda n: n == 7)
picks = st.integers(min_value=0, max_value=63)


class SchedulerMachine(RuleBasedStateMachine):
    sched: TokenScheduler

    def __init__(self) -> None:
        super().__init__()
        self.loop = ManualClockLoop()
        self.backend = MemoryBackend()
        self.started = False
        self.healthy = True  # False from the start of a rule until the invariants pass
        self.limit = 0
        self.raised = False
        self.calls: list[Call] = []
        self.pending: list[tuple[Action, Call]] = []  # scheduled on the loop, not yet run
        # the model
        self.lanes: dict[Priority, list[Call]] = {I: [], B: []}
        self.streak = 0  # interactive grants in a row while bulk waited
        self.slots = 0  # slots in use: holders, and calls handed a slot that have not resumed
        self.expected: list[tuple[Call, str]] = []  # every expected grant, and why
        # what happened
        self.grants: list[Call] = []  # in grant order: hand-overs as handed, free slots as taken
        self.resumed: list[Call] = []  # waiters, in the order their acquire() returned

    # -------------------------------------------------------------- running the loop

    def _spin(self, iterations: int = 8) -> None:
        async def spin() -> None:
            for _ in range(iterations):
                await asyncio.sleep(0)

        self.loop.run_until_complete(spin())

    def _one_iteration(self) -> None:
        """Run what is ready now, not what that makes ready."""
        self.loop.call_soon(self.loop.stop)
        self.loop.run_forever()

    async def _run(self, call: Call) -> None:
        _RECORDING.set((call, self.grants))
        call.status = Status.WAITING
        try:
            if not (call.try_first and self.sched.try_acquire()):
                await self.sched.acquire(call.priority, call.timeout, front=call.front)
        except wv.QueueTimeoutError:
            call.status = Status.EXPIRED
            return
        except asyncio.CancelledError:
            call.status = Status.CANCELLED
            raise
        call.held = True
        call.status = Status.HOLDING
        (self.resumed if call.queued else self.grants).append(call)
        try:
            await call.done.wait()
        finally:
            call.status = Status.RELEASED
            self.sched.release()

    def _step(self) -> None:
        """Run the loop until nothing is ready, and the model through the same actions in order."""
        self._spin()
        for action, call in self.pending:
            if action is Action.ARRIVE:
                self._model_arrive(call)
            elif action is Action.RELEASE:
                call.expect = Status.RELEASED
                self._model_release()
            else:
                self._model_abandon(call)
        self.pending.clear()
        self._model_expire()  # the deadline timer runs after what was ready before it
        self._check()

    # -------------------------------------------------------------- the model

    def _model_next(self) -> Call | None:
        """BULK_SHARE: while both lanes wait, at most that many interactive grants in a row, then bulk.

        The count is of grants, as the scheduler keeps it: a bulk grant, an
        interactive one while no bulk call waits, or a bulk lane emptied by
        expiry or cancellation resets it.
        """
        interactive, bulk = self.lanes[I], self.lanes[B]
        if interactive and bulk:
            return bulk[0] if self.streak >= BULK_SHARE else interactive[0]
        return interactive[0] if interactive else bulk[0] if bulk else None

    def _why(self) -> str:
        return (
            f"waiting: interactive {self.lanes[I]}, bulk {self.lanes[B]}; "
            f"{self.streak} interactive grants in a row while bulk waited"
        )

    def _model_hand(self, call: Call) -> None:
        why = self._why()
        if call.priority is B and self.lanes[I]:
            event("bulk share: bulk handed a slot while interactive waited")
        if call.front and len(self.lanes[call.priority]) > 1:
            event("a front call handed a slot ahead of its lane")
        self.lanes[call.priority].remove(call)
        self.streak = self.streak + 1 if call.priority is I and self.lanes[B] else 0
        call.handed = True
        call.expect = Status.HOLDING
        self.expected.append((call, why))

    def _model_release(self) -> None:
        heir = self._model_next()
        if heir is None:
            self.slots -= 1
        else:
            self._model_hand(heir)

    def _model_arrive(self, call: Call) -> None:
        if not (self.lanes[I] or self.lanes[B]) and self.slots < self.limit:
            self.slots += 1
            call.expect = Status.HOLDING
            self.expected.append((call, "a free slot and nobody waiting"))
            return
        lane = self.lanes[call.priority]
        lane.insert(0, call) if call.front else lane.append(call)
        call.expect = Status.WAITING
        if call.timeout is not None:
            call.deadline = self.loop.time() + call.timeout

    def _model_abandon(self, call: Call) -> None:
        if call.handed:  # handed a slot before its cancellation ran: it passes the slot on
            event("a cancelled call passed on the slot it was handed")
            self._model_release()
        else:
            self.lanes[call.priority].remove(call)
            self._bulk_lane_left()
        call.expect = Status.CANCELLED

    def _bulk_lane_left(self) -> None:
        if not self.lanes[B]:
            self.streak = 0

    def _model_expire(self) -> None:
        now = self.loop.time()
        for lane in self.lanes.values():
            for call in [c for c in lane if c.deadline is not None and c.deadline <= now]:
                event("a queue deadline expired")
                lane.remove(call)
                call.expect = Status.EXPIRED
        self._bulk_lane_left()

    # -------------------------------------------------------------- checks

    @staticmethod
    def _explain(k: int, got: Call, want: Call, why: str) -> str:
        if got.priority is not want.priority:
            return (
                f"grant #{k} went to {got}, but the {want.priority.name.lower()} lane was due "
                f"(interactive precedence / bulk share: {want} expected; {why})"
            )
        return f"grant #{k} went to {got} ahead of {want} in the same lane (FIFO; {why})"

    def _grant_problems(self) -> list[str]:
        for k, (got, (want, why)) in enumerate(zip(self.grants, self.expected, strict=False)):
            if got is not want:
                return [self._explain(k, got, want, why)]
        if len(self.grants) > len(self.expected):
            return [f"slots handed to {self.grants[len(self.expected) :]}, unexpected"]
        if len(self.grants) < len(self.expected):
            return [f"no slot handed to {[c for c, _ in self.expected[len(self.grants) :]]}"]
        return []

    def _problems(self) -> list[str]:
        """How the scheduler and the model disagree; the grants first, as they explain the rest."""
        problems = self._grant_problems()
        wrong = [(c, c.status.value, c.expect.value) for c in self.calls if c.status is not c.expect]
        if wrong:
            problems.append(f"(call, status, expected): {wrong}")
        holders = [c for c in self.calls if c.status is Status.HOLDING]
        if len(holders) > self.limit:
            problems.append(f"{len(holders)} calls hold a slot; the limit is {self.limit}")
        if not self.sched.in_flight == len(holders) == self.slots:
            problems.append(f"in_flight={self.sched.in_flight}, {len(holders)} holders, model {self.slots}")
        for priority in (I, B):
            waiting = [c for c in self.calls if c.status is Status.WAITING and c.priority is priority]
            if not self.sched.waiting(priority) == len(waiting) == len(self.lanes[priority]):
                problems.append(
                    f"waiting({priority.name}) == {self.sched.waiting(priority)}, "
                    f"{len(waiting)} {priority.name.lower()} calls wait, model {self.lanes[priority]}"
                )
        return problems

    @staticmethod
    def _verify(problems: list[str]) -> None:
        """One place to fail from, so that hypothesis shrinks one bug, not each of its symptoms."""
        assert not problems, "\n".join(problems)

    def _check(self) -> None:
        self._verify(self._problems())

    def _targets(self, status: Status) -> list[Call]:
        """Calls in ``status`` as of the last step, that no scheduled action is about already."""
        busy = {c.n for _, c in self.pending}
        return [c for c in self.calls if c.expect is status and c.n not in busy]

    @invariant()
    def consistent(self) -> None:
        """Holds between rules too: scheduled actions change nothing until the loop runs them."""
        if not self.started:
            return
        problems = self._problems()
        for priority in (I, B):  # FIFO within a lane, independently of the model
            order = [c.n for c in self.grants if c.priority is priority and not c.front]
            if order != sorted(order):
                problems.append(f"{priority.name.lower()} grants out of arrival order: {order}")
        handed_and_resumed = [c for c in self.grants if c.queued and c.held]
        if self.resumed != handed_and_resumed:
            problems.append(f"woken calls resumed as {self.resumed}, handed slots as {handed_and_resumed}")
        self._verify(problems)
        self.healthy = True

    # -------------------------------------------------------------- rules

    @initialize(limit=st.integers(min_value=1, max_value=3))
    def start(self, limit: int) -> None:
        self.healthy = False
        self.limit = limit
        self.sched = TokenScheduler("k", self.backend, limit)
        self.started = True

    @rule(
        priority=priorities,
        ticks=timeouts,
        front=rarely,
        try_first=st.booleans(),
        copies=st.integers(min_value=1, max_value=3),
    )
    def arrive(
        self, priority: Priority, ticks: int | None, front: bool, try_first: bool, copies: int
    ) -> None:
        """``copies`` calls alike, one after the other."""
        self.healthy = False
        timeout = None if ticks is None else ticks * TICK
        for _ in range(copies):
            call = Call(len(self.calls), priority, timeout, front, try_first)
            self.calls.append(call)
            call.task = self.loop.create_task(self._run(call))
            self.pending.append((Action.ARRIVE, call))

    @precondition(lambda self: self._targets(Status.HOLDING))
    @rule(i=picks)
    def complete(self, i: int) -> None:
        self.healthy = False
        holders = self._targets(Status.HOLDING)
        holder = holders[i % len(holders)]
        holder.done.set()
        self.pending.append((Action.RELEASE, holder))

    @precondition(lambda self: self._targets(Status.HOLDING))
    @rule(i=picks)
    def cancel_holder(self, i: int) -> None:
        self.healthy = False
        holders = self._targets(Status.HOLDING)
        holder = holders[i % len(holders)]
        assert holder.task is not None
        holder.task.cancel()
        self.pending.append((Action.RELEASE, holder))

    @precondition(lambda self: self._targets(Status.WAITING))
    @rule(i=picks)
    def cancel_waiter(self, i: int) -> None:
        """A cancellation that an earlier scheduled release may overtake (then it passes the slot on)."""
        self.healthy = False
        waiters = self._targets(Status.WAITING)
        waiter = waiters[i % len(waiters)]
        assert waiter.task is not None
        waiter.task.cancel()
        self.pending.append((Action.ABANDON, waiter))

    @rule()
    def step(self) -> None:
        self.healthy = False
        self._step()

    @rule(ticks=st.integers(min_value=1, max_value=4))
    def let_time_pass(self, ticks: int) -> None:
        self.healthy = False
        self.loop.clock += ticks * TICK
        self._step()

    @precondition(lambda self: self._targets(Status.HOLDING) and (self.lanes[I] or self.lanes[B]))
    @rule(i=picks)
    def cancel_the_call_just_handed_a_slot(self, i: int) -> None:
        """A holder releases; the waiter handed its slot is cancelled before it resumes."""
        self.healthy = False
        self._step()
        holders, want = self._targets(Status.HOLDING), self._model_next()
        if not holders or want is None:
            return
        holder = holders[i % len(holders)]
        why = self._why()
        before = len(self.grants)
        holder.done.set()
        self._one_iteration()
        handed = self.grants[before:]
        problems = []
        if handed != [want]:
            problems.append(self._explain(before, handed[0], want, why) if handed else f"no slot for {want}")
        elif want.status is not Status.WAITING:
            problems.append(f"{want} resumed in the iteration that handed it the slot")
        if holder.status is not Status.RELEASED:
            problems.append(f"{holder} did not release")
        if self.sched.in_flight != self.slots:  # the holder's slot is the heir's now
            problems.append(f"in_flight={self.sched.in_flight} just after a hand-over, model {self.slots}")
        self._verify(problems)
        heir = handed[0]
        assert heir.task is not None
        heir.task.cancel()
        self.pending += [(Action.RELEASE, holder), (Action.ABANDON, heir)]
        self._step()

    @precondition(lambda self: not self.raised and (self.lanes[I] or self.lanes[B]))
    @rule()
    def raise_limit(self) -> None:
        """A newer client with a higher limit lets waiters in at once (once: slots should stay short)."""
        self.healthy = False
        self.raised = True
        self._step()
        self.limit += 1
        self.sched.set_limits(self.limit, None)
        while self.slots < self.limit and (heir := self._model_next()) is not None:
            self.slots += 1
            self._model_hand(heir)
        self._step()

    # -------------------------------------------------------------- the end

    def _drain(self) -> None:
        """Complete every holder until nobody holds or waits; every live call, bulk too, gets a slot."""
        self._step()
        for _ in range(len(self.calls) + 1):
            holders = self._targets(Status.HOLDING)
            if not holders:
                break
            for holder in holders:
                holder.done.set()
                self.pending.append((Action.RELEASE, holder))
            self._step()
        stuck = [c for c in self.calls if c.status in (Status.WAITING, Status.HOLDING, Status.PENDING)]
        assert not stuck, f"calls still waiting or holding after every holder completed: {stuck}"
        assert (self.sched.in_flight, self.sched.waiting()) == (0, 0), "a slot or a waiter leaked"
        starved = [
            c
            for c in self.calls
            if c.priority is B and c.status not in (Status.EXPIRED, Status.CANCELLED) and not c.held
        ]
        assert not starved, f"bulk calls never served: {starved}"

    def teardown(self) -> None:
        try:
            if self.started and self.healthy:
                self._drain()
        finally:
            for call in self.calls:
                if call.task is not None and not call.task.done():
                    call.task.cancel()
            self._spin()
            self.loop.close()


def test_the_scheduler_follows_its_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_scheduler, "new_waiter", recording_new_waiter)
    run_state_machine_as_test(
        SchedulerMachine,
        settings=settings(max_examples=150, stateful_step_count=40, deadline=None),
    )


# ------------------------------------------------------------------ on a real loop


@st.composite
def arrivals(draw: st.DrawFn) -> tuple[Priority, float, float, float | None, float | None]:
    """One call: its lane, the gap before the next arrives, how long it holds, when it is cancelled, its queue timeout."""
    times = st.sampled_from([0.0, 0.0002, 0.0005, 0.001, 0.002])
    return (
        draw(priorities),
        draw(times),
        draw(times),
        draw(st.none() | times),
        draw(st.none() | st.sampled_from([0.0005, 0.001, 0.003])),
    )


@pytest.mark.asyncio
@settings(max_examples=40, deadline=None)
@given(limit=st.integers(min_value=1, max_value=3), plan=st.lists(arrivals(), min_size=1, max_size=25))
async def test_random_arrivals_and_cancellations_stay_within_the_limit(
    limit: int, plan: list[tuple[Priority, float, float, float | None, float | None]]
) -> None:
    sched = TokenScheduler("k", MemoryBackend(), limit)
    holding = peak = 0

    async def call(priority: Priority, hold: float, queue_timeout: float | None) -> None:
        nonlocal holding, peak
        try:
            await sched.acquire(priority, queue_timeout)
        except wv.QueueTimeoutError:
            return
        try:
            holding += 1
            peak = max(peak, holding)
            assert holding <= sched.in_flight <= limit
            await anyio.sleep(hold)
        finally:
            holding -= 1
            sched.release()

    async def maybe_cancelled(
        priority: Priority, hold: float, cancel: float | None, queue_timeout: float | None
    ) -> None:
        if cancel is None:
            await call(priority, hold, queue_timeout)
        else:
            with anyio.move_on_after(cancel):
                await call(priority, hold, queue_timeout)

    with anyio.fail_after(10):
        async with anyio.create_task_group() as tg:
            for priority, gap, hold, cancel, queue_timeout in plan:
                tg.start_soon(maybe_cancelled, priority, hold, cancel, queue_timeout)
                if gap:
                    await anyio.sleep(gap)
    assert peak <= limit
    assert (holding, sched.in_flight, sched.waiting()) == (0, 0, 0)


# ------------------------------------------------------------------ limits changed while calls wait


@pytest.mark.asyncio
async def test_a_lowered_limit_applies_while_calls_wait() -> None:
    """The newest client sets the concurrency: once it is lower, a release frees a slot instead of handing it on."""
    sched = TokenScheduler("k", MemoryBackend(), 3)
    for _ in range(3):
        await sched.acquire(B)
    waiters = [asyncio.ensure_future(sched.acquire(B)) for _ in range(3)]
    await asyncio.sleep(0)
    sched.set_limits(1, None)
    try:
        for _ in range(3):
            sched.release()
        await asyncio.sleep(0)
        assert (sched.in_flight, sched.waiting()) == (1, 2)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
