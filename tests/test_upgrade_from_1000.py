"""A site made by thidua's profile 1000, with that version's own code and demo,
upgrades to the current profile through the upgrade steps and keeps its
content, states and histories (issue 16, item 6). The old code is taken from
this repository's history: the last commit whose profile says 1000."""

from pathlib import Path
from thidua.deploy.instance import write_instance
from thidua.testing import subprocess_env

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile


REPOSITORY = Path(__file__).resolve().parents[1]
METADATA = "profiles/default/metadata.xml"

# Run by the old code and by the current one: what the site holds.
DUMP = """
import json, sys
from thidua.deploy.create_site import open_app
app = open_app(sys.argv[1])
site = app["Plone"]
workflow = site.portal_workflow
items = {}
types = ["Unit", "Plan", "Movement", "Candidate", "Report"]
for brain in site.portal_catalog.unrestrictedSearchResults(portal_type=types):
    obj = brain._unrestrictedGetObject()
    chain = workflow.getChainFor(obj)
    history = obj.workflow_history.get(chain[0], ()) if chain else ()
    items[brain.getPath()] = {
        "type": brain.portal_type,
        "title": obj.title,
        "state": workflow.getInfoFor(obj, "review_state", None),
        "history": [[step.get("action"), step.get("review_state")] for step in history],
    }
print("DUMP " + json.dumps({
    "version": site.portal_setup.getLastVersionForProfile("thidua:default"),
    "items": items,
}))
"""


GIT = shutil.which("git")


def git(*args, text=True):
    return subprocess.run(
        [GIT, "-C", str(REPOSITORY), *args], capture_output=True, text=text, check=True
    ).stdout


def last_commit_of_1000():
    for commit in git("log", "--format=%H", "--", METADATA).split():
        if "<version>1001</version>" in git("show", f"{commit}:{METADATA}"):
            return git("rev-parse", f"{commit}^").strip()
    raise AssertionError("no commit of profile 1001 in the history")


def run(python_path, *args):
    env = subprocess_env()
    env["PYTHONPATH"] = os.pathsep.join([*python_path, env["PYTHONPATH"]])
    result = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def dump(python_path, zope_conf):
    output = run(python_path, "-c", DUMP, str(zope_conf))
    (line,) = [line for line in output.splitlines() if line.startswith("DUMP ")]
    return json.loads(line[5:])


def test_a_site_of_1000_upgrades_keeping_content_states_and_histories(tmp_path):
    commit = last_commit_of_1000()
    old = tmp_path / "thidua-1000"
    old.mkdir()
    with tarfile.open(fileobj=io.BytesIO(git("archive", commit, text=False))) as archive:
        archive.extractall(old, filter="tar")
    assert "<version>1000</version>" in (old / METADATA).read_text()
    old_code = [str(old / "src")]

    zope_conf = write_instance(tmp_path / "var", port=0)
    run(old_code, "-m", "thidua.deploy.create_site", str(zope_conf))
    before = dump(old_code, zope_conf)
    assert before["version"] == ["1000"]
    assert len(before["items"]) > 50  # the demo of 1000: units, plans, candidates

    summary = run([], "-m", "thidua.deploy.create_site", str(zope_conf))
    assert "upgraded thidua:default" in summary
    after = dump([], zope_conf)

    from thidua import __file__ as current

    current_version = (
        (Path(current).parent / METADATA).read_text().split("<version>")[1].split("<")[0]
    )
    assert after["version"] == [current_version]
    for path, item in before["items"].items():
        assert after["items"].get(path) == item, path
