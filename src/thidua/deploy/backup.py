"""Back up and restore a site: its database and the blobs beside it.

repozo copies ``Data.fs`` only; every photo and attached file lives in
``blobstorage/``. Each backup therefore also takes a snapshot of the blob
folder named like repozo's file, hard-linking the blobs the previous snapshot
already holds (a blob file never changes once written), so an incremental
backup costs only the new files. A restore picks repozo's state as of a date
and the newest blob snapshot taken at or before it.

    python -m thidua.deploy.backup backup  --var var --to backups [--full]
    python -m thidua.deploy.backup restore --var var --from backups [--date 2026-12-05-21-30-00]
    python -m thidua.deploy.backup check   --from backups

A site on RelStorage (``make start DB=postgres``; its zope.conf says so) is
saved with ``pg_dump`` (custom format, in ``postgres/<date>.dump``) and
restored with ``pg_restore`` into the database its zope.conf names; the blob
snapshots are the same as for a FileStorage.

Dates are UTC, as repozo writes them: ``yyyy-mm-dd[-hh[-mm[-ss]]]``.
"""

from pathlib import Path
from ZODB.blob import Blob
from ZODB.DB import DB
from ZODB.FileStorage import FileStorage
from ZODB.scripts import fstest
from ZODB.scripts import repozo

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


DATA_SUFFIXES = (".fs", ".fsz", ".deltafs", ".deltafsz")


def _repozo(*args):
    """Run repozo in this process; it reports failures by SystemExit."""
    try:
        repozo.main(list(args))
    except SystemExit as exit:
        if exit.code not in (0, None):
            raise RuntimeError(f"repozo {' '.join(args)} failed ({exit.code})") from None


def _stamps(repository):
    """repozo's backup names (their dates), oldest first."""
    return sorted(
        Path(name).stem for name in os.listdir(repository) if name.endswith(DATA_SUFFIXES)
    )


def _snapshots(blob_backups):
    if not blob_backups.is_dir():
        return []
    return sorted(p.name for p in blob_backups.iterdir() if p.is_dir())


def _snapshot_blobs(source, target, previous=None):
    """Copy the blob folder to ``target``; a file the previous snapshot holds
    with the same size is hard-linked instead of copied."""
    for folder, _dirs, files in os.walk(source):
        relative = Path(folder).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            src = Path(folder) / name
            dst = target / relative / name
            old = previous / relative / name if previous else None
            if old is not None and old.is_file() and old.stat().st_size == src.stat().st_size:
                os.link(old, dst)
            else:
                shutil.copy2(src, dst)
    shutil.copystat(source, target)


def postgres_dsn(var):
    """The DSN of the RelStorage database ``var``'s instance uses, or None."""
    zope_conf = Path(var) / "instance" / "etc" / "zope.conf"
    if not zope_conf.is_file():
        zope_conf = next(iter(sorted(Path(var).glob("instance*/etc/zope.conf"))), None)
    if zope_conf is None:
        return None
    found = re.search(r"^\s*dsn\s+(.+)$", zope_conf.read_text(encoding="utf-8"), re.M)
    return found.group(1).strip() if found else None


def _postgres_program(name):
    from thidua.deploy.postgres import bin_dir

    return str(bin_dir() / name)


def _snapshot_after(var, to, stamp):
    """The blob snapshot of backup ``stamp``, taken after the database's copy:
    every blob the copied transactions name is already in place; one written
    since is harmless."""
    blob_backups = to / "blobs"
    blob_backups.mkdir(exist_ok=True)
    target = blob_backups / stamp
    if not target.exists():
        snapshots = _snapshots(blob_backups)
        previous = blob_backups / snapshots[-1] if snapshots else None
        partial = blob_backups / f".{stamp}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        _snapshot_blobs(var / "blobstorage", partial, previous)
        partial.rename(target)


def backup(var, to, full=False):
    """One backup of ``var``'s site into ``to``; return its date stamp."""
    var, to = Path(var).resolve(), Path(to).resolve()
    dsn = postgres_dsn(var)
    if dsn:
        dumps = to / "postgres"
        dumps.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y-%m-%d-%H-%M-%S", time.gmtime())
        result = subprocess.run(
            [_postgres_program("pg_dump"), "-Fc", "-f", str(dumps / f"{stamp}.dump"), "-d", dsn],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"pg_dump failed: {result.stderr.strip()}")
        _snapshot_after(var, to, stamp)
        return stamp
    data_fs = var / "filestorage" / "Data.fs"
    if not data_fs.is_file():
        raise FileNotFoundError(f"No database at {data_fs}")
    repository = to / "filestorage"
    repository.mkdir(parents=True, exist_ok=True)
    before = set(_stamps(repository))
    args = ["-B", "-z", "-r", str(repository), "-f", str(data_fs)]
    if full:
        args.append("-F")
    _repozo(*args)
    new = sorted(set(_stamps(repository)) - before)
    # Nothing written since the last backup: repozo adds no file, and the
    # last snapshot already holds every blob.
    stamp = new[-1] if new else _stamps(repository)[-1]
    _snapshot_after(var, to, stamp)
    return stamp


def restore(var, source, date=None):
    """Restore ``source``'s backups as of ``date`` (UTC, repozo's format, the
    newest when None) into ``var``, which must hold no site or be stopped."""
    var, source = Path(var).resolve(), Path(source).resolve()
    repository = source / "filestorage"
    when = date or "9999"
    snapshots = [s for s in _snapshots(source / "blobs") if s <= when]
    if not snapshots:
        raise FileNotFoundError(f"No blob snapshot in {source} at or before {date or 'now'}")
    dsn = postgres_dsn(var)
    if dsn:
        dump = source / "postgres" / f"{snapshots[-1]}.dump"
        if not dump.is_file():
            raise FileNotFoundError(f"No PostgreSQL dump {dump}")
        result = subprocess.run(
            [
                _postgres_program("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "-d",
                dsn,
                str(dump),
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"pg_restore failed: {result.stderr.strip()}")
        _restore_blobs(var, source, snapshots[-1])
        return snapshots[-1]
    (var / "filestorage").mkdir(parents=True, exist_ok=True)
    data_fs = var / "filestorage" / "Data.fs"
    for suffix in ("", ".index", ".lock", ".tmp"):
        data_fs.with_name(data_fs.name + suffix).unlink(missing_ok=True)
    args = ["-R", "-r", str(repository), "-o", str(data_fs)]
    if date:
        args += ["-D", date]
    _repozo(*args)
    _restore_blobs(var, source, snapshots[-1])
    return snapshots[-1]


def _restore_blobs(var, source, stamp):
    blobs = var / "blobstorage"
    shutil.rmtree(blobs, ignore_errors=True)
    shutil.copytree(source / "blobs" / stamp, blobs)
    blobs.chmod(0o700)


def open_storage(var, read_only=True):
    """The storage of ``var``'s site: its FileStorage, or the RelStorage its
    zope.conf names."""
    var = Path(var)
    dsn = postgres_dsn(var)
    if dsn:
        from relstorage.adapters.postgresql import PostgreSQLAdapter
        from relstorage.options import Options
        from relstorage.storage import RelStorage

        options = Options(
            blob_dir=str(var / "blobstorage"), shared_blob_dir=True, read_only=read_only
        )
        return RelStorage(PostgreSQLAdapter(dsn=dsn, options=options), options=options)
    return FileStorage(
        str(var / "filestorage" / "Data.fs"),
        read_only=read_only,
        blob_dir=str(var / "blobstorage"),
    )


def missing_blobs(var):
    """The current objects of ``var``'s database whose blob file is absent."""
    storage = open_storage(var)
    db = DB(storage)
    missing = []
    try:
        oids = {record.oid for txn in storage.iterator() for record in txn}
        connection = db.open()
        for count, oid in enumerate(sorted(oids)):
            if count % 10000 == 0:
                connection.cacheMinimize()
            try:
                obj = connection.get(oid)
            except KeyError:  # an object deleted since: not current
                continue
            if isinstance(obj, Blob):
                try:
                    storage.loadBlob(oid, storage.load(oid)[1])
                except Exception:  # POSKeyError or a broken file: both are losses
                    missing.append(oid)
        connection.close()
    finally:
        db.close()
    return missing


def check(source, date=None):
    """Restore into a temporary folder and test it: repozo's checksums, the
    FileStorage's structure (fstest) and every current blob. Return problems."""
    source = Path(source).resolve()
    problems = []
    if (source / "postgres").is_dir():
        return _check_dumps(source, date)
    try:
        _repozo("-V", "-r", str(source / "filestorage"))
    except RuntimeError as error:
        problems.append(str(error))
    with tempfile.TemporaryDirectory() as folder:
        restore(folder, source, date)
        try:
            fstest.check(str(Path(folder) / "filestorage" / "Data.fs"))
        except fstest.FormatError as error:
            problems.append(f"fstest: {error}")
        problems += [f"blob missing for oid {oid.hex()}" for oid in missing_blobs(folder)]
    return problems


def _check_dumps(source, date):
    """A PostgreSQL backup: the dump reads back whole and its blob snapshot is
    there. The full drill restores it into a fresh folder and database
    (``make restore VAR=… DB=postgres``), as tests/test_cluster.py does."""
    when = date or "9999"
    dumps = sorted(p for p in (source / "postgres").glob("*.dump") if p.stem <= when)
    if not dumps:
        return [f"no PostgreSQL dump in {source} at or before {date or 'now'}"]
    problems = []
    listed = subprocess.run(
        [_postgres_program("pg_restore"), "--list", str(dumps[-1])], capture_output=True, text=True
    )
    if listed.returncode != 0 or "TABLE DATA" not in listed.stdout:
        problems.append(f"{dumps[-1].name} does not read back: {listed.stderr.strip()}")
    if not (source / "blobs" / dumps[-1].stem).is_dir():
        problems.append(f"no blob snapshot for {dumps[-1].stem}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="full or incremental backup")
    make.add_argument("--var", default="var")
    make.add_argument("--to", default="backups")
    make.add_argument("--full", action="store_true")
    back = commands.add_parser("restore", help="restore into --var (site stopped)")
    back.add_argument("--var", default="var")
    back.add_argument("--from", dest="source", default="backups")
    back.add_argument("--date", help="UTC yyyy-mm-dd[-hh[-mm[-ss]]]; the newest by default")
    test = commands.add_parser("check", help="restore into a temporary folder and test it")
    test.add_argument("--from", dest="source", default="backups")
    test.add_argument("--date")
    args = parser.parse_args(argv)
    if args.command == "backup":
        print(f"backup {backup(args.var, args.to, args.full)} in {args.to}")
    elif args.command == "restore":
        print(f"restored {args.var} from the backup of {restore(args.var, args.source, args.date)}")
    else:
        problems = check(args.source, args.date)
        for problem in problems:
            print(problem)
        print("backup OK" if not problems else f"{len(problems)} problem(s)")
        sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
