"""Two Zope instances of the demo site on one real PostgreSQL (RelStorage):
what one writes the other reads, and racing writes through both lose nothing
(issue 16, items 1 and 3). `.ci/run` installs PostgreSQL from Debian."""

from concurrent.futures import ThreadPoolExecutor
from thidua.deploy import backup as backups
from thidua.deploy import postgres
from thidua.deploy.instance import write_instance
from thidua.testing import create_site
from thidua.testing import free_port
from thidua.testing import server_folder
from thidua.testing import start_instance
from thidua.testing import wait_until_up
from urllib.parse import urlencode

import pytest
import requests
import shutil
import threading
import time


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
OFFICER = ("brvt-canbo", "thidua-demo")


@pytest.fixture(scope="module")
def cluster():
    """The demo site created once on PostgreSQL, served by two instances."""
    var = server_folder("thidua-cluster-")
    dsn = postgres.start(var)
    ports = [free_port(), free_port()]
    confs = [
        write_instance(var, "127.0.0.1", port, db="postgres", dsn=dsn, name=f"instance{n}")
        for n, port in enumerate(ports, 1)
    ]
    create_site(confs[0])
    processes = [start_instance(conf) for conf in confs]
    urls = [f"http://127.0.0.1:{port}/Plone" for port in ports]
    try:
        for url, process in zip(urls, processes, strict=True):
            wait_until_up(url, process)
        yield {"urls": urls, "var": var}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
        postgres.stop(var)
        shutil.rmtree(var, ignore_errors=True)


@pytest.fixture(scope="module")
def instances(cluster):
    return cluster["urls"]


@pytest.fixture(scope="module")
def movement(instances):
    """The path of a launched movement of plan 126/KH-UBND, where the officer registers."""
    response = requests.get(
        f"{instances[0]}/@search",
        params={"portal_type": "Movement", "id": "sang-kien-sang-tao"},
        headers=JSON,
        auth=OFFICER,
        timeout=60,
    )
    (item,) = response.json()["items"]
    return item["@id"].split("/Plone/", 1)[1]


def create(base, movement, title, session=requests):
    return session.post(
        f"{base}/{movement}",
        headers=JSON,
        auth=OFFICER,
        json={
            "@type": "Candidate",
            "title": title,
            "kind": "individual",
            "organisation": "Sở Giáo dục (hư cấu)",
            "year": 2024,
            "achievements": {"data": "<p>Ba sáng kiến cấp tỉnh.</p>", "content-type": "text/html"},
        },
        timeout=120,
    )


def candidates(base, movement):
    response = requests.get(
        f"{base}/@search",
        params={"portal_type": "Candidate", "path": f"/Plone/{movement}", "b_size": 1000},
        headers=JSON,
        auth=OFFICER,
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return {item["@id"].rsplit("/", 1)[1] for item in response.json()["items"]}


def submits(url, base):
    response = requests.get(f"{url}/@workflow", headers=JSON, auth=OFFICER, timeout=60)
    assert response.status_code == 200, response.text
    return [step for step in response.json()["history"] if step.get("action") == "submit"]


def test_created_on_one_read_and_moved_on_the_other(instances, movement):
    first, second = instances
    response = create(first, movement, "Nguyễn Văn Một Hai")
    assert response.status_code == 201, response.text
    path = response.json()["@id"].split("/Plone/", 1)[1]

    read = requests.get(f"{second}/{path}", headers=JSON, auth=OFFICER, timeout=60)
    assert read.status_code == 200, read.text
    assert read.json()["title"] == "Nguyễn Văn Một Hai"

    moved = requests.post(
        f"{second}/{path}/@workflow/submit", headers=JSON, auth=OFFICER, json={}, timeout=60
    )
    assert moved.status_code == 200, moved.text
    seen = requests.get(f"{first}/{path}", headers=JSON, auth=OFFICER, timeout=60)
    assert seen.json()["review_state"] == "submitted"


def test_creates_racing_through_both_instances_all_succeed(instances, movement):
    before = candidates(instances[0], movement)

    def one(number):
        with requests.Session() as session:
            response = create(
                instances[number % 2], movement, f"Trần Thị Song Song {number}", session
            )
            return response.status_code, response.json().get("@id", "")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(24)))
    assert [status for status, _id in results] == [201] * 24
    made = {url.rsplit("/", 1)[1] for _status, url in results}
    assert len(made) == 24
    for base in instances:
        assert candidates(base, movement) == before | made


def test_the_same_step_through_both_instances_is_taken_once(instances, movement):
    """Each candidate submitted at once through both instances: one request
    moves it, the other is refused cleanly; the history has one submit."""
    urls = []
    for number in range(6):
        response = create(instances[0], movement, f"Lê Văn Cùng Lúc {number}")
        assert response.status_code == 201, response.text
        urls.append(response.json()["@id"].split("/Plone/", 1)[1])

    def submit(job):
        path, base = job
        with requests.Session() as session:
            return path, session.post(
                f"{base}/{path}/@workflow/submit",
                headers=JSON,
                auth=OFFICER,
                json={},
                timeout=120,
            ).status_code

    jobs = [(path, base) for path in urls for base in instances]
    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(submit, jobs))
    for path in urls:
        statuses = sorted(status for done, status in results if done == path)
        assert statuses[0] == 200 and statuses[1] in (200, 400, 409, 503), statuses
        history = submits(f"{instances[1]}/{path}", instances[1])
        assert len(history) == 1, history


SECRETARY = ("brvt-thuky", "thidua-demo")


def get(url, auth=OFFICER):
    response = requests.get(url, headers=JSON, auth=auth, timeout=120)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.json()


def find(base, auth, **query):
    items = get(f"{base}/@search?" + urlencode({**query, "b_size": 1000}), auth)["items"]
    return [item["@id"].split("/Plone/", 1)[1] for item in items]


def test_a_backup_taken_during_writes_restores_into_a_fresh_database(cluster, movement):
    """pg_dump and the blobs while a client keeps creating: restored into a new
    folder and a new PostgreSQL, every write answered before the backup is
    there, with its state, its history, the ballot's tally and the photos."""
    first, second = cluster["urls"]
    submitted = create(first, movement, "Phạm Văn Trước Khi Lưu")
    path = submitted.json()["@id"].split("/Plone/", 1)[1]
    moved = requests.post(
        f"{first}/{path}/@workflow/submit", headers=JSON, auth=OFFICER, json={}, timeout=60
    )
    assert moved.status_code == 200, moved.text
    reviewed = find(first, SECRETARY, portal_type="Candidate", review_state="under_review")
    tallies = {item: get(f"{first}/{item}/@votes", SECRETARY) for item in reviewed}
    assert tallies
    photos = find(first, OFFICER, portal_type="Candidate", review_state="honoured")

    answered, stop = [], threading.Event()

    def keep_writing():
        number = 0
        while not stop.is_set():
            response = create(second, movement, f"Võ Thị Đang Ghi {number}")
            if response.status_code == 201:
                answered.append(response.json()["@id"].split("/Plone/", 1)[1])
            number += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(answered) < 2:
            time.sleep(0.2)
        before = list(answered)
        to = cluster["var"] / "backups"
        backups.backup(cluster["var"], to)
    finally:
        stop.set()
        writer.join()

    fresh = server_folder("thidua-restored-")
    port = free_port()
    conf = write_instance(fresh, "127.0.0.1", port, db="postgres")  # a new PostgreSQL
    backups.restore(fresh, to)
    assert backups.missing_blobs(fresh) == []
    process = start_instance(conf)
    restored = f"http://127.0.0.1:{port}/Plone"
    try:
        wait_until_up(restored, process)
        for item in before:
            assert get(f"{restored}/{item}")["review_state"] == "draft"
        assert get(f"{restored}/{path}")["review_state"] == "submitted"
        assert len(submits(f"{restored}/{path}", restored)) == 1
        for item, tally in tallies.items():
            assert get(f"{restored}/{item}/@votes", SECRETARY) == tally
        assert photos
        for item in photos:
            image = requests.get(f"{restored}/{item}/@@images/image", timeout=60)
            assert image.status_code == 200
            assert image.headers["Content-Type"].startswith("image/")
    finally:
        process.terminate()
        process.wait(timeout=60)
        postgres.stop(fresh)
        shutil.rmtree(fresh, ignore_errors=True)


def test_the_access_log_names_no_voter(cluster, instances):
    """Each instance's access log names the user of every request but a ballot's."""
    first = instances[0]
    (item, *_others) = find(first, SECRETARY, portal_type="Candidate", review_state="under_review")
    member = ("brvt-uyvien1", "thidua-demo")
    requests.get(f"{first}/{item}/@votes", headers=JSON, auth=member, timeout=60)
    requests.post(
        f"{first}/{item}/@votes", headers=JSON, auth=member, json={"vote": "yes"}, timeout=60
    )
    lines = (cluster["var"] / "log" / "instance1-access.log").read_text().splitlines()
    # The log quotes the path: @votes is written %40votes.
    reads = [line for line in lines if '"GET ' in line and "/%40votes" in line]
    ballots = [line for line in lines if '"POST ' in line and "/%40votes" in line]
    assert any("brvt-uyvien1" in line for line in reads)
    assert ballots
    for line in ballots:
        assert line.startswith("- - - ["), line


def test_ballots_racing_through_both_instances_count_each_member_once(instances):
    """Each member who has not voted sends four ballots at once through both
    instances: one is counted, the others answer 409 (or a clean 503); the
    tally has every counted ballot and no member twice."""
    first, second = instances
    secretary = ("thangloi-thuky", "thidua-demo")
    (item,) = find(first, secretary, portal_type="Candidate", id="to-truong-luu-van-hoa")
    before = get(f"{first}/{item}/@votes", secretary)
    voters = ["thangloi-uyvien2", "thangloi-uyvien3"]

    def vote(job):
        member, number = job
        with requests.Session() as session:
            return member, session.post(
                f"{instances[number % 2]}/{item}/@votes",
                headers=JSON,
                auth=(member, "thidua-demo"),
                json={"vote": "yes" if number % 2 else "no"},
                timeout=120,
            ).status_code

    jobs = [(member, number) for member in voters for number in range(4)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(vote, jobs))
    for member in voters:
        statuses = sorted(status for who, status in results if who == member)
        assert statuses.count(201) == 1, (member, statuses)
        assert set(statuses) <= {201, 409, 503}, (member, statuses)
    again = requests.post(
        f"{second}/{item}/@votes",
        headers=JSON,
        auth=("thangloi-uyvien1", "thidua-demo"),
        json={"vote": "yes"},
        timeout=60,
    )
    assert again.status_code == 409  # voted before the race
    for base in instances:
        after = get(f"{base}/{item}/@votes", secretary)
        assert after["voted"] == before["voted"] + 2
        assert after["yes"] + after["no"] + after["abstain"] == after["voted"]
