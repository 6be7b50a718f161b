"""Work split over the machine's cores by forking, for the render stage of large builds.

Fork, not spawn: a child starts with the parent's model, templates and caches as
they are, at no cost. Each process takes every n-th item; a child sends back what
its share produced (it must be small and picklable: digests, new cache entries)
through a pipe, and dies with its parent. On a system without fork, with one core
or for little work, everything runs in this process.

The heap is frozen (`gc.freeze`) before forking: the children's collector then never
walks what they inherited, which would touch every object and copy the pages it is
in, and the parent's stops walking it too. Whoever forks undoes it when the work is
done (a build unfreezes at its end).
"""
from __future__ import annotations

import ctypes
import gc
import os
import pickle
import signal
import sys
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
_PR_SET_PDEATHSIG = 1


class ChildFailed(Exception):
    """A child process ended without sending its result."""


def workers_for(count: int, least: int) -> int:
    """How many processes `count` items deserve: one below `least` items, else one per core."""
    if count < least or not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return 1
    return max(1, min(os.cpu_count() or 1, count // max(1, least // 2)))


def split_work(items: Sequence[Item], work: Callable[[list[Item]], Result], workers: int) -> list[Result]:
    """`work` applied to interleaved shares of `items`, one share a process; results in share order.

    The first share runs here, the others in forked children. An exception in a
    child is raised again here.
    """
    shares = [list(items[index::workers]) for index in range(workers)]
    if workers > 1:
        gc.freeze()
    children = [_fork(work, share) for share in shares[1:]]
    results = [work(shares[0])]
    failure: BaseException | None = None
    for pid, reader in children:
        try:
            outcome = _receive(pid, reader)
        except BaseException as err:  # keep reaping the other children first
            failure = failure or err
            continue
        results.append(outcome)
    if failure is not None:
        raise failure
    return results


class Started:
    """Work begun in a forked child (`start_in_child`); `result` waits for it, once."""

    def __init__(self, pid: int, reader: int):
        self.pid, self.reader = pid, reader
        self.parent = os.getpid()
        self.outcome: tuple[bool, object] | None = None

    def result(self) -> object:
        """What the work returned; its exception raised here, and again at each later call.

        Only the process that started the work can take it (a worker forked since then
        gets the result only if it was taken before the fork).
        """
        if self.outcome is None and os.getpid() != self.parent:
            raise ChildFailed("work started by another process")
        if self.outcome is None:
            try:
                self.outcome = (True, _receive(self.pid, self.reader))
            except BaseException as err:
                self.outcome = (False, err)
        done, value = self.outcome
        if not done:
            raise value  # type: ignore[misc]
        return value

    def cancel(self) -> None:
        """Stop the child if it is still working (its result is not wanted) and reap it."""
        if self.outcome is not None or os.getpid() != self.parent:
            return
        self.outcome = (False, ChildFailed("cancelled"))
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.close(self.reader)
        os.waitpid(self.pid, 0)


class _Done(Started):
    """Work that ran here at once (no fork on this system, or one core)."""

    def __init__(self, work: Callable[[], object]):
        self.pid, self.reader, self.parent = 0, -1, os.getpid()
        try:
            self.outcome = (True, work())
        except Exception as err:
            self.outcome = (False, err)


def start_in_child(work: Callable[[], object]) -> Started:
    """`work` begun now in a forked child, which goes on while this process does other things.

    For work that spends its time in the system (listing folders), which a thread
    would do no faster: it needs the interpreter's lock between every two calls. The
    caller must take the result before it forks again or ends; without fork or a
    second core the work runs here at once.
    """
    if (os.cpu_count() or 1) < 2 or not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return _Done(work)
    return Started(*_fork(lambda _share: work(), []))


def _fork(work: Callable[[list[Item]], Result], share: list[Item]) -> tuple[int, int]:
    reader, writer = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    os.close(reader)
    code = 0
    try:
        _die_with_parent()
        if os.getppid() != parent:  # it died before the request took effect
            return
        try:
            payload = pickle.dumps(("ok", work(share)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as err:  # sent to the parent, which raises it
            payload = _pickled_failure(err)
            code = 1
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(code)


def _receive(pid: int, reader: int) -> object:
    # Read as it comes, not whole first: a worker's answer is hundreds of MB at 100,000 events,
    # and held as bytes beside what it decodes to it doubled the parent's peak for a while.
    try:
        with os.fdopen(reader, "rb") as pipe:
            status, value = pickle.load(pipe)
    except Exception:  # nothing, or cut short: the worker died while it wrote
        status, value = "error", ChildFailed("a worker process ended without a result (killed, or out of memory?)")
    finally:
        os.waitpid(pid, 0)
    if status != "ok":
        raise value
    return value


def _pickled_failure(err: BaseException) -> bytes:
    try:
        return pickle.dumps(("error", err), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that does not pickle: its text at least
        return pickle.dumps(("error", ChildFailed(f"{type(err).__name__}: {err}")))


def _die_with_parent() -> None:
    """Ask Linux to kill this child when its parent dies (a killed build leaves no worker behind)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # libc is loaded already
    except (OSError, AttributeError, TypeError):
        pass
