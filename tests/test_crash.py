"""An instance killed with SIGKILL in the middle of writes comes back with
consistent data, on FileStorage and on RelStorage: every write that answered
2xx is there, and the FileStorage passes fstest (issue 16, item 4)."""

from thidua.deploy import postgres
from thidua.deploy.instance import write_instance
from thidua.testing import create_site
from thidua.testing import free_port
from thidua.testing import server_folder
from thidua.testing import start_instance
from thidua.testing import wait_until_up
from ZODB.scripts import fstest

import os
import pytest
import requests
import shutil
import signal
import threading
import time


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
ADMIN = ("admin", "admin")


@pytest.mark.parametrize("db", ["filestorage", "postgres"])
def test_killed_during_writes_keeps_every_answered_write(db):
    var = server_folder(f"thidua-crash-{db}-")
    port = free_port()
    zope_conf = write_instance(var, "127.0.0.1", port, db=db)
    site = f"http://127.0.0.1:{port}/Plone"
    create_site(zope_conf, "--no-demo")
    process = start_instance(zope_conf)
    try:
        wait_until_up(site, process)
        answered, lock, stop = [], threading.Lock(), threading.Event()

        def keep_creating(writer):
            number = 0
            with requests.Session() as session:
                while not stop.is_set():
                    code = f"K{writer}-{number}"
                    number += 1
                    try:
                        response = session.post(
                            site,
                            headers=JSON,
                            auth=ADMIN,
                            json={
                                "@type": "Unit",
                                "title": f"Đơn vị {code}",
                                "code": code,
                                "level": "commune",
                            },
                            timeout=60,
                        )
                    except requests.RequestException:
                        return  # the instance is gone
                    if response.status_code == 201:
                        with lock:
                            answered.append(response.json()["@id"])

        writers = [threading.Thread(target=keep_creating, args=(n,)) for n in range(4)]
        for writer in writers:
            writer.start()
        while len(answered) < 12:
            assert process.poll() is None
            time.sleep(0.1)
        os.kill(process.pid, signal.SIGKILL)  # with requests still in flight
        process.wait()
        stop.set()
        for writer in writers:
            writer.join()
        with lock:
            kept = list(answered)

        process = start_instance(zope_conf)
        wait_until_up(site, process)
        for url in kept:
            response = requests.get(url, headers=JSON, auth=ADMIN, timeout=60)
            assert response.status_code == 200, url
            assert response.json()["@type"] == "Unit"
        process.terminate()
        process.wait(timeout=60)
        if db == "filestorage":
            fstest.check(str(var / "filestorage" / "Data.fs"))  # raises FormatError
    finally:
        if process.poll() is None:
            process.kill()
        if db == "postgres":
            postgres.stop(var)
        shutil.rmtree(var, ignore_errors=True)
