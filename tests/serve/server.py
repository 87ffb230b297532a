"""A real ``riskgrade serve`` process on a free loopback port, for tests of the API and the pages."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
EXAMPLES = ROOT / "examples"


def bumped_pack(path: Path, by: float = 10) -> str:
    """The pack at ``path`` as a new version with every rule's points raised by ``by``: a change that
    moves entities on any summed pack, whatever its rules say today."""
    import yaml

    pack = yaml.safe_load(path.read_text(encoding="utf-8"))
    pack["version"] = "9.9.9"
    for rule in pack.get("rules", []):
        if rule.get("points"):
            rule["points"] += by
    return yaml.safe_dump(pack, allow_unicode=True, sort_keys=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """Start with ``Server(args, env)``; ``url``, ``client``; ``stop()`` ends the process."""

    def __init__(self, *args: str, token: str | None = None, log: Path | None = None, wait: float = 60):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k != "RISKGRADE_TOKEN"}
        if token is not None:
            env["RISKGRADE_TOKEN"] = token
        self.log = log
        out = open(log, "wb") if log else subprocess.DEVNULL
        self.proc = subprocess.Popen([sys.executable, "-m", "riskgrade.cli.main", "serve", "--port", str(self.port),
                                      *args], env=env, stdout=out, stderr=subprocess.STDOUT)
        self.client = httpx.Client(base_url=self.url, timeout=30)
        deadline = time.monotonic() + wait
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"riskgrade serve exited with {self.proc.returncode}: "
                                   f"{log.read_text() if log else ''}")
            try:
                if self.client.get("/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("riskgrade serve did not answer in time")
            time.sleep(0.2)

    def stop(self) -> None:
        self.client.close()
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
