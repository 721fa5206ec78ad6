# SPDX-License-Identifier: LGPL-2.1-or-later
"""Monitors, links and trap-exits from Python: a DOWN message (Gtasklet.MESSAGE_DOWN) from the
tasklet that ended, holding its error or no value, here and from a pool worker; demonitor; a
linked failure failing the partner with Gtasklet.Error.LINKED; trap_exits turning it into an
EXIT message."""

from gtasklet_tap import test, main, iterate_until, join

from gi.repository import GLib, Gio, Gtasklet


def target(outcome=lambda: True):
    """Waits for 'go', then returns outcome() (which may raise)."""
    def step(tasklet, event):
        if event is None:
            tasklet.receive(['go'])
            return True
        return outcome()
    return Gtasklet.Tasklet.new(step)


def recorder(first):
    """Calls first(self) in its first step, then logs every message until 'stop'."""
    log = []

    def step(tasklet, event):
        if event is None:
            first(tasklet)
        elif event.name == 'stop':
            return True
        else:
            log.append((event.name, event.sender, event.value))
        tasklet.receive(['*'])
        return True
    return Gtasklet.Tasklet.new(step), log


def fail_io():
    raise GLib.Error.new_literal(Gio.io_error_quark(), 'bad ended', Gio.IOErrorEnum.FAILED)


def is_linked(error):
    return error is not None and error.matches(Gtasklet.error_quark(), Gtasklet.Error.LINKED)


@test
def test_constants():
    assert Gtasklet.MESSAGE_DOWN == 'gtasklet.down'
    assert Gtasklet.MESSAGE_EXIT == 'gtasklet.exit'


def check_down(start):
    ok = target()
    bad = target(fail_io)
    start(ok)
    start(bad)
    ids = []

    def first(self):
        ids.extend([self.monitor(ok), self.monitor(bad)])
        ok.send('go')
        bad.send('go')
    watcher, log = recorder(first)
    watcher.start()
    iterate_until(lambda: len(log) == 2)
    watcher.send('stop')
    _, error = join(watcher)
    assert error is None, error
    assert ids[0] != ids[1] and 0 not in ids, ids
    assert [name for name, _, _ in log] == [Gtasklet.MESSAGE_DOWN] * 2, log
    downs = {sender: value for _, sender, value in log}
    assert downs[ok] is None, downs
    assert isinstance(downs[bad], GLib.Error), downs
    assert downs[bad].matches(Gio.io_error_quark(), Gio.IOErrorEnum.FAILED), downs[bad]


@test
def test_down_here():
    check_down(lambda t: t.start())


@test
def test_down_from_pool_worker():
    pool = Gtasklet.Pool.new(1)
    check_down(pool.start)


@test
def test_demonitor():
    t = target()
    t.start()

    def first(self):
        first_id = self.monitor(t)
        self.monitor(t)
        self.demonitor(first_id)
        t.send('go')
    watcher, log = recorder(first)
    watcher.start()
    join(t)
    iterate_until(lambda: len(log) == 1)
    watcher.send('stop')
    join(watcher)
    assert len(log) == 1, log


@test
def test_link_failure_fails_partner():
    pool = Gtasklet.Pool.new(1)
    t = target(fail_io)
    pool.start(t)

    def first(self):
        self.link(t)
        t.send('go')
    linker, _ = recorder(first)
    linker.start()
    _, error = join(linker)
    assert is_linked(error), error
    assert 'bad ended' in error.message, error.message


@test
def test_trap_exits():
    bad = target(fail_io)
    good = target()
    bad.start()
    good.start()

    def first(self):
        self.props.trap_exits = True
        self.link(bad)
        self.link(good)
        bad.send('go')
        good.send('go')
    linker, log = recorder(first)
    linker.start()
    assert linker.get_trap_exits()
    iterate_until(lambda: len(log) == 2)
    linker.send('stop')
    _, error = join(linker)
    assert error is None, error
    exits = {sender: value for name, sender, value in log if name == Gtasklet.MESSAGE_EXIT}
    assert isinstance(exits[bad], GLib.Error), exits
    assert exits[good] is None, exits


@test
def test_unlink():
    t = target(fail_io)
    t.start()

    def first(self):
        self.link(t)
        self.unlink(t)
        self.monitor(t)
        t.send('go')
    linker, log = recorder(first)
    linker.start()
    iterate_until(lambda: len(log) == 1)
    linker.send('stop')
    _, error = join(linker)
    assert error is None, error
    assert [name for name, _, _ in log] == [Gtasklet.MESSAGE_DOWN], log


main()
