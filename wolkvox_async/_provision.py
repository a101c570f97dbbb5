"""Bulk agent provisioning that loses nothing: a journal on disk, resumable after any crash.

A new agent's password is shown once. So every row is written to an
append-only journal (JSON Lines, mode 0600, fsync'd) *before* its request is
sent ("sending") and *after* its answer, password included ("created"),
before the row counts as done. Run again with the same journal, even after
``kill -9`` mid-call, and nothing is created twice and nothing is lost:

- rows the journal has as created are done (their passwords are in it);
- dnis the agents report already holds are skipped (one report read for
  all rows, not one per row); if the journal says this job was sending
  that dni, the agent was created by a run that lost its answer: the row is
  reported as password lost, not as someone else's agent;
- everything else is created now.
"""

from __future__ import annotations

import enum
import os
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import anyio
import anyio.abc
import attrs

from . import _validation as check
from ._client import Client
from ._errors import (
    ConflictError,
    InsufficientQuotaError,
    InvalidArgumentError,
    PasswordLostError,
    WolkvoxError,
    unwrapped,
)
from ._jobs import SETTLE, in_flight, may_still_be_running, settled
from ._journal import Journal, sent_at
from ._models import Agent


@attrs.frozen
class AgentRow:
    """One agent to provision. ``enable`` also enables it once created."""

    dni: str
    name: str
    sso: str = ""
    enable: bool = False


class RowOutcome(enum.Enum):
    CREATED = "created"
    """Created by this run; its password is in the journal."""
    ALREADY_CREATED = "already_created"
    """Created by an earlier run of this journal; its password is in the journal."""
    EXISTED = "existed"
    """The dni was already an agent, not created by this job: skipped."""
    PASSWORD_LOST = "password_lost"
    """Created by this job, but the answer holding its password was lost: set a new one in wolkvox."""
    FAILED = "failed"
    """Not created; ``error`` says why. Running again retries it."""
    NOT_FITTED = "not_fitted"
    """Left out because today's quota could not hold it (``if_quota_short="fit"``)."""


@attrs.frozen
class RowResult:
    index: int
    row: AgentRow
    outcome: RowOutcome
    agent_id: str | None = None
    enabled: bool = False
    error: str | None = None


@attrs.frozen
class ProvisionReport:
    results: tuple[RowResult, ...]
    journal: Path
    elapsed: float

    def count(self, outcome: RowOutcome) -> int:
        return sum(result.outcome is outcome for result in self.results)

    @property
    def complete(self) -> bool:
        """Every row is an agent now, enabled where asked (an agent that existed before is left as it was)."""
        return all(
            r.outcome not in (RowOutcome.FAILED, RowOutcome.NOT_FITTED)
            and (r.enabled or not r.row.enable or r.outcome is RowOutcome.EXISTED)
            for r in self.results
        )


@attrs.define
class _Past:
    """What the journal says of one dni."""

    sending: bool = False
    agent_id: str | None = None
    created: bool = False
    enabled: bool = False
    sent_at: datetime | None = None
    """When its last call was sent, while no answer to it is journaled: wolkvox may still be running it."""


def _read(journal: Journal) -> dict[str, _Past]:
    past: dict[str, _Past] = {}
    for entry in journal.entries():
        state = past.setdefault(entry["dni"], _Past())
        event = entry.get("event")
        if event == "sending":
            state.sending, state.sent_at = True, sent_at(entry)
        elif event in ("created", "password_lost", "answered"):
            state.sent_at = None
        if event in ("created", "password_lost") and entry.get("agent_id"):
            state.agent_id = str(entry["agent_id"])
        state.created = state.created or event == "created"
        state.enabled = state.enabled or event == "enabled"
    return past


def _rows(rows: Iterable[AgentRow | Mapping[str, Any]], enable: bool | None) -> list[AgentRow]:
    checked: list[AgentRow] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        fields = attrs.asdict(row) if isinstance(row, AgentRow) else dict(row)
        try:
            agent = AgentRow(
                dni=check.required_text(fields.get("dni"), "dni"),
                name=check.required_text(fields.get("name"), "name"),
                sso=check.optional_text(fields.get("sso"), "sso") or "",
                enable=check.flag(fields.get("enable", False), "enable") if enable is None else enable,
            )
        except InvalidArgumentError as exc:
            raise InvalidArgumentError(f"row {index + 1}: {exc}") from None
        if agent.dni in seen:
            raise InvalidArgumentError(
                f"row {index + 1}: dni {agent.dni!r} is also row {seen[agent.dni] + 1}"
            )
        seen[agent.dni] = index
        checked.append(agent)
    return checked


async def provision_agents(
    client: Client,
    rows: Iterable[AgentRow | Mapping[str, Any]],
    *,
    journal: str | os.PathLike[str],
    enable: bool | None = None,
    if_quota_short: Literal["raise", "fit"] = "raise",
    on_result: Callable[[RowResult], object] | None = None,
    workers: int = 4,
    settle: timedelta = SETTLE,
) -> ProvisionReport:
    """Create the agents of ``rows`` that do not exist yet, recording each one durably in ``journal``.

    ``rows`` are ``AgentRow`` or mappings with dni, name (and sso, enable);
    all are checked before anything is sent. ``enable`` overrides each row's.
    Before creating anything, the calls needed are compared with what is
    left of today's quota: ``if_quota_short="raise"`` raises
    ``InsufficientQuotaError``, ``"fit"`` does the rows that fit and reports
    the rest as not fitted. ``on_result`` is called with each row's result as
    it is known (for progress). ``workers`` rows are worked on at once; the
    token's own limit still applies underneath.

    Runs on the job engine's rules (``_jobs``): a dni an earlier run was
    sending, and the agents report does not show, is trusted absent only
    once wolkvox cannot be running that call any more (``settle`` after it
    was sent); cancelled (Ctrl-C), it takes no new row, lets the creations
    in flight finish and journals their passwords.
    """
    started = time.monotonic()
    agents = _rows(rows, enable)
    if if_quota_short not in ("raise", "fit"):
        raise InvalidArgumentError(f"if_quota_short must be 'raise' or 'fit', got {if_quota_short!r}")
    record = Journal(Path(journal), "dni")
    past = _read(record)
    record.open()  # an unwritable journal fails here, before any call is spent
    try:
        return await _provision(
            client, agents, record, past, if_quota_short, on_result, workers, started, settle
        )
    finally:
        record.close()


async def _provision(
    client: Client,
    agents: list[AgentRow],
    record: Journal,
    past: dict[str, _Past],
    if_quota_short: str,
    on_result: Callable[[RowResult], object] | None,
    workers: int,
    started: float,
    settle: timedelta,
) -> ProvisionReport:
    existing: dict[str, Agent] = {a.agent_dni: a for a in await client.list_agents(refresh=True)}
    uncertain = [
        known.sent_at
        for row in agents
        if (known := past.get(row.dni)) is not None
        and known.sent_at is not None
        and not known.created
        and row.dni not in existing
    ]
    if uncertain:  # a creation may still be running at wolkvox: look again once it cannot be
        await settled(max((moment for moment in uncertain if moment is not None), default=None), settle)
        existing = {a.agent_dni: a for a in await client.list_agents(refresh=True)}

    results: list[RowResult | None] = [None] * len(agents)

    def done(result: RowResult) -> None:
        results[result.index] = result
        if on_result is not None:
            on_result(result)

    to_create: list[int] = []
    to_enable: list[int] = []
    lost_to_enable: list[tuple[int, str]] = []
    for index, row in enumerate(agents):
        known = past.get(row.dni)
        found = existing.get(row.dni)
        if known is not None and known.created:
            if row.enable and not known.enabled:
                to_enable.append(index)
            else:
                done(RowResult(index, row, RowOutcome.ALREADY_CREATED, known.agent_id, known.enabled))
        elif found is not None:
            if known is not None and known.sending and row.enable and found.enabled is not True:
                lost_to_enable.append((index, found.agent_id))
            else:
                outcome = (
                    RowOutcome.PASSWORD_LOST if known is not None and known.sending else RowOutcome.EXISTED
                )
                done(RowResult(index, row, outcome, found.agent_id, found.enabled is True))
        else:
            to_create.append(index)

    needed = len(to_create) + len(to_enable) + len(lost_to_enable) + sum(agents[i].enable for i in to_create)
    quota = await client.fetch_quota()
    if quota.remaining is not None and needed > quota.remaining:
        if if_quota_short == "raise":
            raise InsufficientQuotaError(
                needed, quota.remaining, quota.resets_at, hint="pass if_quota_short='fit' to do what fits"
            )
        budget = quota.remaining
        fitted: list[int] = []
        for index in to_enable:
            if budget >= 1:
                fitted.append(index)
                budget -= 1
            else:
                done(RowResult(index, agents[index], RowOutcome.NOT_FITTED))
        to_enable = fitted
        fitted = []
        for index in to_create:
            cost = 1 + agents[index].enable
            if budget >= cost:
                fitted.append(index)
                budget -= cost
            else:
                done(RowResult(index, agents[index], RowOutcome.NOT_FITTED))
        to_create = fitted

    async def enable_one(index: int, agent_id: str, outcome: RowOutcome) -> None:
        row = agents[index]
        async with in_flight():
            try:
                await client.enable_agent(agent_id)
            except WolkvoxError as exc:
                done(RowResult(index, row, outcome, agent_id, False, f"created, not enabled: {exc}"))
                return
            await record.write("enabled", row.dni, agent_id=agent_id)
        done(RowResult(index, row, outcome, agent_id, True))

    async def create_one(index: int) -> None:
        async with in_flight():
            await create(index)

    async def create(index: int) -> None:
        row = agents[index]
        await record.write("sending", row.dni)
        try:
            new = await client.create_agent(dni=row.dni, name=row.name, sso=row.sso)
        except PasswordLostError as exc:
            await record.write("password_lost", row.dni, agent_id=exc.agent_id)
            if row.enable and exc.agent_id is not None:
                await enable_one(index, exc.agent_id, RowOutcome.PASSWORD_LOST)
            else:
                done(RowResult(index, row, RowOutcome.PASSWORD_LOST, exc.agent_id, error=str(exc)))
            return
        except ConflictError as exc:
            done(RowResult(index, row, RowOutcome.EXISTED, error=str(exc)))
            return
        except WolkvoxError as exc:
            if not may_still_be_running(exc):
                await record.write("answered", row.dni, error=type(exc).__name__)
            done(RowResult(index, row, RowOutcome.FAILED, error=f"{type(exc).__name__}: {exc}"))
            return
        await record.write("created", row.dni, agent_id=new.agent_id, password=new.password.reveal())
        if row.enable:
            await enable_one(index, new.agent_id, RowOutcome.CREATED)
        else:
            done(RowResult(index, row, RowOutcome.CREATED, new.agent_id))

    async def resume_enable(index: int) -> None:
        known = past[agents[index].dni]
        assert known.agent_id is not None
        await enable_one(index, known.agent_id, RowOutcome.ALREADY_CREATED)

    jobs: list[Callable[[], Any]] = [
        *(lambda i=i: resume_enable(i) for i in to_enable),
        *(lambda i=i, a=a: enable_one(i, a, RowOutcome.PASSWORD_LOST) for i, a in lost_to_enable),
        *(lambda i=i: create_one(i) for i in to_create),
    ]
    limiter = anyio.CapacityLimiter(max(1, workers))
    journal_failure: list[OSError] = []

    async def run(job: Callable[[], Any], tg: anyio.abc.TaskGroup) -> None:
        async with limiter:
            try:
                await job()
            except OSError as exc:  # the journal cannot be written: stop, or passwords would be lost
                journal_failure.append(exc)
                tg.cancel_scope.cancel()

    try:
        async with anyio.create_task_group() as tg:
            for job in jobs:
                tg.start_soon(run, job, tg)
    except BaseExceptionGroup as group_error:
        raise unwrapped(group_error) from None
    if journal_failure:
        raise journal_failure[0]
    finished = tuple(r for r in results if r is not None)
    assert len(finished) == len(agents), "every row is accounted for"
    return ProvisionReport(finished, record.path, time.monotonic() - started)
