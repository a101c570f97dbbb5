"""listenvox.php: ListenVox, speech and text analytics of recordings and texts made anywhere."""

from ._model import Body, Kind, Param, Result, ResultKind, Shape, family

op = family("listenvox", "listenvox.php")

OPERATIONS = (
    op(  # 1. ListenVox
        # The catalogue gives it no api= name: "upload" is the name it is given here. It is
        # posted to /listenVox/listenvox.php, outside /api/v2, with no api= in its query: the
        # request builder leaves api= out for an operation with a path.
        "upload",
        "POST",
        idempotent=False,  # guess: it uploads a recording to be analyzed
        doc="Upload a call recording (stereo WAV/MP3) or a text for speech or text analytics.",
        body=Body(
            Shape.FORM,
            (
                Param("agent_id", Kind.ID),
                Param("data", Kind.FILE),
                Param("type_call", Kind.CHOICE, choices=("outbound_ma", "inbound")),
                Param("cod_act", required=False),
                Param("type_talk", Kind.CHOICE, required=False, choices=("agent", "cust")),
                Param("skill", Kind.ID, required=False),
                Param("id_campaña", Kind.ID, required=False),
                Param("tel_number", required=False),
                Param("id_customer", required=False),
            ),
        ),
        # The answer is {"code", "error", "id", "msg"}, without "data": key=None for a RECORD means
        # the answer object itself. The Response table calls the id "id_call"; the example, "id".
        result=Result(ResultKind.RECORD, fields=("id",), key=None),
        path="/listenVox/listenvox.php",
        guesses=("idempotent", "api: none on the wire"),
    ),
)
