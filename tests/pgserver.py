"""A throwaway PostgreSQL server for the tests (the ministry's national store runs on it).

``start()`` creates a temporary folder, runs ``initdb`` there (UTF-8, trust authentication,
superuser ``postgres``) and starts the server with ``pg_ctl -w`` on a free port of 127.0.0.1
only, its Unix socket in the same folder, durability off (fsync, synchronous commit, full
page writes): nothing in it outlives the test session. ``PgServer.stop()`` stops it
(``pg_ctl stop -m fast``) and removes the folder.

PostgreSQL refuses to run as root (``initdb: error: cannot be run as root``): as root, the
folder is handed to the ``postgres`` user (Debian's package creates it; ``nobody`` when it
is missing) and every command runs through ``runuser -u USER --``.

The binaries are looked for on PATH, then in the newest /usr/lib/postgresql/*/bin (Debian,
Ubuntu: these are not on PATH), then /usr/local/pgsql/bin; ``CTMT_TEST_PG_BIN`` names the
folder outright.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

#: The server's superuser (initdb -U); trust authentication, no password.
SUPERUSER = "postgres"
HOST = "127.0.0.1"
_TOOLS = ("initdb", "pg_ctl")
_SETTINGS = {
    "listen_addresses": f"'{HOST}'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "50",
    "shared_buffers": "32MB",
    "log_min_messages": "warning",
    "timezone": "'UTC'",
}


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be started here (missing binaries, no usable user…)."""


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or ``None``."""
    candidates: list[Path] = []
    if named := os.environ.get("CTMT_TEST_PG_BIN"):
        candidates.append(Path(named))
    if on_path := shutil.which("pg_ctl"):
        candidates.append(Path(on_path).resolve().parent)

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    candidates += [*debian, Path("/usr/local/pgsql/bin")]
    for folder in candidates:
        if all((folder / tool).is_file() and os.access(folder / tool, os.X_OK) for tool in _TOOLS):
            return folder
    return None


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _server_user() -> str | None:
    """The user that runs the server: ``None`` (this one) unless we are root."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    if shutil.which("runuser") is None:
        raise PostgresUnavailable("running as root and runuser (util-linux) is missing")
    import pwd

    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise PostgresUnavailable("running as root and there is no 'postgres' or 'nobody' user")


@dataclass
class PgServer:
    """A running throwaway server; ``url`` is the superuser's SQLAlchemy URL."""

    bin_dir: Path
    root: Path
    port: int
    os_user: str | None
    started_in: float = 0.0
    _stopped: bool = field(default=False, repr=False)

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@{HOST}:{self.port}/postgres"

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = (self.root / "server.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.os_user is not None:
            command = ["runuser", "-u", self.os_user, "--", *command]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"  # the tools' messages, not the cluster's locale
        return subprocess.run(
            command,
            cwd=self.root,  # the server user may not be allowed into the current folder
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def stop(self) -> None:
        """Stop the server (fast: open sessions are ended) and remove its folder."""
        if self._stopped:
            return
        self._stopped = True
        try:
            if (self.data / "postmaster.pid").exists():
                done = self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w")
                if done.returncode != 0:
                    self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
                self._kill_leftover()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _kill_leftover(self) -> None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass

    def __enter__(self) -> PgServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start(*, timeout: float = 60, attempts: int = 3) -> PgServer:
    """Create, initialise and start a throwaway server; raise ``PostgresUnavailable``."""
    began = time.monotonic()
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise PostgresUnavailable(
            "PostgreSQL's initdb/pg_ctl not found (PATH, /usr/lib/postgresql/*/bin); "
            "install the postgresql package or set CTMT_TEST_PG_BIN"
        )
    os_user = _server_user()
    root = Path(tempfile.mkdtemp(prefix="ctmt-pg-"))
    server = PgServer(bin_dir, root, 0, os_user)
    try:
        (root / "socket").mkdir()
        if os_user is not None:
            import pwd

            entry = pwd.getpwnam(os_user)
            for path in (root, root / "socket"):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        _initdb(server, timeout)
        with (server.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# tests/pgserver.py: a throwaway server\n")
            for name, value in _SETTINGS.items():
                conf.write(f"{name} = {value}\n")
            conf.write(f"unix_socket_directories = '{root / 'socket'}'\n")
        for attempt in range(attempts):
            server.port = free_port()
            done = server._run(
                "pg_ctl",
                "start",
                "-D",
                str(server.data),
                "-l",
                str(root / "server.log"),
                "-w",
                "-t",
                str(int(timeout)),
                "-o",
                f"-p {server.port}",
                timeout=timeout + 10,
            )
            if done.returncode == 0:
                server.started_in = time.monotonic() - began
                return server
            log = server.log_tail()
            if "already in use" not in log or attempt == attempts - 1:
                raise PostgresUnavailable(
                    f"pg_ctl start failed ({done.returncode}): {done.stderr.strip()}\n{log}"
                )
            (root / "server.log").unlink(missing_ok=True)  # another process took the port
    except BaseException:
        server.stop()
        raise
    raise AssertionError("unreachable")


def _initdb(server: PgServer, timeout: float) -> None:
    common = ["initdb", "-D", str(server.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8"]
    common += ["--no-sync"]
    # C.UTF-8 gives Vietnamese letters their case (lower(), ILIKE); a system without that
    # locale still gets a UTF-8 cluster with the C locale.
    for locale in ("--locale=C.UTF-8", "--no-locale"):
        done = server._run(*common, locale, timeout=timeout)
        if done.returncode == 0:
            return
        shutil.rmtree(server.data, ignore_errors=True)
    raise PostgresUnavailable(f"initdb failed ({done.returncode}): {done.stderr.strip()}")


def _main(argv: list[str]) -> int:
    """``python tests/pgserver.py start``: start a server and print ``URL FOLDER``;
    ``python tests/pgserver.py stop FOLDER``: stop it and remove the folder (``.ci/run``)."""
    if argv[:1] == ["start"] and len(argv) == 1:
        try:
            server = start()
        except PostgresUnavailable as exc:
            print(f"pgserver: {exc}", file=sys.stderr)
            return 1
        print(server.url, server.root)
        return 0
    if argv[:1] == ["stop"] and len(argv) == 2:
        root = Path(argv[1])
        pid_file = root / "data" / "postmaster.pid"
        bin_dir = find_bin_dir()
        if bin_dir is not None and pid_file.exists():
            try:
                port = int(pid_file.read_text().splitlines()[3])
            except (OSError, ValueError, IndexError):
                port = 0
            PgServer(bin_dir, root, port, _server_user()).stop()
        else:
            shutil.rmtree(root, ignore_errors=True)
        return 0
    print("usage: pgserver.py start | stop FOLDER", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
