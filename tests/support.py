"""Test helpers: a throwaway PostgreSQL cluster, free ports, the strict-mode switch."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

# Set by scripts/test.sh --ci (and so by .ci/run): what is missing fails instead of skipping.
STRICT = os.environ.get("GOSPUBLIKI_TEST_STRICT") == "1"


def unavailable(reason: str) -> None:
    """Skip locally, fail in CI: a suite that silently skips is not a passing suite."""
    if STRICT:
        pytest.fail(f"{reason} (strict mode: GOSPUBLIKI_TEST_STRICT=1)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin_dir() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


@dataclass
class PostgresServer:
    """A PostgreSQL cluster in a temporary folder, on a free port, trusting local connections."""

    bin_dir: Path
    root: Path
    port: int

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, text=True)

    @classmethod
    def start(cls) -> PostgresServer:
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            raise FileNotFoundError("PostgreSQL server binaries (pg_ctl) are not installed")
        root = Path(tempfile.mkdtemp(prefix="gospubliki-pg-"))
        if os.geteuid() == 0:
            # pg_ctl refuses to run as root: the cluster belongs to the postgres user.
            shutil.chown(root, "postgres", "postgres")
        server = cls(bin_dir, root, free_port())
        server._run(str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        server._run(
            str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "server.log"), "-w",
            "-o", f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start",
        )
        return server

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
