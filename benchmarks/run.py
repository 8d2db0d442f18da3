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
    from thidua.deploy.create_site import ensure_mail_queue
    from thidua.deploy.create_site import ensure_mail_sender
    from thidua.deploy.create_site import ensure_site
    from thidua.deploy.create_site import ensure_thidua
    from zope.component.hooks import setSite

    import transaction

    site, _created = ensure_site(app, "Plone")
    ensure_thidua(site, demo=True)
    # A sender and the mail queue, as `make start` gives: the chain's mails are
    # composed and queued (nothing listens on the SMTP port: no thread sends
    # them, MAILHOST_QUEUE_ONLY, set in main).
    ensure_mail_sender(site)
    ensure_mail_queue(site)
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


# Where candidate ``index`` goes and how far it has come, per hundred: one in a
# small movement (1 % of N: 1,000 rows to export at 100,000), ten in a big one
# (10 %: 10,000 rows), ten in the district's plan (Côn Đảo, the second tier),
# twenty in a state short of honoured (a share of each, the ballots of those
# under review cast), five with a photo; the rest honoured in the province's
# other movements.
SMALL_MOVEMENT, BIG_MOVEMENT = 1, 0  # positions in the province's plan
DISTRICT, DISTRICT_PLAN = "condao", "kh-221-2020"
UNHONOURED = (
    "draft",
    "submitted",
    "public_notice",
    "under_review",
    "selected",
    "rejected",
    "withdrawn",
)


def placement(index, province, district):
    """(movement, state, with a photo) of candidate ``index``."""
    share = index % 100
    if share == 0:
        movement = province[SMALL_MOVEMENT]
    elif share <= 10:
        movement = province[BIG_MOVEMENT]
    elif share <= 20:
        movement = district[index % len(district)]
    else:
        others = province[2:]
        movement = others[index % len(others)]
    state = UNHONOURED[share % len(UNHONOURED)] if 21 <= share <= 40 else "honoured"
    return movement, state, 41 <= share <= 45


def movements_of(site):
    """The province's movements and the district's, in their order."""
    province = site[UNIT][PLAN]
    district = site[UNIT][DISTRICT][DISTRICT_PLAN]
    return tuple(
        [m for m in plan.objectValues() if m.portal_type == "Movement"]
        for plan in (province, district)
    )


def _build_candidates(site, n, log, stock=None):
    """``n`` candidates in the site (and as many Documents in ``stock``, published
    where the candidate is honoured, in a folder at the same path); the seconds
    it took."""
    from plone import api
    from Products.CMFCore.indexing import processQueue
    from zope.component.hooks import setSite

    import transaction

    setSite(site)
    province, district = movements_of(site)
    folders = {}
    if stock is not None:
        setSite(stock)
        with api.env.adopt_roles(["Manager"]):
            for movement in province + district:
                folder = stock
                for name in movement.getPhysicalPath()[2:]:
                    folder = _folder(folder, name)
                folders[movement.getId()] = folder
        # The build is not what is measured: Documents are not versioned while
        # it runs (CMFEditions' first version is 40 % of a stock create); the
        # measured writes have it back.
        repository = api.portal.get_tool("portal_repository")
        versioned = list(repository.getVersionableContentTypes())
        repository.setVersionableContentTypes([t for t in versioned if t != "Document"])
        transaction.commit()
    rng = random.Random(17)  # noqa: S311  made-up data, not secrets
    start = time.perf_counter()
    every = 500 if stock is None else 250
    for index in range(n):
        movement, state, photo = placement(index, province, district)
        setSite(site)
        make_candidate(movement, rng, index, state, photo)
        if stock is not None:
            # Each site's catalog queue is processed in its own site: queued
            # across a switch, the other site's items are never indexed.
            processQueue()
            setSite(stock)
            make_document(folders[movement.getId()], rng, index, state == "honoured")
            processQueue()
        if index % every == every - 1:
            transaction.commit()
            log(f"{index + 1} candidates ({time.perf_counter() - start:.0f} s)")
    if stock is not None:
        repository.setVersionableContentTypes(versioned)
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


_PHOTO = []


def photo():
    """A small JPEG portrait-sized photo (made once, each candidate its own blob)."""
    from plone.namedfile.file import NamedBlobImage

    if not _PHOTO:
        from PIL import Image

        import io

        buffer = io.BytesIO()
        Image.new("RGB", (400, 300), (200, 30, 40)).save(buffer, "JPEG", quality=80)
        _PHOTO.append(buffer.getvalue())
    return NamedBlobImage(data=_PHOTO[0], filename="anh-dien-hinh.jpg")


def make_candidate(movement, rng, index, state="honoured", with_photo=False):
    """A candidate written straight into ``state`` (one history entry, its
    permissions and catalog entries as after the step; under review, a ballot
    round with two votes): the build is not what is measured, and walking every
    chain would take hours at 100,000. The id is given, as the add form's name
    chooser gives it: plone.api renames the new item when it has no id or
    ``safe_id`` (a savepoint and a move, half the build); only an id the demo
    already took is left to it."""
    from plone import api
    from thidua import ballot
    from thidua.chains.status import set_state

    import datetime

    data = candidate_data(rng, index)
    if state == "honoured":
        data["honoured_date"] = datetime.date(2021 + index % 4, 1 + index % 12, 1 + index % 28)
        data["honour_form"] = "bang_khen_chu_tich_tinh"
    if with_photo:
        data["image"] = photo()
    with api.env.adopt_roles(["Manager"]):
        name = f"dien-hinh-{index}"
        candidate = api.content.create(
            container=movement, type="Candidate", id=name, safe_id=name in movement, **data
        )
        if state != "draft":
            [workflow] = api.portal.get_tool("portal_workflow").getWorkflowsFor(candidate)
            set_state(candidate, workflow, state, "admin", "", action="build")
        if state == "under_review":
            ballot.open_round(candidate)
            for member in sorted(ballot.council(candidate))[:2]:
                ballot.cast(candidate, member, "yes")
    return candidate


def make_document(folder, rng, index, published=True):
    from plone import api

    with api.env.adopt_roles(["Manager"]):
        document = api.content.create(
            container=folder,
            type="Document",
            id=f"tai-lieu-{index}",
            title=vietnamese_name(rng),
            description=f"Điển hình tiên tiến {index}: gương người tốt việc tốt ở cơ sở",
        )
        if published:
            api.content.transition(obj=document, transition="publish")
    return document


# ---------------------------------------------------------------- writes, in the process


DISTRICT_SECRETARY = "condao-thuky"


def measure_writes(app, site, stock, table, repeat):
    """Each step its own transaction, as a request would be: every transition of
    the candidates' chain (three candidates a round: honoured then revoked;
    returned, then rejected by the ballot; withdrawn then reopened), a vote,
    ``@introduce`` from the district up to the province; against a Document's
    create, publish and copy."""
    from DateTime import DateTime
    from plone import api
    from thidua import ballot
    from thidua.introduce import introduce
    from zope.component.hooks import setSite
    from zope.globalrequest import getRequest

    import transaction

    province, district = movements_of(site)
    movement, target = province[2], province[3]
    folder = stock[UNIT][PLAN].objectValues()[0]
    rng = random.Random(42)  # noqa: S311  made-up data, not secrets
    steps = {}
    chains, documents, publishes, doc_creates, copies = [], [], [], [], []

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

    def timed_step(name, user, function, *args, **kwargs):
        ms, result = timed(step, user, function, *args, **kwargs)
        steps.setdefault(name, []).append(ms)
        return ms, result

    def transition(name, user, candidate, **kwargs):
        return timed_step(
            name, user, api.content.transition, obj=candidate, transition=name, **kwargs
        )[0]

    def notice_over(candidate):
        # The notice must have lasted 10 working days: its date is moved back, untimed.
        history = list(candidate.workflow_history["thidua_candidate_workflow"])
        history[-1] = {**history[-1], "time": DateTime() - 30}
        candidate.workflow_history["thidua_candidate_workflow"] = tuple(history)
        transaction.commit()

    # Both creates are given their id, as the add forms and plone.restapi's POST
    # choose it before adding: plone.api without one adds, then renames (a move,
    # whose subscribers search the catalog), which neither product does. The
    # run's second makes them new in a database measured before (--reuse).
    run = f"{time.time():.0f}"

    def new_candidate(index):
        return timed_step(
            "create",
            OFFICER,
            api.content.create,
            container=movement,
            type="Candidate",
            id=f"dien-hinh-moi-{index}-{run}",
            **candidate_data(rng, index),
        )

    def to_review(candidate):
        total = transition("submit", OFFICER, candidate)
        total += transition("publish_notice", SECRETARY, candidate)
        notice_over(candidate)
        return total + transition("start_review", SECRETARY, candidate)

    def ballot_of(candidate, choice):
        total = 0.0
        for member in MEMBERS:
            total += timed_step("vote", member, ballot.cast, candidate, member, choice)[0]
        return total

    why = {"comment": "Hồ sơ cần bổ sung minh chứng."}
    for index in range(repeat):
        setSite(site)
        # The whole chain to honoured, the ratio's numerator; then revoked.
        total, candidate = new_candidate(10**6 + 3 * index)
        total += to_review(candidate)
        total += ballot_of(candidate, "yes")
        total += transition("select", CHAIR, candidate)
        total += transition("honour", CHAIR, candidate)
        chains.append(total)
        transition("revoke", CHAIR, candidate, **why)
        # Returned for revision, then rejected by the ballot.
        _ms, candidate = new_candidate(10**6 + 3 * index + 1)
        transition("submit", OFFICER, candidate)
        transition("return_for_revision", SECRETARY, candidate, **why)
        to_review(candidate)
        ballot_of(candidate, "no")
        transition("reject", CHAIR, candidate, **why)
        # Withdrawn by its officer, reopened by the secretary.
        _ms, candidate = new_candidate(10**6 + 3 * index + 2)
        transition("withdraw", OFFICER, candidate)
        transition("reopen", SECRETARY, candidate)

        setSite(stock)
        ms_create, document = timed(
            step,
            WRITER,
            api.content.create,
            container=folder,
            type="Document",
            id=f"tai-lieu-moi-{index}-{run}",
            title=vietnamese_name(rng),
        )
        ms_publish, _ = timed(
            step, WRITER, api.content.transition, obj=document, transition="publish"
        )
        doc_creates.append(ms_create)
        publishes.append(ms_publish)
        documents.append(ms_create + ms_publish)
        ms_copy, _ = timed(step, WRITER, api.content.copy, source=document, target=folder)
        copies.append(ms_copy)

    setSite(site)
    for candidate in introducible(site, repeat):
        timed_step(
            "@introduce", DISTRICT_SECRETARY, introduce, candidate, api.content.get_uuid(target)
        )

    table.add("create a candidate / a Document", steps["create"], doc_creates)
    for name in (
        "submit",
        "return_for_revision",
        "publish_notice",
        "start_review",
        "select",
        "reject",
        "honour",
        "revoke",
        "withdraw",
        "reopen",
    ):
        table.add(f"{name} / publish", steps[name], publishes)
    table.add("a vote / publish", steps["vote"], publishes)
    table.add(
        "@introduce (district to province) / copy a Document",
        steps["@introduce"],
        copies,
        "the district's secretary; a copy of the candidate with its dossier",
    )
    table.add(
        "create + whole chain / Document create + publish",
        chains,
        documents,
        "6 transitions and 3 votes, each committed",
    )


def introducible(site, count):
    """``count`` honoured candidates of the district never introduced; made
    (untimed) where the build left too few."""
    from plone import api

    province, district = movements_of(site)
    found = []
    for brain in api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        portal_type="Candidate",
        review_state="honoured",
        path="/".join(site[UNIT][DISTRICT][DISTRICT_PLAN].getPhysicalPath()),
    ):
        candidate = brain._unrestrictedGetObject()
        if not getattr(candidate, "introduced_to", None):
            found.append(candidate)
        if len(found) == count:
            return found
    rng = random.Random(7)  # noqa: S311  made-up data, not secrets
    for index in range(count - len(found)):
        found.append(make_candidate(district[index % len(district)], rng, 2 * 10**6 + index))
    import transaction

    transaction.commit()
    return found


def export_movements(site):
    """The small and the big movement (about 1 % and 10 % of the candidates)."""
    province, _district = movements_of(site)
    return province[SMALL_MOVEMENT], province[BIG_MOVEMENT]


def cold(connection):
    """Start from an empty connection cache, and nothing kept of the catalog
    (the board's matches, the dashboard's counts); the transfer counts reset."""
    from thidua import dashboard
    from thidua import honour_board

    import transaction

    transaction.abort()
    dashboard.KEPT.clear()
    honour_board.KEPT.clear()
    connection.cacheMinimize()
    connection.getTransferCounts(True)
    return connection._cache.cache_non_ghost_count


def candidates_in_cache(connection):
    return sum(
        1 for _oid, obj in connection._cache.lru_items() if type(obj).__name__ == "Candidate"
    )


def measure_export(site, table, repeat):
    """``@export`` of the small and the big movement as the unit's officer, in
    the process from a cold connection cache: time, the objects loaded from the
    ZODB (the connection's transfer counts) and the objects left in the cache."""
    from plone import api
    from thidua import export
    from zope.component.hooks import setSite

    import transaction

    setSite(site)
    connection = site._p_jar

    def run(context, file_format):
        body = export.document(context, file_format, "vi")
        return body if isinstance(body, bytes) else body.read()

    for movement in export_movements(site):
        with api.env.adopt_user(username=OFFICER):
            rows = len(export.rows(movement, "vi")[1])
        transaction.abort()
        for file_format in ("xlsx", "csv"):
            times, loads, kept = [], [], []
            for _round in range(repeat):
                before = cold(connection)
                with api.env.adopt_user(username=OFFICER):
                    ms, body = timed(run, movement, file_format)
                times.append(ms)
                loads.append(connection.getTransferCounts(True)[0])
                kept.append(connection._cache.cache_non_ghost_count - before)
            transaction.abort()
            table.add(
                f"@export {file_format} of a movement, {rows} rows, in the process",
                times,
                note=f"the unit officer, with personal data, cold cache; "
                f"{len(body) // 1024} KiB; objects loaded {statistics.median(loads):.0f}, "
                f"left in the cache {statistics.median(kept):.0f}",
            )


def measure_dashboard(site, table, repeat):
    """``@dashboard`` of the unit and the plan as the council's secretary, in the
    process from a cold cache: time, objects loaded, candidates loaded."""
    from plone import api
    from thidua.dashboard import dashboard
    from zope.component.hooks import setSite

    setSite(site)
    connection = site._p_jar
    for name, context in (("unit", site[UNIT]), ("plan", site[UNIT][PLAN])):
        times, loads, candidates = [], [], []
        for _round in range(repeat):
            cold(connection)
            with api.env.adopt_user(username=SECRETARY):
                ms, _figures = timed(dashboard, context)
            times.append(ms)
            loads.append(connection.getTransferCounts(True)[0])
            candidates.append(candidates_in_cache(connection))
        table.add(
            f"@dashboard of the {name}, in the process",
            times,
            note=f"the council's secretary, cold cache; objects loaded "
            f"{statistics.median(loads):.0f}, candidates loaded {max(candidates)}",
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


def measure_http(server, table, repeat, seconds, exports, throughput, edited):
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

    # The board keeps a query's matches while the catalog is unchanged: the
    # first request after a change (a candidate's description edited over
    # REST by the administrator) intersects the sets again.
    def edit(round_number):
        requests.patch(
            f"{base}{edited}",
            json={"description": f"Tóm tắt, sửa lần {round_number}"},
            headers={"Accept": "application/json"},
            auth=ADMIN,
            timeout=60,
        ).raise_for_status()

    first, theirs = [], []
    for round_number in range(repeat):
        edit(round_number)
        first.append(timed(get, f"{site}/@honour-board?b_size=20")[0])
        theirs.append(timed(get, f"{stock}/@search?{search}")[0])
    table.add(
        "REST board, first request after a change / @search",
        first,
        theirs,
        "anonymous; a candidate edited before each request",
    )
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
    # The counts are kept while the catalog is unchanged: the first request
    # after a change counts again.
    first = []
    for round_number in range(repeat):
        edit(round_number)
        first.append(timed(get, f"{unit}/@dashboard", (SECRETARY, DEMO_PASSWORD), json_accept)[0])
    table.add(
        "@dashboard of the unit, first request after a change",
        first,
        note="the unit's council secretary; a candidate edited before each request",
    )

    # Five exports each: the first reads the candidates' records from the disk
    # (the server's first since it started, or the system gave their pages
    # back), and is shown apart; the median is an export of a running server.
    for path, rows in exports:
        for file_format in ("xlsx", "csv"):
            times, before = [], server.rss_mib()
            for _round in range(5):
                ms, body = timed(
                    get,
                    f"{base}{path}/@export?format={file_format}",
                    (OFFICER, DEMO_PASSWORD),
                    json_accept,
                )
                times.append(ms)
            after = server.rss_mib()
            table.add(
                f"@export {file_format} of a movement, {rows} rows",
                times,
                note=f"the unit officer, with personal data; {len(body) // 1024} KiB; "
                f"the first {times[0]:.0f} ms; server RSS {before:.0f} → {after:.0f} MiB",
            )

    board, their_search = f"{site}/@honour-board?b_size=20", f"{stock}/@search?{search}"
    for caching in (False, True):
        set_caching(base, caching)
        rules = "with" if caching else "without"
        for clients in (8, 32):
            ours = concurrent(board, clients, seconds)
            theirs = concurrent(their_search, clients, seconds)
            ours2 = concurrent(board, clients, seconds)
            theirs2 = concurrent(their_search, clients, seconds)
            rate = (ours[0] + ours2[0]) / 2
            stock_rate = (theirs[0] + theirs2[0]) / 2
            throughput[(clients, rules)] = (rate, stock_rate)
            table.add(
                f"{clients} anonymous clients, {rules} plone.app.caching's rules: board / @search",
                ours[1] + ours2[1],
                theirs[1] + theirs2[1],
                f"{rate:.1f} req/s against {stock_rate:.1f} ({rate / stock_rate:.2f}× stock)",
            )
    set_caching(base, False)
    return server.rss_mib()


CACHING = "plone.caching.interfaces.ICacheSettings.enabled"


def prepare_caching(app):
    """Both sites get plone.app.caching (installed if needed) with its rules for a
    site without a caching proxy (its own profile: RAM cache and a short max-age
    for dynamic content), switched off; the HTTP part switches them on and off
    over ``@registry``."""
    from plone import api
    from plone.base.utils import get_installer
    from zope.component.hooks import setSite

    import transaction

    for site_id in ("Plone", STOCK):
        site = app[site_id]
        setSite(site)
        installer = get_installer(site, site.REQUEST)
        if not installer.is_product_installed("plone.app.caching"):
            installer.install_product("plone.app.caching")
            site.portal_setup.runAllImportStepsFromProfile(
                "profile-plone.app.caching:without-caching-proxy"
            )
        api.portal.set_registry_record(CACHING, False)
    transaction.commit()


def set_caching(base, enabled):
    for site_id in ("Plone", STOCK):
        response = requests.patch(
            f"{base}/{site_id}/@registry",
            json={CACHING: enabled},
            headers={"Accept": "application/json"},
            auth=ADMIN,
            timeout=60,
        )
        if response.status_code != 204:
            raise RuntimeError(f"@registry of {site_id}: {response.status_code}")


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


# ---------------------------------------------------------------- plots


def draw(table, throughput, stem, n):
    """PNG figures beside the table: the p50 ratios to stock, the writes' p50
    and p95, and the throughput of concurrent clients; their paths."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    written = []
    compared = [row for row in table.rows if row[2]]
    if compared:
        figure, axes = pyplot.subplots(figsize=(10, 0.35 * len(compared) + 1.5))
        names = [row[0] for row in compared]
        ratios = [p50(row[1]) / p50(row[2]) for row in compared]
        axes.barh(names, ratios, color=["#2a7" if r <= 1 else "#c33" for r in ratios])
        axes.axvline(1.0, color="black", linewidth=0.8)
        axes.axvline(0.5, color="grey", linestyle="--", linewidth=0.8)
        axes.invert_yaxis()
        axes.set_xlabel("thidua p50 / stock Plone p50 (less is faster)")
        axes.set_title(f"thidua against stock Plone, {n} candidates")
        figure.tight_layout()
        written.append(Path(f"{stem}-ratios.png"))
        figure.savefig(written[-1], dpi=100)
        pyplot.close(figure)
    timings = [row for row in table.rows if not row[0].startswith(tuple("0123456789"))]
    if timings:
        figure, axes = pyplot.subplots(figsize=(10, 0.35 * len(timings) + 1.5))
        names = [row[0] for row in timings]
        axes.barh(names, [p95(row[1]) for row in timings], color="#fc9", label="p95")
        axes.barh(names, [p50(row[1]) for row in timings], color="#c60", label="p50")
        axes.set_xscale("log")
        axes.invert_yaxis()
        axes.set_xlabel("thidua, ms (log scale)")
        axes.legend()
        figure.tight_layout()
        written.append(Path(f"{stem}-latency.png"))
        figure.savefig(written[-1], dpi=100)
        pyplot.close(figure)
    if throughput:
        figure, axes = pyplot.subplots(figsize=(8, 4))
        keys = list(throughput)
        labels = [f"{clients} clients\n{rules} caching rules" for clients, rules in keys]
        positions = range(len(keys))
        axes.bar(
            [x - 0.2 for x in positions],
            [throughput[k][0] for k in keys],
            0.4,
            label="thidua @honour-board",
            color="#c60",
        )
        axes.bar(
            [x + 0.2 for x in positions],
            [throughput[k][1] for k in keys],
            0.4,
            label="stock @search",
            color="#68a",
        )
        axes.set_xticks(list(positions), labels)
        axes.set_ylabel("requests per second")
        axes.legend()
        figure.tight_layout()
        written.append(Path(f"{stem}-throughput.png"))
        figure.savefig(written[-1], dpi=100)
        pyplot.close(figure)
    return written


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
        "--build-only",
        action="store_true",
        help="build both sites and measure nothing (measure them later with --reuse)",
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
    # Mails are queued, not sent: no mail server here (the server process too).
    os.environ["MAILHOST_QUEUE_ONLY"] = "1"
    var = Path(args.var or tempfile.mkdtemp(prefix="thidua-bench-"))
    port = free_port()
    began = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - began:6.0f} s] {message}", flush=True)

    import transaction
    import Zope2

    table, throughput = Table(), {}
    app, conf = open_zope(var, port)
    if args.reuse:
        site, stock = app["Plone"], app[STOCK]
        args.n = json.loads((var / "bench.json").read_text())["n"]
        log(f"the sites already built, {args.n} candidates")
        from thidua.deploy.create_site import ensure_mail_queue
        from thidua.deploy.create_site import ensure_thidua

        # As `make start` would find them: thidua upgraded, mails queued.
        done = ensure_thidua(site) + ensure_mail_queue(site)
        transaction.commit()
        if done:
            log("; ".join(done))
    else:
        site, stock, built = build_sites(app, args.n, log, stock_site=not args.no_stock)
        # Creating a Plone site replaced the root's user folder: the
        # administrator again, for @registry over HTTP.
        from thidua.deploy.create_site import ensure_admin

        ensure_admin(app, *ADMIN)
        transaction.commit()
        log(f"{args.n} candidates built in {built:.0f} s")
        (var / "bench.json").write_text(json.dumps({"n": args.n, "build_seconds": round(built)}))
        if args.no_stock or args.build_only:
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
        log("export and dashboard, in the process")
        measure_export(site, table, 3)
        measure_dashboard(site, table, 5)
    catalog = site.portal_catalog
    # A path index takes a tuple as several paths (the root among them): a string.
    paths = ["/".join(m.getPhysicalPath()) for m in export_movements(site)]
    exports = [
        (path, len(catalog.unrestrictedSearchResults(portal_type="Candidate", path=path)))
        for path in paths
    ]
    if "http" in parts:
        # Edited over HTTP before each "first request after a change" of the board.
        edited = catalog.unrestrictedSearchResults(
            portal_type="Candidate", review_state="honoured", path=paths[-1]
        )[0].getPath()
        prepare_caching(app)
    app._p_jar.close()
    Zope2.DB.close()
    datafs = var / "filestorage" / "Data.fs"
    started_rss = final_rss = float("nan")
    if "http" in parts:
        log("HTTP, against runwsgi")
        server = Server(conf, port)
        try:
            started_rss = server.rss_mib()
            final_rss = measure_http(
                server, table, args.repeat, args.seconds, exports, throughput, edited
            )
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
    # The day in UTC, as the table's heading says; a second run that day keeps the first.
    now = datetime.datetime.now(datetime.UTC)
    name = out / f"bench-{args.n}-{now:%Y-%m-%d}.md"
    if name.exists():
        name = out / f"bench-{args.n}-{now:%Y-%m-%d-%H%M}.md"
    name.write_text(text, encoding="utf-8")
    name.with_suffix(".json").write_text(
        json.dumps(
            {
                **summary,
                "rows": [list(row) for row in table.rows],
                "throughput": [[*key, *rates] for key, rates in throughput.items()],
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    plots = draw(table, throughput, out / name.stem, args.n)
    print(text)
    print(f"written to {name}, plots {', '.join(str(p.name) for p in plots)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
