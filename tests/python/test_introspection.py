# SPDX-License-Identifier: LGPL-2.1-or-later
"""Introspection from Python: a condition written in Python describes itself (do_describe)
in the describe() of the tasklet waiting on it, and list_live() lists tasklets started from
Python."""

import re

from gtasklet_tap import test, main, iterate_until

from gi.repository import Gtasklet


class Door(Gtasklet.WaitCondition):
    """Fires when poke() is called; says which door it waits for."""

    def __init__(self, door):
        super().__init__()
        self.door = door

    def do_describe(self):
        return 'door %s' % self.door

    def poke(self):
        self.fire()


class Plain(Gtasklet.WaitCondition):
    """No describe: the default gives the type name."""


class WaitOnce(Gtasklet.Tasklet):
    """Waits once on its condition, then finishes."""

    def __init__(self, condition, **kw):
        super().__init__(**kw)
        self.condition = condition

    def do_run(self, event):
        if event is None:
            self.wait(self.condition)
        return True


def without_address(text):
    return re.sub(r'0x[0-9a-f]+', 'ADDR', text)


def is_live(tasklet):
    live = Gtasklet.Tasklet.list_live()
    assert live.get_item_type() == Gtasklet.Tasklet.__gtype__
    return any(live.get_item(i) is tasklet for i in range(live.get_n_items()))


@test
def test_condition_describes_itself():
    assert Door('red').describe() == 'door red'
    assert Plain().describe() == Plain.__gtype__.name


@test
def test_tasklet_describe_shows_python_condition():
    door = Door('blue')
    t = WaitOnce(door, name='porter')
    type_name = t.__gtype__.name
    assert without_address(t.describe()) == "'porter' %s ADDR: new, mailbox 0" % type_name
    t.start()
    assert without_address(t.describe()) == \
        "'porter' %s ADDR: suspended, waiting for [door blue], mailbox 0" % type_name
    door.poke()
    iterate_until(lambda: t.get_state() == Gtasklet.State.FINISHED)
    assert without_address(t.describe()) == "'porter' %s ADDR: finished, mailbox 0" % type_name


@test
def test_name_property_and_notify():
    t = WaitOnce(Plain())
    notified = []
    t.connect('notify::name', lambda *args: notified.append(True))
    assert t.get_name() is None
    t.set_name('a')
    t.props.name = 'b'
    t.props.name = 'b'
    assert t.get_name() == 'b'
    assert len(notified) == 2


@test
def test_list_live():
    door = Door('green')
    t = WaitOnce(door)
    assert not is_live(t)
    t.start()
    assert is_live(t)
    door.poke()
    iterate_until(lambda: t.get_state() == Gtasklet.State.FINISHED)
    assert not is_live(t)


@test
def test_statistics():
    before = Gtasklet.Tasklet.get_statistics_enabled()
    Gtasklet.Tasklet.set_statistics_enabled(True)
    try:
        door = Door('stats')
        t = WaitOnce(door)
        t.start()
        door.poke()
        iterate_until(lambda: t.get_state() == Gtasklet.State.FINISHED)
        stats = t.get_statistics()
        assert stats.n_steps == 2, stats.n_steps
        assert stats.n_received == 0 and stats.mailbox_depth == 0
        assert stats.oldest_message_age_ms == -1
        assert 0 < stats.longest_step_ns <= stats.total_step_ns
    finally:
        Gtasklet.Tasklet.set_statistics_enabled(before)


if __name__ == '__main__':
    main()
