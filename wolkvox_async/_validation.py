"""Argument checks, done before anything is sent or counted.

Each function returns the value as it will go on the wire, or raises
``InvalidArgumentError`` naming the argument and what was expected. The
value itself is echoed only where it cannot be a secret.
"""

from __future__ import annotations

import enum
import json
import re
from typing import Final, TypeVar
from urllib.parse import urlsplit

from ._errors import InvalidArgumentError
from ._models import Priority, Secret

E = TypeVar("E", bound=enum.Enum)

_DIGITS: Final = re.compile(r"[0-9]+")
_PHONE_SEPARATORS: Final = re.compile(r"[\s\-.()]")
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")
_TOKEN: Final = re.compile(r"[\x21-\x7e]+")
_SCRIPT: Final = re.compile(r"[a-z][a-z0-9_]*\.php")
_API_NAME: Final = re.compile(r"[A-Za-z0-9_]+")
PASSWORD_SYMBOLS: Final = "!#%&*@"


def server(value: object) -> str:
    """A wolkvox server code: exactly four digits, as a string ("0032")."""
    if not isinstance(value, str) or len(value) != 4 or not _DIGITS.fullmatch(value):
        raise InvalidArgumentError(f"server must be a 4-digit string such as '0032', got {value!r}")
    return value


def token(value: object) -> str:
    """The API token: it travels in an HTTP header, so printable ASCII without spaces.

    Never echoed, not even in part.
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError("token must be a non-empty string")
    stripped = value.strip()
    if not _TOKEN.fullmatch(stripped):
        raise InvalidArgumentError(
            "token must be printable ASCII without spaces or control characters (it goes in an HTTP header)"
        )
    return stripped


def base_url(value: object) -> str:
    """``http(s)://host[:port][/path]``, without ``/api/v2`` or a trailing slash.

    A query or fragment would be lost silently, and credentials do not
    belong in a URL that is printed: both are refused. The value is echoed
    only without its userinfo.
    """
    if not isinstance(value, str):
        raise InvalidArgumentError(f"base_url must be a string, got {type(value).__name__}")
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError as exc:
        raise InvalidArgumentError(f"base_url is not a URL: {exc}") from None
    shown = _without_userinfo(value) if parts.username is not None or parts.password is not None else value
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidArgumentError(f"base_url must be http(s)://host[:port][/path], got {shown!r}")
    if parts.username is not None or parts.password is not None:
        raise InvalidArgumentError(
            f"base_url must not hold credentials (the token is the only credential), got {shown!r}"
        )
    if parts.query or parts.fragment or value.strip().endswith(("?", "#")):
        raise InvalidArgumentError(f"base_url must not have a query or a fragment, got {shown!r}")
    if port == 0 or _CONTROL.search(value) or any(c.isspace() for c in value.strip()):
        raise InvalidArgumentError(f"base_url must be http(s)://host[:port][/path], got {shown!r}")
    return value.strip().rstrip("/").removesuffix("/api/v2").rstrip("/")


def _without_userinfo(value: str) -> str:
    scheme, _, rest = value.partition("://")
    netloc, slash, path = rest.partition("/")
    return f"{scheme}://***@{netloc.rpartition('@')[2]}{slash}{path}"


def script(value: object) -> str:
    """A script of the API v2, such as ``"reports_manager.php"``: a name, never a path."""
    if not isinstance(value, str) or not _SCRIPT.fullmatch(value):
        raise InvalidArgumentError(f"script must be a name such as 'information.php', got {value!r}")
    return value


def api_name(value: object) -> str:
    if not isinstance(value, str) or not _API_NAME.fullmatch(value):
        raise InvalidArgumentError(f"api must be an operation's name such as 'token_info', got {value!r}")
    return value


def json_body(value: object) -> object:
    """A JSON body as given, if JSON can carry it."""
    if value is None:
        return None
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        raise InvalidArgumentError("json must hold only JSON values") from None
    return value


def agent_id(value: object, name: str = "agent_id") -> str:
    """An agent's extension number: digits, given as a str or a non-negative int.

    Surrounding whitespace is removed.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return value.strip()
    raise InvalidArgumentError(f"{name} must be digits, got {value!r}")


def phone(value: object) -> str:
    """A phone number as digits. Spaces, '-', '.', '(' and ')' are removed.

    A '+' or letters are refused rather than guessed at: write the number as
    your wolkvox dial plan expects it.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = str(value)
    if isinstance(value, str):
        digits = _PHONE_SEPARATORS.sub("", value)
        if _DIGITS.fullmatch(digits) and len(digits) <= 20:
            return digits
    raise InvalidArgumentError(
        f"phone must be up to 20 digits (spaces, '-', '.', '(' and ')' are removed), got {value!r}"
    )


def required_text(value: object, name: str) -> str:
    """Non-empty text without control characters; surrounding whitespace removed."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(f"{name} must be non-empty text, got {value!r}")
    if _CONTROL.search(value):
        raise InvalidArgumentError(f"{name} must not contain control characters")
    return value.strip()


def optional_text(value: object, name: str) -> str | None:
    """Like ``required_text``, but None or blank means "not given"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return required_text(value, name)


def password(value: object) -> str | None:
    """An agent password: an upper-case and a lower-case letter, a digit and one of ``!#%&*@``.

    None lets the server make one. The value is never echoed in the error.
    """
    if value is None:
        return None
    plain = value.reveal() if isinstance(value, Secret) else value
    if not isinstance(plain, str):
        raise InvalidArgumentError("password must be a str or a Secret")
    if _CONTROL.search(plain) or plain != plain.strip():
        raise InvalidArgumentError("password must not contain control characters or surrounding spaces")
    missing = [
        what
        for what, ok in (
            ("an upper-case letter", any(c.isupper() for c in plain)),
            ("a lower-case letter", any(c.islower() for c in plain)),
            ("a digit", any(c.isdigit() for c in plain)),
            (f"one of {PASSWORD_SYMBOLS}", any(c in PASSWORD_SYMBOLS for c in plain)),
        )
        if not ok
    ]
    if missing:
        raise InvalidArgumentError("password must contain " + ", ".join(missing))
    return plain


def choice(value: object, enum_type: type[E], name: str) -> E:
    """An enum member, given as the member or as its wire string."""
    if isinstance(value, enum_type):
        return value
    for member in enum_type:
        if value == member.value:
            return member
    allowed = ", ".join(repr(m.value) for m in enum_type)
    raise InvalidArgumentError(f"{name} must be a {enum_type.__name__} or one of {allowed}, got {value!r}")


def positive_int(value: object, name: str, *, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise InvalidArgumentError(f"{name} must be a positive integer, got {value!r}")


def timeout(value: object, name: str) -> float | None:
    """Seconds, positive, or None for no limit."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise InvalidArgumentError(f"{name} must be a positive number of seconds or None, got {value!r}")


def priority(value: object) -> Priority:
    """A lane: a ``Priority`` or its name, "interactive" or "bulk"."""
    if isinstance(value, Priority):
        return value
    if isinstance(value, str) and value.upper() in Priority.__members__:
        return Priority[value.upper()]
    raise InvalidArgumentError(f"priority must be a Priority, 'interactive' or 'bulk', got {value!r}")


def count(value: object, name: str) -> int:
    """A whole number >= 0."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise InvalidArgumentError(f"{name} must be a whole number >= 0, got {value!r}")


YES_NO: Final = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "": False,
}
"""The words a yes/no field may hold (any case); empty means no."""


def flag(value: object, name: str) -> bool:
    """A yes/no field: a bool, or one of ``YES_NO``."""
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text not in YES_NO:
        raise InvalidArgumentError(f"{name} must be yes or no, got {value!r}")
    return YES_NO[text]
