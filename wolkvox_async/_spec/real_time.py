"""real_time.php: the operation now: agents, calls, skills, campaigns, chats, recalls (Tiempo Real)."""

from ._model import Kind, Param, Result, ResultKind, family

op = family("real_time", "real_time.php")

OPERATIONS = (
    op(  # 1. Reporte tiempo real de agentes
        "agents",
        "GET",
        idempotent=True,  # a read
        doc="Report each agent's state now and today's calls and times (ready, ACW, AHT, login...).",
        result=Result(
            ResultKind.RECORDS,
            model="RealTimeAgent",
            fields=(
                "agent_id",
                "agent_name",
                "agent_status",
                "calls",
                "inbound",
                "outbound",
                "internal",
                "time_state_now",
                "ready_time",
                "inbound_time",
                "outbound_time",
                "acw_time",
                "ring_time",
                "login_time",
                "aht_time",
                "ocupation",
                "aux_time",
            ),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 2. Llamadas en los últimos 10 minutos
        "calls_last_10",
        "GET",
        idempotent=True,  # a read
        doc="List the calls received or made in the last 10 minutes, with their type and result.",
        result=Result(
            ResultKind.RECORDS,
            model="RecentCall",
            fields=("type_interaction", "result", "date", "telephone", "customer_id", "conn_id"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 3. Hits en la última hora
        "hits_last_hour",
        "GET",
        idempotent=True,  # a read
        doc="List the calls of the last hour with whether each was a hit (a success).",
        result=Result(
            ResultKind.RECORDS,
            model="RecentHit",
            fields=("conn_id", "type_interaction", "date", "telephone", "customer_id", "hit"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 4. Monitoreo servers dedicados
        "info_server",
        "GET",
        idempotent=True,  # a read
        doc="Tell a dedicated server's CPU and RAM use, calls and connected agents now.",
        result=Result(
            ResultKind.RECORD,
            model="ServerStatus",
            fields=("cpu_avg_10s", "cpu_max_10s", "cpu_min_10s", "ram", "calls", "connected_agents"),
        ),
    ),
    op(  # 5. Reporte de latencia
        "latency",
        "GET",
        idempotent=True,  # a read
        doc="Report network latency, jitter and packet loss by agent, by IP and by PBX user.",
        # guess: one record of three lists; the example's array holds one
        result=Result(ResultKind.RECORD, model="Latency", fields=("by_agent", "by_ip", "by_pbx")),
        guesses=("result: one record",),
    ),
    op(  # 6. Reporte en tiempo real de Skill
        "skills",
        "GET",
        idempotent=True,  # a read
        doc="Report a skill's (or every skill's) queue, answered and abandoned calls and service levels.",
        query=(
            Param("skill_id"),  # text: a skill's id or "all"
            Param("services_time", Kind.NUMBER, required=False),
        ),
        result=Result(
            ResultKind.RECORDS,
            model="RealTimeSkill",
            fields=(
                "skill_id",
                "skill_name",
                "calls_in_queue_now",
                "stat_inbound",
                "stat_answer",
                "stat_abandon",
                "service_level_10seg",
                "service_level_20seg",
                "service_level_30seg",
                "by_abandon",
            ),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 7. Reporte tiempo real de campañas
        "campaigns",
        "GET",
        idempotent=True,  # a read
        doc="Report each campaign's state, speed, contact results and penetration now.",
        result=Result(
            ResultKind.RECORDS,
            model="RealTimeCampaign",
            fields=(
                "campaign",
                "speed",
                "status",
                "skill_id",
                "records",
                "clean",
                "dial",
                "answer",
                "no_answer",
                "busy/congestion/failed",
                "answer_machine",
                "penetration_day",
                "penetration_now",
                "hits",
                "calls_x_min",
                "recycled",
            ),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
            key=None,
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 8. Reporte en tiempo real de chats
        "chats",
        "GET",
        idempotent=True,  # a read
        doc="List each agent's active chats with their conversations so far.",
        result=Result(
            ResultKind.RECORDS,
            model="AgentChats",
            fields=("agent_id", "active_chats"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 9. Reporte en tiempo real de interacciones
        "interactions",
        "GET",
        idempotent=True,  # a read
        doc="List each agent's active interactions (email, social media).",
        result=Result(
            ResultKind.RECORDS,
            model="AgentInteractions",
            fields=("agent_id", "active_interactions"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
    op(  # 10. Consulta de recalls programados en Campañas
        "recall",
        "GET",
        idempotent=True,  # a read
        doc="List the campaigns' scheduled recalls: all, manual or automatic ones.",
        query=(Param("type", Kind.CHOICE, choices=("all", "manual", "auto")),),
        result=Result(
            ResultKind.RECORDS,
            model="ScheduledRecall",
            fields=("type_recall", "date_recall", "phone_number", "id_campaing", "id_agent"),
            empty_on_404=True,  # guess: wolkvox's 404 "no data"
        ),
        guesses=("empty_on_404",),
    ),
)
