"""Campaigns and their customer records: created, edited, started, stopped, filled, searched, exported, deleted.

A record keeps the fields it was uploaded with; what dialing would add to it
(date, calls, result) stays blank, since the emulator dials no campaign. The
campaign's detail over a window is generated like a report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from ._agents import Action
from ._answers import BAD_REQUEST, Call, Handler, answer, no_data, not_found, one, refuse
from ._generated import Generated
from ._skills import SKILL_NOT_FOUND, Skills
from ._validation import PARAMETERS_REQUIRED, as_text
from ._wire import Answer

CAMPAIGN_NOT_FOUND = "CAMPAIGN NOT FOUND"
RECORD_NOT_FOUND = "RECORD NOT FOUND"
PHONES = (*(f"tel{n}" for n in range(1, 11)), "tel_extra")
_LABELS = tuple(f"opt{n}" for n in range(1, 13))
_SETTINGS = ("amd_conf", "turbo_dial", "routing_recall", "camp_dial_order", "optional_labels")
_EXPORT = {
    "nombre_cliente": "customer_name",
    "apellido_cliente": "customer_last_name",
    "tipo_doc": "id_type",
    "id_cliente": "customer_id",
    "edad": "age",
    "sexo": "gender",
    "pais": "country",
    "departamento": "state",
    "ciudad": "city",
    "zona": "zone",
    "direccion": "address",
    "cod_rslt1": "cod_act",
    "cod_rslt2": "cod_act_2",
    "comentarios": "comment",
    "rellamada": "recall_date",
    "rellamada_tel": "recall_telephone",
}
"""The export's Spanish field names for the fields records are uploaded with."""
_STATUSES = {"start": "active", "stop": "inactive"}
"""What add_record's optional ``campaign_status`` does to the campaign."""
_UNDIALED = {"calls": "0", "llamadas": "0", "recall_count": "0", "rellamada_count": "0"}

Record = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class CampaignRecord:
    """One campaign; ``labels`` titles its ``opt1``…``opt12`` fields, ``records`` are its customers."""

    campaign_id: str
    name: str
    type_campaign: str
    description: str = ""
    skill_id: str = ""
    start_time: str = ""
    end_time: str = ""
    status: str = "inactive"
    speed: str = "1"
    enable_edition: str = "no"
    labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    settings: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    records: tuple[Record, ...] = ()
    last_use: str = ""

    def find(self, customer_id: str) -> Record | None:
        return next((record for record in self.records if customer_of(record) == customer_id), None)


def customer_of(record: Record) -> str:
    return as_text(record.get("customer_id"))


class Campaigns:
    def __init__(self, actions: list[Action], skills: Skills, generated: Generated) -> None:
        self._actions = actions
        self._skills = skills
        self._generated = generated
        self.records: dict[str, CampaignRecord] = {}
        self._next_id = 1

    def handlers(self) -> dict[str, Handler]:
        return {
            "campaign.create_campaign": self._create,
            "campaign.edit_campaign": self._edit,
            "campaign.start": self._start,
            "campaign.stop": self._stop,
            "campaign.speed": self._speed,
            "campaign.delete_campaign": self._delete,
            "campaign.add_record": self._add_records,
            "campaign.remove_record": self._remove_records,
            "campaign.clear_campaign": self._clear,
            "campaign.codify": self._codify,
            "campaign.find_record": self._find,
            "campaign.campaign_15": self._export,
            "campaign.detail": self._detail,
            "campaign.campaign_filter": self._known_then_generated,
            "campaign.recall_records": self._known_then_generated,
            "information.campaigns": self._list,
            "real_time.campaigns": self._real_time,
        }

    def new(
        self,
        name: str,
        type_campaign: str = "predictive",
        *,
        skill_id: str = "",
        description: str = "",
        start_time: str = "",
        end_time: str = "",
        enable_edition: str = "no",
        labels: Mapping[str, str] | None = None,
        last_use: str = "",
    ) -> CampaignRecord:
        campaign_id = str(self._next_id)
        self._next_id += 1
        campaign = self.records[campaign_id] = CampaignRecord(
            campaign_id,
            name,
            type_campaign,
            description=description,
            skill_id=skill_id,
            start_time=start_time,
            end_time=end_time,
            enable_edition=enable_edition,
            labels=MappingProxyType(dict(labels or {})),
            last_use=last_use,
        )
        return campaign

    def snapshot(self) -> Mapping[str, CampaignRecord]:
        return MappingProxyType(dict(self.records))

    def get(self, call: Call, name: str = "campaign_id") -> CampaignRecord | None:
        return self.records.get(call.text(name))

    # -- the campaign itself -------------------------------------------------------------------

    def _create(self, call: Call) -> Answer:
        skill_id = call.text("skill_id")
        if skill_id and skill_id not in self._skills.records:
            return not_found(call.op, SKILL_NOT_FOUND)
        campaign = self.new(
            call.text("campaign_name"),
            call.text("type_campaign") or "predictive",
            description=call.text("campaign_description"),
            skill_id=skill_id,
            start_time=call.text("start_time"),
            end_time=call.text("end_time"),
            enable_edition=call.text("enable_edition") or "no",
            labels={label: call.text(label) for label in _LABELS if call.text(label)},
            last_use=call.now.strftime("%Y-%m-%d %H:%M:%S"),
        )
        self._actions.append((call.key, campaign.campaign_id, campaign.name))
        known = {
            "id_campaign": campaign.campaign_id,
            "campaign_id": campaign.campaign_id,
            "name_campaign": campaign.name,
            "campaign_name": campaign.name,
        }
        row = self._generated.row(call.op, 0, call.now, known)
        return answer(call.op, call.fill(count=1, campaign_id=campaign.campaign_id), one(call.op, row))

    def _edit(self, call: Call) -> Answer:
        campaign = self.get(call)
        if campaign is None:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        skill_id = call.text("skill_id") or campaign.skill_id
        if skill_id not in self._skills.records and skill_id != campaign.skill_id:
            return not_found(call.op, SKILL_NOT_FOUND)
        settings = {**campaign.settings}
        settings.update(
            (name, call.request.fields[name]) for name in _SETTINGS if name in call.request.fields
        )
        campaign = self.records[campaign.campaign_id] = replace(
            campaign,
            name=call.text("campaign_name") or campaign.name,
            description=call.text("campaign_description") or campaign.description,
            type_campaign=call.text("type_camp") or campaign.type_campaign,
            enable_edition=call.text("enable_edition") or campaign.enable_edition,
            start_time=call.text("start_time") or campaign.start_time,
            end_time=call.text("end_time") or campaign.end_time,
            skill_id=skill_id,
            settings=MappingProxyType(settings),
        )
        self._actions.append((call.key, campaign.campaign_id))
        known: dict[str, object] = {
            "campaign_id": campaign.campaign_id,
            "campaign_name": campaign.name,
            "campaign_description": campaign.description,
            "type_camp": campaign.type_campaign,
            "enable_edition": campaign.enable_edition,
            "start_time": campaign.start_time,
            "end_time": campaign.end_time,
            "skill_id": campaign.skill_id,
            **campaign.settings,
        }
        row = self._generated.row(call.op, 0, call.now, known)
        return answer(call.op, call.fill(count=1), one(call.op, row))

    def _start(self, call: Call) -> Answer:
        return self._change(call, status=_STATUSES["start"])

    def _stop(self, call: Call) -> Answer:
        return self._change(call, status=_STATUSES["stop"])

    def _speed(self, call: Call) -> Answer:
        return self._change(call, speed=call.text("speed"))

    def _change(self, call: Call, *, status: str | None = None, speed: str | None = None) -> Answer:
        campaign = self.get(call)
        if campaign is None:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        self.records[campaign.campaign_id] = replace(
            campaign, status=status or campaign.status, speed=speed or campaign.speed
        )
        self._actions.append((call.key, campaign.campaign_id, status or speed or ""))
        return answer(call.op, call.fill())

    def _delete(self, call: Call) -> Answer:
        listed = call.request.value("campaign_ids")
        ids = [as_text(value) for value in listed] if isinstance(listed, list) else []
        ids += [value for value in call.text("campaign_id").split(",") if value.strip()]
        if not ids:
            return refuse(call.op, 400, BAD_REQUEST, PARAMETERS_REQUIRED)
        found = [campaign_id for campaign_id in dict.fromkeys(ids) if campaign_id in self.records]
        if not found:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        for campaign_id in found:
            del self.records[campaign_id]
            self._actions.append((call.key, campaign_id))
        return answer(call.op, call.fill(count=len(found), failed=len(set(ids)) - len(found)))

    # -- its records ---------------------------------------------------------------------------

    def _add_records(self, call: Call) -> Answer:
        campaign = self.get(call)
        if campaign is None:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        added = tuple(MappingProxyType(dict(record)) for record in call.request.records)
        status = _STATUSES.get(call.text("campaign_status"), campaign.status)
        self.records[campaign.campaign_id] = replace(
            campaign, records=campaign.records + added, status=status
        )
        self._actions.append((call.key, campaign.campaign_id, str(len(added))))
        row = self._generated.row(call.op, 0, call.now, {"total_registers": str(len(added))})
        return answer(call.op, call.fill(count=len(added)), one(call.op, row))

    def _remove_records(self, call: Call) -> Answer:
        campaign = self.get(call)
        if campaign is None:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        wanted = {value.strip() for value in call.text("customer_id").split(",") if value.strip()}
        kept = tuple(record for record in campaign.records if customer_of(record) not in wanted)
        if len(kept) == len(campaign.records):
            return not_found(call.op, RECORD_NOT_FOUND)
        self.records[campaign.campaign_id] = replace(campaign, records=kept)
        self._actions.append((call.key, campaign.campaign_id, *sorted(wanted)))
        return answer(call.op, call.fill(count=len(campaign.records) - len(kept)))

    def _clear(self, call: Call) -> Answer:
        campaign = self.get(call)
        if campaign is None:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        self.records[campaign.campaign_id] = replace(campaign, records=())
        self._actions.append((call.key, campaign.campaign_id))
        return answer(call.op, call.fill(count=len(campaign.records)))

    def _codify(self, call: Call) -> Answer:
        campaign = self.get(call)
        if campaign is None:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        customer_id = call.text("customer_id")
        if campaign.find(customer_id) is None:
            return not_found(call.op, RECORD_NOT_FOUND)
        coded = {name: call.text(name) for name in ("cod_act", "cod_act_2", "comment") if call.text(name)}
        self.update_record(campaign.campaign_id, customer_id, coded)
        self._actions.append((call.key, campaign.campaign_id, customer_id, call.text("cod_act")))
        return answer(call.op, call.fill())

    def update_record(self, campaign_id: str, customer_id: str, changes: Mapping[str, object]) -> None:
        campaign = self.records[campaign_id]
        records = tuple(
            MappingProxyType({**record, **changes}) if customer_of(record) == customer_id else record
            for record in campaign.records
        )
        self.records[campaign_id] = replace(campaign, records=records)

    def _find(self, call: Call) -> Answer:
        campaign_id, customer_id, phone = (
            call.text(n) for n in ("campaign_id", "customer_id", "customer_phone")
        )
        if not (campaign_id or customer_id or phone):
            return refuse(call.op, 400, BAD_REQUEST, PARAMETERS_REQUIRED)
        rows = [
            self._record_row(call, campaign, record, campaign_id=campaign.campaign_id)
            for campaign in self.records.values()
            if not campaign_id or campaign.campaign_id == campaign_id
            for record in campaign.records
            if (not customer_id or customer_of(record) == customer_id)
            and (not phone or phone in (as_text(record.get(name)) for name in PHONES))
        ]
        if not rows:
            return no_data(call.op)
        return answer(call.op, call.fill(count=len(rows)), rows)

    def _export(self, call: Call) -> Answer:
        campaign = self.get(call)
        if campaign is None:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        rows = [self._record_row(call, campaign, record) for record in campaign.records]
        extras = {"total_records": str(len(rows)), "campaign_id": campaign.campaign_id}
        return answer(call.op, call.fill(count=len(rows), **extras), rows)

    def _record_row(
        self, call: Call, campaign: CampaignRecord, record: Record, **values: str
    ) -> dict[str, object]:
        """A record under the operation's documented fields, Spanish ones included; undialed fields blank."""
        row: dict[str, object] = {}
        for name in call.op.result.fields:
            source = _EXPORT.get(name, name)
            row[name] = values.get(name, as_text(record.get(source)) or _UNDIALED.get(name, ""))
        return row

    def _detail(self, call: Call) -> Answer:
        if self.get(call) is None:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        return self._generated.report(call)

    def _known_then_generated(self, call: Call) -> Answer:
        if self.get(call) is None:
            return not_found(call.op, CAMPAIGN_NOT_FOUND)
        self._actions.append((call.key, call.text("campaign_id")))
        return self._generated.answer(call)

    # -- reports -------------------------------------------------------------------------------

    def _list(self, call: Call) -> Answer:
        wanted = call.text("campaign")
        rows = [
            self._campaign_row(call, campaign)
            for campaign in self.records.values()
            if not wanted or campaign.campaign_id == wanted
        ]
        if not rows:
            return no_data(call.op)
        return answer(call.op, call.fill(count=len(rows)), rows)

    def _real_time(self, call: Call) -> Answer:
        rows = [
            self._campaign_row(call, campaign, campaign=campaign.name) for campaign in self.records.values()
        ]
        return answer(call.op, call.fill(count=len(rows)), rows)

    def _campaign_row(self, call: Call, record: CampaignRecord, **values: str) -> dict[str, object]:
        known = {
            "campaign_id": record.campaign_id,
            "campaign_name": record.name,
            "campaign_description": record.description,
            "type_campaign": record.type_campaign,
            "dial_mode": record.type_campaign,
            "status": record.status,
            "records": str(len(record.records)),
            "speed": record.speed,
            "skill_id": record.skill_id,
            "last_use": record.last_use,
            **values,
        }
        return self._generated.row(call.op, int(record.campaign_id), call.now, known)
