"""The writer lock: a killed rebuild leaves no process holding it, and a stale lock is cleared.

These tests start real processes: `tracker index rebuild` on a copy of the test database, and small
Python programs that take the lock the way the tracker does. Every wait is bounded.
"""
from __future__ import annotations

import fcntl
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert

from tracker.core.db import db
from tracker.decisions.models import Decision, DecisionKind
from tracker.search.index import LockError, get_index
from tracker.search.lock import HOLDER_FILE, LOCK_FILE, Holder, WriterLock, lock_holder

TRACKER = Path(sys.executable).with_name("tracker")


def wait_for(condition, timeout: float, what: str, interval: float = 0.01):  # type: ignore[no-untyped-def]
    """Poll ``condition`` until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"after {timeout} s still not: {what}")
        time.sleep(interval)


def is_locked(folder: Path) -> bool:
    """Whether some process holds the flock on the index's lock file (tried without waiting)."""
    path = folder / LOCK_FILE
    if not path.exists():
        return False
    fd = os.open(path, os.O_WRONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also releases the lock if we got it
    return False


def processes_holding(path: Path) -> set[int]:
    """Pids of the processes that have ``path`` open (also after it was removed)."""
    wanted = {str(path), f"{path} (deleted)"}
    found = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in wanted:
                    found.add(int(proc.name))
                    break
        except OSError:
            continue
    return found


def kill_all(pids: set[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def env_for(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {**os.environ, "TRACKER_DATABASE_URL": app.config["DATABASE_URL"],
            "TRACKER_INDEX_DIR": app.config["INDEX_DIR"], "TRACKER_SECRET_KEY": "test"}


# A program that takes the lock as the tracker does, optionally forks a child that inherits it,
# writes the pids it has to ``argv[2]`` and then sleeps until it is killed (at most a minute).
HOLDER_PROGRAM = textwrap.dedent("""
    import os, sys, time
    from tracker.search.lock import WriterLock
    lock = WriterLock(sys.argv[1])
    lock.acquire(5)
    child = os.fork() if sys.argv[3] == "fork" else None
    if child == 0:
        time.sleep(60)
        os._exit(0)
    with open(sys.argv[2] + ".tmp", "w") as f:
        f.write(f"{os.getpid()} {child or ''}")
    os.replace(sys.argv[2] + ".tmp", sys.argv[2])
    time.sleep(60)
""")


def start_holder(folder: Path, tmp_path: Path, fork: bool) -> tuple[subprocess.Popen, int, int | None]:
    pids_file = tmp_path / "pids"
    process = subprocess.Popen([sys.executable, "-c", HOLDER_PROGRAM, str(folder), str(pids_file),
                                "fork" if fork else "nofork"])
    wait_for(pids_file.exists, 30, "the holder program took the lock")
    parent, _, child = pids_file.read_text().partition(" ")
    return process, int(parent), int(child) if child else None


# --------------------------------------------------------------------------- a killed rebuild


@pytest.mark.slow
def test_killing_a_rebuild_leaves_no_process_holding_the_lock(app, runner, tmp_path):
    folder = Path(app.config["INDEX_DIR"])
    with app.app_context():
        # Enough decisions that the rebuild holds the lock for seconds, not milliseconds.
        db.session.execute(insert(Decision), [
            {"key": f"lock-{i}", "title": f"Proefbeslissing {i} over digitale archieven",
             "kind": DecisionKind.NOTA, "meeting_date": date(2021, 1, 1 + i % 28),
             "text": "Een tekst over de digitale overheid en haar archieven. " * 20}
            for i in range(4000)])
        db.session.commit()
    get_index(app).close()
    log = (tmp_path / "rebuild.log").open("w")
    rebuild = subprocess.Popen([str(TRACKER), "index", "rebuild"], env=env_for(app), stdout=log,
                               stderr=subprocess.STDOUT)
    leftovers: set[int] = set()
    try:
        # Mid-build: the rebuild holds the lock and has been adding documents for a second (the
        # whole build takes several; Whoosh's multiprocessing writer has started its workers by then).
        wait_for(lambda: rebuild.poll() is None and is_locked(folder), 60, "the rebuild holds the lock")
        time.sleep(1)
        assert rebuild.poll() is None and is_locked(folder), "the rebuild ended before it could be killed"
        holder = lock_holder(folder)
        rebuild.send_signal(signal.SIGKILL)
        rebuild.wait(10)
        # No worker outlives it with the lock file open ...
        deadline = time.monotonic() + 5
        while (leftovers := processes_holding(folder / LOCK_FILE)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not leftovers, f"processes still hold the index lock after the rebuild was killed: {leftovers}"
        assert holder is not None and holder.pid == rebuild.pid  # it was recorded beside the lock
        # ... so the next writer gets the lock at once, and a rebuild repairs what was left.
        lock = WriterLock(folder)
        lock.acquire(timeout=5)
        lock.release()
        result = runner.invoke(args=["index", "rebuild"])
        assert result.exit_code == 0, result.output
        assert "Zoekindex opgebouwd" in result.output
        result = runner.invoke(args=["index", "verify"])
        assert result.exit_code == 0, result.output
    finally:
        log.close()
        if rebuild.poll() is None:
            rebuild.kill()
            rebuild.wait(10)
        kill_all(leftovers)


# --------------------------------------------------------------------------- stale and live locks


def test_a_lock_kept_by_a_child_of_a_dead_holder_is_cleared(app, runner, tmp_path):
    folder = Path(app.config["INDEX_DIR"])
    process, parent, child = start_holder(folder, tmp_path, fork=True)
    assert child is not None
    try:
        assert lock_holder(folder).pid == parent
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        assert is_locked(folder)  # the forked child still holds the flock of its dead parent
        started = time.monotonic()
        result = runner.invoke(args=["index", "rebuild", "--timeout", "10"])
        assert result.exit_code == 0, result.output
        assert time.monotonic() - started < 8  # did not wait out the timeout
        assert f"vergrendeld door proces {parent} op {socket.gethostname()}, dat niet meer draait" in result.output
        assert "opgeheven" in result.output
        assert runner.invoke(args=["index", "verify"]).exit_code == 0
        # The lock works as before: taken once, refused to a second writer, free after release.
        first = WriterLock(folder)
        first.acquire(timeout=1)
        with pytest.raises(LockError):
            WriterLock(folder).acquire(timeout=0.1)
        first.release()
        assert not is_locked(folder) and not (folder / HOLDER_FILE).exists()
    finally:
        process.kill()
        process.wait(10)
        kill_all({child})


def test_a_running_holder_keeps_its_lock(app, runner, tmp_path):
    folder = Path(app.config["INDEX_DIR"])
    process, parent, _ = start_holder(folder, tmp_path, fork=False)
    try:
        with pytest.raises(LockError):
            get_index(app).writer(timeout=0.2)
        assert get_index(app).stale_holder is None
        result = runner.invoke(args=["index", "rebuild", "--timeout", "0.2"])
        assert result.exit_code == 1
        assert f"nog in gebruik door proces {parent} op {socket.gethostname()}" in result.output
        assert lock_holder(folder).pid == parent
    finally:
        process.kill()
        process.wait(10)
    # Killed without a child, it leaves its holder file but not the lock.
    assert lock_holder(folder).pid == parent and not is_locked(folder)
    writer = get_index(app).writer(timeout=1)
    assert get_index(app).stale_holder is None  # nothing to break: the lock was free
    assert lock_holder(folder) == Holder.me()
    writer.cancel()
    assert lock_holder(folder) is None


def test_holder_liveness():
    me = Holder.me()
    assert me.pid == os.getpid() and me.started
    assert me.is_running()
    assert not Holder(me.host, me.pid, str(int(me.started) + 1)).is_running()  # the pid was reused
    assert Holder("another-host.example", 1, "").is_running()  # cannot tell: assume it runs
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait(10)
    assert not Holder(me.host, finished.pid, "").is_running()
    assert Holder.parse(me.render()) == me
    assert Holder.parse("") is None and Holder.parse("host ²") is None
