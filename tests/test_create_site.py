"""The site-creation script on a temporary instance: creates once, then reuses."""

from thidua.deploy.instance import write_instance

import json
import transaction
import ZODB
import ZODB.FileStorage


def create_site(run_python, zope_conf, **env):
    result = run_python("-m", "thidua.deploy.create_site", str(zope_conf), env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return json.loads(summary[-1]), result.stdout


def open_root(var):
    storage = ZODB.FileStorage.FileStorage(
        str(var / "filestorage" / "Data.fs"), blob_dir=str(var / "blobstorage")
    )
    db = ZODB.DB(storage)
    return db, db.open().root()["Application"]


def test_creates_the_site_then_reuses_it(tmp_path, run_python):
    var = tmp_path / "var"
    zope_conf = write_instance(var, port=0)

    first, output = create_site(run_python, zope_conf, THIDUA_ADMIN_PASSWORD="s3cret")
    assert first["created"] is True
    assert first["site"] == "Plone"
    assert first["language"] == "vi"
    assert first["done"] == [
        "installed thidua:default",
        "applied thidua:demo",
        "mail sender thidua@localhost",
        f"mail queue {var.resolve() / 'mailqueue'}",
    ]
    assert "s3cret" not in output  # a password given by the environment is not echoed

    # Someone edits the demo between two starts ...
    db, app = open_root(var)
    try:
        credentials = {"login": "admin", "password": "s3cret"}
        assert app.acl_users.users.authenticateCredentials(credentials) == ("admin", "admin")
        # The chains' mails need a sender; an administrator's own one is kept.
        assert app["Plone"].portal_registry["plone.email_from_address"] == "thidua@localhost"
        # Mails wait in a queue in var/ rather than hold up the steps.
        mailhost = app["Plone"].MailHost
        assert mailhost.smtp_queue is True
        assert mailhost.smtp_queue_directory == str(var.resolve() / "mailqueue")
        app["Plone"]["gioi-thieu"].title = "Trang đã sửa"
        # An administrator who turns the queue off is not overruled at the next start.
        mailhost.smtp_queue = False
        transaction.commit()
    finally:
        db.close()

    # ... and the next start keeps the site, the edit and the demo as they are.
    second, _ = create_site(run_python, zope_conf)
    assert second["created"] is False
    assert second["uid"] == first["uid"]
    assert second["done"] == []

    db, app = open_root(var)
    try:
        assert app["Plone"]["gioi-thieu"].title == "Trang đã sửa"
        assert app["Plone"].MailHost.smtp_queue is False
    finally:
        db.close()
