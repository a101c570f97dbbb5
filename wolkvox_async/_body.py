"""Reading an answer's body within a size limit, on its decoded size, without I/O.

The server is not trusted with memory: a 300 MB answer, or a 1 MB gzip bomb
that inflates to gigabytes, must stop at the limit, not after. So the body
is fed here raw, chunk by chunk as it arrives, and decompressed here with
``max_length`` bounds (never more than the room left, plus one byte to
notice the excess), rather than by the HTTP library's decoders, which
inflate a whole chunk at once. The client asks only for the encodings read
here (``ACCEPT_ENCODING``); an answer in another is refused.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Final, Protocol

ACCEPT_ENCODING: Final = "gzip, deflate"

MiB: Final = 1024 * 1024


class TooLarge(Exception):
    """The decoded body passed the limit."""


class BadEncoding(Exception):
    """The body cannot be decoded: an encoding not asked for, or corrupt or cut-short data."""


STEP: Final = 256 * 1024
"""Output of one decompression step: zlib builds a step's output twice over, so steps stay small."""


class _Decoder(Protocol):
    def decode(self, data: bytes, room: int) -> list[bytes]:
        """The output for ``data``; ``TooLarge`` rather than more than ``room`` bytes."""

    def finish(self) -> None:
        """Raise ``BadEncoding`` if the stream ended early."""


class _Inflate:
    """gzip (several members allowed) or deflate (zlib-wrapped, or raw as some servers send it)."""

    __slots__ = ("_fed", "_gzip", "_object", "_raw_fallback")

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._raw_fallback = not gzip
        self._fed = False
        self._object = zlib.decompressobj(16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS)

    def decode(self, data: bytes, room: int) -> list[bytes]:
        out: list[bytes] = []
        while data:
            self._fed = True
            try:
                piece = self._object.decompress(data, min(room + 1, STEP))
            except zlib.error:
                if not self._raw_fallback:
                    raise BadEncoding("corrupt compressed data") from None
                self._raw_fallback = False
                self._object = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            self._raw_fallback = False
            room -= len(piece)
            if room < 0:
                raise TooLarge
            out.append(piece)
            if self._object.unconsumed_tail:
                data = self._object.unconsumed_tail
            elif self._object.eof and self._object.unused_data:
                if not self._gzip:
                    raise BadEncoding("data after the end of the deflate stream")
                data = self._object.unused_data
                self._object = zlib.decompressobj(16 + zlib.MAX_WBITS)
            else:
                data = b""
        return out

    def finish(self) -> None:
        if self._fed and not self._object.eof:
            raise BadEncoding("the compressed body ends early")


def _decoders(content_encoding: str) -> list[_Decoder]:
    """The decoders to apply, outermost encoding first."""
    chain: list[_Decoder] = []
    for name in reversed([part.strip().lower() for part in content_encoding.split(",")]):
        if name in ("", "identity"):
            continue
        if name in ("gzip", "x-gzip"):
            chain.append(_Inflate(gzip=True))
        elif name == "deflate":
            chain.append(_Inflate(gzip=False))
        else:
            raise BadEncoding(f"content encoding {name!r} was not asked for")
    return chain


class BodyReader:
    """Feed raw chunks, get the decoded body; ``TooLarge`` as soon as it passes ``limit`` bytes.

    With ``sink``, each decoded piece goes there as it comes instead of being
    kept (a big answer parsed as it streams); the limit still counts it.
    """

    __slots__ = ("_chain", "_chunks", "_limit", "_sink", "_size")

    def __init__(
        self,
        limit: int,
        content_encoding: str = "",
        content_length: str | None = None,
        sink: Callable[[bytes], object] | None = None,
    ) -> None:
        self._limit = limit
        self._sink = sink
        self._chain = _decoders(content_encoding) if content_encoding else []
        self._chunks: list[bytes] = []
        self._size = 0
        if not self._chain and content_length is not None:
            try:
                declared = int(content_length)
            except ValueError:
                declared = 0
            if declared > limit:
                raise TooLarge

    def feed(self, raw: bytes) -> None:
        pieces = [raw]
        for decoder in self._chain:
            room = self._limit - self._size
            pieces = [out for piece in pieces for out in decoder.decode(piece, room)]
        for piece in pieces:
            self._size += len(piece)
            if self._size > self._limit:
                self._chunks.clear()
                raise TooLarge
            if piece:
                if self._sink is not None:
                    self._sink(piece)
                else:
                    self._chunks.append(piece)

    def finish(self) -> bytes:
        for decoder in self._chain:
            decoder.finish()
        body = b"".join(self._chunks)
        self._chunks.clear()
        return body
