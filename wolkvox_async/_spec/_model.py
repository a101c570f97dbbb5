"""The vocabulary of the API's specification: operations, their parameters, bodies and results.

One ``Operation`` per wolkvox operation, written as data in the namespace
modules beside this one (``agentbox``, ``reports``, ...). From them follow the
client's namespaced methods (generated), the requests and decoders, the
emulator's routes and the table tests. Facts the catalogue leaves vague are
decided in the record and listed in ``guesses``.
"""

from __future__ import annotations

import enum
import keyword
import re
import unicodedata
from typing import Final

import attrs

MiB: Final = 1024 * 1024

DEFAULT_MAX_RESPONSE: Final = 32 * MiB
"""The largest answer read for an ordinary call: far beyond any agents list, far below what hurts."""

EXPORT_MAX_RESPONSE: Final = 264 * MiB
"""The largest answer read for a report export: wolkvox documents up to 256 MB."""

MAX_UPLOAD_RECORDS: Final = 10_000
"""Wolkvox takes at most this many records per call."""

DATETIME_FORMAT: Final = "%Y%m%d%H%M%S"
"""Wolkvox's ``YYYYmmddHHiiss``."""


class Kind(enum.Enum):
    """What a parameter holds, and so what a method accepts for it."""

    TEXT = "text"
    """Text (a number is printed); in a query, without control characters."""
    ID = "id"
    """An identifier made of digits (an agent's extension, a skill, a campaign): str or int."""
    NUMBER = "number"
    """A whole number, sent as text."""
    DATETIME = "datetime"
    """``YYYYmmddHHiiss``: a ``datetime``, a ``date`` or the 14 digits."""
    CHOICE = "choice"
    """One of ``choices``."""
    YES_NO = "yes_no"
    """``"yes"`` or ``"no"``; a bool is accepted."""
    LIST = "list"
    """A JSON array (bodies only)."""
    OBJECT = "object"
    """A JSON object (bodies only)."""
    FILE = "file"
    """A file to upload (form bodies only): bytes, or a path."""


@attrs.frozen
class Param:
    """A query parameter or a body field, by its wire name."""

    wire: str
    kind: Kind = Kind.TEXT
    required: bool = True
    choices: tuple[str, ...] = ()

    @property
    def python_name(self) -> str:
        return python_name(self.wire)


def python_name(wire: str) -> str:
    """The keyword a wire name is given by: itself, or its obvious spelling (``from`` → ``from_``)."""
    plain = unicodedata.normalize("NFKD", wire).encode("ascii", "ignore").decode()
    name = re.sub(r"\W+", "_", plain).strip("_").lower() if not plain.isidentifier() else plain
    if not name or name[0].isdigit():
        name = f"f_{name}"
    return f"{name}_" if keyword.iskeyword(name) else name


class Shape(enum.Enum):
    """How a request's body is sent."""

    NONE = "none"
    OBJECT = "object"
    """A JSON object of the body fields, given as keyword arguments."""
    RECORDS = "records"
    """A JSON array of records, given as ``records=[{...}, ...]``; ``fields`` describe one record."""
    FORM = "form"
    """A multipart form (uploads)."""


@attrs.frozen
class Body:
    shape: Shape = Shape.NONE
    fields: tuple[Param, ...] = ()


NO_BODY: Final = Body()


class ResultKind(enum.Enum):
    ACK = "ack"
    """``Acknowledgement``: the server's word that it was done."""
    RECORD = "record"
    """One record: a model, or a read-only mapping of the fields as sent."""
    RECORDS = "records"
    """A tuple of records (models, or read-only mappings: the rows of reports and the like)."""


@attrs.frozen
class Result:
    kind: ResultKind = ResultKind.ACK
    model: str | None = None
    """The model class a record becomes (``Skill``, ``TokenInfo``); None: a read-only mapping."""
    fields: tuple[str, ...] = ()
    """The fields a record documents, as wolkvox names them."""
    empty_on_404: bool = False
    """A 404 in wolkvox's envelope means "no data": an empty tuple."""
    key: str | None = "data"
    """Where the records are in the answer; None: the answer is a bare array, without envelope."""


ACK: Final = Result()


@attrs.frozen
class Operation:
    """One API operation and the facts the layers above decide with.

    ``idempotent``: sending it twice does no more than sending it once
    (decides retries). ``costs_quota``: it counts against the daily quota
    (the agentbox calls do not, per their documentation). ``max_response``:
    the largest answer read, in decoded bytes. ``name`` is what errors,
    logs and events call it: ``namespace.api``, or the friendly name of the
    five first operations. ``guesses`` names the facts decided without the
    documentation's word.
    """

    name: str
    method: str
    script: str
    api: str
    idempotent: bool
    costs_quota: bool
    max_response: int = DEFAULT_MAX_RESPONSE
    namespace: str = ""
    query: tuple[Param, ...] = ()
    body: Body = NO_BODY
    result: Result = ACK
    doc: str = ""
    path: str = ""
    """The URL's path after the server, when it is not ``/api/v2/<script>``."""
    interactive: bool = False
    """Waits in the interactive lane by default (the agentbox calls: a person waits)."""
    guesses: tuple[str, ...] = ()

    @property
    def method_name(self) -> str:
        """The name of its method in its namespace: the wire ``api=`` name."""
        return python_name(self.api)

    @property
    def url_path(self) -> str:
        return self.path or f"/api/v2/{self.script}"

    @property
    def params(self) -> tuple[Param, ...]:
        """Every parameter a caller gives: the query's, then the body's (unless they are records)."""
        fields = self.body.fields if self.body.shape in (Shape.OBJECT, Shape.FORM) else ()
        return (*self.query, *fields)


@attrs.frozen
class Family:
    """The facts a namespace's operations share, so that each record says only its own."""

    namespace: str
    script: str
    costs_quota: bool = True
    interactive: bool = False
    max_response: int = DEFAULT_MAX_RESPONSE

    def __call__(
        self,
        api: str,
        method: str,
        *,
        idempotent: bool,
        doc: str,
        name: str | None = None,
        query: tuple[Param, ...] = (),
        body: Body = NO_BODY,
        result: Result = ACK,
        path: str = "",
        max_response: int | None = None,
        guesses: tuple[str, ...] = (),
    ) -> Operation:
        return Operation(
            name or f"{self.namespace}.{api}",
            method,
            self.script,
            api,
            idempotent,
            self.costs_quota,
            max_response or self.max_response,
            namespace=self.namespace,
            query=query,
            body=body,
            result=result,
            doc=doc,
            path=path,
            interactive=self.interactive,
            guesses=guesses,
        )


family = Family
