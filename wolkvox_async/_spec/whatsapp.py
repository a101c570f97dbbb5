"""whatsapp.php: WhatsApp messages, message templates and chats."""

from ._model import Body, Kind, Param, Result, ResultKind, Shape, family

op = family("whatsapp", "whatsapp.php")

_CONNECTOR_ID = Param("connector_id", Kind.ID)
# [{"type": "HEADER" | "BODY" | "FOOTER" | "BUTTONS", ...}, ...], as Meta defines a template's parts.
_COMPONENTS = Param("components", Kind.LIST)
_TEMPLATE = ("template_id", "name", "status")

OPERATIONS = (
    op(  # 1. Envío de mensajes e imágenes por WhatsApp móvil
        "send_message_mobil",
        "POST",
        idempotent=False,  # guess: it sends a message
        doc="Send a message, with an optional image, through a WhatsApp Mobile connector.",
        body=Body(
            Shape.OBJECT,
            (
                _CONNECTOR_ID,
                Param("telephone"),
                Param("message"),
                Param("url_attach", required=False),  # guess: optional, the public URL of an image
            ),
        ),
        guesses=("idempotent", "required: url_attach (optional)"),
    ),
    op(  # 2. API WhatsApp para envío de plantillas
        "send_template_official",
        "POST",
        idempotent=False,  # guess: it sends a message
        doc="Send a WhatsApp template message through a WhatsApp Business (API Cloud) connector.",
        body=Body(
            Shape.OBJECT,
            (
                _CONNECTOR_ID,
                Param("telephone"),
                Param("template_name"),
                Param("template_vars", required=False),
                Param("customer_id", required=False),
                Param("url_attach", required=False),
                # [{"index": 0, "text": "..."}, ...]: the values of the buttons' dynamic URLs.
                Param("url_params", Kind.LIST, required=False),
            ),
        ),
        guesses=("idempotent", "required: template_vars, customer_id, url_attach, url_params (optional)"),
    ),
    op(  # 3. API WhatsApp oficial para envío de mensajes libres
        "send_message_official",
        "POST",
        idempotent=False,  # guess: it sends a message
        doc="Send a free-text message through WhatsApp Business within an open 24-hour conversation.",
        body=Body(Shape.OBJECT, (_CONNECTOR_ID, Param("telephone"), Param("message"))),
        guesses=("idempotent",),
    ),
    op(  # 4. Subir archivo
        "upload_media",
        "POST",
        idempotent=False,  # guess: it uploads a file to Meta, which gives a new handle
        doc="Upload a sample media file (by public URL) to Meta, for a template; answers its handle.",
        body=Body(Shape.OBJECT, (_CONNECTOR_ID, Param("file_url"))),
        result=Result(ResultKind.RECORD, fields=("0", "handle")),
        guesses=("idempotent",),
    ),
    op(  # 5. Crear plantilla (Marketing)
        "create_template",
        "POST",
        idempotent=False,  # guess: it creates a template
        doc="Create a Marketing WhatsApp template on a connector (Meta then reviews it).",
        # The Request table calls the name "file_url"; the example body's "name" is followed.
        body=Body(
            Shape.OBJECT,
            (
                _CONNECTOR_ID,
                Param("name"),
                Param("language"),
                Param("category", Kind.CHOICE, choices=("MARKETING",)),
                _COMPONENTS,
            ),
        ),
        result=Result(ResultKind.RECORD, fields=_TEMPLATE),
        guesses=("idempotent",),
    ),
    op(  # 6. Listar plantillas
        "list_templates",
        "GET",
        idempotent=True,  # guess: a read
        doc="List the WhatsApp templates of a connector, with their state, language and components.",
        # A GET with a JSON body, as the catalogue shows it.
        body=Body(Shape.OBJECT, (_CONNECTOR_ID,)),
        result=Result(ResultKind.RECORD, fields=("meta_templates",)),
        guesses=("idempotent",),
    ),
    op(  # 7. Crear plantilla (Autenticación)
        "create_auth_template",
        "POST",
        idempotent=False,  # guess: it creates a template
        doc="Create an Authentication (one-time code) WhatsApp template on a connector.",
        body=Body(
            Shape.OBJECT,
            (
                _CONNECTOR_ID,
                Param("name"),
                Param("language"),
                Param("category", Kind.CHOICE, choices=("AUTHENTICATION",)),
                _COMPONENTS,
            ),
        ),
        result=Result(ResultKind.RECORD, fields=_TEMPLATE),
        guesses=("idempotent",),
    ),
    op(  # 8. Crear plantilla (Utilidad)
        "create_utility_template",
        "POST",
        idempotent=False,  # guess: it creates a template
        doc="Create a Utility (transactional) WhatsApp template on a connector.",
        body=Body(
            Shape.OBJECT,
            (
                _CONNECTOR_ID,
                Param("name"),
                Param("language"),
                Param("category", Kind.CHOICE, choices=("UTILITY",)),
                _COMPONENTS,
            ),
        ),
        result=Result(ResultKind.RECORD, fields=_TEMPLATE),
        guesses=("idempotent",),
    ),
    op(  # 9. Sincronizar plantillas
        "sync_templates",
        "POST",
        idempotent=True,  # guess: it copies Meta's approved templates into wolkvox; again changes nothing
        doc="Synchronize a connector's templates approved in Meta into wolkvox; answers them.",
        body=Body(Shape.OBJECT, (_CONNECTOR_ID,)),
        result=Result(ResultKind.RECORDS, fields=("name_template", "body_template", "idiom", "category")),
        guesses=("idempotent",),
    ),
    op(  # 10. Editar plantilla
        "edit_template",
        "PUT",
        idempotent=True,  # guess: it replaces the template's components with those given, whole
        doc="Replace the components of an existing WhatsApp template (Meta reviews it again).",
        body=Body(Shape.OBJECT, (_CONNECTOR_ID, Param("name"), _COMPONENTS)),
        result=Result(ResultKind.RECORD, fields=_TEMPLATE),
        guesses=("idempotent",),
    ),
    op(  # 11. Eliminar plantilla
        "delete_template",
        "DELETE",
        idempotent=True,  # guess: it deletes a named template
        doc="Delete a WhatsApp template of a connector, by name.",
        body=Body(Shape.OBJECT, (_CONNECTOR_ID, Param("name"))),
        result=Result(ResultKind.RECORD, fields=("name",)),
        guesses=("idempotent",),
    ),
    op(  # 12. Codificar chat
        "codify_chat",
        "POST",
        idempotent=False,  # guess: it closes the chat with a coding logged in the reports
        doc="Code (type) a chat with an activity code, on behalf of an agent.",
        body=Body(
            Shape.OBJECT,
            (
                Param("agent", Kind.ID),  # the agent's id
                Param("chat_id", Kind.ID),
                Param("codAct"),  # an activity code allowed for chats
            ),
        ),
        guesses=("idempotent",),
    ),
    op(  # 13. Consultar chats de agente
        "agent_chat",
        "GET",
        idempotent=True,  # guess: a read
        doc="List an agent's chats, optionally filtered by customer or channel.",
        query=(
            Param("agent_id", Kind.ID),
            Param("phone", required=False),
            Param("email", required=False),
            Param("customer_name", required=False),
            Param(
                "channel", Kind.CHOICE, required=False, choices=("whatsapp", "web", "instagram", "facebook")
            ),
            Param("channel_id", Kind.ID, required=False),
        ),
        # One object: the paging facts and the chats in its "data".
        result=Result(ResultKind.RECORD, fields=("status", "total", "page", "limit", "data")),
        guesses=("idempotent",),
    ),
    op(  # 14. Consultar conversación de un chat
        "conversations_today_by_customer",
        "POST",
        idempotent=True,  # guess: a read
        doc="Read a chat's conversation, one page of messages at a time.",
        body=Body(Shape.OBJECT, (Param("chat_id", Kind.ID), Param("pagina_mensajes", Kind.NUMBER))),
        result=Result(
            ResultKind.RECORDS,
            fields=(
                "chat_id",
                "fecha_hora_inicio",
                "canal",
                "estado_chat",
                "agent_id",
                "conversacion",
                "paginacion_mensajes",
            ),
            empty_on_404=True,  # guess: an unknown chat is "no data"
        ),
        guesses=("idempotent", "empty_on_404"),
    ),
)
