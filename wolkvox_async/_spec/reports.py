"""reports_manager.php: historical reports over a date window (Reportes).

Every report is a read (GET, idempotent), costs quota, may weigh up to 256 MB,
and answers 404 when its window holds no data (read as no rows). Rows are
read-only mappings with the fields the catalogue's example shows.
"""

from ._model import EXPORT_MAX_RESPONSE, Kind, Operation, Param, Result, ResultKind, family

op = family("reports", "reports_manager.php", max_response=EXPORT_MAX_RESPONSE)

WINDOW = (Param("date_ini", Kind.DATETIME), Param("date_end", Kind.DATETIME))
"""The date window every report takes (wolkvox allows 31 days at most)."""

SKILL_WINDOW = (Param("skill_id"), *WINDOW)
"""The skill_* reports' query: one skill's id or "all" (so text, not an id), then the window."""

CAMPAIGN_WINDOW = (Param("campaign_id"), *WINDOW)
"""The campaign_* reports' query: one campaign's id or "all" (so text, not an id), then the window."""

COD_ACT_GROUPS = ("cod_act1", "cod_act2")
"""The disposition-code groups the act_* reports take: group #1 or group #2."""


def report(
    api: str,
    doc: str,
    fields: str,
    *,
    query: tuple[Param, ...] = WINDOW,
    guesses: tuple[str, ...] = (),
) -> Operation:
    """A report: a read whose rows are read-only mappings with ``fields`` (names separated by spaces).

    Wolkvox's 404 "no data" for the window is read as no rows.
    """
    return op(
        api,
        "GET",
        idempotent=True,
        doc=doc,
        query=query,
        result=Result(ResultKind.RECORDS, fields=tuple(fields.split()), empty_on_404=True),
        guesses=guesses,
    )


OPERATIONS = (
    report(  # 1. Agente tiempo por estado
        "agent_1",
        "Time each agent spent in each state, with calls, AHT, hits, RPC and login/logout.",
        (
            "agent_id agent_dni agent_name calls inbound outbound internal ready_time inbound_time"
            " outbound_time acw_time ring_time login_time aht occupancy aux_time hits rpc aht_outbund"
            " aht_inbound login logout"
        ),
        query=(
            *WINDOW,
            Param("agent_id", Kind.ID, required=False),  # one agent; all when left out
        ),
    ),
    report(  # 2. Agente por evento - Seleccione agente
        "agent_2",
        "One agent's state events: each state with its start, end, call and phone.",
        "agent_id agent_status time date_ini date_end conn_id type_interaction destiny telephone campaign_id",
        query=(
            Param("agent_id", Kind.ID),
            *WINDOW,
        ),
    ),
    report(  # 3. Tiempo auxiliar por agente
        "agent_3",
        "Time each agent spent in each auxiliary state.",
        "agent_id agent_dni agent_name aux_state time",
    ),
    report(  # 4. Agentes estados por campaña
        "agent_4",
        "Calls and time in each state per agent and campaign.",
        (
            "agent_id agent_name calls inbound outbound internal ready_time inbound_time outbound_time"
            " acw_time ring_time login_time aht occupancy aux_time campaign_id"
        ),
    ),
    report(  # 5. Estados por hora y agente
        "agent_5",
        "Each agent's calls and state times hour by hour (rows nested in status_x_hour).",
        # status_x_hour: a list of per-hour rows (hour, calls, ..., aux_time)
        "agent_name agent_id status_x_hour",
    ),
    report(  # 6. Estados por hora
        "agent_6",
        "Calls and state times per hour, for all agents together.",
        (
            "hour calls inbound outbound internal ready_time inbound_time outbound_time acw_time ring_time"
            " login_time aht occupancy aux_time"
        ),
    ),
    report(  # 7. Tiempo de logueo (Login – Logout)
        "agent_7",
        "Each agent's login, logout and time logged in, per day.",
        # agent_dni: from the Response table (the example lacks it)
        "agent_name agent_id agent_dni date login logout login_time",
    ),
    report(  # 8. Estados de agente – hora a hora
        "agent_8",
        "Calls and state times per agent, day and hour.",
        (
            "agent_name agent_dni agent_id date hour calls inbound outbound internal ready_time inbound_time"
            " outbound_time acw_time ring_time login_time aht occupancy aux_time"
        ),
    ),
    report(  # 8.1. Estados de agente por 30 minutos
        "agent_8_1",
        "Calls and state times per agent, day and 30-minute interval.",
        # the example is broken JSON; its names agree with the Response table
        (
            "agent_name agent_id agent_dni date hour calls inbound outbound internal ready_time inbound_time"
            " outbound_time acw_time ring_time login_time aht occupancy aux_time"
        ),
    ),
    report(  # 9. Hold time y mute por agente
        "agent_9",
        "Hold and mute uses and times per agent.",
        "agent_name count hold_time mute_time total_time",
    ),
    report(  # 10. Detalle hold y mute time
        "agent_10",
        "Each hold or mute an agent used, with its call, skill, phone and customer.",
        "agent_name agent_id type_action conn_id type_interaction time skill_id date telephone customer_id",
    ),
    report(  # 11. Agente tiempo por estado agrupado por skill
        "agent_11",
        "Calls and state times per agent, grouped by skill (agents nested in agents).",
        # agents: a list of per-agent rows (agent_name, ..., aht_inbound)
        "skill_name agents",
    ),
    report(  # 12. Conferencias y transferencias de agentes
        "agent_12",
        "Transfers and conferences per agent, with their total time.",
        # the example's agent_name (the Response table says skill_name)
        "agent_name agent_id transfer_calls conference_calls total_time",
    ),
    report(  # 13. Transferencia y conferencias detallado
        "agent_13",
        "Calls transferred or conferenced: one row per call, with agent, phone and duration.",
        "agent_name agent_id conn_id date telephone type_interaction time",
    ),
    report(  # 13.1 Detalle específico de transferencias y conferencias
        "agent_13_1",
        "Each transfer or conference leg: origin and destination agents, duration, call type.",
        (
            "conn_id_transfer skill_id date ani origin_agent_id origin_agent_name destiny_agent_id"
            " destiny_agent_name dnis time type_call id_call_origin"
        ),
    ),
    report(  # 14. Evento por agente total
        "agent_14",
        "State events of all agents: each state with its start, end, call and phone.",
        (
            "agent_id agent_status time date_ini date_end conn_id type_interaction destinity telephone"
            " campaign_id agent_dni agent_name"
        ),
    ),
    report(  # 15. Reporte Detallado Preview Time
        "agent_15",
        "Preview campaigns: time from receiving each record to dialling it, per call.",
        (
            "id_call id_agent agent_name type_call date_preview time_preview ready talk not_ready_acw"
            " auxiliary_times ring total_duration preview_percent"
        ),
    ),
    report(  # 16. Reporte Agrupado por agente Preview Time
        "agent_16",
        "Preview campaigns: preview, talk, ACW and other times totalled per agent.",
        (
            "id_agent agent_name calls time_preview ready talk not_ready_acw auxiliary_times ring"
            " total_duration preview_percent"
        ),
    ),
    report(  # 1. Llamadas y nivel de servicio por Skill/servicio
        "skill_1",
        "Inbound calls and service level per skill (services_time adds a custom level).",
        # services_time=XX adds service_level_XXseg (not listed: its name varies)
        (
            "skill_name skill_id inbound_calls answer_calls abandon_calls service_level_10seg"
            " service_level_20seg service_level_30seg abandon asa ata"
        ),
        query=(
            *SKILL_WINDOW,
            Param("services_time", Kind.NUMBER, required=False),  # seconds: adds service_level_<n>seg
        ),
    ),
    report(  # 2. Detalle de llamadas abandonadas
        "skill_2",
        "Abandoned inbound calls: one row per call, with skill, caller and wait.",
        "skill_name skill_id conn_id date result ani abandon_time type_interaction customer_id",
        query=SKILL_WINDOW,
    ),
    report(  # 3. Llamadas y nivel de servicio por día
        "skill_3",
        "Inbound calls and service level per skill and day.",
        (
            "skill_name date inbound_calls answer_calls abandon_calls service_level_10seg service_level_20seg"
            " service_level_30seg wait_time abandon asa ata aht"
        ),
        query=SKILL_WINDOW,
    ),
    report(  # 4. Llamadas y nivel de servicio por hora
        "skill_4",
        "Inbound calls and service level per skill and hour.",
        # the example is broken JSON; att, acw: from the Response table
        (
            "skill_id hour inbound_calls answer_calls abandon_calls service_level_10seg service_level_20seg"
            " service_level_30seg asa abandon aht ata att acw"
        ),
        query=SKILL_WINDOW,
    ),
    report(  # 4.1. Llamadas y nivel de servicio por intervalo de 30 minutos
        "skill_4_1",
        "Inbound calls and service level per skill and 30-minute interval.",
        # the example is broken JSON; att, acw: from the Response table
        (
            "skill_id hour inbound_calls answer_calls abandon_calls service_level_10seg service_level_20seg"
            " service_level_30seg asa abandon ata aht att acw"
        ),
        query=SKILL_WINDOW,
    ),
    report(  # 4.2. Llamadas y nivel de servicio por intervalo de 10 minutos
        "skill_4_2",
        "Inbound calls and service level per skill and 10-minute interval.",
        # aht, acw, att: from the Response table (the example stops at ata)
        (
            "skill_id hour inbound_calls answer_calls abandon_calls service_level_10seg service_level_20seg"
            " service_level_30seg asa abandon ata aht acw att"
        ),
        query=SKILL_WINDOW,
    ),
    report(  # 5. Workforce por hora
        "skill_5",
        "Agents needed per skill and hour, from inbound calls and AHT (a window of 1 day at most).",
        "skill_id hour inbound_calls inbound_calls_unique_customers aht agents_needed",
        query=SKILL_WINDOW,
    ),
    report(  # 6. Llamadas y nivel de servicio por DNIS
        "skill_6",
        "Inbound calls and service level per DNIS number.",
        (
            "dnis inbound_calls answer_calls abandon_calls service_level_10seg service_level_20seg"
            " service_level_30seg abandon asa ata"
        ),
        query=SKILL_WINDOW,
    ),
    report(  # 7. Llamadas y nivel de servicio por hora para todos los Skills / servicio por día
        "skill_7",
        "Inbound calls and service level per day, hour and skill.",
        (
            "date skill_id skill_name hour inbound_calls answer_calls abandon_calls service_level_10seg"
            " service_level_20seg service_level_30seg wait_time abandon aht asa ata"
        ),
        query=SKILL_WINDOW,
    ),
    report(  # 8. Llamadas respondidas por intervalo de tiempo
        "skill_8",
        "Answered calls per skill, counted by wait in 10-second bands.",
        (
            "skill_id skill_name answer_calls answer_0seg_10seg answer_11seg_20seg answer_21seg_30seg"
            " answer_31seg_40seg answer_41seg_50seg anwers_greater_than_51seg"
        ),
        query=SKILL_WINDOW,
    ),
    report(  # 9. Llamadas abandonadas por intervalo
        "skill_9",
        "Abandoned calls per skill, counted by wait in 10-second bands.",
        # the example's abandon_* names (the Response table repeats skill_8's answer_*)
        (
            "skill_id skill_name abandon_calls abandon_0seg_10seg abandon_11seg_20_seg abandon_21seg_30seg"
            " abandon_31seg_40seg abandon_41seg_50seg abandon_greater_than_51seg"
        ),
        query=SKILL_WINDOW,
    ),
    report(  # 10. Detalle de llamadas contestadas
        "skill_10",
        "Answered inbound calls: one row per call, with skill, caller, agent and wait.",
        "conn_id skill_id skill_name date result ani answer_time agent_id type_interaction",
        query=SKILL_WINDOW,
    ),
    report(  # 11. Llamadas y nivel de servicio por interacción
        "skill_11",
        "Interactions and service level per interaction type (email, WhatsApp, social...).",
        (
            "type_interaction inbound_calls answer_calls abandon_calls service_level_10seg"
            " service_level_20seg service_level_30seg abandon asa ata"
        ),
        query=SKILL_WINDOW,
    ),
    report(  # 1. Detalle de llamadas
        "cdr_1",
        "Call detail records: one row per call.",
        (
            "agent_name date destiny telephone cost time_seg time_min cod_act description_cod_act cod_act_2"
            " description_cod_act_2 type_interaction customer_id hang_up campaign_id conn_id skill_id"
            " skill_name agent_id comment"
        ),
    ),
    report(  # 2. Llamadas y uso del teléfono por agente
        "cdr_2",
        "Call count and cost per agent.",
        "calls agent_name cost",
    ),
    report(  # 3. SMS- detalle
        "cdr_3",
        "Outbound SMS and WhatsApp messages: one row per message, with its text.",
        "agent_id agent_name date destiny telephone message channel customer_id conn_id",
    ),
    op(  # 4. Duración de las llamadas clasificadas por tiempo
        "cdr_4",
        "GET",
        idempotent=True,
        doc="Calls, minutes and cost per call-duration band (0-5 s up to over 121 s).",
        query=WINDOW,
        # one object keyed by duration band, each {calls, minutes, cost, percentage}
        result=Result(
            ResultKind.RECORD,
            fields=("0_5_seg", "6_20_seg", "21_60_seg", "61_120_seg", "greater_than_121"),
            empty_on_404=True,
        ),
    ),
    report(  # 5. Detalle de llamadas no conectadas
        "cdr_5",
        "Calls that did not connect: one row per call, with ring time and result.",
        (
            "agent_name date destiny telephone ring_time result type_interaction customer_id campaign_id"
            " agent_id conn_id"
        ),
    ),
    report(  # 6. Detalle de llamadas no conectadas clasificadas por resultado
        "cdr_6",
        "Calls that did not connect, counted per result (busy, no answer, congestion...).",
        "result count",
    ),
    report(  # 7. Detalle de NLP
        "cdr_7",
        "NLP (AI component) uses: one row per use, with characters sent and answered.",
        # the example is broken JSON; its names agree with the Response table
        "type_nlp nlp_channel chars_send chars_answer total_chars date",
    ),
    report(  # 8. NLP agrupado por tipo
        "cdr_8",
        "NLP (AI component) uses totalled per type.",
        # the example is broken JSON; its names agree with the Response table
        "type_nlp nlp_amount chars_send chars_answer total_chars",
    ),
    report(  # 9. Detalles de correo
        "cdr_9",
        "Emails sent by routing points and campaign strategies: one row per email.",
        # the example is broken JSON; its names agree with the Response table
        "channel date from to subject body",
    ),
    report(  # 10. Cobrowsing
        "cdr_10",
        "Cobrowsing sessions: one row per session, with agent and duration.",
        "agent_id agent_name date_ini date_end time hung_up",
    ),
    report(  # 11. Detalle clientes liberados ley 2300
        "cdr_11",
        "Customers released from Ley 2300 contact protection: one row per release.",
        # the example's name_agent (the Response table says agent_name)
        "protected_nit agent_id name_agent operation date item value",
    ),
    report(  # 1. Códigos de tipificación por agente
        "act_1",
        "Calls per agent and disposition code, for code group 1 or 2.",
        "count agent_name agent_dni cod_act description_cod_act",
        query=(
            Param("cod_act", Kind.CHOICE, choices=COD_ACT_GROUPS),
            *WINDOW,
        ),
    ),
    report(  # 2. Códigos de tipificación clasificado por código
        "act_2",
        "Calls per skill and disposition code, for code group 1 or 2.",
        "count skill_id cod_act description_cod_act",
        query=(
            Param("cod_act", Kind.CHOICE, choices=COD_ACT_GROUPS),
            *WINDOW,
        ),
    ),
    report(  # 3. Detalle código de tipificación
        "act_3",
        "Dispositioned calls: one row per call, with codes, agent, skill and customer.",
        (
            "conn_id agent_id agent_name agent_dni skill_id date cod_act description_cod_act cod_act_2"
            " description_cod_act_2 comments type_interaction telephone destiny time hang_up customer_id"
            " campaign_id"
        ),
        query=(
            Param("cod_act", Kind.CHOICE, choices=COD_ACT_GROUPS),
            *WINDOW,
        ),
    ),
    report(  # 4. Llamadas sin código de tipificación por agente
        "act_4",
        "Calls left without a disposition code, per agent.",
        "uncode_calls agent_id agent_name",
    ),
    report(  # 5. Códigos de tipificación agrupados por código
        "act_5",
        "Uses of each disposition code, for code group 1 or 2.",
        "count cod_act description_cod_act",
        query=(
            *WINDOW,
            Param("cod_act", Kind.CHOICE, choices=COD_ACT_GROUPS),
        ),
    ),
    report(  # 1. Detalle de llamadas IVR
        "diagram_1",
        "IVR calls: one row per call, with menu option, transfer and result.",
        "rp_id rp_name cod_opc_menu dn_transfer date result ani time customer_id conn_id",
        query=(
            *WINDOW,
            Param("customer_id", required=False),  # guess: "may be left empty" read as may be left out
        ),
        guesses=("required: customer_id",),
    ),
    report(  # 1.1. Llamadas y minutos de IVR por día
        "diagram_1_1",
        "IVR calls and minutes per day.",
        "day calls ivr_minutes",
    ),
    report(  # 1.2. Llamadas y minutos de IVR por tiempo
        "diagram_1_2",
        "IVR calls and minutes per hour.",
        # the example's day (the Response table says date)
        "day calls ivr_minutes",
    ),
    report(  # 1.3. Llamadas y minutos de IVR x Opc de menu
        "diagram_1_3",
        "IVR calls and time per menu option of each routing point.",
        "rp_id calls time cod_opc_menu",
    ),
    report(  # 2. Espera inteligente
        "diagram_2",
        "Smart wait (callback offer) per skill: accepted, declined, recalls and service gain.",
        "skill_id treatment customer_say_no customer_say_yes recall_fail recall_ok service_level_up",
    ),
    report(  # 3. Detalle espera inteligente
        "diagram_3",
        "Smart wait (callback offer) calls: one row per call, with attempts and result.",
        (
            "skill_id date_inbound_call date_last_outbound_call status attempts ani dial_phone"
            " time_between_calls time billed_minutes customer_id"
        ),
    ),
    report(  # 4. Detalles de Encuesta inteligente
        "diagram_4",
        "Smart survey answers: one row per survey, with call, agent and answers q01-q10.",
        (
            "agent_id agent_name agent_dni skill_id skill_name date conn_id ani customer_id q01 q02 q03 q04"
            " q05 q06 q07 q08 q09 q10 voice_message_duration type_interaction result time voice_message"
            " feeling"
        ),
    ),
    report(  # 5. Encuesta inteligente por agente
        "diagram_5",
        "Smart survey results per agent: surveys and the average of each question.",
        "agent_id agent_name surveys q01 q02 q03 q04 q05 q06 q07 q08 q09 q10 average",
    ),
    report(  # 6. Encuesta inteligente por Skill
        "diagram_6",
        "Smart survey results per skill: surveys and the average of each question.",
        "skill_id skill_name surveys q01 q02 q03 q04 q05 q06 q07 q08 q09 q10 average",
    ),
    report(  # 7. CDR ASR
        "diagram_7",
        "Speech recognition (ASR) uses: one row each, with language and recognized text.",
        "time language recognized_text date rp_id",
    ),
    report(  # 8. CDR TTS
        "diagram_8",
        "Text-to-speech (TTS) uses: one row each, with text and credits.",
        # the example's credits and rp_id (the Response table says characters)
        "tts_text credits recognized_text date rp_id",
    ),
    report(  # 9. CDR enrutamiento de interacción y Chatbots
        "diagram_9",
        "Interactions routed by routing points and chatbots: one row per interaction.",
        (
            "session_id channel rp_id date customer_name customer_email customer_phone customer_query"
            " routing_answer customer_id conn_id"
        ),
    ),
    report(  # 10. TTS ordenados por uso
        "diagram_10",
        "Text-to-speech phrases ordered by use, with their character count.",
        "total characters tts_text",
    ),
    report(  # 11. IVR vs transferido al agente
        "diagram_11",
        "IVR calls transferred to agents: time in IVR, in queue and with the agent.",
        (
            "conn_id time_on_rp end_date_rp rp_id ani customer_id time_on_skill skill_id skill_result"
            " go_to_agent agent_id agent_name time_with_agent cod_act cod_act_2 type_interaction total_time"
        ),
    ),
    report(  # 12. CDR análisis de sentimientos
        "diagram_12",
        "Sentiment analysis uses: one row each, with text and billed units.",
        "units text date",
    ),
    report(  # 13. CDR Opciones de menú
        "diagram_13",
        "Menu options reached in routing points: one row per option reached.",
        "rp_id conn_id customer_id channel attempt telephone date second_event cod_opc_menu",
    ),
    report(  # 14. Opciones de menú agrupado por código
        "diagram_14",
        "Uses of each activity code in routing-point flows, with their share.",
        "cod_act description_cod_act count percent",
    ),
    report(  # 15. Reporte de conversaciones de voz (IVR + ASR + TTS + NLP)
        "diagram_15",
        "Voice conversations: IVR time, ASR time, NLP and TTS credits per conversation.",
        "conversational_id connect_id date ivr_time nlp_credits asr_time tts_credits",
    ),
    report(  # 1. Resultados por agente
        "quality_1",
        "Quality results per agent: evaluations, critical-error precision and accuracy.",
        (
            "agent_id agent_name evaluations precision_unit_critical_error"
            " precision_opportunity_critical_error accuracy"
        ),
    ),
    report(  # 2. Resultado de evaluación por agente
        "quality_2",
        "Quality evaluations: one row per evaluated interaction, with scores and feedback.",
        (
            "conn_id agent_id agent_name comments precision_unit_critical_error precision_opportunity_error"
            " accuracy date survey cod_act channel feedback skill_id"
        ),
    ),
    report(  # 3. Detalles de evaluación por atributo
        "quality_3",
        "Quality evaluations by attribute: one row per attribute evaluated.",
        (
            "conn_id agent_id agent_name attribute type_error yes/no date survey category quality_analyst"
            " channel ai_comment"
        ),
    ),
    report(  # 4. Resultados por atributos
        "quality_4",
        "Quality results per attribute: yes/no counts and percentage.",
        "attribute yes no percent survey category",
    ),
    report(  # 5. Resultados por análisis de calidad
        "quality_5",
        "Quality results per analyst: evaluations, critical-error precision and accuracy.",
        # the example is broken JSON; its names agree with the Response table
        (
            "quality_analyst evaluations precision_unit_critical_error precision_opportunity_critical_error"
            " accuracy"
        ),
    ),
    report(  # 1. Campaña por máquina (Resultado-final)
        "campaign_1",
        "Campaign records per final machine result (answer, busy, no-answer...).",
        "result records percent",
        query=CAMPAIGN_WINDOW,
    ),
    report(  # 2. Resultados por tipo de código
        "campaign_2",
        "Campaign records per disposition code, with their share.",
        "cod_act records percent",
        query=CAMPAIGN_WINDOW,
    ),
    report(  # 3. Resultado campañas teléfono – teléfono
        "campaign_3",
        "Campaign results phone by phone: customer, result and extra fields opt1-opt12.",
        (
            "campaign_id customer_name customer_last_name id_type customer_id date telephone result opt1 opt2"
            " opt3 opt4 opt5 opt6 opt7 opt8 opt9 opt10 opt11 opt12 conn_id"
        ),
        query=CAMPAIGN_WINDOW,
    ),
    report(  # 4. Resultado campaña por máquina (intento por intento)
        "campaign_4",
        "Campaign dial attempts per machine result (answer, busy, no-answer...).",
        "result records percent",
        query=CAMPAIGN_WINDOW,
    ),
    report(  # 5. Detalle previo de llamada (por llamada)
        "campaign_5",
        "Preview campaign calls: one row per call, with customer, agent and result.",
        (
            "type_of_row campaign_id customer_name customer_last_name result last_code_act"
            " comments_customer_reg customer_id agent_id conn_id telephone hang_up type_interaction"
            " call_result date time cod_act comments"
        ),
        query=CAMPAIGN_WINDOW,
    ),
    report(  # 6. AMD Acumulado
        "campaign_6",
        "Answering machines detected (AMD) per campaign.",
        "campaign_id total_amd",
        query=CAMPAIGN_WINDOW,
    ),
    report(  # 7. AMD Detalle
        "campaign_7",
        "Answering machines detected (AMD): one row per detection.",
        "customer_id campaign_id file_name telephone result date",
        query=CAMPAIGN_WINDOW,
    ),
    report(  # 8. Códigos de máquina agrupados por teléfono y resultados
        "campaign_8",
        "Machine results per phone number: dials, no answer, machine, busy, failed.",
        "telephone total_machine_recognitions no_answer answer_machine busy congestion failed",
        query=CAMPAIGN_WINDOW,
    ),
    report(  # 9. Estado de los registros de las campañas en WhatsApp
        "campaign_9",
        "WhatsApp campaign records and their delivery status.",
        "campaing_id telephone status errors date last_update",
        query=CAMPAIGN_WINDOW,
    ),
    report(  # 10. Turbo dial agrupado por código de máquina
        "campaign_10",
        "Turbo Dial results counted per machine code.",
        "machinecode cantidad",
        query=CAMPAIGN_WINDOW,
    ),
    report(  # 1. Chats
        "chat_1",
        "Chats handled by agents: one row per chat, with customer, agent, times and codes.",
        # the example's 'agent_anwers ' has a stray space; the table's agent_anwers is kept
        (
            "conn_id channel date customer_name customer_email customer_phone customer_chars agent_id"
            " agent_name agent_chars time_on_agent chat_duration cod_act description_cod_act comments"
            " customer_id skill_id ASA last_participant_who_spoke extra_field comment user_id feeling"
            " agent_anwers"
        ),
    ),
    report(  # 2. Conversaciones
        "chat_2",
        "Chat conversations: the messages of each chat (nested in conversation).",
        # conversation: a list of messages (channel, from, from_name, to_name, date, ...)
        "conn_id agent_name customer_name conversation",
    ),
    report(  # 3. Interacciones cerradas por canal
        "chat_3",
        "Closed interactions per channel, with total closing time.",
        "channel interactions closing_time",
    ),
    report(  # 4. Detalle interacciones
        "chat_4",
        "Interactions (email, social networks): one row per case, with message and answer.",
        # cod_description: from the Response table
        (
            "channel agent_name skill_id case_id subject from to body answer date_creation close_date"
            " evaluation_survey cod_act cod_description comments attachments status"
        ),
        query=(
            *WINDOW,
            Param("attach_array", Kind.YES_NO),  # yes: attachments as an array; no: as JSON
            Param("include_attachments", Kind.CHOICE, choices=("true", "false")),
        ),
    ),
    report(  # 5. Interacciones cerradas por agente
        "chat_5",
        "Closed interactions per agent, with total time.",
        "agent_name interactions close_time",
    ),
    report(  # 6. Interacciones cerradas por día
        "chat_6",
        "Closed interactions per day, with total time.",
        "date interactions close_time",
    ),
    report(  # 7. Interacciones cerradas por agente y código
        "chat_7",
        "Closed interactions per agent and disposition code.",
        "interactions agent_name cod_act description_cod_act",
    ),
    report(  # 8. Chats transferidos a agente
        "chat_8",
        "Chats transferred from a chatbot to an agent: one row per chat.",
        (
            "conn_id session_id times_chatted start_date end_date time_on_chatbot rp_id channel go_to_agent"
            " customer_phone customer_name agent_id agent_name time_with_agent total_time customer_chars"
            " agent_chars total_chars asa last_sender customer_id customer_email"
        ),
    ),
    report(  # 9. Transferencias de interacciones
        "chat_9",
        "Interaction transfers between agents: one row per transfer.",
        "conn_id transfer_agent_id transfer_agent_name receiver_agent_id receiver_agent_name channel date",
    ),
    report(  # 10. Facturación de WhatsApp Oficial
        "chat_10",
        "Official WhatsApp sessions and template use, for billing (no costs).",
        "conn_id session_id date customer_phone template destiny",
    ),
    report(  # 11. Transferencia de chats
        "chat_11",
        "Chat transfers between agents: one row per transfer.",
        (
            "conn_id transfer_agent_id transfer_agent_name transfer_agent_dni receiver_agent_id"
            " receiver_agent_name receiver_agent_dni channel date"
        ),
    ),
    report(  # 12. Interacciones enviadas por agente
        "chat_12",
        "Outbound emails sent by agents: one row per email.",
        # cod_act, description_cod_act: from the Response table
        "conn_id agent_id agent_name channel from to subject body date cod_act description_cod_act",
    ),
    report(  # 13. Chats cerrados por canal
        "chat_13",
        "Closed chats per channel.",
        # the example's chanel (the Response table says channel)
        "chanel interaction",
    ),
    report(  # 14. Detalle clic a WhatsApp
        "chat_14",
        "Click-to-WhatsApp chats from ads or posts: one row per chat.",
        "source_url source_type source_id chat_id rp_id agent_id media_type media_url date cod_act",
    ),
    report(  # 15. Consolidado clic a WhatsApp
        "chat_15",
        "Click-to-WhatsApp chats from ads and posts, totalled for chatbots and agents.",
        "ad_chatbot ad_agents post_chatbot post_agents total_chatbot total_agents",
    ),
    report(  # 16. Productividad de agentes
        "chat_16",
        "Chat productivity per agent: chats, time, average handling time, transfer rate.",
        "agent_id agent_name total_chats time tmo percent_transfer",
    ),
    report(  # 1. CDR Speech
        "speech_1",
        "Speech analytics per call: transcript, silence, greeting and sentiment.",
        # category01: from the Response table
        (
            "agent_id agent_name agent_dni conn_id time customer_id date time_silence customer_phone cod_act"
            " description_cod_act greeting slow_to_greet greeting_agent_name category01 audio_text feeling"
            " channel"
        ),
    ),
    report(  # 2. Porcentaje de silencio por Agente
        "speech_2",
        "Silence percentage per agent.",
        "agent_id agent_name agent_dni silence",
    ),
    report(  # 3. Porcentaje de saludos lentos por Agente
        "speech_3",
        "Slow-greeting percentage per agent.",
        "agent_id agent_name agent_dni slow_to_greet",
    ),
    report(  # 4. Promedio de sentimiento por niveles por Agente
        "speech_4",
        "Average sentiment level per agent.",
        "agent_id agent_name agent_dni feeling",
    ),
    report(  # 5. Speech por demanda
        "speech_5",
        "On-demand text analytics: one row per text, with summary and sentiment.",
        # the example (broken JSON) says id_agent; the Response table says agent_id
        "id_agent id_text text summary feeling date total_chars",
    ),
    report(  # 1. Detalle de wvx Copilot
        "wizard_1",
        "wvx Copilot questions asked by agents and the answers given.",
        "agent_id question answer conn_id date",
    ),
    report(  # 2. Detalle de calificaciones positivas
        "wizard_2",
        "wvx Copilot answers rated positive by agents.",
        "agent_id question answer date",
    ),
    report(  # 3. Detalle de calificaciones negativas
        "wizard_3",
        "wvx Copilot answers rated negative by agents, with the agent's reason.",
        "agent_id question answer explation date",
    ),
)
