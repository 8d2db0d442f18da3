"""Write the configuration of a Zope WSGI instance under a ``var/`` folder.

``make start`` runs this before every start: the configuration files are
rewritten (so a changed host or port takes effect), the data (the ZODB
FileStorage and its blobs) is never touched.

    python -m thidua.deploy.instance --var var --host localhost --port 8080
    python -m thidua.deploy.instance --var var --db postgres [--dsn "dbname=… host=…"]

With ``--db postgres`` the site lives in PostgreSQL through RelStorage; without
``--dsn``, a PostgreSQL kept in ``var/postgres/`` (thidua.deploy.postgres).
Several instances of one site (``--name instance2 --port 8082``) share the
database and ``var/blobstorage``, each with its own configuration and logs.
"""

from pathlib import Path
from string import Template

import argparse


TEMPLATES = Path(__file__).parent / "templates"


def render(name, **values):
    return Template((TEMPLATES / name).read_text(encoding="utf-8")).substitute(values)


def storage_block(var, db="filestorage", dsn=None, keep_history=True):
    if db == "filestorage":
        return render("filestorage.conf")
    if db != "postgres":
        raise ValueError(f"Unknown database {db!r}: filestorage or postgres")
    if not dsn:
        from thidua.deploy import postgres

        dsn = postgres.start(var)
    return render("relstorage.conf", dsn=dsn, keep_history="true" if keep_history else "false")


def write_instance(
    var,
    host="localhost",
    port=8080,
    debug=False,
    db="filestorage",
    dsn=None,
    keep_history=True,
    name="instance",
):
    """Create or refresh the instance ``name`` below ``var``; return the zope.conf path."""
    var = Path(var).resolve()
    instance = var / name
    etc = instance / "etc"
    for folder in (etc, var / "filestorage", var / "blobstorage", var / "log", var / "cache"):
        folder.mkdir(parents=True, exist_ok=True)
    # ZODB refuses a blob folder that others may read.
    (var / "blobstorage").chmod(0o700)
    storage = storage_block(var, db, dsn, keep_history)
    # The first instance keeps the documented names access.log and event.log.
    log_prefix = "" if name == "instance" else f"{name}-"
    (etc / "zope.conf").write_text(
        render(
            "zope.conf",
            instance=instance,
            var=var,
            debug_mode="on" if debug else "off",
            storage=storage,
        ),
        encoding="utf-8",
    )
    (etc / "zope.ini").write_text(
        render("zope.ini", listen=f"{host}:{port}", var=var, log_prefix=log_prefix),
        encoding="utf-8",
    )
    (etc / "site.zcml").write_text(render("site.zcml"), encoding="utf-8")
    return etc / "zope.conf"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default="var", help="data and instance folder")
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--debug", action="store_true", help="Zope debug mode")
    parser.add_argument("--db", choices=("filestorage", "postgres"), default="filestorage")
    parser.add_argument("--dsn", help="PostgreSQL DSN; a local one in var/postgres/ if none")
    parser.add_argument(
        "--no-history", action="store_true", help="RelStorage keep-history false (see README)"
    )
    parser.add_argument("--name", default="instance", help="several instances: instance2, …")
    args = parser.parse_args(argv)
    print(
        write_instance(
            args.var,
            args.host,
            args.port,
            args.debug,
            db=args.db,
            dsn=args.dsn,
            keep_history=not args.no_history,
            name=args.name,
        )
    )


if __name__ == "__main__":
    main()
