"""sms.php: SMS messages."""

from ._model import Body, Param, Shape, family

op = family("sms", "sms.php")

OPERATIONS = (
    op(  # 1. Envío de mensaje SMS
        "send_sms",
        "POST",
        idempotent=False,  # guess: it sends a message
        doc="Send an SMS message to a telephone.",
        # The Request table types telephone as Int; it is a number to dial, sent as text.
        body=Body(Shape.OBJECT, (Param("telephone"), Param("message"))),
        guesses=("idempotent",),
    ),
)
