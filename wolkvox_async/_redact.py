"""Keeping secrets out of what is printed: error messages, excerpts of answers, reprs.

Two ways, by what is known of the text:

- **by structure**, where there is structure: the value of a JSON key that
  names a secret (``password``, ``agent_pass``, ``wolkvox-token``, ...) is
  masked whatever it holds, its key read after JSON unescaping, so
  ``"pass\\u0077ord"`` is no hiding place;
- **by value**, in free text the server wrote: a known secret (the token, a
  password the call sent) is masked where it stands as a whole word, never
  as a fragment of other words, so a short token does not garble a message.

Pure functions: the Transport knows the secrets of a call and applies them
to an error once, on its way up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, Final

MASK: Final = "***"

EXCERPT_CHARS: Final = 300
"""How much of a body an error keeps."""

_SECRET_KEY: Final = re.compile(
    r"(?:^|[_\-\s.])(?:pass|passwd|password|pwd|token|secret|clave|contrase(?:ñ|n)a)$", re.IGNORECASE
)
_STRING: Final = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?$)', re.DOTALL)
_KEY_GAP: Final = re.compile(r"\s*:")
_VALUE_GAP: Final = re.compile(r"\s*:\s*")
_BARE_VALUE: Final = re.compile(r"^(\s*:\s*)[^\s,}\]\"][^,}\]]*")
_WORD_CHAR: Final = "A-Za-z0-9_\\-"


def is_secret_key(key: str) -> bool:
    """A JSON key whose value is a secret: its last word names a password or a token."""
    return bool(_SECRET_KEY.search(key.strip()))


class Redactor:
    """Masks the given secret values wherever they stand as whole words."""

    __slots__ = ("_pattern",)

    def __init__(self, secrets: Iterable[str | None]) -> None:
        known = sorted({s for s in secrets if s}, key=len, reverse=True)
        self._pattern = (
            re.compile(f"(?<![{_WORD_CHAR}])(?:{'|'.join(map(re.escape, known))})(?![{_WORD_CHAR}])")
            if known
            else None
        )

    def text(self, value: str) -> str:
        return value if self._pattern is None else self._pattern.sub(MASK, value)

    def error(self, error: BaseException) -> None:
        """Mask every text an error carries: its args and its string attributes."""
        if self._pattern is None:
            return
        error.args = tuple(self.text(a) if isinstance(a, str) else a for a in error.args)
        for name, value in list(vars(error).items()):
            if isinstance(value, str):
                setattr(error, name, self.text(value))


NO_SECRETS: Final = Redactor(())


def _masked(value: Any) -> Any:
    """A parsed JSON value with the values of secret keys masked."""
    if isinstance(value, dict):
        return {k: MASK if is_secret_key(str(k)) else _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def excerpt(body: bytes, chars: int = EXCERPT_CHARS) -> str:
    """The start of a body for an error, the values of secret keys masked.

    A body that parses as JSON is masked by structure and shown compact; one
    that does not (HTML, cut short) is scanned string by string, each key
    read unescaped, so that a cut or escaped body hides nothing either.
    """
    if len(body) <= 64 * 1024:
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            pass
        else:
            shown = json.dumps(_masked(parsed), ensure_ascii=False, separators=(", ", ": "))
            return shown[:chars]
    head = body[: chars * 4].decode("utf-8", "replace")[:chars]
    return _scan(head)


def _unescaped(literal: str) -> str | None:
    try:
        value = json.loads(literal)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _scan(text: str) -> str:
    """Mask the value after each secret key of text that may not parse; literals shown unescaped."""
    out: list[str] = []
    position = 0
    after_secret_key = False
    for match in _STRING.finditer(text):
        between = text[position : match.start()]
        literal = match.group()
        position = match.end()
        if after_secret_key and _VALUE_GAP.fullmatch(between):
            out.append(f'{between}"{MASK}"')
            after_secret_key = False
            continue
        out.append(_BARE_VALUE.sub(rf"\1{MASK}", between, count=1) if after_secret_key else between)
        plain = _unescaped(literal)
        out.append(literal if plain is None else json.dumps(plain, ensure_ascii=False))
        key = plain if plain is not None else literal.strip('"')
        after_secret_key = _KEY_GAP.match(text, position) is not None and is_secret_key(key)
    rest = text[position:]
    if after_secret_key:
        rest = _BARE_VALUE.sub(rf"\1{MASK}", rest, count=1)
        if _VALUE_GAP.fullmatch(rest) and rest.strip():
            rest += MASK
    return "".join(out) + rest
