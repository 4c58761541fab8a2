"""The index's writer lock: Whoosh's flock on ``MAIN_WRITELOCK``, and a file naming its holder.

An flock belongs to the open file, not to the process: a process that forks while it holds the
lock leaves children that keep it after the parent dies. Whoosh's multiprocessing writer did just
that, so a killed ``tracker index rebuild`` left workers that kept every other writer out. The
tracker now writes from one process (a killed writer's lock goes with it), and records who holds
the lock in ``MAIN_WRITELOCK.holder`` (host, pid and the process's start time). A writer that finds
the lock taken while the recorded holder no longer runs breaks the lock: it removes the lock file,
so that it and every later writer lock a fresh file, and it reports the holder it cleared.

Taking the lock and recording the holder, and checking and breaking a stale lock, happen under a
second lock (``MAIN_WRITELOCK.guard``) held for a few system calls, so another writer never sees a
lock without its holder or breaks a lock that was just taken. Every writer of the tracker goes
through this module; a foreign program that locks the index with plain Whoosh records no holder,
and its lock is never broken.
"""
from __future__ import annotations

import errno
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import LockError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: Whoosh's own lock, without stale-lock recovery
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "MAIN_WRITELOCK"  # Whoosh's name: plain Whoosh writers exclude us and we exclude them
HOLDER_FILE = LOCK_FILE + ".holder"
GUARD_FILE = LOCK_FILE + ".guard"

__all__ = ["Holder", "LockError", "WriterLock", "lock_holder"]


def _start_time(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot) from /proc; None without /proc.

    "" when the process does not exist or is a zombie (it holds no files any more).
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return "" if Path("/proc/self/stat").exists() else None
    except OSError:
        return None
    # The command name (2nd field) may hold spaces and parentheses; the fields after it do not.
    fields = stat[stat.rindex(")") + 2:].split()
    if fields[0] in ("Z", "X"):
        return ""
    return fields[19]  # field 22 of proc(5): starttime


@dataclass(frozen=True)
class Holder:
    """The process recorded as the lock's holder."""

    host: str
    pid: int
    started: str  # its start time, to tell a reused pid apart; "" where unknown

    @classmethod
    def me(cls) -> Holder:
        return cls(socket.gethostname(), os.getpid(), _start_time(os.getpid()) or "")

    def render(self) -> str:
        return f"{self.host} {self.pid} {self.started}\n"

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        parts = text.split()
        if len(parts) not in (2, 3) or not parts[1].isascii() or not parts[1].isdigit():
            return None
        return cls(parts[0], int(parts[1]), parts[2] if len(parts) == 3 else "")

    def is_running(self) -> bool:
        """Whether the holder still runs (True when that cannot be told: another host)."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # runs under another user
        started = _start_time(self.pid)
        if started is None:
            return True  # no /proc: the pid exists, that is all we know
        if started == "":
            return False  # gone, or a zombie
        return not self.started or started == self.started  # another start time: a reused pid


def lock_holder(folder: str | Path) -> Holder | None:
    """The holder recorded beside the lock of the index in ``folder`` (None when none is recorded)."""
    try:
        return Holder.parse((Path(folder) / HOLDER_FILE).read_text())
    except OSError:
        return None


class WriterLock:
    """The writer lock of one index folder; ``acquire`` waits a bounded time, ``release`` frees it.

    Whoosh's SegmentWriter calls ``release()`` when it commits or cancels (it is the writer's
    ``writelock``).
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_FILE
        self.holder_path = self.folder / HOLDER_FILE
        self.guard_path = self.folder / GUARD_FILE
        self._fd: int | None = None
        # The dead holder whose lock this object broke on the way in, if any.
        self.broken: Holder | None = None

    @property
    def locked(self) -> bool:
        return self._fd is not None

    def acquire(self, timeout: float, delay: float = 0.05) -> None:
        """Take the lock, waiting at most ``timeout`` seconds. :raise LockError: when it stays taken."""
        if fcntl is None:  # pragma: no cover
            raise NotImplementedError("WriterLock needs fcntl")
        deadline = time.monotonic() + max(0.0, timeout)
        while not self._try():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LockError(f"{self.path} is held by another writer")
            time.sleep(min(delay, remaining))

    def _try(self) -> bool:
        guard = os.open(self.guard_path, os.O_CREAT | os.O_WRONLY, 0o644)
        try:
            try:
                fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # another writer is taking or breaking the lock right now
            if self._lock():
                return True
            holder = lock_holder(self.folder)
            if holder is None or holder.is_running():
                return False
            # The recorded holder is gone, yet the lock is taken: a child it forked keeps the file
            # open. Whatever that child does, it never commits; lock a fresh file instead.
            self._unlink(self.path)
            self._unlink(self.holder_path)
            self.broken = holder
            return self._lock()
        finally:
            os.close(guard)  # also releases the guard

    def _lock(self) -> bool:
        """Lock the lock file without waiting and record this process as the holder."""
        fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return False
            raise
        try:
            if os.fstat(fd).st_ino != os.stat(self.path).st_ino:
                raise FileNotFoundError  # broken by another writer between open and flock
        except FileNotFoundError:
            os.close(fd)
            return False
        self._fd = fd
        tmp = self.holder_path.with_name(f"{HOLDER_FILE}.{os.getpid()}.tmp")
        tmp.write_text(Holder.me().render())
        os.replace(tmp, self.holder_path)
        return True

    def release(self) -> None:
        if self._fd is None:
            raise LockError("the lock was not acquired")
        if lock_holder(self.folder) == Holder.me():
            self._unlink(self.holder_path)
        fd, self._fd = self._fd, None
        os.close(fd)  # closing the only descriptor releases the flock

    @staticmethod
    def _unlink(path: Path) -> None:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
