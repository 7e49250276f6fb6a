"""Two staff receiving at once, and a receiving process killed half way: the national store
never holds a package twice, loses one, leaves two current versions or half a package."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import open_ministry_desk
from sqlalchemy import func, select

from ctmt_desktop.catalog import load_catalog
from ctmt_desktop.ministry.intake import receive
from ctmt_desktop.ministry.models import NationalRecord, Submission
from ctmt_desktop.ministry.store import open_store

if TYPE_CHECKING:
    from conftest import MinistryPackages

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def desk(store_url: str, ministry_packages: MinistryPackages) -> str:
    open_ministry_desk(store_url, ministry_packages).close()
    return store_url


def _receivers(store_url: str, *files: Path) -> list[subprocess.CompletedProcess[str]]:
    """Start one ``ctmt ministry receive`` per file at once; wait for all."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ctmt_desktop.cli",
                "ministry",
                "receive",
                "--store",
                store_url,
                "--user",
                f"staff{n}",
                str(file),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n, file in enumerate(files)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return results


def _state(store_url: str) -> tuple[list[tuple[int, str]], int, dict[int, int]]:
    store = open_store(store_url)
    try:
        with store.session() as session:
            rows = session.execute(
                select(Submission.version, Submission.state).order_by(Submission.version)
            ).all()
            records = session.scalar(select(func.count()).select_from(NationalRecord)) or 0
            per = dict(
                session.execute(
                    select(Submission.version, func.count(NationalRecord.id))
                    .join(NationalRecord, NationalRecord.submission_id == Submission.id)
                    .group_by(Submission.version)
                ).all()
            )
            return [tuple(r) for r in rows], records, per
    finally:
        store.close()


def test_two_staff_receive_the_same_package_at_once(desk, ministry_packages):
    first, second = _receivers(desk, ministry_packages.qt_v1, ministry_packages.qt_v1)
    verdicts = sorted(p.stdout.split(":", 1)[0] for p in (first, second))
    assert verdicts == ["accepted", "duplicate"], (first.stderr, second.stderr)
    submissions, records, per = _state(desk)
    assert submissions == [(1, "current")]
    assert records == per[1] > 0


def test_two_staff_receive_two_versions_at_once(desk, ministry_packages):
    v1, v2 = _receivers(desk, ministry_packages.qt_v1, ministry_packages.qt_v2)
    submissions, records, per = _state(desk)
    current = [version for version, state in submissions if state == "current"]
    assert current == [2]  # whichever came first, version 2 is the current one, once
    if v1.returncode == 0:  # version 1 stored first, then superseded
        assert submissions == [(1, "superseded"), (2, "current")]
        assert v2.stdout.startswith("superseded 1:")
    else:  # version 2 stored first: version 1 is a replay
        assert "replay" in v1.stderr and submissions == [(2, "current")]
    assert records == sum(per.values())


_KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from ctmt_desktop.catalog import load_catalog
    from ctmt_desktop.ministry import intake
    from ctmt_desktop.ministry.store import open_store

    original = intake._insert_records

    def insert_then_die(session, submission, records, catalog):
        original(session, submission, records[: len(records) // 2], catalog)
        session.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    intake._insert_records = insert_then_die
    store = open_store(sys.argv[1])
    intake.receive(store, [sys.argv[2]], user="killed", catalog=load_catalog())
    """
)


def test_a_receiver_killed_half_way_leaves_nothing(desk, ministry_packages):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run(
        [sys.executable, "-c", _KILLER, desk, str(ministry_packages.qt_v1)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -9, killed.stderr
    assert _state(desk) == ([], 0, {})
    store = open_store(desk)
    try:
        (result,) = receive(store, [ministry_packages.qt_v1], user="t", catalog=load_catalog())
    finally:
        store.close()
    assert result.verdict == "accepted"
    submissions, records, per = _state(desk)
    assert submissions == [(1, "current")] and records == per[1] == result.record_count
