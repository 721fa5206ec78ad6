# SPDX-License-Identifier: LGPL-2.1-or-later
"""A program's main tasklet run to its end from Python (run_until_finished, as asyncio.run),
and the typed sends and reads (send_int, send_string, send_variant)."""

from gtasklet_tap import test, main

from gi.repository import GLib, Gtasklet


class Ticker(Gtasklet.Tasklet):
    """Waits three 1 ms ticks, then returns the count or fails."""

    def __init__(self, fail=False, **kwargs):
        super().__init__(**kwargs)
        self.fail = fail
        self.ticks = 0
        self.timeout = Gtasklet.WaitForTimeout.new(1)

    def do_run(self, event):
        if event is not None:
            self.ticks += 1
            if self.ticks == 3:
                if self.fail:
                    raise ValueError('three ticks')
                self.return_value(self.ticks)
                return True
        self.wait(self.timeout)
        return True


@test
def test_result():
    t = Ticker()
    assert t.get_state() == Gtasklet.State.NEW
    assert t.run_until_finished() == 3
    assert t.get_state() == Gtasklet.State.FINISHED
    # Already finished: the same outcome at once.
    assert t.run_until_finished() == 3


@test
def test_error_raised():
    t = Ticker(fail=True)
    try:
        t.run_until_finished()
    except GLib.Error as error:
        assert error.matches(Gtasklet.error_quark(), Gtasklet.Error.FAILED), error
        assert 'three ticks' in error.message, error.message
    else:
        raise AssertionError('run_until_finished() did not raise')
    assert t.ticks == 3


@test
def test_closure_and_no_result():
    steps = []

    def step(tasklet, event):
        steps.append(event)
        return True

    t = Gtasklet.Tasklet.new(step)
    assert t.run_until_finished() is None
    assert steps == [None]


@test
def test_typed_sends():
    got = []

    def receiver(tasklet, event):
        if event is not None:
            if event.get_name() == 'n':
                got.append(event.get_int())
            elif event.get_name() == 's':
                got.append(event.get_string())
            else:
                got.append(event.get_variant().unpack())
                return True
        tasklet.receive(['n', 's', 'v'])
        return True

    r = Gtasklet.Tasklet.new(receiver)
    r.start()
    assert r.send_int('n', -5)
    assert r.send_string('s', 'five')
    assert r.send_variant('v', GLib.Variant('(us)', (5, 'five')))
    r.run_until_finished()
    assert got == [-5, 'five', (5, 'five')], got


main()
