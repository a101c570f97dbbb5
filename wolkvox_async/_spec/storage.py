"""wolkvox_storage.php: files in wolkvox Storage."""

from ._model import Body, Kind, Param, Result, ResultKind, Shape, family

op = family("storage", "wolkvox_storage.php")

_FILES = Param("files", Kind.LIST)  # ["name.pdf", ...]
_ACCESS = ("code", "message", "files")

OPERATIONS = (
    op(  # 1. Listar archivos
        "list_files",
        "POST",
        idempotent=True,  # guess: a read
        doc="List the files and folders in wolkvox Storage, a page at a time.",
        # The catalogue sends no body; the description documents these three, all optional.
        body=Body(
            Shape.OBJECT,
            (
                Param("path", required=False),
                Param("limit", Kind.NUMBER, required=False),
                # The previous page's pagination.next_page_token.
                Param("page_token", required=False),
            ),
        ),
        result=Result(ResultKind.RECORD, fields=("items", "pagination")),
        guesses=("idempotent",),
    ),
    op(  # 2. Listar detalles de archivo
        "file_details",
        "POST",
        idempotent=True,  # guess: a read
        doc="Read the details of a file in wolkvox Storage: size, update time, public or not.",
        body=Body(Shape.OBJECT, (Param("file_name"),)),
        result=Result(
            ResultKind.RECORD, fields=("full_name", "file_name", "updated", "is_public", "size_mb")
        ),
        guesses=("idempotent",),
    ),
    op(  # 3. Otorgar acceso público
        "public_access",
        "POST",
        idempotent=True,  # guess: it sets the files' access to public
        doc="Make files in wolkvox Storage public: anyone with the link can read them.",
        body=Body(Shape.OBJECT, (_FILES,)),
        result=Result(ResultKind.RECORD, fields=_ACCESS),
        guesses=("idempotent",),
    ),
    op(  # 4. Cambiar acceso a restringido
        "restricted_access",
        "POST",
        idempotent=True,  # guess: it sets the files' access to restricted
        doc="Make files in wolkvox Storage restricted: readable only when signed in.",
        body=Body(Shape.OBJECT, (_FILES,)),
        result=Result(ResultKind.RECORD, fields=_ACCESS),
        guesses=("idempotent",),
    ),
    op(  # 5. Eliminar archivos de wolkvox Storage
        "delete_files",
        "POST",
        idempotent=True,  # guess: it deletes named files
        doc="Delete files from wolkvox Storage (only those uploaded 90 days ago or more).",
        body=Body(Shape.OBJECT, (_FILES,)),
        result=Result(ResultKind.RECORD, fields=("error", "files")),
        guesses=("idempotent",),
    ),
    op(  # 6. Subir archivos a wolkvox Storage
        "upload_files",
        "POST",
        idempotent=False,  # guess: it uploads files
        doc="Upload files to wolkvox Storage, optionally into a folder.",
        # The form sends "file" for one file or "file[]" for several; one FILE field "file[]" here.
        body=Body(Shape.FORM, (Param("file[]", Kind.FILE), Param("path", required=False))),
        result=Result(ResultKind.RECORD, fields=("successful_files", "errors", "counts")),
        guesses=("idempotent",),
    ),
)
