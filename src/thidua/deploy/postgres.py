"""A local PostgreSQL for RelStorage, kept in ``var/postgres/`` (Debian's server).

``make start DB=postgres`` without ``PG_DSN`` runs this: it creates the
cluster the first time, starts it if it is not running, creates the
``thidua`` database, and prints the DSN that zope.conf then names. It listens
on a Unix socket inside ``var/postgres/`` only (no TCP port), so it meets no
other server of the machine. A production site gives ``PG_DSN`` instead.

    python -m thidua.deploy.postgres start --var var   # prints the DSN
    python -m thidua.deploy.postgres stop --var var
"""

from pathlib import Path

import argparse
import glob
import os
import pwd
import shutil
import subprocess


DATABASE = "thidua"  # also in start()'s query
USER = "thidua"
PORT = "5432"  # the socket's name (.s.PGSQL.5432); nothing listens on TCP


def bin_dir():
    """Debian keeps the server's programs out of PATH, one folder per version."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise FileNotFoundError(
        "PostgreSQL's server is not installed: apt-get install postgresql, or give PG_DSN"
    )


def _as_server_user(command):
    """As root, run as Debian's ``postgres`` user: PostgreSQL refuses to run as
    root, and root may not read the data folder it keeps private."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command, **kwargs):
    """Run a server program; raise with its message if it fails."""
    program = Path(command[0]).name
    result = subprocess.run(_as_server_user(command), capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{program} failed: {result.stderr.strip()}")
    return result


def folders(var):
    home = Path(var).resolve() / "postgres"
    return home, home / "data", home / "run"


def dsn(var):
    _home, _data, run = folders(var)
    return f"dbname={DATABASE} user={USER} host={run} port={PORT}"


def start(var):
    """Create the cluster if needed, start it if stopped; return the DSN."""
    home, data, run = folders(var)
    programs = bin_dir()
    if not (data / "PG_VERSION").exists():
        # As root, the server runs as ``postgres``, which must be able to reach
        # the folder: not below a folder only root may enter.
        run.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            for folder in (home, run):
                os.chown(folder, postgres.pw_uid, postgres.pw_gid)
        _run(
            [
                str(programs / "initdb"),
                "-D",
                str(data),
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        )
    status = subprocess.run(
        _as_server_user([str(programs / "pg_ctl"), "status", "-D", str(data)]),
        capture_output=True,
    )
    if status.returncode != 0:
        _run(
            [
                str(programs / "pg_ctl"),
                "start",
                "-w",
                "-D",
                str(data),
                "-l",
                str(home / "server.log"),
                "-o",
                f"-c listen_addresses='' -k {run} -p {PORT}",
            ]
        )
    exists = _run(
        [
            str(programs / "psql"),
            "-h",
            str(run),
            "-p",
            PORT,
            "-U",
            USER,
            "-d",
            "postgres",
            "-tAc",
            "SELECT 1 FROM pg_database WHERE datname = 'thidua'",
        ]
    )
    if exists.stdout.strip() != "1":
        _run([str(programs / "createdb"), "-h", str(run), "-p", PORT, "-U", USER, DATABASE])
    return dsn(var)


def stop(var):
    _home, data, _run_dir = folders(var)
    if (data / "PG_VERSION").exists():
        subprocess.run(
            _as_server_user(
                [str(bin_dir() / "pg_ctl"), "stop", "-w", "-m", "fast", "-D", str(data)]
            ),
            capture_output=True,
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("start", "stop", "dsn"))
    parser.add_argument("--var", default="var")
    args = parser.parse_args(argv)
    if args.command == "start":
        print(start(args.var))
    elif args.command == "stop":
        stop(args.var)
    else:
        print(dsn(args.var))


if __name__ == "__main__":
    main()
