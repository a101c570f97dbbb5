"""The secrets a URL carries, so that a URL, or an error quoting it, can be shown masked."""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import unquote, unquote_plus

from ._redact import is_secret_key

_NETLOC: Final = re.compile(r"^(?:[^:/?#]+:)?//([^/?#]*)")


def url_secrets(url: str) -> list[str]:
    """Its password and the values of its query parameters that name one (``password=``, any case).

    Each as written and decoded. Read by hand rather than by ``urlsplit``, so
    that a URL too broken to parse still gives them up.
    """
    found: list[str] = []
    netloc = _NETLOC.match(url)
    if netloc is not None:
        userinfo, at, _ = netloc[1].rpartition("@")
        _, colon, password = userinfo.partition(":")
        if at and colon and password:
            found += (password, unquote(password))
    query = url.partition("?")[2].partition("#")[0]
    for parameter in query.split("&"):
        key, equals, value = parameter.partition("=")
        if equals and value and is_secret_key(unquote_plus(key)):
            found += (value, unquote_plus(value))
    return list(dict.fromkeys(found))
