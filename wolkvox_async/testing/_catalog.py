"""What wolkvox's catalogue shows each operation answering: the model for the emulator's envelopes.

Taken from the example answers in ``catalog/catalog.json`` (wolkvox's public
Postman collection), keyed by script and ``api=`` name, so that the package
needs no catalogue at run time. ``code`` keeps the example's type and value (an
int, ``"200"`` or ``""``); where the example holds a placeholder (``"XXX"``,
``" "``, nothing) a code of the same script's habit is chosen. ``msg`` is the
example's wording with its placeholders (``x``, ``#``, ``xxxxx``) turned into
``{names}`` filled from the request: ``{count}`` is how many records the answer
holds or the call touched. ``detail`` is the string some acknowledgements carry
as ``data``; ``keys`` the envelope's keys where they are not ``code``,
``error``, ``msg`` and the records (``()`` for a bare array); ``nested`` the
structure of record fields whose example value is a list or an object.
``listed`` whether its records come in an array (True: even a single one, as
create_agent's) or as one object (False); None when the example shows none.
``tests/test_emulator_api.py`` checks this table against the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, NamedTuple


class Example(NamedTuple):
    code: int | str | None
    msg: str
    detail: str | None = None
    keys: tuple[str, ...] | None = None
    nested: Mapping[str, object] = {}
    listed: bool | None = None


DEFAULT: Final = Example(200, "{count} records were found")
"""For an operation the catalogue does not show (one added to the spec later)."""

EXAMPLES: Final[Mapping[tuple[str, str], Example]] = {
    ("agentbox.php", "change_status"): Example("200", "Agent status has been modified to {status}"),
    ("agentbox.php", "hang_type_ready"): Example("200", "Type has been successful"),
    ("agentbox.php", "hang"): Example("200", "Hang has been successful"),
    ("agentbox.php", "mute"): Example("200", "Microphone agentbox has been excecuted"),
    ("agentbox.php", "dtmf"): Example("200", "default", detail="{tones} agentbox has been added "),
    ("agentbox.php", "dial"): Example("200", "Dial has been successful", listed=False),
    ("agentbox.php", "agent_display"): Example("200", "default", detail="Agentbox has been {display}"),
    ("agentbox.php", "hold"): Example("200", "Hold agentbox has been excecuted"),
    ("agentbox.php", "recall"): Example("200", "Recall has been successful"),
    ("agentbox.php", "aux_call"): Example("200", "Type has been successful", listed=False),
    ("agentbox.php", "type"): Example("200", "Type has been successful", listed=False),
    ("agentbox.php", "transfer"): Example(
        "200", "Call has been transfer to {customer_phone} number", listed=False
    ),
    ("agentbox.php", "edit_recall"): Example("200", "Recall has been updated"),
    ("agentbox.php", "delete_recall"): Example("200", "Recall has been deleted"),
    ("billing.php", "agent_script"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "intelligent_dial"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "gamification"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "ivr_minutes"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "rec_minutes"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "amazon_s3"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "rsync"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "rsync_s3_mp3"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "rec_screen"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "interactions"): Example(200, "{count} records were found", listed=True),
    ("billing.php", "rec_screen_on_demand"): Example(
        200, "Information found for the current month", listed=True
    ),
    ("billing.php", "speech_analytics"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "wp_connectors"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "sentiment_analysis"): Example(
        200, "Information found for the current month", listed=True
    ),
    ("billing.php", "chat_licenses"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "interaction_licenses"): Example(
        200, "Information found for the current month", listed=True
    ),
    ("billing.php", "video_call"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "pbx_licenses"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "ivr_calls"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "asr_calls"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "vision"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "tts_chars"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "wp_connectors_official"): Example(
        200, "Information found for the current month", listed=True
    ),
    ("billing.php", "contact_center_licenses"): Example(
        200, "Information found for the current month", listed=True
    ),
    ("billing.php", "amd_ai"): Example(200, "Information found for the current month", listed=True),
    ("billing.php", "stereo_rec"): Example("200", "Information found for the current month", listed=True),
    ("billing.php", "nlp_ai"): Example("200", "Information found for the current month", listed=True),
    ("campaign.php", "add_dnc"): Example(201, "{count} telephones were added", listed=True),
    ("campaign.php", "add_record"): Example("201", "All records has been added successfully", listed=True),
    ("campaign.php", "clear_campaign"): Example(
        202, "All records has been deleted of campaign_id {campaign_id} successfully"
    ),
    ("campaign.php", "create_campaign"): Example(
        201, "The {campaign_id} campaign_id has been created successfully", listed=True
    ),
    ("campaign.php", "codify"): Example(202, "customer_id {customer_id} has been coded"),
    ("campaign.php", "detail"): Example("200", "{count} records were found", listed=True),
    ("campaign.php", "recall"): Example(
        202,
        "customer_id {customer_id} has been updated and will be call back on {recall_date} to phone {recall_telephone}",
    ),
    ("campaign.php", "remove_record"): Example(
        202, "customer_id {customer_id} has been deleted successfully"
    ),
    ("campaign.php", "speed"): Example(
        202, "The speed of {campaign_id} campaign_id has been updated successfully"
    ),
    ("campaign.php", "start"): Example(202, "The {campaign_id} campaign_id has been started successfully"),
    ("campaign.php", "stop"): Example(202, "The {campaign_id} campaign_id has been stopped successfully"),
    ("campaign.php", "find_record"): Example("200", "{count} records were found", listed=True),
    ("campaign.php", "delete_campaign"): Example(
        "200", "{count} campaigns deleted successfully. {failed} operations failed."
    ),
    ("campaign.php", "campaign_filter"): Example(202, "Campaign filter successfully updated", listed=False),
    ("campaign.php", "campaign_15"): Example(
        "200", "", listed=True, keys=("code", "total_records", "campaign_id", "records")
    ),
    ("campaign.php", "recall_records"): Example(
        "200", "{count} record(s) have been marked for recall successfully", listed=True
    ),
    ("campaign.php", "edit_campaign"): Example(
        "200",
        "Campaign has been updated successfully",
        listed=True,
        nested={"optional_labels": {"opt1": "", "opt2": ""}},
    ),
    ("configuration.php", "add_dnc"): Example(201, "{count} telephones were added"),
    ("configuration.php", "create_agent"): Example(201, "Agent has been created", listed=True),
    ("configuration.php", "create_cod_act"): Example(201, "Code successfully created"),
    ("configuration.php", "disable_agent"): Example(202, "{agent_id} agent has been disabled"),
    ("configuration.php", "disable_module"): Example(
        202, "The {module} module has been successfully disabled"
    ),
    ("configuration.php", "enable_agent"): Example(202, "{agent_id} agent has been enabled"),
    ("configuration.php", "enable_module"): Example(202, "The {module} module has been successfully enabled"),
    ("configuration.php", "remove_dnc"): Example(202, "{count} telephones were deleted"),
    ("configuration.php", "add_ip"): Example("201", "IP: {ip} has been added successfully"),
    ("configuration.php", "remove_ip"): Example("202", "IP: {ip} has been deleted successfully"),
    ("configuration.php", "add_interaction"): Example(
        "201", "{rp_id} routing point was executed and assigned to agent ({agent_id}) "
    ),
    ("configuration.php", "create_skill"): Example(201, "Skill has been created", listed=True),
    ("configuration.php", "edit_agent"): Example(202, "agent has been updated"),
    ("configuration.php", "edit_skill"): Example(202, "skill has been updated"),
    ("configuration.php", "remove_cod_act"): Example("201", "Removed successfully"),
    ("configuration.php", "edit_cod_act"): Example("201", "Successfully updated code"),
    ("configuration.php", "add_agents_skill"): Example(
        "201", "Agent {agent_id} added to skill {skill_id} of operation"
    ),
    ("configuration.php", "remove_agents_skill"): Example("201", "Removed successfully"),
    ("configuration.php", "edit_licenses"): Example(
        "200",
        " - Change of contact center licenses from {old_call_center} to {call_center} - Change of PBX licenses from {old_pbx} to {pbx}",
    ),
    ("configuration.php", "free_law2300"): Example("201", "Removed successfully"),
    ("configuration.php", "upload_file"): Example("201", "Upload successfully"),
    ("configuration.php", "delete_file"): Example("201", "File delete  successfully"),
    ("configuration.php", "upload_audio"): Example(
        "201", "{count} audio file(s) uploaded successfully", listed=True
    ),
    ("configuration.php", "block_law2300"): Example("200", "The number has been blocked successfully"),
    ("configuration.php", "block_predictive_dnc"): Example(
        "202", "{count} records were successfully marked as DO-NOT-CALL in campaign {id_campaing}"
    ),
    ("customer.php", "agents_detail"): Example(200, "{count} records were found", listed=True),
    ("customer.php", "agents_statustime"): Example(200, "{count} records were found", listed=True),
    ("customer.php", "cdr_calls"): Example(200, "{count} records were found", listed=True),
    ("customer.php", "skills_detail"): Example(200, "{count} records were found", listed=True),
    ("gamification.php", "agents_kpi"): Example(
        "200",
        "{count} records were found",
        listed=True,
        nested={
            "stats": [
                {
                    "date": "",
                    "points": "",
                    "hits": "",
                    "calls": "",
                    "aht_time": "",
                    "acw_time": "",
                    "occupancy": "",
                    "login_time": "",
                }
            ]
        },
    ),
    ("information.php", "audit_log"): Example(200, "{count} records were found", listed=True),
    ("information.php", "routing_points"): Example(200, "{count} records were found", listed=True),
    ("information.php", "skills"): Example(200, "{count} records were found", listed=True),
    ("information.php", "campaigns"): Example("", "{count} records were found", listed=True),
    ("information.php", "agents"): Example("", "{count} records were found", listed=True),
    ("information.php", "connectors"): Example(200, "{count} records were found", listed=True),
    ("information.php", "services"): Example("200", "{count} records were found", listed=True),
    ("information.php", "agents_in_skill"): Example("200", "{count} records were found", listed=True),
    ("information.php", "activity_codes"): Example("0", "{count} records were found", listed=True),
    ("information.php", "token_info"): Example("200", "{count} records were found", listed=True),
    ("information.php", "get_dnc"): Example("200", "{count} records were found", listed=True),
    ("information.php", "law2300_info"): Example("200", "{count} records were found", listed=True),
    ("information.php", "get_ip"): Example("200", "{count} records were found", listed=True),
    ("information.php", "get_notification"): Example("200", "{count} records were found", listed=True),
    ("information.php", "storage"): Example("200", "{count} records were found", listed=True),
    ("information.php", "audio_list"): Example("200", "{count} records were found", listed=True),
    ("listenvox.php", "upload"): Example(200, "Upload successfully", keys=("code", "error", "id", "msg")),
    ("quality.php", "quality_matrix"): Example(
        "200",
        "{count} records were found",
        listed=False,
        nested={"nombreDeEncuesta1": [{"category": "", "attribute": "", "error_type": "", "percent": ""}]},
    ),
    ("real_time.php", "agents"): Example(200, "{count} records were found", listed=True),
    ("real_time.php", "calls_last_10"): Example(200, "{count} records were found", listed=True),
    ("real_time.php", "hits_last_hour"): Example(200, "{count} records were found", listed=True),
    ("real_time.php", "info_server"): Example("", "", listed=False),
    ("real_time.php", "latency"): Example(
        200,
        "{count} records were found",
        listed=True,
        nested={
            "by_agent": [
                {
                    "agent_id": "",
                    "latency_ms": "",
                    "ip": "",
                    "version": "",
                    "agent_status": "",
                    "tx_jitter": "",
                    "rx_jitter": "",
                    "tx_ploss": "",
                    "rx_ploss": "",
                    "network_rejection": "",
                    "connection_type": "",
                    "platform": "",
                    "last_date": "",
                }
            ],
            "by_ip": [
                {
                    "ip": "",
                    "total_agents": "",
                    "average_latency": "",
                    "maximum": "",
                    "minimum": "",
                    "network_rejection": "",
                }
            ],
            "by_pbx": [
                {"user": "", "status": "", "tx_jitter": "", "rx_jitter": "", "tx_ploss": "", "rx_ploss": ""}
            ],
        },
    ),
    ("real_time.php", "skills"): Example(200, "{count} records were found", listed=True),
    ("real_time.php", "campaigns"): Example(None, "", listed=True, keys=()),
    ("real_time.php", "chats"): Example(
        "200",
        "{count} records were found",
        listed=True,
        nested={
            "active_chats": [
                {
                    "conn_id": "",
                    "channel": "",
                    "connector_id": "",
                    "customer_phone": "",
                    "conversation": [{"from": "", "msg": "", "date": ""}],
                }
            ]
        },
    ),
    ("real_time.php", "interactions"): Example(
        "200",
        "{count} records were found",
        listed=True,
        nested={"active_interactions": [{"conn_id": "", "subject": "", "fromname": "", "date": ""}]},
    ),
    ("real_time.php", "recall"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "agent_1"): Example(200, "Information found for the current month", listed=True),
    ("reports_manager.php", "agent_2"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_3"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_4"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_5"): Example(
        200,
        "{count} records were found",
        listed=True,
        nested={
            "status_x_hour": [
                {
                    "hour": "",
                    "calls": "",
                    "inbound": "",
                    "outbound": "",
                    "internal": "",
                    "ready_time": "",
                    "inbound_time": "",
                    "outbound_time": "",
                    "acw_time": "",
                    "ring_time": "",
                    "login_time": "",
                    "aht": "",
                    "occupancy": "",
                    "aux_time": "",
                }
            ]
        },
    ),
    ("reports_manager.php", "agent_6"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_7"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_8"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_8_1"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_9"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_10"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_11"): Example(
        200,
        "{count} records were found",
        listed=True,
        nested={
            "agents": [
                {
                    "agent_name": "",
                    "agent_dni": "",
                    "agent_id": "",
                    "calls": "",
                    "inbound": "",
                    "outbound": "",
                    "internal": "",
                    "ready_time": "",
                    "inbound_time": "",
                    "outbound_time": "",
                    "acw_time": "",
                    "ring_time": "",
                    "login_time": "",
                    "aht": "",
                    "occupancy": "",
                    "aux_time": "",
                    "hits": "",
                    "rpc": "",
                    "aht_outbound": "",
                    "aht_inbound": "",
                }
            ]
        },
    ),
    ("reports_manager.php", "agent_12"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_13"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_13_1"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "agent_14"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "agent_15"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "agent_16"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "skill_1"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "skill_2"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "skill_3"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "skill_4"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "skill_4_1"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "skill_4_2"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "skill_5"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "skill_6"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "skill_7"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "skill_8"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "skill_9"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "skill_10"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "skill_11"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "cdr_1"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "cdr_2"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "cdr_3"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "cdr_4"): Example(
        200,
        "{count} records were found",
        listed=False,
        nested={
            "0_5_seg": {"calls": "", "minutes": "", "cost": "", "percentage": ""},
            "6_20_seg": {"calls": "", "minutes": "", "cost": "", "percentage": ""},
            "21_60_seg": {"calls": "", "minutes": "", "cost": "", "percentage": ""},
            "61_120_seg": {"calls": "", "minutes": "", "cost": "", "percentage": ""},
            "greater_than_121": {"calls": "", "minutes": "", "cost": "", "percentage": ""},
        },
    ),
    ("reports_manager.php", "cdr_5"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "cdr_6"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "cdr_7"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "cdr_8"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "cdr_9"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "cdr_10"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "cdr_11"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "act_1"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "act_2"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "act_3"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "act_4"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "act_5"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_1"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_1_1"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_1_2"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_1_3"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_2"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_3"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_4"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_5"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_6"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_7"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_8"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_9"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_10"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_11"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_12"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_13"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_14"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "diagram_15"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "quality_1"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "quality_2"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "quality_3"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "quality_4"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "quality_5"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "campaign_1"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "campaign_2"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "campaign_3"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "campaign_4"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "campaign_5"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "campaign_6"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "campaign_7"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "campaign_8"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "campaign_9"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "campaign_10"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "chat_1"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "chat_2"): Example(
        200,
        "{count} records were found",
        listed=True,
        nested={
            "conversation": [
                {
                    "channel": "",
                    "from": "",
                    "from_name": "",
                    "to_name": "",
                    "date": "",
                    "message": "",
                    "customer_id": "",
                    "customer_phone": "",
                }
            ]
        },
    ),
    ("reports_manager.php", "chat_3"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "chat_4"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "chat_5"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "chat_6"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "chat_7"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "chat_8"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "chat_9"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "chat_10"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "chat_11"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "chat_12"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "chat_13"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "chat_14"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "chat_15"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "chat_16"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "speech_1"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "speech_2"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "speech_3"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "speech_4"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "speech_5"): Example(200, "{count} records were found", listed=True),
    ("reports_manager.php", "wizard_1"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "wizard_2"): Example("200", "{count} records were found", listed=True),
    ("reports_manager.php", "wizard_3"): Example("200", "{count} records were found", listed=True),
    ("sms.php", "send_sms"): Example(201, "Message has been sent successfully"),
    ("speech_analytics.php", "speech_calls"): Example("200", "{count} records were found", listed=True),
    ("configuration.php", "speech_on_demand"): Example("200", "Speech analytics record created successfully"),
    ("whatsapp.php", "send_message_mobil"): Example(201, "Message has been sent successfully"),
    ("whatsapp.php", "send_template_official"): Example(201, "Message has been sent successfully"),
    ("whatsapp.php", "send_message_official"): Example(201, "Message has been sent successfully"),
    ("whatsapp.php", "upload_media"): Example("200", "Media uploaded successfully", listed=False),
    ("whatsapp.php", "create_template"): Example("200", "Template created successfully", listed=False),
    ("whatsapp.php", "list_templates"): Example(
        "200",
        "Templates listed successfully",
        listed=False,
        nested={
            "meta_templates": [
                {
                    "name": "",
                    "previous_category": "",
                    "parameter_format": "",
                    "components": [{"type": "", "text": ""}],
                    "language": "",
                    "status": "",
                    "category": "",
                    "id": "",
                }
            ]
        },
    ),
    ("whatsapp.php", "create_auth_template"): Example("200", "Template created successfully", listed=False),
    ("whatsapp.php", "create_utility_template"): Example(
        "200", "Template created successfully", listed=False
    ),
    ("whatsapp.php", "sync_templates"): Example("200", "Templates synced successfully", listed=True),
    ("whatsapp.php", "edit_template"): Example("200", "Template edited successfully", listed=False),
    ("whatsapp.php", "delete_template"): Example("200", "Template deleted successfully", listed=False),
    ("whatsapp.php", "codify_chat"): Example("200", "codifico exitosamente"),
    ("whatsapp.php", "agent_chat"): Example(
        "200",
        "Chats listed successfully.",
        listed=False,
        nested={
            "data": [
                {
                    "channel_id": "",
                    "chat_id": "",
                    "fecha": "",
                    "channel": "",
                    "agent_user": "",
                    "skill": "",
                    "cliente": {"nombre": "", "identificadores": [""]},
                }
            ]
        },
    ),
    ("whatsapp.php", "conversations_today_by_customer"): Example(
        "200",
        "{count} records were found",
        listed=True,
        nested={
            "conversacion": [{"fecha_hora": "", "quien_hablo": "", "mensaje": ""}],
            "paginacion_mensajes": {
                "pagina": "",
                "mensajes_por_pagina": "",
                "total_registros": "",
                "total_mensajes": "",
                "total_paginas": "",
                "registro_desde": "",
                "registro_hasta": "",
            },
        },
    ),
    ("wolkvox_storage.php", "list_files"): Example(
        "200",
        "OK",
        listed=False,
        nested={
            "items": [
                {
                    "name": "",
                    "file_name": "",
                    "contentType": "",
                    "id": "",
                    "updated": "",
                    "isDirectory": "",
                    "size": "",
                }
            ],
            "pagination": {"limit": "", "next_page_token": ""},
        },
    ),
    ("wolkvox_storage.php", "file_details"): Example("200", "OK", listed=False),
    ("wolkvox_storage.php", "public_access"): Example(
        "200", "OK", listed=False, nested={"files": [{"name": "", "code": "", "message": ""}]}
    ),
    ("wolkvox_storage.php", "restricted_access"): Example(
        "200", "OK", listed=False, nested={"files": [{"name": "", "code": "", "message": ""}]}
    ),
    ("wolkvox_storage.php", "delete_files"): Example(
        "200", "OK", listed=False, nested={"files": [{"code": "", "name": ""}]}
    ),
    ("wolkvox_storage.php", "upload_files"): Example(
        "200",
        "All files uploaded successfully",
        listed=False,
        nested={
            "successful_files": [{"name": "", "status": ""}],
            "errors": [],
            "counts": {"success": "", "errors": "", "total_received": ""},
        },
    ),
}
