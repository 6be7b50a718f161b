"""Work split over forked processes: every item done once, results in order, failures raised."""
import os
import sys
import time

import pytest

from generator.parallel import split_work, start_in_child, workers_for

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")


def test_each_share_runs_in_its_own_process_and_results_come_in_share_order():
    results = split_work(list(range(10)), lambda share: (os.getpid(), share), 2)
    assert [share for _, share in results] == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]
    assert results[0][0] == os.getpid() and results[1][0] != os.getpid()


def test_an_exception_in_a_child_is_raised_in_the_parent():
    def work(share):
        if 1 in share:
            raise ValueError("bad item 1")
        return share

    with pytest.raises(ValueError, match="bad item 1"):
        split_work([0, 1], work, 2)


def test_a_child_that_dies_without_a_result_is_an_error():
    def work(share):
        if 1 in share:
            os._exit(3)
        return share

    with pytest.raises(Exception, match="without a result"):
        split_work([0, 1], work, 2)


def test_an_answer_larger_than_a_pipe_holds_comes_whole():
    results = split_work([0, 1], lambda share: [bytes([share[0]]) * 3_000_000, share], 2)
    assert results[1] == [b"\x01" * 3_000_000, [1]]


def test_an_answer_cut_short_is_an_error():
    """A worker killed while it writes its answer leaves part of it: that is no result."""
    import pickle

    from generator import parallel

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(writer, pickle.dumps(("ok", list(range(1000))))[:100])
        os._exit(0)
    os.close(writer)
    with pytest.raises(parallel.ChildFailed, match="without a result"):
        parallel._receive(pid, reader)


def test_little_work_stays_in_one_process_and_much_work_takes_every_core():
    assert workers_for(10, 400) == 1
    assert workers_for(10_000, 400) == os.cpu_count()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="with one core the work runs in this process")
def test_work_started_in_a_child_runs_there_while_this_process_goes_on(tmp_path):
    flag = tmp_path / "go"

    def work():
        give_up = time.monotonic() + 60  # run here, it would wait for a flag not yet set: fail, not hang
        while not flag.exists():
            if time.monotonic() > give_up:
                return None
        return os.getpid()

    started = start_in_child(work)
    flag.write_text("")
    child = started.result()
    assert child not in (None, os.getpid())
    assert started.result() == child  # taken once, kept


def test_work_started_in_a_child_raises_its_exception_at_every_look():
    def work():
        raise OSError(28, "No space left on device", "spare/x")

    started = start_in_child(work)
    for _ in range(2):
        with pytest.raises(OSError) as raised:
            started.result()
        assert (raised.value.errno, raised.value.filename) == (28, "spare/x")
