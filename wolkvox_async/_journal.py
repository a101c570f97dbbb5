"""A job's journal: an append-only file of what was about to be sent and what came of it.

JSON Lines, one entry per event (``{"event", <key>, ..., "at"}``), each made
durable before the job goes on: intent before a call is sent, its outcome
(passwords included, for new agents) after its answer, before the item counts
as done. Readable after any crash, even mid-line: a line cut short is an
event that did not happen. Writes of tasks that run at once share their fsync
(a group commit), so a journal costs one disk flush per moment, not per item.

Passwords are written there, so the file is created 0600 at once and never
opened through a symbolic link, and only a regular file is a journal.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import anyio

from ._errors import InvalidArgumentError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "something else"


def _refused(path: Path, what: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"journal {str(path)!r} is {what}, not a regular file")


def _open_regular(path: Path, flags: int, *, create: bool) -> int | None:
    """A descriptor of the regular file at ``path``; None if there is none and ``create`` is false.

    Passwords are written there, so a symlink (planted, or dangling to where
    the link's owner wants a file) is never followed, and a FIFO or a device
    is refused without waiting for its other end.
    """
    try:
        before: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        before = None
    if before is not None and not stat.S_ISREG(before.st_mode):
        raise _refused(path, _kind(before.st_mode))
    fd: int | None = None
    if before is None:
        if not create:
            return None
        with contextlib.suppress(FileExistsError):  # made meanwhile: opened below, and checked
            # O_EXCL fails on any symlink, dangling ones too, and creates the file 0600 at once.
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    if fd is None:
        try:
            fd = os.open(path, flags | _NOFOLLOW | _NONBLOCK)
        except FileNotFoundError:
            if create:
                raise
            return None
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EMLINK):
                raise _refused(path, "a symbolic link") from None
            if exc.errno == errno.ENXIO:
                raise _refused(path, "a FIFO or a device") from None
            raise
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise _refused(path, _kind(opened.st_mode))
        if not _NOFOLLOW:
            now = os.lstat(path)
            if stat.S_ISLNK(now.st_mode) or (now.st_dev, now.st_ino) != (opened.st_dev, opened.st_ino):
                raise _refused(path, "a symbolic link")
        if _NONBLOCK:
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


class Journal:
    """The append-only record of a job, keyed by ``key_field`` (``"key"``; ``"dni"`` for provisioning).

    Only a regular file is a journal: a path that is a symbolic link, a
    directory, a FIFO or a device is refused with ``InvalidArgumentError``.
    """

    def __init__(self, path: Path, key_field: str = "key") -> None:
        self.path = path
        self.key_field = key_field
        self._file: IO[str] | None = None
        self._written = 0
        self._synced = 0
        self._syncing: anyio.Lock | None = None

    def read_text(self) -> str:
        """The journal as written so far; empty if it does not exist yet."""
        fd = _open_regular(self.path, os.O_RDONLY, create=False)
        if fd is None:
            return ""
        with os.fdopen(fd, encoding="utf-8") as file:
            return file.read()

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry in order; a line cut short by a crash (its event did not happen) is skipped."""
        for line in self.read_text().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get(self.key_field), str):
                yield entry

    def open(self) -> bool:
        """Open for appending; True if it was created. A journal that cannot be written fails here."""
        created = not os.path.lexists(self.path)
        fd = _open_regular(self.path, os.O_WRONLY | os.O_APPEND, create=True)
        assert fd is not None
        os.fchmod(fd, 0o600)  # whatever mode an existing journal, or the umask, gave it
        self._file = os.fdopen(fd, "a", encoding="utf-8")
        self._syncing = anyio.Lock()
        return created

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    async def write(self, event: str, key: str, **fields: Any) -> None:
        """Append one entry and make it durable before returning."""
        assert self._file is not None
        assert self._syncing is not None
        entry = {"event": event, self.key_field: key, **fields, "at": now().isoformat(timespec="seconds")}
        self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._file.flush()
        self._written += 1
        mine = self._written
        async with self._syncing:
            if self._synced >= mine:
                return  # another task's fsync, begun after this write, covered it
            reached = self._written
            await anyio.to_thread.run_sync(os.fsync, self._file.fileno())
            self._synced = reached


def now() -> datetime:
    return datetime.now(UTC)


def sent_at(entry: dict[str, Any]) -> datetime | None:
    """When an entry was written, or None if it does not say."""
    try:
        return datetime.fromisoformat(str(entry.get("at")))
    except ValueError:
        return None
