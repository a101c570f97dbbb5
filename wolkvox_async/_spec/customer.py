"""customer.php: reports of agents, calls and skills (the customer's reports)."""

from ._model import EXPORT_MAX_RESPONSE, Kind, Param, Result, ResultKind, family

op = family("customer", "customer.php", max_response=EXPORT_MAX_RESPONSE)

_WINDOW = (Param("date_ini", Kind.DATETIME), Param("date_end", Kind.DATETIME))

OPERATIONS = (
    op(  # 1. Reporte detalle de agente (agents_detail)
        "agents_detail",
        "GET",
        idempotent=True,  # guess: a read
        doc="Report each call agents handled: type, agent, skill, codes, telephone, campaign.",
        query=_WINDOW,
        result=Result(
            ResultKind.RECORDS,
            fields=(
                "operation",
                "conn_id",
                "type_call",
                "date",
                "agent_id",
                "agent_name",
                "skill",
                "duration",
                "cod_act",
                "cod_act_2",
                "telephone",
                "hung_up",
                "comment",
                "screecbox",
                "agent_status",
                "customer_id",
                "destiny",
                "time",
                "campaign_id",
            ),
            empty_on_404=True,  # guess: as the reports
        ),
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 2. Reporte tiempos de agente por hora (status time)
        "agents_statustime",
        "GET",
        idempotent=True,  # guess: a read
        doc="Report each agent's calls and time in each state, hour by hour.",
        query=_WINDOW,
        result=Result(
            ResultKind.RECORDS,
            fields=(
                "operation",
                "date",
                "hour",
                "agent_id",
                "agent_dni",
                "agent_name",
                "calls",
                "calls_inbound",
                "calls_outbound",
                "calls_internal",
                "ready_time",
                "inbound_time",
                "outbound_time",
                "acw_time",
                "ring_time",
                "login_time",
                "aht",
                "occupancy",
                "aux_time",
            ),
            empty_on_404=True,  # guess: as the reports
        ),
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 3. Reporte de CDR de llamadas
        "cdr_calls",
        "GET",
        idempotent=True,  # guess: a read
        doc="Report the call detail records (CDR): one row per call.",
        query=_WINDOW,
        result=Result(
            ResultKind.RECORDS,
            fields=(
                "conn_id",
                "type_call",
                "talk_time",
                "agent_id",
                "agent_name",
                "agent_dni",
                "skill_id",
                "date",
                "hour",
                "day_of_week",
                "cod_act",
                "description_cod_act",
                "cod_act_2",
                "description_cod_act_2",
                "hit",
                "telephone_destination",
                "telephone_costs",
                "telephone",
                "hang_up",
                "customer_id",
                "month",
                "screen_recording",
                "operation",
                "ring",
                "abandon",
            ),
            empty_on_404=True,  # guess: as the reports
        ),
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 4. Reporte de detalle de skill
        "skills_detail",
        "GET",
        idempotent=True,  # guess: a read
        doc="Report each interaction by skill: wait time, answer time bands, result, ANI and DNIS.",
        query=_WINDOW,
        # operation is in the example answer, not in the Response table.
        result=Result(
            ResultKind.RECORDS,
            fields=(
                "operation",
                "conn_id",
                "type_call",
                "date",
                "agent_id",
                "agent_name",
                "skill_id",
                "wait_time",
                "calls_ans_10",
                "calls_ans_20",
                "calls_ans_30",
                "calls_ans_40",
                "calls_ans_50",
                "skill_result",
                "ani",
                "dnis",
            ),
            empty_on_404=True,  # guess: as the reports
        ),
        guesses=("idempotent", "empty_on_404"),
    ),
)
