"""Start ``micrograd-tui serve`` on a free loopback port for a test or a benchmark."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """``micrograd-tui serve`` in a subprocess, its data folder under ``data``."""

    def __init__(self, data: Path, *args: str) -> None:
        self.port = free_port()
        self.data = data
        env = os.environ | {"MICROGRAD_TUI_DATA_DIR": str(data)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "micrograd_tui", "serve", "--port", str(self.port), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
            start_new_session=True)  # its own process group, as in a terminal
        assert self.process.stdout is not None
        self.banner = self.process.stdout.readline()  # printed once the port is open
        if "serving on" not in self.banner:
            self.process.kill()
            raise RuntimeError(f"serve did not start: {self.banner}{self.process.stdout.read()}")
        self.url = f"http://127.0.0.1:{self.port}/"

    @property
    def sessions(self) -> Path:
        return self.data / "classroom"

    def tab_folders(self) -> list[Path]:
        return sorted(p for p in self.sessions.glob("tab-*") if p.is_dir())

    def app_processes(self) -> list[int]:
        """The app processes the server started (one per tab), from /proc."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def stop(self, timeout: float = 30) -> int:
        """Ctrl+C, as in the teacher's terminal (SIGINT to the whole process group, the tabs'
        apps included); the exit code."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()

    def rest(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.read()


def gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        # a child that exited is a zombie until its parent (gone) is reaped by init
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True
        except OSError:
            return True
        time.sleep(0.1)
    return False
