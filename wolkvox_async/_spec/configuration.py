"""configuration.php: agents, skills, activity codes, DNC and Ley 2300 lists, IPs, files (Configuración)."""

from ._model import Body, Kind, Param, Result, ResultKind, Shape, family

op = family("configuration", "configuration.php")

_TYPE_CODE = Param("type_code", Kind.CHOICE, choices=("cod_act1", "cod_act2"))
_DNC_TYPES = ("inbound", "outbound", "inbound/outbound", "all")
_SKILL_FIELDS = (
    Param("skill_name"),
    Param("description_skill"),
    Param("voicemail"),
    Param("welcome_message"),
    Param("vto"),
)


def _cod_act_fields(*, rpc_optional: bool) -> tuple[Param, ...]:
    return (
        _TYPE_CODE,
        Param("cod_act"),
        Param("description_cod_act"),
        Param("hit", Kind.YES_NO),
        Param("rpc", Kind.YES_NO, required=not rpc_optional),
        Param("chat", Kind.YES_NO),
        Param("studio", Kind.YES_NO),
        Param("voice", Kind.YES_NO),
        Param("interactions", Kind.YES_NO),
    )


OPERATIONS = (
    op(  # 1. Ingresar uno o varios DNC inbound o outbound
        "add_dnc",
        "POST",
        idempotent=False,  # guess: it adds to a list
        doc="Add phone numbers to the inbound and/or outbound Do Not Call list.",
        body=Body(
            Shape.OBJECT,
            (Param("type_call", Kind.CHOICE, choices=_DNC_TYPES), Param("telephones", Kind.LIST)),
        ),
        guesses=("idempotent",),
    ),
    op(  # 2. Crear agente
        "create_agent",
        "POST",
        name="create_agent",
        idempotent=False,  # guess: it creates an agent
        doc="Create an agent; the answer holds its id and password (made by the server if not given).",
        body=Body(
            Shape.OBJECT,
            (
                Param("agent_dni"),
                Param("agent_name"),
                Param("agent_sso", required=False),
                Param("agent_pass", required=False),
            ),
        ),
        result=Result(ResultKind.RECORD, model="CreatedAgent", fields=("agent_id", "password")),
        guesses=("idempotent",),
    ),
    op(  # 3. Creación de códigos actividad
        "create_cod_act",
        "POST",
        idempotent=False,  # guess: it creates a code
        doc="Create an activity (disposition) code in group 1 or 2, with the channels it serves.",
        body=Body(Shape.OBJECT, _cod_act_fields(rpc_optional=True)),
        guesses=("idempotent",),
    ),
    op(  # 4. Desactivar agente
        "disable_agent",
        "PUT",
        idempotent=True,  # guess: disabling a disabled agent leaves it disabled
        doc="Disable an agent so that it cannot log in to wolkvox Agent.",
        body=Body(Shape.OBJECT, (Param("agent_id", Kind.ID),)),
        guesses=("idempotent",),
    ),
    op(  # 5. Deshabilitar módulo
        "disable_module",
        "PUT",
        idempotent=True,  # guess: it sets the operation's state to disabled
        doc="Disable the wolkvox operation (module) of the token.",
        guesses=("idempotent",),
    ),
    op(  # 6. Activar agente
        "enable_agent",
        "PUT",
        name="enable_agent",
        idempotent=True,  # guess: enabling an enabled agent leaves it enabled
        doc="Enable a disabled agent so that it can log in to wolkvox Agent again.",
        body=Body(Shape.OBJECT, (Param("agent_id", Kind.ID),)),
        guesses=("idempotent",),
    ),
    op(  # 7. Habilitar módulo
        "enable_module",
        "PUT",
        idempotent=True,  # guess: it sets the operation's state to enabled
        doc="Enable the wolkvox operation (module) of the token.",
        guesses=("idempotent",),
    ),
    op(  # 8. Elimina uno o varios DNC
        "remove_dnc",
        "DELETE",
        idempotent=True,  # guess: it deletes named numbers
        doc="Remove phone numbers from the inbound and/or outbound Do Not Call list.",
        body=Body(
            Shape.OBJECT,
            (
                Param("telephones", Kind.LIST),
                Param("type", Kind.CHOICE, required=False, choices=_DNC_TYPES),
            ),
        ),
        guesses=("idempotent",),
    ),
    op(  # 9. Agregar IP
        "add_ip",
        "POST",
        idempotent=False,  # guess: it adds to a list
        doc="Allow an IPv4 address through the operation's firewall, temporarily or permanently.",
        body=Body(
            Shape.OBJECT,
            (
                Param("ip"),
                Param("permanent", Kind.YES_NO, required=False),
                Param("description", required=False),  # information.get_ip calls it optional
            ),
        ),
        guesses=("idempotent",),
    ),
    op(  # 10. Remover IP
        "remove_ip",
        "DELETE",
        idempotent=True,  # guess: it deletes a named address
        doc="Remove an IPv4 address from the operation's firewall.",
        body=Body(Shape.OBJECT, (Param("ip"),)),
        guesses=("idempotent",),
    ),
    op(  # 11. Añadir Interacción
        "add_interaction",
        "POST",
        idempotent=False,  # guess: it creates an interaction
        doc="Create an interaction and route it through a routing point's interaction flow.",
        body=Body(
            Shape.OBJECT,
            (
                Param("from"),
                Param("fromname"),
                Param("to"),
                Param("toname"),
                Param("subject"),
                Param("body"),
                Param("rp_id", Kind.ID),
            ),
        ),
        guesses=("idempotent",),
    ),
    op(  # 12. Crear Skill
        "create_skill",
        "POST",
        idempotent=False,  # guess: it creates a skill
        doc="Create a skill (agent group); the answer holds its id.",
        body=Body(Shape.OBJECT, _SKILL_FIELDS),
        result=Result(ResultKind.RECORD, fields=("skill_id",)),
        guesses=("idempotent",),
    ),
    op(  # 13. Editar agente
        "edit_agent",
        "PUT",
        idempotent=True,  # guess: it sets the agent's fields to the ones given
        doc="Edit an agent's dni, name, SSO user and password (a random one if not given).",
        query=(Param("agent_id", Kind.ID),),
        body=Body(
            Shape.OBJECT,
            (
                Param("agent_dni"),
                Param("agent_name"),
                Param("agent_sso", required=False),
                Param("agent_pass", required=False),
            ),
        ),
        guesses=("idempotent",),
    ),
    op(  # 14. Editar skill
        "edit_skill",
        "PUT",
        idempotent=True,  # guess: it sets the skill's fields to the ones given
        doc="Edit a skill's name, description, voicemail and messages.",
        query=(Param("skill_id", Kind.ID),),
        body=Body(Shape.OBJECT, _SKILL_FIELDS),
        guesses=("idempotent",),
    ),
    op(  # 15. Remover códigos de actividad
        "remove_cod_act",
        "DELETE",
        idempotent=True,  # guess: it deletes named codes
        doc="Remove activity codes from group 1 or 2.",
        body=Body(Shape.OBJECT, (_TYPE_CODE, Param("cod_act", Kind.LIST))),
        guesses=("idempotent",),
    ),
    op(  # 16. Editar códigos de actividad
        "edit_cod_act",
        "PUT",
        idempotent=True,  # guess: it sets the code's fields to the ones given
        doc="Edit an activity code's description, hit/rpc flags and the channels it serves.",
        body=Body(Shape.OBJECT, _cod_act_fields(rpc_optional=False)),
        guesses=("idempotent",),
    ),
    op(  # 17. Agregar agentes a skill
        "add_agents_skill",
        "POST",
        idempotent=False,  # guess: it adds to a skill; a second add may be refused
        doc="Add an agent to a skill with an expertise level.",
        body=Body(
            Shape.OBJECT,
            (
                Param("skill_id", Kind.ID),
                Param("agent_id", Kind.ID),
                Param("expertise", Kind.NUMBER),  # guess: a level, "5" in the example
            ),
        ),
        guesses=("idempotent", "kind: expertise"),
    ),
    op(  # 18. Remover agentes de skill
        "remove_agents_skill",
        "DELETE",
        idempotent=True,  # guess: it removes a named agent from a named skill
        doc="Remove an agent from a skill.",
        body=Body(Shape.OBJECT, (Param("skill_id", Kind.ID), Param("agent_id", Kind.ID))),
        guesses=("idempotent",),
    ),
    op(  # 19. Modificar licencias de contact center y PBX
        "edit_licenses",
        "PUT",
        idempotent=True,  # guess: it sets the license counts to the ones given
        doc="Set the operation's number of contact-center (agent) and/or PBX licenses.",
        body=Body(
            Shape.OBJECT,
            (
                Param("call_center", Kind.NUMBER, required=False),
                Param("pbx", Kind.NUMBER, required=False),
            ),
        ),
        guesses=("idempotent",),
    ),
    op(  # 20. Free Law 2300
        "free_law2300",
        "PUT",
        idempotent=True,  # guess: it sets a customer free of the protection
        doc="Free a customer, by telephone or id, from Ley 2300 consumer-protection contact limits.",
        body=Body(
            Shape.OBJECT,
            (
                Param("nit"),
                Param("item"),  # "telephone" in the example; the other word (for an id) is not given
                Param("value"),
                Param("agent_id", Kind.ID),
            ),
        ),
        guesses=("idempotent",),
    ),
    op(  # 21. Subir archivo a wvx Copilot
        "upload_file",
        "POST",
        idempotent=False,  # guess: it uploads
        doc="Upload a PDF, DOCX, TXT or PNG file to train wvx Copilot.",
        body=Body(Shape.FORM, (Param("file", Kind.FILE),)),
        guesses=("idempotent",),
    ),
    op(  # 22. Eliminar archivo de wvx Copilot
        "delete_file",
        "DELETE",
        idempotent=True,  # guess: it deletes a named file
        doc="Delete a training file from wvx Copilot.",
        body=Body(Shape.OBJECT, (Param("filename"),)),
        guesses=("idempotent",),
    ),
    op(  # 23. Subir audio
        "upload_audio",
        "POST",
        idempotent=False,  # guess: it uploads
        doc="Upload an audio file to wolkvox Manager (for Studio's Play Audio and the like).",
        # guess: the catalogue's field key is the placeholder "{{file1}}"
        body=Body(Shape.FORM, (Param("file", Kind.FILE),)),
        result=Result(ResultKind.RECORDS, fields=("filename",)),
        guesses=("idempotent", "kind: upload_audio file field name"),
    ),
    op(  # 24. Bloqueo de números para Ley 2300
        "block_law2300",
        "PUT",
        idempotent=False,  # guess: it adds to a list
        doc="Add a phone number to the Ley 2300 do-not-contact list.",
        body=Body(Shape.OBJECT, (Param("nit"), Param("telephone"), Param("customer_id"))),
        guesses=("idempotent",),
    ),
    op(  # 25. Añadir clientes a la lista DNC en una campaña predictiva
        "block_predictive_dnc",
        "PUT",
        idempotent=True,  # guess: it marks named records as Do Not Call
        doc="Mark customers of a predictive campaign as Do Not Call.",
        body=Body(Shape.OBJECT, (Param("id_campaing", Kind.ID), Param("id_cliente", Kind.LIST))),
        guesses=("idempotent",),
    ),
    op(  # 2. Speech Analytics y VOC
        "speech_on_demand",
        "PUT",
        idempotent=False,  # guess: it starts an analysis, which creates a record
        doc="Run speech analytics and voice of the customer on a stereo call of the last 24 hours.",
        body=Body(Shape.OBJECT, (Param("conn_id"), Param("agent_id", Kind.ID))),
        guesses=("idempotent",),
    ),
)
