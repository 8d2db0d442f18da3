"""Honour-board throughput on FileStorage against PostgreSQL, and how long
backups take (issue 16).

    .venv/bin/python benchmarks/storage.py [--seconds 15] [--clients 8]
    .venv/bin/python benchmarks/storage.py --also /tmp/big   # and a built var's backup
    make bench-storage

In one run, on this machine, with thidua.deploy's own configuration:

- the demo site on FileStorage (one instance), and the demo site on RelStorage
  in a local PostgreSQL (``thidua.deploy.postgres``, Debian's server) served by
  one and then two instances behind HAProxy (``thidua.deploy.cluster``'s
  configuration); ``wrk`` (Debian's package) sends ``--clients`` anonymous
  clients to the REST ``@honour-board`` of each for ``--seconds``, the
  configurations one after the other (one at a time on the machine);
- a full backup and a restore (``thidua.deploy.backup``) of each demo site,
  the PostgreSQL one into a fresh database, and of ``--also``'s FileStorage
  (a site ``benchmarks/run.py --no-stock`` built).

Prints a Markdown table and writes it to ``benchmarks/results/storage-<date>.md``
with the machine's load average. Figures only: nothing here passes or fails;
the test suite never runs it (HAProxy and wrk are not needed by the tests).
"""

from pathlib import Path

import argparse
import datetime
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time


HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
BOARD = "@honour-board?b_size=20"


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average():
    return "{:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())


def folder_mib(path):
    total = sum(item.stat().st_size for item in Path(path).rglob("*") if item.is_file())
    return total / 2**20


def wrk(url, clients, seconds):
    """(requests per second, p50 ms, p99 ms, failed requests) of ``wrk``."""
    done = subprocess.run(
        [
            shutil.which("wrk") or "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            "Accept: application/json",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    text = done.stdout

    def milliseconds(percent):
        found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if not found:
            return float("nan")
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    return (
        rate,
        milliseconds(50),
        milliseconds(99),
        int(failed.group(1)) if failed else 0,
        errors.group(0) if errors else "",
    )


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def start(zope_conf, url):
    from thidua.testing import start_instance
    from thidua.testing import wait_until_up

    process = start_instance(zope_conf)
    wait_until_up(url, process)
    return process


def stop(*processes):
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=60)


def haproxy(config):
    program = shutil.which("haproxy") or "/usr/sbin/haproxy"
    return subprocess.Popen(
        [program, "-f", str(config), "-db"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_for(url, seconds=60):
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


def throughput(url, clients, seconds):
    import requests

    for _warm in range(20):
        requests.get(url, headers={"Accept": "application/json"}, timeout=60)
    return wrk(url, clients, seconds)


def demo(args, var, lines, backup_lines):
    """The demo site on FileStorage and on PostgreSQL: wrk, then backups."""
    from thidua.deploy import backup as backups
    from thidua.deploy import postgres
    from thidua.deploy.cluster import write_instances
    from thidua.deploy.instance import write_instance
    from thidua.testing import create_site
    from thidua.testing import free_port

    fs, pg = var / "fs", var / "pg"
    fs_port, pg_port = free_port(), free_port()
    fs_conf = write_instance(fs, "127.0.0.1", fs_port)
    log("demo site on FileStorage")
    create_site(fs_conf)
    dsn = postgres.start(pg)
    pg_pair, _config = write_instances(pg, 2, "127.0.0.1", pg_port, dsn)
    log("demo site on PostgreSQL")
    create_site(pg_pair[0][0])

    try:
        url = f"http://127.0.0.1:{fs_port}/Plone"
        process = start(fs_conf, url)
        try:
            log("wrk: FileStorage, one instance")
            lines.append(
                (
                    "FileStorage, 1 instance",
                    throughput(f"{url}/{BOARD}", args.clients, args.seconds),
                )
            )
        finally:
            stop(process)

        for count in (1, 2):
            instances, config = write_instances(pg, count, "127.0.0.1", pg_port, dsn)
            processes = []
            try:
                for conf, port in instances:
                    processes.append(start(conf, f"http://127.0.0.1:{port}/Plone"))
                processes.append(haproxy(config))
                url = f"http://127.0.0.1:{pg_port}/Plone"
                wait_for(url)
                log(f"wrk: PostgreSQL, {count} instance(s) behind HAProxy")
                lines.append(
                    (
                        f"PostgreSQL, {count} instance{'s' if count > 1 else ''} behind HAProxy",
                        throughput(f"{url}/{BOARD}", args.clients, args.seconds),
                    )
                )
            finally:
                stop(*reversed(processes))

        # Backups of the demo sites, the sites stopped.
        log("backups of the demo sites")
        seconds, _stamp = timed(backups.backup, fs, var / "backups-fs", full=True)
        restored = var / "fs-restored"
        restore_seconds, _stamp = timed(backups.restore, restored, var / "backups-fs")
        backup_lines.append(
            (
                "demo, FileStorage (repozo -z, blobs)",
                (fs / "filestorage" / "Data.fs").stat().st_size / 2**20,
                folder_mib(fs / "blobstorage"),
                seconds,
                restore_seconds,
                folder_mib(var / "backups-fs"),
            )
        )
        seconds, _stamp = timed(backups.backup, pg, var / "backups-pg")
        fresh = var / "pg-restored"
        fresh_dsn = postgres.start(fresh)
        write_instance(fresh, "127.0.0.1", free_port(), db="postgres", dsn=fresh_dsn)
        try:
            restore_seconds, _stamp = timed(backups.restore, fresh, var / "backups-pg")
        finally:
            postgres.stop(fresh)
        backup_lines.append(
            (
                "demo, PostgreSQL (pg_dump -Fc, blobs; restored into a fresh database)",
                float("nan"),
                folder_mib(pg / "blobstorage"),
                seconds,
                restore_seconds,
                folder_mib(var / "backups-pg"),
            )
        )
    finally:
        postgres.stop(pg)


def also(args, var, backup_lines):
    """Backup and restore of each --also folder's FileStorage."""
    from thidua.deploy import backup as backups

    for other in args.also:
        other = Path(other).resolve()
        log(f"backup of {other}")
        target = Path(tempfile.mkdtemp(prefix="thidua-storage-backup-", dir=var))
        seconds, _stamp = timed(backups.backup, other, target, full=True)
        restored = Path(tempfile.mkdtemp(prefix="thidua-storage-restored-", dir=var))
        restore_seconds, _stamp = timed(backups.restore, restored, target)
        backup_lines.append(
            (
                f"{other.name}, FileStorage (repozo -z, blobs)",
                (other / "filestorage" / "Data.fs").stat().st_size / 2**20,
                folder_mib(other / "blobstorage"),
                seconds,
                restore_seconds,
                folder_mib(target),
            )
        )
        shutil.rmtree(restored, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15, help="each wrk run")
    parser.add_argument("--clients", type=int, default=8, help="wrk's connections")
    parser.add_argument("--var", help="the throwaway folder (default: a new one in /tmp)")
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        help="a var folder with a FileStorage site (benchmarks/run.py --no-stock) to back "
        "up and restore too",
    )
    parser.add_argument(
        "--only-also",
        action="store_true",
        help="only back up and restore the --also folders (no demo sites, no wrk)",
    )
    parser.add_argument("--out", default=str(RESULTS), help="folder of the Markdown table")
    args = parser.parse_args(argv)

    from thidua.testing import server_folder

    for program in ("wrk", "haproxy"):
        if not (shutil.which(program) or Path(f"/usr/sbin/{program}").exists()):
            parser.error(f"{program} is not installed: apt-get install {program}")
    var = Path(args.var) if args.var else server_folder("thidua-storage-")
    var.mkdir(parents=True, exist_ok=True)
    var.chmod(0o755)
    began, load_before = time.perf_counter(), load_average()
    lines, backup_lines = [], []

    if not args.only_also:
        demo(args, var, lines, backup_lines)
    also(args, var, backup_lines)
    load_after = load_average()
    today = datetime.date.today().isoformat()
    text = (
        "# Storage: FileStorage against PostgreSQL; backups\n\n"
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}; {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; load average "
        f"{load_before} before, {load_after} after (1, 5, 15 minutes).\n\n"
        f"`wrk -t2 -c{args.clients} -d{args.seconds}s` on the REST `{BOARD}` of the demo "
        "site, anonymous, after 20 warm-up requests; one configuration at a time.\n\n"
        "| configuration | req/s | p50 ms | p99 ms | failed | socket errors |\n"
        "|---|---:|---:|---:|---:|---|\n"
        + "".join(
            f"| {name} | {rate:.1f} | {p50:.1f} | {p99:.1f} | {failed} | {errors} |\n"
            for name, (rate, p50, p99, failed, errors) in lines
        )
        + "\n| backup and restore | Data.fs MiB | blobs MiB | backup s | restore s | "
        "backup MiB |\n|---|---:|---:|---:|---:|---:|\n"
        + "".join(
            f"| {name} | {'' if data != data else f'{data:.1f}'} | {blobs:.1f} | "
            f"{backup:.1f} | {restore:.1f} | {size:.1f} |\n"
            for name, data, blobs, backup, restore, size in backup_lines
        )
        + f"\nThe run took {time.perf_counter() - began:.0f} s.\n"
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "-backups" if args.only_also else ""
    (out / f"storage-{today}{suffix}.md").write_text(text, encoding="utf-8")
    print(text)
    if not args.var:
        shutil.rmtree(var, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
