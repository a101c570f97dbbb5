"""quality.php: the quality matrix."""

from ._model import Result, ResultKind, family

op = family("quality", "quality.php")

OPERATIONS = (
    op(  # 1. Matriz de Calidad
        "quality_matrix",
        "GET",
        idempotent=True,  # guess: a read
        doc="Read the quality matrix: each survey's attributes, categories, error types and weights.",
        # data is one object keyed by the surveys' names (the example's "nombreDeEncuesta1" is a
        # placeholder), each a list of {category, attribute, error_type, percent}: no fixed fields.
        result=Result(ResultKind.RECORD),
        guesses=("idempotent",),
    ),
)
