"""Bulk jobs on the job engine: campaign records, DNC numbers, skills, messages, agents enabled.

Each is a ``Plan`` for ``_jobs.Engine``: how items become calls, which calls
may be sent again, and how uncertain ones are looked up at the server:

- campaign records: batches of at most 10,000 (wolkvox's limit per call); an
  uncertain batch is looked up with one call, the campaign's export
  (``campaign.campaign_15``), by customer id;
- DNC numbers: batches as above; looked up with one call, ``information.get_dnc``;
- skills: one call per row; looked up with ``information.agents_in_skill``,
  one call per skill involved;
- messages (SMS, WhatsApp): one call per row; nothing can look a message up,
  so an uncertain send is ``UNKNOWN``: never sent twice;
- enabling or disabling agents: idempotent, so an uncertain call is sent again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from . import _arguments
from . import _validation as check
from ._client import Client
from ._errors import InsufficientQuotaError, InvalidArgumentError
from ._jobs import SETTLE, Engine, ItemResult, JobReport, Plan, unique_keys
from ._journal import Journal
from ._namespace import CallOptions
from ._reports import Spool
from ._spec import MAX_UPLOAD_RECORDS, operation

OnResult = Callable[[ItemResult], object] | None


async def _run(client: Client, plan: Plan, journal: str | os.PathLike[str], on_result: OnResult) -> JobReport:
    path = Path(journal)
    record = Journal(path)
    created = record.open()  # a journal that cannot be written fails here, before anything is sent
    try:
        return await Engine(plan, record, client._known_quota).run(on_result)
    except InsufficientQuotaError:
        if created:
            _remove_if_empty(path)  # refused before anything was sent: nothing to resume
        raise
    finally:
        record.close()


def _remove_if_empty(path: Path) -> None:
    if os.path.getsize(path) == 0:
        os.unlink(path)


def _rows(rows: Iterable[Mapping[str, Any]], what: str) -> list[Mapping[str, Any]]:
    checked = []
    for number, row in enumerate(rows, 1):
        if not isinstance(row, Mapping):
            raise InvalidArgumentError(f"{what} {number} must be a mapping of field names to values")
        checked.append(row)
    if not checked:
        raise InvalidArgumentError(f"no {what}s to work on")
    return checked


def _batch_size(size: int) -> int:
    if not isinstance(size, int) or not 1 <= size <= MAX_UPLOAD_RECORDS:
        raise InvalidArgumentError(f"batch_size must be 1 to {MAX_UPLOAD_RECORDS:,}, got {size!r}")
    return size


async def _export_of_campaign(client: Client, campaign_id: str) -> set[str]:
    """The customer ids a campaign holds, read from its export as it streams (one call)."""
    op = operation("campaign.campaign_15")
    spool = await client._perform_streamed(op, {"campaign_id": campaign_id}, {}, lambda: Spool(op))
    if not isinstance(spool, Spool):
        return set()
    return {str(row.get("id_cliente", row.get("customer_id", ""))) for row in spool.rows()}


async def load_campaign_records(
    client: Client,
    campaign_id: str | int,
    type_campaign: Literal["predictive", "preview"],
    records: Iterable[Mapping[str, Any]],
    *,
    journal: str | os.PathLike[str],
    campaign_status: Literal["start", "stop"] | None = None,
    batch_size: int = MAX_UPLOAD_RECORDS,
    on_result: OnResult = None,
    options: CallOptions | None = None,
    settle: timedelta = SETTLE,
) -> JobReport:
    """Add customer records to a campaign, ``batch_size`` a call, journaled; run again to resume.

    Every record is checked first (``customer_id`` and ``tel1`` at least, as
    wolkvox documents). An answer that says fewer records were added than sent,
    or an answer lost, is settled by one lookup of the campaign's export, by
    customer id: found records are done, the others are sent again.
    """
    op = operation("campaign.add_record")
    wire_campaign = check.agent_id(campaign_id, "campaign_id")
    if type_campaign not in ("predictive", "preview"):
        raise InvalidArgumentError(f"type_campaign must be 'predictive' or 'preview', got {type_campaign!r}")
    rows = _rows(records, "record")
    size = _batch_size(batch_size)
    zone = client._transport.policy.zone
    for start in range(0, len(rows), MAX_UPLOAD_RECORDS):
        try:
            _arguments.records(op, rows[start : start + MAX_UPLOAD_RECORDS], zone)
        except InvalidArgumentError as exc:  # numbered within its chunk: number it within the job
            raise InvalidArgumentError(_renumbered(str(exc), start)) from None
    keys = unique_keys(
        f"campaign {wire_campaign} ({type_campaign}): customer {row.get('customer_id')}, tel1 {row.get('tel1')}"
        for row in rows
    )

    async def call(batch: list[int]) -> Mapping[str, Any] | None:
        answer = await client.campaign.add_record(
            type_campaign=type_campaign,
            campaign_id=wire_campaign,
            campaign_status=campaign_status,
            records=[rows[i] for i in batch],
            **(options or {}),
        )
        added = _whole(answer[0].get("total_registers")) if answer else None
        return None if added is None or added >= len(batch) else {"_done": []}

    async def reconcile(indices: list[int]) -> set[int]:
        present = await _export_of_campaign(client, wire_campaign)
        return {i for i in indices if str(rows[i].get("customer_id")) in present}

    plan = Plan("load_campaign_records", keys, call, size, False, reconcile, 1, 2, settle)
    return await _run(client, plan, journal, on_result)


async def add_dnc(
    client: Client,
    numbers: Iterable[str | int | Mapping[str, Any]],
    days_block: int,
    *,
    journal: str | os.PathLike[str],
    batch_size: int = MAX_UPLOAD_RECORDS,
    on_result: OnResult = None,
    options: CallOptions | None = None,
    settle: timedelta = SETTLE,
) -> JobReport:
    """Block numbers (Do Not Call) for ``days_block`` days, ``batch_size`` a call, journaled.

    A number may also be a mapping with its own ``telephone`` and
    ``days_block``. An answer lost, or one that says fewer were added than
    sent, is settled by one lookup of the DNC list (``information.get_dnc``).
    """
    default = _days(days_block)
    blocked: list[tuple[str, int]] = []
    for number, item in enumerate(numbers, 1):
        try:
            if isinstance(item, Mapping):
                days = item.get("days_block")
                blocked.append(
                    (
                        check.phone(item.get("telephone")),
                        default if days in (None, "") else _days(int(str(days))),
                    )
                )
            else:
                blocked.append((check.phone(item), default))
        except (InvalidArgumentError, ValueError) as exc:
            raise InvalidArgumentError(f"number {number}: {exc}") from None
    if not blocked:
        raise InvalidArgumentError("no numbers to block")
    phones = [phone for phone, _ in blocked]
    size = _batch_size(batch_size)
    keys = unique_keys(f"dnc: {phone} for {days} days" for phone, days in blocked)

    async def call(batch: list[int]) -> Mapping[str, Any] | None:
        answer = await client.campaign.add_dnc(
            records=[{"telephone": blocked[i][0], "days_block": str(blocked[i][1])} for i in batch],
            **(options or {}),
        )
        added = _whole(answer[0].get("total_added")) if answer else None
        return None if added is None or added >= len(batch) else {"_done": []}

    async def reconcile(indices: list[int]) -> set[int]:
        listed = await client.information.get_dnc(type="all")
        present = {entry.phone_number for entry in listed}
        return {i for i in indices if phones[i] in present}

    plan = Plan("add_dnc", keys, call, size, False, reconcile, 1, 2, settle)
    return await _run(client, plan, journal, on_result)


async def assign_skills(
    client: Client,
    rows: Iterable[Mapping[str, Any]],
    *,
    journal: str | os.PathLike[str],
    on_result: OnResult = None,
    workers: int = 4,
    options: CallOptions | None = None,
    settle: timedelta = SETTLE,
) -> JobReport:
    """Put agents in skills: one row per assignment (``agent_id``, ``skill_id``, ``expertise``).

    An uncertain assignment is looked up in its skill's members
    (``information.agents_in_skill``, one call per skill involved).
    """
    checked = []
    for number, row in enumerate(_rows(rows, "row"), 1):
        try:
            agent = check.agent_id(row.get("agent_id"), "agent_id")
            skill = check.agent_id(row.get("skill_id"), "skill_id")
            expertise = row.get("expertise", "")
            level = "" if expertise in (None, "") else str(check.count(int(str(expertise)), "expertise"))
        except (InvalidArgumentError, ValueError) as exc:
            raise InvalidArgumentError(f"row {number}: {exc}") from None
        checked.append((agent, skill, level))
    keys = unique_keys(f"agent {a} in skill {s} (expertise {e or 0})" for a, s, e in checked)

    async def call(batch: list[int]) -> Mapping[str, Any] | None:
        agent, skill, level = checked[batch[0]]
        await client.configuration.add_agents_skill(
            skill_id=skill, agent_id=agent, expertise=level or "0", **(options or {})
        )
        return None

    async def reconcile(indices: list[int]) -> set[int]:
        found: set[int] = set()
        for skill in sorted({checked[i][1] for i in indices}):
            members = {m.agent_id for m in await client.information.agents_in_skill(skill_id=skill)}
            found |= {i for i in indices if checked[i][1] == skill and checked[i][0] in members}
        return found

    plan = Plan("assign_skills", keys, call, 1, False, reconcile, 1, workers, settle)
    return await _run(client, plan, journal, on_result)


async def send_messages(
    client: Client,
    rows: Iterable[Mapping[str, Any]],
    *,
    journal: str | os.PathLike[str],
    channel: Literal["sms", "whatsapp"] = "sms",
    connector_id: str | int | None = None,
    on_result: OnResult = None,
    workers: int = 4,
    options: CallOptions | None = None,
) -> JobReport:
    """Send one message per row (``telephone``, ``message``), never twice.

    WhatsApp takes a ``connector_id`` per row or for the job; a row with a
    ``template_name`` sends that template (``template_vars`` as wolkvox
    documents them). Nothing can look a message up: a send whose answer was
    lost is ``UNKNOWN``, reported, never sent again.
    """
    if channel not in ("sms", "whatsapp"):
        raise InvalidArgumentError(f"channel must be 'sms' or 'whatsapp', got {channel!r}")
    checked: list[dict[str, str]] = []
    for number, row in enumerate(_rows(rows, "row"), 1):
        try:
            item = {
                "telephone": check.phone(row.get("telephone")),
                "message": str(row.get("message") or ""),
                "template_name": str(row.get("template_name") or ""),
                "template_vars": str(row.get("template_vars") or ""),
            }
            if channel == "whatsapp":
                item["connector_id"] = check.agent_id(row.get("connector_id") or connector_id, "connector_id")
            elif item["template_name"]:
                raise InvalidArgumentError(
                    "a template is a WhatsApp message: SMS takes telephone and message"
                )
            if not item["message"].strip() and not item["template_name"]:
                raise InvalidArgumentError("message must be non-empty text")
        except InvalidArgumentError as exc:
            raise InvalidArgumentError(f"row {number}: {exc}") from None
        checked.append(item)
    keys = unique_keys(
        f"{channel} to {item['telephone']}: "
        + hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:16]
        for item in checked
    )
    extra = options or {}

    async def call(batch: list[int]) -> Mapping[str, Any] | None:
        item = checked[batch[0]]
        if channel == "sms":
            await client.sms.send_sms(telephone=item["telephone"], message=item["message"], **extra)
        elif item["template_name"]:
            await client.whatsapp.send_template_official(
                connector_id=item["connector_id"],
                telephone=item["telephone"],
                template_name=item["template_name"],
                template_vars=item["template_vars"] or None,
                **extra,
            )
        else:
            await client.whatsapp.send_message_official(
                connector_id=item["connector_id"],
                telephone=item["telephone"],
                message=item["message"],
                **extra,
            )
        return None

    plan = Plan(f"send_messages ({channel})", keys, call, 1, False, None, 0, workers)
    return await _run(client, plan, journal, on_result)


async def set_agents_enabled(
    client: Client,
    agent_ids: Sequence[str | int],
    enabled: bool,
    *,
    journal: str | os.PathLike[str],
    on_result: OnResult = None,
    workers: int = 4,
    options: CallOptions | None = None,
) -> JobReport:
    """Enable (or disable) agents, one call each; idempotent, so an uncertain call is simply sent again."""
    ids = [check.agent_id(agent_id) for agent_id in agent_ids]
    if not ids:
        raise InvalidArgumentError("no agents to work on")
    keys = unique_keys(f"agent {agent_id} {'enabled' if enabled else 'disabled'}" for agent_id in ids)

    async def call(batch: list[int]) -> Mapping[str, Any] | None:
        agent_id = ids[batch[0]]
        if enabled:
            await client.enable_agent(agent_id, **(options or {}))
        else:
            await client.configuration.disable_agent(agent_id=agent_id, **(options or {}))
        return None

    plan = Plan("enable_agents" if enabled else "disable_agents", keys, call, 1, True, None, 0, workers)
    return await _run(client, plan, journal, on_result)


def _renumbered(message: str, offset: int) -> str:
    """A message naming "record N" of a chunk, naming it within the whole job."""
    return re.sub(r"^record (\d+)", lambda match: f"record {int(match[1]) + offset}", message)


def _days(value: object) -> int:
    days = check.positive_int(value, "days_block")
    assert days is not None
    return days


def _whole(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None
