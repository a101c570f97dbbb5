"""agentbox.php: drive an agent's wolkvox Agent softphone (Agentes V2); free of quota, interactive."""

from ._model import Kind, Param, Result, ResultKind, family

op = family("agentbox", "agentbox.php", costs_quota=False, interactive=True)

_RECALL_STYLE = Param("recall_style", Kind.CHOICE, choices=("auto", "manual"))

OPERATIONS = (
    op(  # Cambiar estado del agente
        "change_status",
        "POST",
        idempotent=True,  # guess: it sets the agent's state to the one given
        doc="Set an agent's state: ready, logout or an auxiliary state's id.",
        query=(Param("status"), Param("agent_id", Kind.ID)),
        guesses=("idempotent",),
    ),
    op(  # Colgar, Tipificar y Ready
        "hang_type_ready",
        "POST",
        idempotent=False,  # guess: it hangs up and records a disposition
        doc="Hang up the agent's active call, record its activity codes and set the agent ready.",
        query=(
            Param("agent_id", Kind.ID),
            Param("cod_act"),
            Param("cod_act_2", required=False),
            Param("comments"),
        ),
        guesses=("idempotent",),
    ),
    op(  # Colgar
        "hang",
        "POST",
        idempotent=False,  # guess: it hangs up a call
        doc="Hang up the agent's call.",
        query=(Param("agent_id", Kind.ID),),
        guesses=("idempotent",),
    ),
    op(  # Establecer el micrófono del agente en “Mute”
        "mute",
        "POST",
        idempotent=False,  # documented as a toggle: a second call unmutes
        doc="Toggle the mute of the agent's microphone.",
        query=(Param("agent_id", Kind.ID),),
    ),
    op(  # Marcación DTMF
        "dtmf",
        "POST",
        idempotent=False,  # guess: it sends tones
        doc="Send DTMF tones from the agent's softphone.",
        query=(
            Param("agent_id", Kind.ID),
            Param("tones"),  # guess: text, so that '*' and '#' can be sent (the table says Int)
        ),
        guesses=("idempotent", "kind: tones"),
    ),
    op(  # Marcar
        "dial",
        "POST",
        name="dial",
        idempotent=False,  # guess: a second dial rings the customer again
        doc="Make the agent's softphone call a customer's phone.",
        query=(
            Param("agent_id", Kind.ID),
            Param("customer_phone"),
            Param("customer_id", required=False),
            Param("customer_name", required=False),
        ),
        result=Result(ResultKind.RECORD, model="DialResult", fields=("conn_id",)),
        guesses=("idempotent",),
    ),
    op(  # Mostrar / Ocultar botones
        "agent_display",
        "POST",
        name="agent_display",
        idempotent=True,  # guess: it sets a button's visibility to the one given
        doc="Show or hide a button of the agent's softphone: hang up, disposition panel or dial.",
        query=(
            Param("agent_id", Kind.ID),
            Param("display", Kind.CHOICE, choices=("show", "hide")),
            Param("button", Kind.CHOICE, choices=("hungup", "disposition", "dial")),
        ),
        guesses=("idempotent",),
    ),
    op(  # Pausar llamada
        "hold",
        "POST",
        idempotent=False,  # documented as a toggle: a second call resumes
        doc="Toggle hold on the agent's call.",
        query=(Param("agent_id", Kind.ID),),
    ),
    op(  # Programar rellamada en predictivo
        "recall",
        "POST",
        idempotent=False,  # guess: it schedules a recall
        doc="Schedule a recall of a customer of a predictive campaign.",
        query=(
            Param("agent_id", Kind.ID),
            Param("id_camp", Kind.ID),
            Param("id_customer"),
            Param("telefono"),
            Param("rellamada", Kind.DATETIME),
            _RECALL_STYLE,
            Param("name_recall", required=False),
        ),
        guesses=("idempotent",),
    ),
    op(  # Realizar llamada auxiliar
        "aux_call",
        "POST",
        idempotent=False,  # guess: it dials
        doc="Make an auxiliary call to the customer of a dropped predictive-campaign call.",
        query=(Param("agent_id", Kind.ID), Param("customer_phone")),
        result=Result(ResultKind.RECORD, fields=("conn_id",)),
        guesses=("idempotent",),
    ),
    op(  # Tipificar
        "type",
        "POST",
        idempotent=False,  # guess: what a second disposition of the call does is not said
        doc="Record the activity codes (disposition) and comments of the agent's call.",
        query=(
            Param("agent_id", Kind.ID),
            Param("cod_act"),
            Param("cod_act_2"),
            Param("comments"),
        ),
        result=Result(ResultKind.RECORD, fields=("conn_id",)),
        guesses=("idempotent",),
    ),
    op(  # Transferir llamada
        "transfer",
        "POST",
        idempotent=False,  # guess: it transfers a call
        doc="Transfer the agent's call to a phone number or another agent's extension.",
        query=(Param("agent_id", Kind.ID), Param("customer_phone")),
        result=Result(ResultKind.RECORD, fields=("conn_id",)),
        guesses=("idempotent",),
    ),
    op(  # Editar rellamada en campaña predictiva
        "edit_recall",
        "PUT",
        idempotent=True,  # guess: it sets a recall's date, agent and style to the ones given
        doc="Change a predictive campaign's scheduled recall: its date, agent or style.",
        query=(
            Param("agent_id", Kind.ID),
            Param("id_camp", Kind.ID),
            Param("id_customer"),
            Param("telephone"),
            Param("recall", Kind.DATETIME),
            _RECALL_STYLE,
            Param("name_recall", required=False),
        ),
        guesses=("idempotent",),
    ),
    op(  # Eliminar rellamada en campaña predictiva
        "delete_recall",
        "DELETE",
        idempotent=True,  # guess: it deletes a named recall
        doc="Cancel a predictive campaign's scheduled recall.",
        query=(
            Param("agent_id", Kind.ID),
            Param("id_camp", Kind.ID),
            Param("id_customer"),
            Param("telephone"),
            _RECALL_STYLE,
            Param("name_recall", required=False),
        ),
        guesses=("idempotent",),
    ),
)
