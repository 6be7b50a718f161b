"""Timing and peak memory of one command run as a child process, for the benchmarks.

The wall time is `time.perf_counter()` around the child; the peak resident memory
is the child's own `ru_maxrss`, read with `os.wait4` on its process id (the
per-child form of `getrusage(RUSAGE_CHILDREN)`, so one build's peak is not mixed
with another's): on Linux, the largest of the child and the processes it waited
for (forked workers, Pagefind). With `tree`, the memory of all of them at once is
sampled too, four times a second: the sum of their proportional set sizes (PSS:
a page shared by a parent and the workers it forked counts once, split between
them) and of their resident sets (which count such a page in each).
"""
from __future__ import annotations

import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

REPO = Path(__file__).resolve().parent.parent
# ru_maxrss is in kilobytes on Linux, in bytes on macOS.
_MAXRSS_UNIT = 1 if platform.system() == "Darwin" else 1024
MB = 1024 * 1024


class CommandFailed(Exception):
    """A measured command exited with an error; the message has its stderr."""

    def __init__(self, command: Sequence[str], code: int, stderr: str):
        self.command, self.code, self.stderr = list(command), code, stderr
        tail = "\n".join(stderr.strip().splitlines()[-30:])
        ending = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with {code}"
        super().__init__(f"`{' '.join(command)}` {ending}:\n{tail}")


@dataclass(frozen=True)
class Measure:
    seconds: float
    peak_bytes: int  # the child's peak resident memory
    user_seconds: float = 0.0  # CPU time of the child and the children it waited for (Pagefind), in user mode
    sys_seconds: float = 0.0  # … and in the kernel (writing files, making folders)
    tree_pss_bytes: int = 0  # with `tree`: the highest sum of the PSS of the child and its descendants at one moment
    tree_rss_bytes: int = 0  # … and of their resident sets

    @property
    def cpu_seconds(self) -> float:
        """User and system time: less swayed by other work on the machine than the wall time."""
        return self.user_seconds + self.sys_seconds


def measure(
    command: Sequence[str], cwd: Path = REPO, memory_limit: int | None = None, allowed: tuple[int, ...] = (0,), tree: bool = False,
) -> Measure:
    """Run `command` to its end; its time and peak memory (raises CommandFailed on failure).

    `memory_limit` (bytes) caps the child's address space, so a runaway build fails
    with a MemoryError instead of taking the machine's memory. `allowed`: the exit
    codes that count as success (a check that finds errors exits 1). `tree`: sample
    the memory of the child and its descendants together (Linux only).
    """
    limit = (lambda: resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))) if memory_limit else None
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr, preexec_fn=limit)
        sampler = _TreeSampler(child.pid) if tree else None
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        pss, rss = sampler.stop() if sampler else (0, 0)
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        if child.returncode not in allowed:
            stderr.seek(0)
            raise CommandFailed(command, child.returncode, stderr.read().decode("utf-8", "replace"))
    return Measure(seconds, usage.ru_maxrss * _MAXRSS_UNIT, usage.ru_utime, usage.ru_stime, pss, rss)


class _TreeSampler:
    """The highest sums of PSS and RSS over a process and its descendants, sampled in a thread."""

    INTERVAL = 0.25

    def __init__(self, pid: int):
        self.pid, self.pss, self.rss = pid, 0, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self) -> tuple[int, int]:
        self.done.set()
        self.thread.join()
        return self.pss, self.rss

    def _run(self) -> None:
        while not self.done.wait(self.INTERVAL):
            sizes = [_sizes(pid) for pid in _descendants(self.pid)]
            self.pss = max(self.pss, sum(pss for pss, _ in sizes))
            self.rss = max(self.rss, sum(rss for _, rss in sizes))


def _descendants(root: int) -> list[int]:
    """`root` and every process under it, from the parent ids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    parent = int(stat.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue  # gone meanwhile
            children.setdefault(parent, []).append(int(entry))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending += children.get(pid, [])
    return found


def _sizes(pid: int) -> tuple[int, int]:
    """A process's PSS and RSS in bytes (0, 0 once it is gone)."""
    sizes = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                name, _, rest = line.partition(b":")
                if name in (b"Pss", b"Rss"):
                    sizes[name] = int(rest.split()[0]) * 1024
    except (OSError, ValueError):
        return 0, 0
    return sizes.get(b"Pss", 0), sizes.get(b"Rss", 0)


def timeline_build(site: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build", "--site", str(site), "--output", str(output), "-q"]


def timeline_check(site: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "check", "--site", str(site)]


def machine_line() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{cores} cores, Python {platform.python_version()} ({platform.system()} {platform.machine()})"



def load_line() -> str:
    """The machine's load average: other work running beside the benchmark skews it."""
    if not hasattr(os, "getloadavg"):
        return "load average: unknown"
    return "load average (1, 5, 15 min): " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def freeze_code(destination: Path) -> Path:
    """Copy the generator and its theme (generator/, templates/, static/) into `destination`.

    Builds run from the copy (`python -m generator` with it as the working folder),
    so edits made to the repository while a long benchmark runs cannot mix two
    versions of the code in one set of measures.
    """
    for name in ("generator", "templates", "static"):
        shutil.copytree(REPO / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    return destination


def code_version() -> str:
    """The repository's commit, and whether its working tree had changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    dirty = git("status", "--porcelain", "--", "generator", "templates", "static")
    return commit + (" with uncommitted changes to generator/, templates/ or static/" if dirty else "")
