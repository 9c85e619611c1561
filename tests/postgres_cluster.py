"""A throw-away PostgreSQL cluster for the database tests: Debian's server binaries, a fresh
data directory, a free port on 127.0.0.1, trust authentication, stopped and deleted after.

PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` user (made by
Debian's package). pytest-postgresql starts its server as the current user, which is why this
is written out here.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def server_binaries() -> Path | None:
    """The newest installed server's bin directory, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """Start a cluster and yield a SQLAlchemy URL of its empty `crm` database."""
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
    root = Path(tempfile.mkdtemp(prefix="crm-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run(
        _as_owner([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "crm"]), **run
    )
    options = f"-p {port} -k {root} -h 127.0.0.1 -F"
    subprocess.run(
        _as_owner(
            [
                str(binaries / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(root / "log"),
                "start",
            ]
        ),
        **run,
    )
    try:
        subprocess.run(
            [str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "crm", "crm"],
            **run,
        )
        yield f"postgresql+psycopg://crm@127.0.0.1:{port}/crm"
    finally:
        subprocess.run(
            _as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


NO_POSTGRES = "no PostgreSQL server: `make test` installs Debian's postgresql package"


def database_kinds() -> list:
    """pytest params for a fixture run on SQLite and on PostgreSQL (marked `database`, skipped
    with its reason when no server is installed)."""
    import pytest

    return [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=[
                pytest.mark.database,
                pytest.mark.skipif(server_binaries() is None, reason=NO_POSTGRES),
            ],
        ),
    ]
