"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl in a temporary folder, on a free
port, listening on 127.0.0.1 only, removed afterwards.

PostgreSQL refuses to run as root (CI runs as root): then the cluster runs as the unprivileged `postgres` user
(Debian's package creates it) through runuser, in a folder that user owns. Where no PostgreSQL binaries are
found, `available()` says why and the server-mode tests are skipped with a visible notice.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SKIP_NOTICE = ("注意：本机未安装 PostgreSQL（Debian 软件包 postgresql），已跳过服务器模式（PostgreSQL）测试。"
               "请运行 apt-get install postgresql，或用 .ci/run（会自动安装）。")
PASSWORD = "yiyong-test-pw"


def bin_dir() -> Path | None:
    env = os.environ.get("YIYONG_PG_BIN")      # set it to test the skip path, or to pick a version
    candidates = [env] if env else sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    found = None if env else shutil.which("initdb")
    return Path(found).parent if found else None


def _run_as() -> list[str]:
    """The command prefix that runs the server as an unprivileged user."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    return ["su", "postgres", "-s", "/bin/sh", "-c"]   # pragma: no cover - not on Debian


def available() -> str | None:
    """None when a cluster can be started here, else the reason (Chinese notice)."""
    if bin_dir() is None:
        return SKIP_NOTICE
    if os.geteuid() == 0:
        try:
            import pwd
            pwd.getpwnam("postgres")
        except KeyError:
            return SKIP_NOTICE
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self):
        self.bin = bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="yiyong-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.log = self.root / "server.log"
        self._dbs = 0

    def _cmd(self, *args: str) -> list[str]:
        return [*_run_as(), *args]

    def start(self) -> "Cluster":
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o755)
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if os.geteuid() == 0:
            shutil.chown(pwfile, "postgres", "postgres")
        subprocess.run(self._cmd(str(self.bin / "initdb"), "-D", str(self.data), "-U", "yiyong", "--pwfile",
                                 str(pwfile), "-A", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8",
                                 "--no-sync"), check=True, capture_output=True, timeout=120)
        opts = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100")
        subprocess.run(self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", opts,
                                 "-w", "-t", "60", "start"), check=True, capture_output=True, timeout=90)
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://yiyong:{PASSWORD}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self, prefix: str = "t") -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg
        self._dbs += 1
        name = f"{prefix}{self._dbs}_{os.getpid()}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            subprocess.run(self._cmd(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                                     "stop"), capture_output=True, timeout=60)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def wait_ready(url: str, timeout: float = 30) -> None:
    import psycopg
    deadline = time.time() + timeout
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)
