"""Back up and restore a FileStorage site: ``Data.fs`` with repozo, the blobs beside it.

repozo copies ``Data.fs`` only; every photo and attached file lives in
``blobstorage/``. Each backup therefore also takes a snapshot of the blob
folder named like repozo's file, hard-linking the blobs the previous snapshot
already holds (a blob file never changes once written), so an incremental
backup costs only the new files. A restore picks repozo's state as of a date
and the newest blob snapshot taken at or before it.

    python -m thidua.deploy.backup backup  --var var --to backups [--full]
    python -m thidua.deploy.backup restore --var var --from backups [--date 2026-12-05-21-30-00]
    python -m thidua.deploy.backup check   --from backups

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
import shutil
import sys
import tempfile


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


def backup(var, to, full=False):
    """One backup of ``var``'s site into ``to``; return its date stamp."""
    var, to = Path(var).resolve(), Path(to).resolve()
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
    blob_backups = to / "blobs"
    blob_backups.mkdir(exist_ok=True)
    target = blob_backups / stamp
    if not target.exists():
        # After Data.fs: every blob the copied transactions name is already in
        # place; one written since is harmless.
        snapshots = _snapshots(blob_backups)
        previous = blob_backups / snapshots[-1] if snapshots else None
        partial = blob_backups / f".{stamp}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        _snapshot_blobs(var / "blobstorage", partial, previous)
        partial.rename(target)
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
    (var / "filestorage").mkdir(parents=True, exist_ok=True)
    data_fs = var / "filestorage" / "Data.fs"
    for suffix in ("", ".index", ".lock", ".tmp"):
        data_fs.with_name(data_fs.name + suffix).unlink(missing_ok=True)
    args = ["-R", "-r", str(repository), "-o", str(data_fs)]
    if date:
        args += ["-D", date]
    _repozo(*args)
    blobs = var / "blobstorage"
    shutil.rmtree(blobs, ignore_errors=True)
    shutil.copytree(source / "blobs" / snapshots[-1], blobs)
    blobs.chmod(0o700)
    return snapshots[-1]


def missing_blobs(var):
    """The current objects of ``var``'s database whose blob file is absent."""
    var = Path(var)
    storage = FileStorage(
        str(var / "filestorage" / "Data.fs"), read_only=True, blob_dir=str(var / "blobstorage")
    )
    db = DB(storage)
    missing = []
    try:
        connection = db.open()
        for count, oid in enumerate(storage._index):
            if count % 10000 == 0:
                connection.cacheMinimize()
            obj = connection.get(oid)
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
