"""Backups of a FileStorage site keep every byte: Data.fs through repozo and
the blobs beside it, restorable to a chosen date (issue 16, item 2)."""

from pathlib import Path
from thidua.deploy import backup as backups
from thidua.deploy.instance import write_instance
from ZODB.blob import Blob
from ZODB.DB import DB
from ZODB.FileStorage import FileStorage

import pytest
import time
import transaction


def open_db(var):
    var = Path(var)
    (var / "filestorage").mkdir(parents=True, exist_ok=True)
    (var / "blobstorage").mkdir(parents=True, exist_ok=True)
    (var / "blobstorage").chmod(0o700)
    storage = FileStorage(str(var / "filestorage" / "Data.fs"), blob_dir=str(var / "blobstorage"))
    return DB(storage)


def add_photo(db, name, content):
    connection = db.open()
    blob = Blob()
    with blob.open("w") as file:
        file.write(content)
    connection.root()[name] = blob
    transaction.commit()
    connection.close()


def photos(var):
    db = open_db(var)
    try:
        connection = db.open()
        found = {}
        for name, blob in connection.root().items():
            with blob.open("r") as file:
                found[name] = file.read()
        connection.close()
        return found
    finally:
        db.close()


def next_second():
    # repozo names its files by the second: two backups need two seconds.
    time.sleep(1.1)


@pytest.fixture
def site(tmp_path):
    var = tmp_path / "var"
    db = open_db(var)
    add_photo(db, "first", b"photo one")
    yield var, db
    db.close()


def test_full_then_incremental_restores_each_date_with_its_blobs(site, tmp_path):
    var, db = site
    to = tmp_path / "backups"
    first = backups.backup(var, to, full=True)
    next_second()
    add_photo(db, "second", b"photo two")
    second = backups.backup(var, to)
    assert first < second
    files = sorted(p.name for p in (to / "filestorage").iterdir())
    assert f"{first}.fsz" in files and f"{second}.deltafsz" in files
    # The unchanged blob is shared between the two snapshots, not copied.
    (old,) = list((to / "blobs" / first).rglob("*.blob"))
    same = (to / "blobs" / second) / old.relative_to(to / "blobs" / first)
    assert same.stat().st_ino == old.stat().st_ino
    db.close()

    as_of_first = tmp_path / "restored-first"
    assert backups.restore(as_of_first, to, date=first) == first
    assert photos(as_of_first) == {"first": b"photo one"}

    latest = tmp_path / "restored-latest"
    assert backups.restore(latest, to) == second
    assert photos(latest) == {"first": b"photo one", "second": b"photo two"}


def test_nothing_new_makes_no_second_snapshot(site, tmp_path):
    var, _db = site
    to = tmp_path / "backups"
    stamp = backups.backup(var, to, full=True)
    next_second()
    assert backups.backup(var, to) == stamp
    assert [p.name for p in (to / "blobs").iterdir()] == [stamp]


def test_check_passes_a_good_backup_and_names_a_lost_blob(site, tmp_path):
    var, _db = site
    to = tmp_path / "backups"
    backups.backup(var, to, full=True)
    assert backups.check(to) == []
    for blob in (to / "blobs").rglob("*.blob"):
        blob.unlink()
    problems = backups.check(to)
    assert len(problems) == 1 and problems[0].startswith("blob missing for oid")


def test_restore_without_backups_says_so(tmp_path):
    (tmp_path / "empty" / "filestorage").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="No blob snapshot"):
        backups.restore(tmp_path / "var", tmp_path / "empty")


def test_command_line(site, tmp_path, capsys):
    var, _db = site
    to = tmp_path / "backups"
    backups.main(["backup", "--var", str(var), "--to", str(to), "--full"])
    assert "backup " in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit:
        backups.main(["check", "--from", str(to)])
    assert exit.value.code == 0
    assert "backup OK" in capsys.readouterr().out


def blob_oids(var):
    db = open_db(var)
    try:
        connection = db.open()
        storage = db.storage
        return {oid for oid in storage._index if isinstance(connection.get(oid), Blob)}
    finally:
        db.close()


def test_the_demo_site_comes_back_with_its_photos(tmp_path, run_python):
    """repozo alone restored a site whose every photo answered 500 (POSKeyError)."""
    var = tmp_path / "var"
    zope_conf = write_instance(var, port=0)
    result = run_python("-m", "thidua.deploy.create_site", str(zope_conf))
    assert result.returncode == 0, result.stderr[-3000:]
    photos_before = blob_oids(var)
    assert photos_before, "the demo has photos"

    to = tmp_path / "backups"
    result = run_python("-m", "thidua.deploy.backup", "backup", "--var", str(var), "--to", str(to))
    assert result.returncode == 0, result.stderr[-3000:]
    fresh = tmp_path / "fresh"
    result = run_python(
        "-m", "thidua.deploy.backup", "restore", "--var", str(fresh), "--from", str(to)
    )
    assert result.returncode == 0, result.stderr[-3000:]

    assert blob_oids(fresh) == photos_before
    assert backups.missing_blobs(fresh) == []
    assert backups.check(to) == []
