"""gamification.php: the agents' standing in the gamification service."""

from ._model import EXPORT_MAX_RESPONSE, Kind, Param, Result, ResultKind, family

op = family("gamification", "gamification.php", max_response=EXPORT_MAX_RESPONSE)

OPERATIONS = (
    op(  # 1. Agentes KPI
        "agents_kpi",
        "GET",
        idempotent=True,  # guess: a read
        doc="Report each agent's gamification points and KPIs, day by day, within a date window.",
        query=(Param("date_ini", Kind.DATETIME), Param("date_end", Kind.DATETIME)),
        # stats: one object a day (date, points, hits, calls, aht_time, acw_time, occupancy, login_time).
        result=Result(
            ResultKind.RECORDS,
            fields=("agent_id", "agent_name", "agent_dni", "stats"),
            empty_on_404=True,  # guess: as the reports
        ),
        guesses=("idempotent", "empty_on_404"),
    ),
)
