"""Several Zope instances of one site on PostgreSQL, HAProxy in front.

``make instances N=2`` runs this: it writes ``var/instance1`` … ``var/instanceN``
(RelStorage on the same database, the same ``var/blobstorage``), creates or
upgrades the site once, starts the instances on the ports after ``--port``,
and HAProxy (Debian's package) on ``--port`` itself, spreading requests to the
least busy instance and taking an instance that stops answering out of the
rotation. Ctrl+C stops them all.

    python -m thidua.deploy.cluster --var var --instances 2 --port 8080 [--dsn …]
"""

from pathlib import Path
from thidua.deploy.instance import write_instance

import argparse
import shutil
import signal
import subprocess
import sys
import time


HAPROXY = """\
# Written by `python -m thidua.deploy.cluster`; each start rewrites it.
global
    maxconn 512

defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 300s
    # A request an instance refused to take (it was stopping) goes to another.
    retries 2
    option redispatch

frontend thidua
    bind {host}:{port}
    default_backend zope

backend zope
    balance leastconn
    option httpchk GET /
{servers}
"""


def write_instances(var, count, host="localhost", port=8080, dsn=None, keep_history=True):
    """The instances' zope.conf paths and their ports; HAProxy's configuration."""
    instances = []
    for number in range(1, count + 1):
        zope_conf = write_instance(
            var,
            host,
            port + number,
            db="postgres",
            dsn=dsn,
            keep_history=keep_history,
            name=f"instance{number}",
        )
        instances.append((zope_conf, port + number))
    servers = "\n".join(
        f"    server instance{number} {host}:{instance_port} check inter 2s"
        for number, (_conf, instance_port) in enumerate(instances, 1)
    )
    haproxy = Path(var).resolve() / "haproxy.cfg"
    haproxy.write_text(HAPROXY.format(host=host, port=port, servers=servers), encoding="utf-8")
    return instances, haproxy


def start_instance(zope_conf):
    runwsgi = Path(sys.executable).parent / "runwsgi"
    return subprocess.Popen([str(runwsgi), str(Path(zope_conf).with_name("zope.ini"))])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default="var")
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--host", default="localhost")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--dsn", help="PostgreSQL DSN; a local one in var/postgres/ if none")
    parser.add_argument("--site-id", default="Plone")
    args = parser.parse_args(argv)
    if args.instances < 1:
        parser.error("--instances must be 1 or more")
    haproxy_program = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy_program).exists():
        parser.error("HAProxy is not installed: apt-get install haproxy")

    instances, haproxy = write_instances(args.var, args.instances, args.host, args.port, args.dsn)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "thidua.deploy.create_site",
            str(instances[0][0]),
            "--site-id",
            args.site_id,
        ],
        check=True,
    )
    processes = [start_instance(conf) for conf, _port in instances]
    processes.append(subprocess.Popen([haproxy_program, "-f", str(haproxy), "-db"]))
    print(
        f"Serving http://{args.host}:{args.port}/{args.site_id} through {args.instances} "
        "instances (Ctrl+C stops them)"
    )

    def stop(*_args):
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    stop()


if __name__ == "__main__":
    main()
