"""Recalls scheduled on campaign customers, by agentbox or by campaign.php, and listed by the real-time report."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ._agents import AGENT_NOT_FOUND, Action, Agents
from ._answers import Call, Handler, answer, no_data, not_found
from ._campaigns import CAMPAIGN_NOT_FOUND, RECORD_NOT_FOUND, Campaigns
from ._generated import Generated
from ._wire import Answer

RECALL_NOT_FOUND = "RECALL NOT FOUND"
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})")

RecallKey = tuple[str, str]
"""``(campaign_id, customer_id)``"""


@dataclass(frozen=True, slots=True)
class RecallRecord:
    campaign_id: str
    customer_id: str
    telephone: str
    date: str
    """``YYYY-mm-dd HH:MM:SS``"""
    style: str
    """``auto`` or ``manual``."""
    agent_id: str = ""
    name: str = ""


class Recalls:
    def __init__(
        self, actions: list[Action], agents: Agents, campaigns: Campaigns, generated: Generated
    ) -> None:
        self._actions = actions
        self._agents = agents
        self._campaigns = campaigns
        self._generated = generated
        self.records: dict[RecallKey, RecallRecord] = {}

    def handlers(self) -> dict[str, Handler]:
        return {
            "agentbox.recall": self._schedule,
            "agentbox.edit_recall": self._edit,
            "agentbox.delete_recall": self._delete,
            "campaign.recall": self._campaign_recall,
            "real_time.recall": self._list,
        }

    def snapshot(self) -> list[RecallRecord]:
        return list(self.records.values())

    def _schedule(self, call: Call) -> Answer:
        refused = self._refusal(call)
        if refused is not None:
            return refused
        recall = RecallRecord(
            call.text("id_camp"),
            call.text("id_customer"),
            call.text("telefono"),
            _date(call.text("rellamada")),
            call.text("recall_style") or "manual",
            call.text("agent_id"),
            call.text("name_recall"),
        )
        return self._keep(call, recall)

    def _edit(self, call: Call) -> Answer:
        refused = self._refusal(call)
        if refused is not None:
            return refused
        recall = self.records.get((call.text("id_camp"), call.text("id_customer")))
        if recall is None:
            return not_found(call.op, RECALL_NOT_FOUND)
        recall = replace(
            recall,
            telephone=call.text("telephone") or recall.telephone,
            date=_date(call.text("recall")) or recall.date,
            style=call.text("recall_style") or recall.style,
            agent_id=call.text("agent_id"),
            name=call.text("name_recall") or recall.name,
        )
        return self._keep(call, recall)

    def _delete(self, call: Call) -> Answer:
        refused = self._refusal(call)
        if refused is not None:
            return refused
        key = (call.text("id_camp"), call.text("id_customer"))
        if key not in self.records:
            return not_found(call.op, RECALL_NOT_FOUND)
        del self.records[key]
        self._actions.append((call.key, *key))
        return answer(call.op, call.fill())

    def _campaign_recall(self, call: Call) -> Answer:
        campaign = self._campaigns.get(call)
        if campaign is None:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        customer_id = call.text("customer_id")
        if campaign.find(customer_id) is None:
            return not_found(call.op, RECORD_NOT_FOUND)
        recall = RecallRecord(
            campaign.campaign_id,
            customer_id,
            call.text("recall_telephone"),
            _date(call.text("recall_date")),
            "auto",
        )
        changes = {"recall_date": call.text("recall_date"), "recall_telephone": recall.telephone}
        self._campaigns.update_record(campaign.campaign_id, customer_id, changes)
        return self._keep(call, recall)

    def _list(self, call: Call) -> Answer:
        wanted = call.text("type")
        rows = [
            self._generated.row(call.op, index, call.now, _row(recall))
            for index, recall in enumerate(self.records.values())
            if wanted in ("", "all") or recall.style == wanted
        ]
        if not rows:
            return no_data(call.op)
        return answer(call.op, call.fill(count=len(rows)), rows)

    def _refusal(self, call: Call) -> Answer | None:
        """An agentbox recall needs a known agent and campaign."""
        if call.text("agent_id") not in self._agents.records:
            return not_found(call.op, AGENT_NOT_FOUND)
        if self._campaigns.get(call, "id_camp") is None:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        return None

    def _keep(self, call: Call, recall: RecallRecord) -> Answer:
        self.records[recall.campaign_id, recall.customer_id] = recall
        self._actions.append((call.key, recall.campaign_id, recall.customer_id, recall.date))
        return answer(call.op, call.fill())


def _row(recall: RecallRecord) -> dict[str, object]:
    return {
        "type_recall": recall.style,
        "date_recall": recall.date,
        "phone_number": recall.telephone,
        "id_campaing": recall.campaign_id,
        "id_campaign": recall.campaign_id,
        "id_agent": recall.agent_id,
    }


def _date(text: str) -> str:
    """``YYYYmmddHHiiss`` as the reports write dates; anything else as given."""
    match = _COMPACT.fullmatch(text.strip())
    return f"{match[1]}-{match[2]}-{match[3]} {match[4]}:{match[5]}:{match[6]}" if match else text
