"""What the benchmarks share: a throw-away server process, RSS sampling, machine facts, tables."""

from __future__ import annotations

import base64
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

# The console scripts of the interpreter running the benchmark (the project's venv).
BIN = Path(sys.executable).parent
VANTAGE = str(BIN / "vantage")
MB = 1024 * 1024


def machine_facts() -> str:
    import duckdb

    from vantage import __version__

    logical = os.cpu_count() or 0
    physical = psutil.cpu_count(logical=False) or logical
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else logical
    ram = psutil.virtual_memory().total / 1024**3
    return (
        f"vantage {__version__} | {platform.system()} {platform.machine()} | "
        f"{usable} usable cores ({physical} physical, {logical} logical) | {ram:.1f} GB RAM | "
        f"Python {platform.python_version()} | DuckDB {duckdb.__version__}"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def temp_dir(prefix: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


class RssSampler:
    """Peak resident memory of a process (and its children) sampled every ``interval`` seconds.

    Sampling from outside is what an operator would see; 100 ms catches any peak that lasts.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self._proc = psutil.Process(pid)
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self.peak = 0

    def sample(self) -> None:
        try:
            procs = [self._proc, *self._proc.children(recursive=True)]
            rss = sum(p.memory_info().rss for p in procs)
        except psutil.Error:  # the process is gone or going
            return
        self.peak = max(self.peak, rss)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.sample()

    def __enter__(self) -> RssSampler:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn shuts down cleanly and the store is closed), then SIGKILL if need be."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@dataclass(frozen=True)
class Server:
    base: str
    host: str
    port: int
    pid: int
    partner_id: int
    secret: str

    @property
    def auth_header(self) -> str:
        token = base64.b64encode(f"{self.partner_id}:{self.secret}".encode()).decode()
        return f"Basic {token}"

    def post_json(self, path: str, body: object) -> object:
        req = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            headers={"Authorization": self.auth_header, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)


def create_partner(store: Path, name: str = "Bench") -> tuple[int, str]:
    out = subprocess.run(
        [VANTAGE, "--store", str(store), "partner", "create", "--name", name],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pid = re.search(r"partner id:\s*(\d+)", out)
    secret = re.search(r"admin secret:\s*(\S+)", out)
    if pid is None or secret is None:
        raise RuntimeError(f"cannot read the partner from `vantage partner create`:\n{out}")
    return int(pid.group(1)), secret.group(1)


@contextmanager
def running_server(workdir: Path) -> Iterator[Server]:
    """A fresh store with one partner, served by ``vantage serve`` in its own process."""
    store = workdir / "bench.duckdb"
    partner_id, secret = create_partner(store)
    with serving(store, partner_id, secret, workdir / "server.log") as server:
        yield server


@contextmanager
def serving(store: Path | str, partner_id: int, secret: str, log_path: Path) -> Iterator[Server]:
    """``vantage serve`` on an existing store (a DuckDB file or an engine setting such as
    ``chdb:DIR``), in its own process, until the block ends."""
    port = free_port()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [VANTAGE, "--store", str(store), "serve", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_healthy(base, proc, log_path)
        yield Server(base, "127.0.0.1", port, proc.pid, partner_id, secret)
    finally:
        stop(proc)


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}):\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /healthz within 60 s:\n{log_path.read_text()}")


def render_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])
