"""speech_analytics.php: speech analytics of calls and chats."""

from ._model import EXPORT_MAX_RESPONSE, Kind, Param, Result, ResultKind, family

op = family("speech_analytics", "speech_analytics.php", max_response=EXPORT_MAX_RESPONSE)

OPERATIONS = (
    op(  # 1. Speech Calls
        "speech_calls",
        "GET",
        idempotent=True,  # guess: a read
        doc="Report the speech analytics of calls: transcript, summary, sentiment, FCR, CSAT.",
        query=(
            Param("date_ini", Kind.DATETIME),
            Param("date_end", Kind.DATETIME),
            # filter and value are optional, per the description.
            Param(
                "filter",
                Kind.CHOICE,
                required=False,
                choices=("id_call", "id_agent", "cod_act", "speech_to_text"),
            ),
            Param("value", required=False),
        ),
        # topic, fcr, fcr_justification, csat and csat_justification are in the Response table only.
        result=Result(
            ResultKind.RECORDS,
            fields=(
                "conn_id",
                "agent_id",
                "customer_phone",
                "time",
                "date",
                "cod_act",
                "silence",
                "audio_text",
                "customer_id",
                "summary",
                "feeling",
                "channel",
                "topic",
                "fcr",
                "fcr_justification",
                "csat",
                "csat_justification",
            ),
            empty_on_404=True,  # guess: as the reports
        ),
        guesses=("idempotent", "empty_on_404"),
    ),
)
