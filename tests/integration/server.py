"""A real Vantage server process on 127.0.0.1 with its own DuckDB file, for integration tests."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

VANTAGE = [sys.executable, "-m", "vantage.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli(store: Path | str, *args: str) -> str:
    out = subprocess.run(
        [*VANTAGE, "--store", str(store), *args], capture_output=True, text=True, check=True
    )
    return out.stdout


def create_partner(store: Path | str, name: str, *extra: str) -> tuple[int, str]:
    out = cli(store, "partner", "create", "--name", name, *extra)
    pid = int(re.search(r"partner id:\s+(\d+)", out).group(1))  # type: ignore[union-attr]
    secret = re.search(r"admin secret:\s+(\w+)", out).group(1)  # type: ignore[union-attr]
    return pid, secret


@dataclass
class Server:
    store: Path | str  # a DuckDB file or an engine setting (chdb:DIR)
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    # report jobs go to a folder of the server's own (VANTAGE_JOBS_DIR in env wins), kept while
    # the Server is (a restart finds its jobs), never the checkout's var/jobs
    jobs: tempfile.TemporaryDirectory[str] = field(
        default_factory=lambda: tempfile.TemporaryDirectory(prefix="vantage-jobs-"), repr=False
    )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        env = {**os.environ, "VANTAGE_JOBS_DIR": self.jobs.name, **self.env}
        self.process = subprocess.Popen(
            [*VANTAGE, "--store", str(self.store), "serve", "--port", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"server exited: {err}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("server did not start in 30 s")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        self.process.send_signal(sig)
        self.process.wait(timeout=30)
        self.process = None

    def client(self, partner_id: int, secret: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, auth=(str(partner_id), secret), timeout=30)


def post_events(client: httpx.Client, events: list[dict[str, Any]], **kw: Any) -> httpx.Response:
    return client.post("/api/v1/events", json=events, **kw)
