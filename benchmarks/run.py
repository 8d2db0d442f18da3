"""thidua against stock Plone, side by side in one Zope.

    .venv/bin/python benchmarks/run.py --n 2000

Builds a throwaway Zope (FileStorage under ``--var``, default a new folder in
/tmp) with two Plone sites: ``Plone``, thidua with its demo world and ``--n``
honoured candidates spread over the 24 movements of Bà Rịa - Vũng Tàu's plan
(``/Plone/brvt/kh-126-2021/<movement>/<candidate>``), and ``stock``, Plone
alone with as many published Documents at the same depth
(``/stock/brvt/kh-126-2021/<folder>/<document>``).

Then measures, each thidua request next to its stock counterpart (interleaved,
so both see the same noise):

- in the process, one transaction per step: a candidate created and taken
  along its chain (submit, publish_notice, start_review, three votes, select,
  honour) against a Document created and published;
- over HTTP against the real WSGI server (``runwsgi``, a process of its own):
  ``@honour-board`` against ``@search`` asked for the same 20 items and
  metadata, filtered and text-searched too; Classic ``@@honour-board`` against
  ``@@search``; ``@dashboard`` of the unit and the plan; ``@export`` xlsx and
  csv of the unit (time and the server's RSS); 8 concurrent anonymous clients
  on the board against ``@search`` (requests per second).

Prints a Markdown table (p50, p95, ratio thidua/stock) and writes it to
``benchmarks/results/bench-<n>-<date>.md``. Figures only: nothing here passes
or fails.
"""

from pathlib import Path

import argparse
import datetime
import json
import os
import platform
import random
import requests
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
ADMIN = ("admin", "bench-admin")  # the throwaway Zope's own
DEMO_PASSWORD = "thidua-demo"  # noqa: S105  the demo accounts', in a throwaway site
UNIT, PLAN = "brvt", "kh-126-2021"
STOCK = "stock"
# Stock's writer: a site member who may add and publish (Contributor, Reviewer).
WRITER = "bien-tap"
OFFICER, SECRETARY, CHAIR = "brvt-canbo", "brvt-thuky", "brvt-chutich"
MEMBERS = ("brvt-uyvien1", "brvt-uyvien2", "brvt-uyvien3")
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
MIDDLE = ("Văn", "Thị", "Minh", "Hữu", "Thu", "Quốc", "Ngọc", "Đức")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Khang", "Lan", "Mai", "Nam", "Phúc")
KINDS = ("individual", "collective", "household")


# ---------------------------------------------------------------- statistics


def p50(values):
    return statistics.median(values) if values else float("nan")


def p95(values):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


class Table:
    """Rows of (what, thidua ms list, stock ms list or None, note)."""

    def __init__(self):
        self.rows = []

    def add(self, what, ours, theirs=None, note=""):
        self.rows.append((what, ours, theirs, note))
        print(f"  {self.line(what, ours, theirs, note)}", flush=True)

    @staticmethod
    def line(what, ours, theirs, note):
        cells = [what, f"{p50(ours):.1f}", f"{p95(ours):.1f}"]
        if theirs:
            cells += [f"{p50(theirs):.1f}", f"{p95(theirs):.1f}", f"{p50(ours) / p50(theirs):.2f}×"]
        else:
            cells += ["", "", ""]
        return "| " + " | ".join([*cells, note]) + " |"

    def markdown(self):
        head = (
            "| measure | thidua p50 ms | thidua p95 ms | stock p50 ms | stock p95 ms "
            "| ratio (p50) | note |\n|---|---:|---:|---:|---:|---:|---|\n"
        )
        return head + "\n".join(self.line(*row) for row in self.rows) + "\n"


# ---------------------------------------------------------------- building


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def open_zope(var, port):
    from thidua.deploy.create_site import ensure_admin
    from thidua.deploy.create_site import open_app
    from thidua.deploy.instance import write_instance

    conf = write_instance(var, host="127.0.0.1", port=port)
    app = open_app(str(conf))
    ensure_admin(app, *ADMIN)
    return app, conf


def build_sites(app, n, log, stock_site=True):
    from plone import api
    from thidua.deploy.create_site import ensure_mail_sender
    from thidua.deploy.create_site import ensure_site
    from thidua.deploy.create_site import ensure_thidua
    from zope.component.hooks import setSite

    import transaction

    site, _created = ensure_site(app, "Plone")
    ensure_thidua(site, demo=True)
    # A sender, as `make start` gives: the chain's mails are composed and queued
    # (nothing listens on the SMTP port; delivery fails after the commit, logged).
    ensure_mail_sender(site)
    transaction.commit()
    log("thidua site with its demo world")
    if not stock_site:
        return site, None, _build_candidates(site, n, log)
    stock, _created = ensure_site(app, STOCK)
    setSite(stock)
    # Plone with plone.restapi (thidua's site has it too): @search is the counterpart.
    from plone.base.utils import get_installer

    get_installer(stock, stock.REQUEST).install_product("plone.restapi")
    with api.env.adopt_roles(["Manager"]):
        api.user.create(
            username=WRITER,
            email="bien-tap@example.vn",
            password=DEMO_PASSWORD,
        )
        api.user.grant_roles(username=WRITER, roles=["Contributor", "Editor", "Reviewer"])
    transaction.commit()
    log("stock Plone site")

    return site, stock, _build_candidates(site, n, log, stock)


def _build_candidates(site, n, log, stock=None):
    """``n`` honoured candidates in the site (and as many published Documents
    in ``stock``); the seconds it took."""
    from plone import api
    from zope.component.hooks import setSite

    import transaction

    setSite(site)
    plan = site[UNIT][PLAN]
    movements = [m for m in plan.objectValues() if m.portal_type == "Movement"]
    if stock is None:
        start = time.perf_counter()
        rng = random.Random(17)  # noqa: S311  made-up data, not secrets
        for index in range(n):
            make_honoured(movements[index % len(movements)], rng, index)
            if index % 500 == 499:
                transaction.commit()
                log(f"{index + 1} candidates ({time.perf_counter() - start:.0f} s)")
        transaction.commit()
        return time.perf_counter() - start
    setSite(stock)
    with api.env.adopt_roles(["Manager"]):
        unit_folder = _folder(stock, UNIT)
        plan_folder = _folder(unit_folder, PLAN)
        folders = [_folder(plan_folder, m.getId()) for m in movements]
    transaction.commit()

    rng = random.Random(17)  # noqa: S311  made-up data, not secrets
    start = time.perf_counter()
    for index in range(n):
        movement = movements[index % len(movements)]
        setSite(site)
        make_honoured(movement, rng, index)
        setSite(stock)
        make_document(folders[index % len(folders)], rng, index)
        if index % 100 == 99:
            transaction.commit()
            log(f"{index + 1} candidates and documents ({time.perf_counter() - start:.0f} s)")
    transaction.commit()
    return time.perf_counter() - start


def _folder(container, folder_id):
    from plone import api

    if folder_id in container.objectIds():
        return container[folder_id]
    folder = api.content.create(container=container, type="Folder", id=folder_id, title=folder_id)
    api.content.transition(obj=folder, transition="publish")
    return folder


def vietnamese_name(rng):
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def candidate_data(rng, index):
    from plone.app.textfield.value import RichTextValue

    kind = KINDS[index % 3]
    title = vietnamese_name(rng) if kind != "collective" else f"Tổ công tác số {index}"
    return {
        "title": title,
        "description": f"Điển hình tiên tiến {index}: gương người tốt việc tốt ở cơ sở",
        "kind": kind,
        "organisation": f"Xã {rng.choice(GIVEN)} {rng.choice(GIVEN)}",
        "year": 2021 + index % 4,
        "phone": f"09{index:08d}",
        "email": f"dien-hinh-{index}@example.vn",
        "id_number": f"{index:012d}",
        "achievements": RichTextValue(
            f"<p>Hoàn thành xuất sắc nhiệm vụ năm {2021 + index % 4}; sáng kiến số {index} "
            "được áp dụng rộng rãi trong đơn vị.</p>",
            "text/html",
            "text/x-html-safe",
        ),
    }


def make_honoured(movement, rng, index):
    """A candidate written straight into ``honoured`` (one history entry, its
    permissions and catalog entries as after the step): the build is not what is
    measured, and walking every chain would take hours at 100,000."""
    from plone import api
    from thidua.chains.status import set_state

    import datetime

    with api.env.adopt_roles(["Manager"]):
        candidate = api.content.create(
            container=movement, type="Candidate", **candidate_data(rng, index)
        )
        candidate.honoured_date = datetime.date(2021 + index % 4, 1 + index % 12, 1 + index % 28)
        candidate.honour_form = "bang_khen_chu_tich_tinh"
        [workflow] = api.portal.get_tool("portal_workflow").getWorkflowsFor(candidate)
        set_state(candidate, workflow, "honoured", "admin", "", action="honour")
        candidate.reindexObject()
    return candidate


def make_document(folder, rng, index):
    from plone import api

    with api.env.adopt_roles(["Manager"]):
        document = api.content.create(
            container=folder,
            type="Document",
            title=vietnamese_name(rng),
            description=f"Điển hình tiên tiến {index}: gương người tốt việc tốt ở cơ sở",
        )
        api.content.transition(obj=document, transition="publish")
    return document


# ---------------------------------------------------------------- writes, in the process


def measure_writes(app, site, stock, table, repeat):
    """Each step its own transaction, as a request would be."""
    from DateTime import DateTime
    from plone import api
    from thidua import ballot
    from zope.component.hooks import setSite
    from zope.globalrequest import getRequest

    import transaction

    movement = site[UNIT][PLAN].objectValues()[0]
    folder = stock[UNIT][PLAN].objectValues()[0]
    rng = random.Random(42)  # noqa: S311  made-up data, not secrets
    steps = {name: [] for name in ("create", "submit", "start_review", "vote", "select", "honour")}
    chains, documents, publishes, doc_creates = [], [], [], []

    def step(user, function, *args, **kwargs):
        # Each step a request of its own: what the last one remembered in the
        # request's annotations (plone.memoize, thidua's holders) is gone.
        annotations = getattr(getRequest(), "__annotations__", None)
        if annotations is not None:
            annotations.clear()
        with api.env.adopt_user(username=user):
            result = function(*args, **kwargs)
        transaction.commit()
        return result

    for index in range(repeat):
        setSite(site)
        total = 0.0
        ms, candidate = timed(
            step,
            OFFICER,
            api.content.create,
            container=movement,
            type="Candidate",
            **candidate_data(rng, 10**6 + index),
        )
        steps["create"].append(ms)
        total += ms
        ms, _ = timed(step, OFFICER, api.content.transition, obj=candidate, transition="submit")
        steps["submit"].append(ms)
        total += ms
        ms, _ = timed(
            step, SECRETARY, api.content.transition, obj=candidate, transition="publish_notice"
        )
        total += ms
        # The notice must have lasted 10 working days: its date is moved back, untimed.
        history = list(candidate.workflow_history["thidua_candidate_workflow"])
        history[-1] = {**history[-1], "time": DateTime() - 30}
        candidate.workflow_history["thidua_candidate_workflow"] = tuple(history)
        transaction.commit()
        ms, _ = timed(
            step, SECRETARY, api.content.transition, obj=candidate, transition="start_review"
        )
        steps["start_review"].append(ms)
        total += ms
        for member in MEMBERS:
            ms, _ = timed(step, member, ballot.cast, candidate, member, "yes")
            steps["vote"].append(ms)
            total += ms
        ms, _ = timed(step, CHAIR, api.content.transition, obj=candidate, transition="select")
        steps["select"].append(ms)
        total += ms
        ms, _ = timed(step, CHAIR, api.content.transition, obj=candidate, transition="honour")
        steps["honour"].append(ms)
        total += ms
        chains.append(total)

        setSite(stock)
        ms_create, document = timed(
            step,
            WRITER,
            api.content.create,
            container=folder,
            type="Document",
            title=vietnamese_name(rng),
        )
        ms_publish, _ = timed(
            step, WRITER, api.content.transition, obj=document, transition="publish"
        )
        doc_creates.append(ms_create)
        publishes.append(ms_publish)
        documents.append(ms_create + ms_publish)

    table.add("create a candidate / a Document", steps["create"], doc_creates)
    table.add("submit / publish", steps["submit"], publishes)
    table.add("start_review / publish", steps["start_review"], publishes)
    table.add("a vote / publish", steps["vote"], publishes)
    table.add("select / publish", steps["select"], publishes)
    table.add("honour / publish", steps["honour"], publishes)
    table.add(
        "create + whole chain / Document create + publish",
        chains,
        documents,
        "6 transitions and 3 votes, each committed",
    )


def measure_export(site, table, repeat):
    """``@export`` of the unit as its officer, in the process from a cold
    connection cache: time, the objects loaded from the ZODB (the
    connection's transfer counts) and the objects left in the cache."""
    from plone import api
    from thidua import export
    from zope.component.hooks import setSite

    import transaction

    setSite(site)
    connection = site._p_jar
    unit = site[UNIT]

    def run(file_format):
        body = export.document(unit, file_format, "vi")
        return body if isinstance(body, bytes) else body.read()

    for file_format in ("xlsx", "csv"):
        times, loads, kept = [], [], []
        for _round in range(repeat):
            transaction.abort()
            connection.cacheMinimize()
            connection.getTransferCounts(True)
            before = connection._cache.cache_non_ghost_count
            with api.env.adopt_user(username=OFFICER):
                ms, body = timed(run, file_format)
            times.append(ms)
            loads.append(connection.getTransferCounts(True)[0])
            kept.append(connection._cache.cache_non_ghost_count - before)
        with api.env.adopt_user(username=OFFICER):
            rows = len(export.rows(unit, "vi")[1])
        transaction.abort()
        table.add(
            f"@export {file_format} of the unit, in the process",
            times,
            note=f"the unit officer, cold cache; {len(body) // 1024} KiB"
            + f", {rows} rows"
            + f"; objects loaded {statistics.median(loads):.0f}, "
            f"left in the cache {statistics.median(kept):.0f}",
        )


# ---------------------------------------------------------------- HTTP


class Server:
    """runwsgi on the instance's zope.ini, in a process of its own."""

    def __init__(self, conf, port):
        self.base = f"http://127.0.0.1:{port}"
        ini = Path(conf).with_name("zope.ini")
        runwsgi = Path(sys.executable).with_name("runwsgi")
        self.process = subprocess.Popen(
            [str(runwsgi), str(ini)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                requests.get(f"{self.base}/Plone/@@ok", timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.5)
        raise RuntimeError("the WSGI server did not answer")

    def rss_mib(self):
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def get(url, auth=None, accept="application/json"):
    response = requests.get(
        url, headers={"Accept": accept, "Accept-Language": "vi"}, auth=auth, timeout=300
    )
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code}")
    return response.content


def interleaved(pairs, repeat):
    """{name: [ms]} for each (name, url, auth, accept), requests in turn."""
    result = {name: [] for name, *_rest in pairs}
    for _round in range(repeat):
        for name, url, auth, accept in pairs:
            ms, _body = timed(get, url, auth, accept)
            result[name].append(ms)
    return result


def query(**params):
    return urllib.parse.urlencode(params, doseq=True)


def measure_http(server, table, repeat, seconds):
    base = server.base
    site, stock = f"{base}/Plone", f"{base}/{STOCK}"
    json_accept, html = "application/json", "text/html"
    fields = ["Title", "Description", "review_state", "effective", "image_scales"]
    search = query(
        portal_type="Document",
        review_state="published",
        sort_on="effective",
        sort_order="descending",
        b_size=20,
        metadata_fields=fields,
    )
    search_text = query(SearchableText="Nguyễn", portal_type="Document", b_size=20)
    cases = [
        (
            "REST board, 20 items / @search",
            f"{site}/@honour-board?b_size=20",
            f"{stock}/@search?{search}",
        ),
        (
            "REST board, page 5 / @search page 5",
            f"{site}/@honour-board?b_size=20&b_start=80",
            f"{stock}/@search?{search}&b_start=80",
        ),
        (
            "REST board kind+year / @search",
            f"{site}/@honour-board?b_size=20&kind=individual&year=2022",
            f"{stock}/@search?{search}",
        ),
        (
            "REST board of the unit / @search in its folder",
            f"{site}/{UNIT}/@honour-board?b_size=20",
            f"{stock}/{UNIT}/@search?{search}",
        ),
        (
            "REST board SearchableText / @search SearchableText",
            f"{site}/@honour-board?b_size=20&SearchableText=Nguy%E1%BB%85n",
            f"{stock}/@search?{search_text}",
        ),
    ]
    for name, ours, theirs in cases:
        found = interleaved(
            [("ours", ours, None, json_accept), ("theirs", theirs, None, json_accept)], repeat
        )
        table.add(name, found["ours"], found["theirs"], "anonymous")
    found = interleaved(
        [
            ("ours", f"{site}/@@honour-board", None, html),
            ("theirs", f"{stock}/@@search?{query(sort_on='Date', b_size=20)}", None, html),
        ],
        repeat,
    )
    table.add("Classic @@honour-board / @@search", found["ours"], found["theirs"], "anonymous")

    unit, plan = f"{site}/{UNIT}", f"{site}/{UNIT}/{PLAN}"
    found = interleaved(
        [
            ("unit", f"{unit}/@dashboard", (SECRETARY, DEMO_PASSWORD), json_accept),
            ("plan", f"{plan}/@dashboard", (SECRETARY, DEMO_PASSWORD), json_accept),
        ],
        repeat,
    )
    table.add("@dashboard of the unit", found["unit"], note="the unit's council secretary")
    table.add("@dashboard of the plan", found["plan"], note="the unit's council secretary")

    for file_format in ("xlsx", "csv"):
        times, before = [], server.rss_mib()
        for _round in range(3):
            ms, body = timed(
                get, f"{unit}/@export?format={file_format}", (OFFICER, DEMO_PASSWORD), json_accept
            )
            times.append(ms)
        after = server.rss_mib()
        table.add(
            f"@export {file_format} of the unit",
            times,
            note=f"the unit officer, with personal data; {len(body) // 1024} KiB; "
            f"server RSS {before:.0f} → {after:.0f} MiB",
        )

    for clients in (8,):
        ours = concurrent(f"{site}/@honour-board?b_size=20", clients, seconds)
        theirs = concurrent(f"{stock}/@search?{search}", clients, seconds)
        ours2 = concurrent(f"{site}/@honour-board?b_size=20", clients, seconds)
        theirs2 = concurrent(f"{stock}/@search?{search}", clients, seconds)
        rate = (ours[0] + ours2[0]) / 2
        stock_rate = (theirs[0] + theirs2[0]) / 2
        table.add(
            f"{clients} anonymous clients: board / @search",
            ours[1] + ours2[1],
            theirs[1] + theirs2[1],
            f"{rate:.1f} req/s against {stock_rate:.1f} ({rate / stock_rate:.2f}× stock)",
        )
    return server.rss_mib()


def concurrent(url, clients, seconds):
    """(requests per second, latencies ms) of ``clients`` threads for ``seconds``."""
    latencies, lock = [], threading.Lock()
    stop = time.perf_counter() + seconds

    def client():
        while time.perf_counter() < stop:
            ms, _body = timed(get, url)
            with lock:
                latencies.append(ms)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - start), latencies


# ---------------------------------------------------------------- main


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="honoured candidates and documents")
    parser.add_argument("--var", help="the throwaway instance (default: a new /tmp folder)")
    parser.add_argument("--repeat", type=int, default=40, help="requests per measure")
    parser.add_argument("--writes", type=int, default=10, help="candidates taken along the chain")
    parser.add_argument("--seconds", type=float, default=10, help="each concurrent run")
    parser.add_argument("--out", default=str(RESULTS), help="folder of the Markdown table")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the sites already in --var (built by an earlier run) without adding any",
    )
    parser.add_argument(
        "--no-stock",
        action="store_true",
        help="build the thidua site alone (a database to back up or restore), measure nothing",
    )
    parser.add_argument(
        "--profile",
        help="write cProfile's statistics of the writes to this file (pstats format)",
    )
    parser.add_argument(
        "--parts",
        default="writes,export,http",
        help="what to measure, comma-separated: writes, export, http",
    )
    args = parser.parse_args(argv)
    var = Path(args.var or tempfile.mkdtemp(prefix="thidua-bench-"))
    port = free_port()
    began = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - began:6.0f} s] {message}", flush=True)

    import transaction
    import Zope2

    table = Table()
    app, conf = open_zope(var, port)
    if args.reuse:
        site, stock = app["Plone"], app[STOCK]
        log("the sites already built")
    else:
        site, stock, built = build_sites(app, args.n, log, stock_site=not args.no_stock)
        log(f"{args.n} candidates built in {built:.0f} s")
        if args.no_stock:
            app._p_jar.close()
            Zope2.DB.close()
            return 0
    parts = set(args.parts.split(","))
    if "writes" in parts:
        log("writes, in the process")
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.runcall(measure_writes, app, site, stock, table, args.writes)
            profiler.dump_stats(args.profile)
        else:
            measure_writes(app, site, stock, table, args.writes)
        transaction.commit()
    if "export" in parts:
        log("export, in the process")
        measure_export(site, table, 3)
    app._p_jar.close()
    Zope2.DB.close()
    datafs = var / "filestorage" / "Data.fs"
    started_rss = final_rss = float("nan")
    if "http" in parts:
        log("HTTP, against runwsgi")
        server = Server(conf, port)
        try:
            started_rss = server.rss_mib()
            final_rss = measure_http(server, table, args.repeat, args.seconds)
        finally:
            server.stop()
    summary = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "n": args.n,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "server_rss_mib": [
            round(value) if value == value else None for value in (started_rss, final_rss)
        ],
        "data_fs_mib": round(datafs.stat().st_size / 2**20),
        "seconds": round(time.perf_counter() - began),
    }
    text = (
        f"# thidua against stock Plone, {args.n} candidates and {args.n} documents\n\n"
        f"{summary['date']}; {summary['machine']}; requests interleaved, "
        f"{args.repeat} each; writes: {args.writes} candidates.\n\n"
        + table.markdown()
        + f"\nServer RSS after start {summary['server_rss_mib'][0]} MiB, after the run "
        f"{summary['server_rss_mib'][1]} MiB; Data.fs (both sites, unpacked) "
        f"{summary['data_fs_mib']} MiB; the run took {summary['seconds']} s.\n"
    )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    name = out / f"bench-{args.n}-{datetime.date.today().isoformat()}.md"
    name.write_text(text, encoding="utf-8")
    (out / f"bench-{args.n}-{datetime.date.today().isoformat()}.json").write_text(
        json.dumps({**summary, "rows": [list(row) for row in table.rows]}, indent=1),
        encoding="utf-8",
    )
    print(text)
    print(f"written to {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
