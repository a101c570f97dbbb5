"""A throwaway redis-server on a free loopback port, for tests and benchmarks of ``RedisBackend``.

Started from the ``redis-server`` on PATH (Debian: ``apt-get install
redis-server``), with no persistence and no config file, so that a restart
loses everything, as a real crash without persistence would.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from types import TracebackType


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """``with RedisServer() as server: server.url``; ``stop()`` and ``start()`` again on the same port."""

    def __init__(self, port: int | None = None, executable: str | None = None) -> None:
        found = executable or shutil.which("redis-server")
        if found is None:
            raise FileNotFoundError("no redis-server on PATH (Debian: apt-get install redis-server)")
        self.executable = found
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="wolkvox-redis-")

    def start(self, timeout: float = 10.0) -> None:
        options = {
            "bind": "127.0.0.1",
            "port": self.port,
            "save": "",
            "appendonly": "no",
            "dir": self._dir.name,
        }
        arguments = [self.executable] + [
            item for name, value in options.items() for item in (f"--{name}", str(value))
        ]
        self._process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self._process.returncode} on port {self.port}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.02)
        self.stop()
        raise TimeoutError(f"redis-server did not answer on port {self.port} within {timeout} s")

    def stop(self) -> None:
        """Kill it (SIGKILL: no save, no goodbye), as a crash would."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=10)
        self._process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> RedisServer:
        try:
            self.start()
        except BaseException:
            self._dir.cleanup()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        self._dir.cleanup()
