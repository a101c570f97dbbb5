"""Just enough of multipart/form-data to see which fields and files an upload carries."""

from __future__ import annotations

import re
from typing import NamedTuple

_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)
_DISPOSITION_PARAM = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"|(\w+)=([^;\s]+)')


class Part(NamedTuple):
    name: str
    filename: str | None
    content: bytes


def boundary(content_type: str) -> str | None:
    """The boundary of a ``multipart/form-data`` content type; None for any other type."""
    if not content_type.lower().startswith("multipart/form-data"):
        return None
    match = _BOUNDARY.search(content_type)
    return match[1] if match else None


def parse(body: bytes, boundary: str) -> list[Part] | None:
    """The parts of a multipart body, in order; None when it is not framed by ``boundary``."""
    delimiter = b"--" + boundary.encode("latin-1")
    sections = body.split(delimiter)
    if len(sections) < 3 or not sections[-1].startswith(b"--"):
        return None
    parts = []
    for section in sections[1:-1]:
        head, separator, content = section.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not separator:
            return None
        disposition = _disposition(_text(head))
        if "name" not in disposition:
            return None
        parts.append(Part(disposition["name"], disposition.get("filename"), content.removesuffix(b"\r\n")))
    return parts


def _disposition(head: str) -> dict[str, str]:
    for line in head.split("\r\n"):
        field, _, value = line.partition(":")
        if field.strip().lower() == "content-disposition":
            return {
                (match[1] or match[3]): (match[2] if match[1] else match[4])
                for match in _DISPOSITION_PARAM.finditer(value)
            }
    return {}


def _text(head: bytes) -> str:
    """Part headers as browsers and httpx write them: UTF-8, or Latin-1 from older clients."""
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError:
        return head.decode("latin-1")
