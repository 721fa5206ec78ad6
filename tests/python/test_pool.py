# SPDX-License-Identifier: LGPL-2.1-or-later
"""Gtasklet.Pool from Python: tasklets written in Python run on worker threads, one at a
time under the GIL; they message tasklets on the main context and are joined from there."""

import threading

from gtasklet_tap import test, main, iterate_until, join

from gi.repository import GLib, Gtasklet

MAIN = threading.get_ident()


class Summer(Gtasklet.Tasklet):
    """Adds the numbers it receives until 'done', then returns the sum; records its threads."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.total = 0
        self.threads = set()

    def do_run(self, event):
        self.threads.add(threading.get_ident())
        if event is not None:
            if event.name == 'done':
                self.return_value(self.total)
                return True
            self.total += event.value
        self.receive(['add', 'done'])


@test
def test_subclass_on_worker():
    pool = Gtasklet.Pool.new(2)
    t = Summer()
    pool.start(t)
    for i in range(1000):
        assert t.send('add', i)
    assert t.send('done')
    result, error = join(t)
    assert error is None, error
    assert result == sum(range(1000)), result
    assert len(t.threads) == 1 and MAIN not in t.threads, t.threads


@test
def test_closure_tasklets_ping_main():
    # Several Python closure tasklets on a pool compute and report to a main-context
    # tasklet; the GIL lets one run at a time, and every report arrives.
    pool = Gtasklet.Pool.new(2)
    reports = []

    def collector(tasklet, event):
        assert threading.get_ident() == MAIN
        if event is not None:
            reports.append((event.value, event.sender))
        tasklet.receive(['report'])
        return True

    main_side = Gtasklet.Tasklet.new(collector)
    main_side.start()

    def make_worker(n):
        def step(tasklet, event):
            assert threading.get_ident() != MAIN
            squares = sum(i * i for i in range(n))
            main_side.send('report', squares)
            tasklet.return_value(n)
            return True
        return Gtasklet.Tasklet.new(step)

    workers = [make_worker(n) for n in range(1, 9)]
    for w in workers:
        pool.start(w)
    iterate_until(lambda: len(reports) == len(workers))
    assert sorted(v for v, _ in reports) == sorted(sum(i * i for i in range(n))
                                                   for n in range(1, 9))
    for n, w in enumerate(workers, 1):
        result, error = join(w)
        assert error is None and result == n, (result, error)
    main_side.cancel()
    iterate_until(lambda: main_side.get_state() == Gtasklet.State.FINISHED)


@test
def test_exception_on_worker_fails_tasklet():
    def step(tasklet, event):
        raise ValueError('bad input on a worker')
    t = Gtasklet.Tasklet.new(step)
    Gtasklet.Pool.get_default().start(t)
    _, error = join(t)
    assert error is not None and error.matches(Gtasklet.error_quark(), Gtasklet.Error.FAILED)
    assert 'ValueError' in error.message, error.message


@test
def test_pool_sizes():
    assert Gtasklet.Pool.new(3).get_n_workers() == 3
    assert Gtasklet.Pool.get_default() is Gtasklet.Pool.get_default()
    assert Gtasklet.Pool.get_default().props.n_workers >= 1


if __name__ == '__main__':
    main()
