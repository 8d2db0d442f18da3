"""The benchmark runner works: built at a tiny size, it measures every line and
writes its table. No figure is judged here (the runner is run on demand)."""

from pathlib import Path

import subprocess
import sys


RUNNER = Path(__file__).parent.parent / "benchmarks" / "run.py"


def test_the_runner_works_at_a_tiny_size(tmp_path):
    out = tmp_path / "results"
    done = subprocess.run(
        [
            sys.executable,
            str(RUNNER),
            *("--n", "3", "--repeat", "1", "--writes", "1", "--seconds", "0.5"),
            *("--var", str(tmp_path / "var"), "--out", str(out)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [table] = out.glob("bench-3-*.md")
    text = table.read_text(encoding="utf-8")
    for measure in (
        "REST board, 20 items / @search",
        "Classic @@honour-board / @@search",
        "@dashboard of the unit",
        "@dashboard of the plan, in the process",
        "candidates loaded 0",
        "@export xlsx of a movement",
        "@export csv of a movement",
        "objects loaded",
        "create + whole chain / Document create + publish",
        "return_for_revision / publish",
        "reject / publish",
        "withdraw / publish",
        "@introduce (district to province) / copy a Document",
        "8 anonymous clients, without plone.app.caching's rules",
        "32 anonymous clients, with plone.app.caching's rules",
    ):
        assert measure in text
    assert "Data.fs" in text
    for plot in ("ratios", "latency", "throughput"):
        [png] = out.glob(f"bench-3-*-{plot}.png")
        assert png.read_bytes().startswith(b"\x89PNG")


def test_the_storage_benchmark_states_its_options():
    """benchmarks/storage.py needs HAProxy, wrk and PostgreSQL and is run on
    demand (`make bench-storage`); here only that it loads and explains itself."""
    done = subprocess.run(
        [sys.executable, str(RUNNER.with_name("storage.py")), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "--also" in done.stdout
