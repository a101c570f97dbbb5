"""campaign.php: campaigns and their records (Campañas)."""

from ._model import EXPORT_MAX_RESPONSE, Body, Kind, Param, Result, ResultKind, Shape, family

op = family("campaign", "campaign.php")

_TYPE_CAMPAIGN = Param("type_campaign", Kind.CHOICE, choices=("predictive", "preview"))
_CAMPAIGN_ID = Param("campaign_id", Kind.ID)
_DIAL_RESULTS = (
    "no-answer",
    "answer-machine",
    "abandon",
    "busy",
    "congestion",
    "unknown",
    "failed",
    "do-not-call",
    "chanunavail",
    "answer",
)
_RESULT_FILTER = Param("result", Kind.CHOICE, required=False, choices=_DIAL_RESULTS)
_OPTS = tuple(Param(f"opt{n}", required=False) for n in range(1, 13))
_TELS = tuple(Param(f"tel{n}", required=n == 1) for n in range(1, 11))  # guess: tel1 required
_OPT_FIELDS = tuple(f"opt{n}" for n in range(1, 13))
_TEL_FIELDS = tuple(f"tel{n}" for n in range(1, 11))

OPERATIONS = (
    op(  # 1. Insertar DNC
        "add_dnc",
        "POST",
        idempotent=False,  # guess: it adds numbers to the do-not-call list
        doc="Add telephone numbers to the do-not-call list, each blocked for a number of days.",
        body=Body(Shape.RECORDS, (Param("telephone"), Param("days_block", Kind.NUMBER))),
        result=Result(ResultKind.RECORDS, fields=("total_added", "total_rejected", "total_sent")),
        guesses=("idempotent",),
    ),
    op(  # 2.1 Inserción de registros en la campaña (predictiva) / 2.2 Inserción de registros en la campaña (preview)
        "add_record",
        "POST",
        idempotent=False,  # guess: it appends records (the dialer may call each)
        doc="Add records (customers to contact) to a predictive or preview campaign.",
        query=(
            _TYPE_CAMPAIGN,
            _CAMPAIGN_ID,
            # Only the predictive record sends it: the campaign's state after the upload.
            Param("campaign_status", Kind.CHOICE, required=False, choices=("start", "stop")),
        ),
        # One operation for both catalogue records: the fields are the union of theirs.
        body=Body(
            Shape.RECORDS,
            (
                Param("customer_name", required=False),
                Param("customer_last_name", required=False),
                Param("id_type", required=False),
                Param("customer_id"),  # guess: required, the key other calls find the record by
                Param("age", required=False),
                Param("gender", required=False),
                Param("country", required=False),
                Param("state", required=False),
                Param("city", required=False),
                Param("zone", required=False),
                Param("address", required=False),
                *_OPTS,
                *_TELS,
                Param("tel_extra", required=False),  # predictive only
                Param("email", required=False),  # predictive only
                Param("recall_date", Kind.DATETIME, required=False),  # predictive only
                Param("recall_telephone", required=False),  # predictive only
                Param("agent_id", Kind.ID, required=False),  # preview only: the agent the record goes to
            ),
        ),
        result=Result(ResultKind.RECORDS, fields=("total_registers",)),
        # The descriptions require no field; only the record's key and main telephone are asked for.
        guesses=("idempotent", "required: only customer_id and tel1"),
    ),
    op(  # 3. Borrar todos los registros de una campaña
        "clear_campaign",
        "DELETE",
        idempotent=True,  # guess: it empties the campaign (or its records with one result): a state
        doc="Delete all the records of a campaign, or only those with a given dial result.",
        query=(_TYPE_CAMPAIGN, _CAMPAIGN_ID, _RESULT_FILTER),
        guesses=("idempotent",),
    ),
    op(  # 4. Creación de campañas
        "create_campaign",
        "POST",
        idempotent=False,  # guess: it creates a campaign
        doc="Create a predictive or preview campaign.",
        query=(_TYPE_CAMPAIGN,),
        body=Body(
            Shape.OBJECT,
            (
                Param("campaign_name"),
                Param("campaign_description"),
                # hhiiss; only predictive campaigns have a schedule.
                Param("start_time", required=False),
                Param("end_time", required=False),
                Param("skill_id", Kind.ID),
                # The titles of the optional fields opt1..opt12.
                *_OPTS,
                Param("enable_edition", Kind.YES_NO),
                # Documented, not in the example body: AMD by the customers' country (predictive only).
                Param(
                    "amd",
                    Kind.CHOICE,
                    required=False,
                    choices=(
                        "ARG",
                        "CHL",
                        "COL",
                        "CRI",
                        "ECU",
                        "ESP",
                        "GTM",
                        "HND",
                        "ITA",
                        "MEX",
                        "NIC",
                        "PAN",
                        "PER",
                    ),
                ),
            ),
        ),
        # The Response table spells them id_campaing, name_campaing; the example answer is followed.
        result=Result(ResultKind.RECORDS, fields=("id_campaign", "name_campaign")),
        guesses=("idempotent", "required: opt1..opt12 (optional)"),
    ),
    op(  # 5. Codificar registro desde aplicación externa
        "codify",
        "PUT",
        idempotent=False,  # guess: coding may add to the record's history of comments
        doc="Code a campaign record from outside, so that the dialer does not call it again.",
        query=(_TYPE_CAMPAIGN, _CAMPAIGN_ID),
        body=Body(
            Shape.OBJECT,
            (
                Param("cod_act"),
                # Only where the second activity code is enabled.
                Param("cod_act_2", required=False),
                Param("comment"),
                Param("customer_id"),
            ),
        ),
        guesses=("idempotent", "required: cod_act_2 (optional)"),
    ),
    op(  # 6. Solicitar detalle de la campaña
        "detail",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read the detail of a campaign's worked records within a date window.",
        query=(
            _TYPE_CAMPAIGN,
            _CAMPAIGN_ID,
            Param("date_ini", Kind.DATETIME),
            Param("date_end", Kind.DATETIME),
            # "default": only records with a conn_id; "all": every worked record.
            Param("detail", Kind.CHOICE, required=False, choices=("default", "all")),
        ),
        # age is in the Response table, not in the example answer.
        result=Result(
            ResultKind.RECORDS,
            fields=(
                "customer_name",
                "customer_last_name",
                "id_type",
                "customer_id",
                "age",
                "gender",
                "country",
                "state",
                "city",
                "zone",
                "address",
                *_OPT_FIELDS,
                *_TEL_FIELDS,
                "tel_extra",
                "agent_id",
                "date",
                "calls",
                "conn_id",
                "recall",
                "result",
                "cod_act",
                "cod_act_2",
                "recall_count",
                "comments",
            ),
            empty_on_404=True,  # guess: as the reports
        ),
        max_response=EXPORT_MAX_RESPONSE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 7. Reprogramar llamada
        "recall",
        "PUT",
        idempotent=True,  # guess: it sets the record's recall date and telephone
        doc="Reschedule the call to a record of a predictive campaign.",
        query=(
            # In the Request table, not in the URL.
            Param("type_campaign", Kind.CHOICE, required=False, choices=("predictive", "preview")),
            _CAMPAIGN_ID,
        ),
        body=Body(
            Shape.OBJECT,
            (Param("recall_date", Kind.DATETIME), Param("recall_telephone"), Param("customer_id")),
        ),
        guesses=("idempotent", "required: type_campaign (optional)"),
    ),
    op(  # 8. Borrar registro
        "remove_record",
        "DELETE",
        idempotent=True,  # guess: it deletes named records
        doc="Delete records of a campaign by customer id (comma-separated), for good.",
        query=(_TYPE_CAMPAIGN, _CAMPAIGN_ID, _RESULT_FILTER),
        body=Body(Shape.OBJECT, (Param("customer_id"),)),
        guesses=("idempotent",),
    ),
    op(  # 9. Parametriza la velocidad de una campaña
        "speed",
        "PUT",
        idempotent=True,  # guess: it sets the speed
        doc="Set a campaign's dialing speed (0 to 100).",
        query=(_CAMPAIGN_ID,),
        body=Body(Shape.OBJECT, (Param("speed", Kind.NUMBER),)),
        guesses=("idempotent",),
    ),
    op(  # 10. Iniciar campaña
        "start",
        "PUT",
        idempotent=True,  # guess: it sets the campaign running
        doc="Start a campaign.",
        query=(_CAMPAIGN_ID,),
        guesses=("idempotent",),
    ),
    op(  # 11. Parar campaña
        "stop",
        "PUT",
        idempotent=True,  # guess: it sets the campaign stopped
        doc="Stop a campaign.",
        query=(_CAMPAIGN_ID,),
        guesses=("idempotent",),
    ),
    op(  # 12. Buscar Registro en Campañas
        "find_record",
        "GET",
        idempotent=True,  # guess: a read
        doc="Find campaign records by campaign, customer telephone or customer id.",
        # Either campaign_id or customer_phone is enough, per the description.
        query=(
            Param("campaign_id", Kind.ID, required=False),
            Param("customer_phone", required=False),
            Param("customer_id", required=False),  # guess: optional, as the other two
        ),
        # The Response table stops at tel3; the example answer has tel1..tel10.
        result=Result(
            ResultKind.RECORDS,
            fields=(
                "customer_name",
                "customer_last_name",
                "customer_id",
                "country",
                "state",
                "city",
                "zone",
                "address",
                *_OPT_FIELDS,
                *_TEL_FIELDS,
                "date",
                "calls",
                "conn_id",
                "result",
                "campaign_id",
            ),
            empty_on_404=True,  # guess: no record found is "no data"
        ),
        guesses=("idempotent", "required: customer_id (optional)", "empty_on_404"),
    ),
    op(  # 13. Eliminar campaña
        "delete_campaign",
        "DELETE",
        idempotent=True,  # guess: it deletes named campaigns
        doc="Delete a campaign (campaign_id) or several (campaign_ids in the body), for good.",
        # One of the two ways: campaign_id in the URL, or campaign_ids in the body.
        query=(_TYPE_CAMPAIGN, Param("campaign_id", Kind.ID, required=False)),
        body=Body(Shape.OBJECT, (Param("campaign_ids", Kind.LIST, required=False),)),
        guesses=("idempotent",),
    ),
    op(  # 14. Filtrar campaña
        "campaign_filter",
        "PUT",
        idempotent=True,  # guess: it sets the campaign's filter to the one given
        doc="Set (or clear) the filter that picks which of a campaign's records are dialed.",
        query=(_TYPE_CAMPAIGN, _CAMPAIGN_ID),
        body=Body(
            Shape.OBJECT,
            (
                Param("filter_active", Kind.YES_NO),
                # AND when left out.
                Param("connector", Kind.CHOICE, required=False, choices=("and", "or")),
                # [{"field": ..., "operator": ..., "value": ...}, ...]
                Param("filters", Kind.LIST),
            ),
        ),
        # The example answer is broken JSON ("code": ,); its data is one object.
        result=Result(ResultKind.RECORD, fields=("total_records", "pending_records", "applied_filter")),
        guesses=("idempotent",),
    ),
    op(  # 15. Exportar datos de campaña
        "campaign_15",
        "GET",
        idempotent=True,  # guess: a read
        doc="Export every record of a campaign, worked or not, as the Manager exports them.",
        query=(_CAMPAIGN_ID,),
        # {"code", "total_records", "campaign_id", "records": [...]}: no "data" envelope key.
        result=Result(
            ResultKind.RECORDS,
            fields=(
                "nombre_cliente",
                "apellido_cliente",
                "tipo_doc",
                "id_cliente",
                "edad",
                "sexo",
                "pais",
                "departamento",
                "ciudad",
                "zona",
                "direccion",
                *_OPT_FIELDS,
                *_TEL_FIELDS,
                "tel_extra",
                "id_agent",
                "resultado",
                "fecha",
                "llamadas",
                "id_call",
                "cod_rslt1",
                "description_cod1",
                "cod_rslt2",
                "description_cod2",
                "comentarios",
                "rellamada",
                "rellamada_count",
                "email",
                "rellamada_tel",
                "last_dial_tele",
                "history_dial_tel",
                "rellamada_info",
            ),
            empty_on_404=True,  # guess: as the reports
            key="records",
        ),
        max_response=EXPORT_MAX_RESPONSE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 16. Remarcar registros
        "recall_records",
        "PUT",
        idempotent=False,  # guess: it queues records for dialing again; a resend may queue redialed ones anew
        doc="Mark a predictive campaign's records with a given result or code to be dialed again.",
        query=(_CAMPAIGN_ID,),
        body=Body(
            Shape.OBJECT,
            (
                Param("field", Kind.CHOICE, choices=("Cod_Machine", "cod_rslt1", "cod_rslt2")),
                # A machine result (NO-ANSWER, BUSY, ...) or an activity code's id.
                Param("value"),
            ),
        ),
        result=Result(
            ResultKind.RECORDS,
            fields=("campaign_id", "field", "value", "normalized_value", "affected_records"),
        ),
        guesses=("idempotent",),
    ),
    op(  # 17. Editar campaña
        "edit_campaign",
        "PUT",
        idempotent=True,  # guess: it sets the given settings to the given values
        doc="Edit a campaign's settings; only the fields given are changed.",
        # The catalogue's URL has "& campaign_id": the wire name is campaign_id.
        query=(_CAMPAIGN_ID,),
        # Every body field is optional, per the description.
        body=Body(
            Shape.OBJECT,
            (
                Param("campaign_name", required=False),
                Param("campaign_description", required=False),
                Param("type_camp", Kind.CHOICE, required=False, choices=("Predictive", "Preview")),
                Param("enable_edition", Kind.YES_NO, required=False),
                Param("start_time", required=False),  # HH:mm:ss
                Param("end_time", required=False),  # HH:mm:ss
                Param("skill_id", required=False),  # a skill's id, or "VAGENT"
                Param("amd_conf", required=False),  # "default", "none" or a country code ("COL", ...)
                Param("turbo_dial", Kind.YES_NO, required=False),
                Param("routing_recall", Kind.YES_NO, required=False),  # "yes" disables recall routing
                Param("camp_dial_order", Kind.CHOICE, required=False, choices=("linear", "zigzag", "random")),
                Param("optional_labels", Kind.OBJECT, required=False),  # {"opt1": "...", ...}
            ),
        ),
        result=Result(
            ResultKind.RECORDS,
            fields=(
                "campaign_id",
                "campaign_name",
                "campaign_description",
                "type_camp",
                "enable_edition",
                "start_time",
                "end_time",
                "skill_id",
                "amd_conf",
                "turbo_dial",
                "routing_recall",
                "optional_labels",
            ),
        ),
        guesses=("idempotent",),
    ),
)
