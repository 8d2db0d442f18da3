"""Write the configuration of a Zope WSGI instance under a ``var/`` folder.

``make start`` runs this before every start: the configuration files are
rewritten (so a changed host or port takes effect), the data (the ZODB
FileStorage and its blobs) is never touched.

    python -m thidua.deploy.instance --var var --host localhost --port 8080
"""

from pathlib import Path
from string import Template

import argparse


TEMPLATES = Path(__file__).parent / "templates"


def render(name, **values):
    return Template((TEMPLATES / name).read_text(encoding="utf-8")).substitute(values)


def write_instance(var, host="localhost", port=8080, debug=False):
    """Create or refresh the instance below ``var``; return the zope.conf path."""
    var = Path(var).resolve()
    instance = var / "instance"
    etc = instance / "etc"
    for folder in (etc, var / "filestorage", var / "blobstorage", var / "log", var / "cache"):
        folder.mkdir(parents=True, exist_ok=True)
    # ZODB refuses a blob folder that others may read.
    (var / "blobstorage").chmod(0o700)
    storage = render("filestorage.conf")
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
        render("zope.ini", listen=f"{host}:{port}", var=var), encoding="utf-8"
    )
    (etc / "site.zcml").write_text(render("site.zcml"), encoding="utf-8")
    return etc / "zope.conf"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default="var", help="data and instance folder")
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--debug", action="store_true", help="Zope debug mode")
    args = parser.parse_args(argv)
    print(write_instance(args.var, args.host, args.port, args.debug))


if __name__ == "__main__":
    main()
