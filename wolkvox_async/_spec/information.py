"""information.php: the operation's setup and lists: agents, skills, campaigns, codes, DNC, IPs (Información)."""

from ._model import Kind, Param, Result, ResultKind, family

op = family("information", "information.php")

OPERATIONS = (
    op(  # 1. Monitoreo Logs de auditoría
        "audit_log",
        "GET",
        idempotent=True,  # a read
        doc="List the audit log of wolkvox Manager between two dates: who did what, when, from where.",
        query=(Param("date_ini", Kind.DATETIME), Param("date_end", Kind.DATETIME)),
        result=Result(
            ResultKind.RECORDS,
            model="AuditLogEntry",
            fields=("date", "ip", "user", "action", "workstation"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 2. Información de Routing Points
        "routing_points",
        "GET",
        idempotent=True,  # a read
        doc="List the routing points and which of their channels are active, or one routing point.",
        query=(Param("routing", Kind.ID, required=False),),
        result=Result(
            ResultKind.RECORDS,
            model="RoutingPoint",
            fields=(
                "rp_id",
                "rp_name",
                "ivr_active",
                "chat_active",
                "interaction_active",
                "crm_active",
                "last_use",
            ),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 3. Información de Skills
        "skills",
        "GET",
        idempotent=True,  # a read
        doc="List the skills (agent groups), or one skill.",
        query=(Param("skill", Kind.ID, required=False),),
        result=Result(
            ResultKind.RECORDS,
            model="Skill",
            fields=("skill_id", "skill_name", "skill_description", "last_use"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 4. Campañas
        "campaigns",
        "GET",
        idempotent=True,  # a read
        doc="List the campaigns with their type, state, size and dialing settings, or one campaign.",
        query=(Param("campaign", Kind.ID, required=False),),
        result=Result(
            ResultKind.RECORDS,
            model="Campaign",
            fields=(
                "campaign_id",
                "campaign_name",
                "campaign_description",
                "type_campaign",
                "status",
                "records",
                "speed",
                "dial_mode",
                "last_use",
                "recycled",
                "turbo_dial",
                "skill_id",
            ),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 5. Agentes
        "agents",
        "GET",
        name="list_agents",
        idempotent=True,  # a read
        doc="List the agents with their state and last connection, or one agent.",
        query=(Param("agent", Kind.ID, required=False),),
        result=Result(
            ResultKind.RECORDS,
            model="Agent",
            fields=(
                "agent_id",
                "agent_name",
                "agent_dni",
                "agent_status",
                "last_use",
                "agent_sso",
                "enabled",
            ),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 6. Conectores
        "connectors",
        "GET",
        idempotent=True,  # a read
        doc="List the channel connectors (web chat, WhatsApp, Facebook, email...) and their routing points.",
        result=Result(
            ResultKind.RECORDS,
            model="Connector",
            fields=("connector_id", "rp_id", "name", "channel"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 7. Información de Servicios
        "services",
        "GET",
        idempotent=True,  # a read
        doc="Tell the operation's license counts and which services are active.",
        result=Result(
            ResultKind.RECORD,
            model="Services",
            fields=(
                "licenses",
                "pbx",
                "screen_recording",
                "video_call",
                "stereo_recording",
                "gamification",
                "text_analytics",
                "speech_analytics",
                "rsync",
                "wolkvox_storage",
                "blob_storage",
                "aws_s3",
                "intelligentdial",
                "bi",
                "customer_prot",
                "mr_wizard",
                "turbo_dial",
                "sso",
                "mailgun",
                "whatsapp",
                "facebook_page",
                "facebook_messenger",
                "instagram_page",
                "instagram_chat",
                "sms_bidireccional",
                "chat_web",
                "telegram",
                "crm",
                "email",
                "cobrowsing",
            ),
        ),
    ),
    op(  # 8. Listar agentes en skill
        "agents_in_skill",
        "GET",
        idempotent=True,  # a read
        doc="List the agents of a skill with their expertise levels.",
        query=(Param("skill_id", Kind.ID),),
        result=Result(
            ResultKind.RECORDS,
            model="AgentInSkill",
            fields=("agent_id", "agent_name", "last_use", "expertise"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 9. Listar códigos de actividad
        "activity_codes",
        "GET",
        idempotent=True,  # a read
        doc="List the activity (disposition) codes with their flags and channels, or one code.",
        query=(Param("cod_act", required=False),),
        result=Result(
            ResultKind.RECORDS,
            model="ActivityCode",
            fields=(
                "cod_act",
                "description_cod_act",
                "hit",
                "rpc",
                "chat",
                "studio",
                "voice",
                "type_code",
                "interactions",
            ),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 10. Información de tokens
        "token_info",
        "GET",
        idempotent=True,  # a read (it costs one call of the quota, as documented)
        doc="Tell the token's daily limit and use today, and all tokens' use today.",
        result=Result(
            ResultKind.RECORD,
            model="TokenInfo",
            fields=(
                "description",
                "token_limit",
                "token_use_today",
                "all_token_today",
                "available_consumption_options",
            ),
        ),
    ),
    op(  # 11. Listar teléfonos Do Not Call
        "get_dnc",
        "GET",
        idempotent=True,  # a read
        doc="List the phone numbers of the inbound, outbound or both Do Not Call lists.",
        query=(Param("type", Kind.CHOICE, choices=("inbound", "outbound", "all")),),
        result=Result(
            ResultKind.RECORDS,
            model="DncPhone",
            fields=("phone_number", "type", "date_delete"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 12. Consultar teléfono protegido por la ley 2300
        "law2300_info",
        "GET",
        idempotent=True,  # a read
        doc="Tell whether a phone number is blocked by Ley 2300 consumer protection, and since when.",
        query=(Param("nit"), Param("phone")),
        result=Result(
            ResultKind.RECORDS,
            model="Law2300Phone",
            fields=("phone_number", "last_day", "last_channel"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data" (the number is not blocked)
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 13. Listar IPs
        "get_ip",
        "GET",
        idempotent=True,  # a read
        doc="List the IP addresses allowed through the operation's firewall.",
        result=Result(
            ResultKind.RECORDS,
            model="AllowedIp",
            fields=("operation", "ip", "last_use", "type_ip", "description"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 14. Obtener notificaciones de wolkvox Manager
        "get_notification",
        "GET",
        idempotent=True,  # a read
        doc="List the texts of the wolkvox Notification component's notifications between two dates.",
        query=(Param("date_ini", Kind.DATETIME), Param("date_end", Kind.DATETIME)),
        result=Result(
            ResultKind.RECORDS,
            model="Notification",
            fields=("date", "notification"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 15. Total de almacenamiento de audios
        "storage",
        "GET",
        idempotent=True,  # a read
        doc="Tell the disk space the operation's audio recordings take, in gigabytes.",
        # guess: one record; the example's array holds one
        result=Result(ResultKind.RECORD, model="StorageUsage", fields=("storage",)),
        guesses=("result: one record",),
    ),
    op(  # 16. Listar audios
        "audio_list",
        "GET",
        idempotent=True,  # a read
        doc="List the audio files stored in wolkvox Manager with their size and duration.",
        result=Result(
            ResultKind.RECORDS,
            model="Audio",
            fields=("audio_id", "created_at", "size", "duration"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
)
