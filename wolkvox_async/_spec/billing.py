"""billing.php: the usage of each billed product this month (Facturación)."""

from ._model import Result, ResultKind, family

op = family("billing", "billing.php")

# One row per product: the operation, the product, the quantity used, the date asked.
# No parameter is documented: each answers the current month ("Information found for the current month").
_USAGE = Result(
    ResultKind.RECORDS,
    fields=("operation", "description", "items", "date"),
    empty_on_404=True,  # guess: as the reports
)

OPERATIONS = (
    op(  # 1. Agent Script
        "agent_script",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of active Agent Script licenses.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 2. Intelligent dial
        "intelligent_dial",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of active intelligent dialing licenses.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 3. Gamification
        "gamification",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of active gamification licenses.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 4. Minutos de IVR
        "ivr_minutes",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's IVR minutes used.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 5. Grabaciones de IVR
        "rec_minutes",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's IVR recording storage and minutes used.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 6. Amazon S3
        "amazon_s3",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of licenses for external storage in Amazon S3.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 7. RSYNC
        "rsync",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of licenses for external storage (RSYNC).",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 8. RSYNC S3 MP3
        "rsync_s3_mp3",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of recordings copied to Amazon S3 (MP3).",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 9. Grabación de pantalla
        "rec_screen",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's screen recording time and share of calls recorded.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 10. Interacciones
        "interactions",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read the count of omnibox interactions (email, social media) to date.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 11. Grabación de pantalla On Demand
        "rec_screen_on_demand",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's on-demand screen recording time.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 12. Speech Analytics
        "speech_analytics",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's on-demand speech analytics time.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 13. Conectores de WhatsApp
        "wp_connectors",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of active WhatsApp Mobile connectors.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 14. Análisis de sentimiento
        "sentiment_analysis",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of sentiment analyses.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 15. Licencias de chat
        "chat_licenses",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of chat licenses.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 16. Licencias de interacciones
        "interaction_licenses",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of interaction licenses.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 17. Videollamadas
        "video_call",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of active video call licenses.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 18. Licencias de PBX
        "pbx_licenses",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of active PBX licenses.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 19. Llamadas de IVR
        "ivr_calls",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of IVR calls.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 20. Reproducciones ASR
        "asr_calls",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of ASR (speech recognition) uses.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 21. Componente Vision
        "vision",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's uses of wolkvox Studio's Vision (image analysis) component.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 22. Caracteres en TTS
        "tts_chars",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of text-to-speech characters.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 23. Conectores Oficiales de WhatsApp Business
        "wp_connectors_official",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of active WhatsApp Business connectors.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 24. Licencias de contact center
        "contact_center_licenses",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of active contact center licenses.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 25. AMD AI
        "amd_ai",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's count of AI answering-machine detections.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 26. Uso de Grabación en Estéreo
        "stereo_rec",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's minutes of stereo recording.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
    op(  # 27. NLP
        "nlp_ai",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read this month's NLP usage.",
        result=_USAGE,
        guesses=("idempotent", "empty_on_404"),
    ),
)
