# SPDX-License-Identifier: LGPL-2.1-or-later
"""Gtasklet.Supervisor from Python: child functions and children written in Python, a flaky
child restarted, the restart limit, a task group failing fast."""

from gtasklet_tap import test, main, iterate_until

from gi.repository import GLib, Gio, Gtasklet


class Flaky(Gtasklet.Tasklet):
    """Fails after a millisecond on its first `fails` runs, then runs until cancelled."""

    runs = 0

    def __init__(self, fails, log, **kwargs):
        super().__init__(**kwargs)
        Flaky.runs += 1
        self.run_no = Flaky.runs
        self.fails = fails
        self.log = log
        self.tick = Gtasklet.WaitForTimeout.new(1)
        self.cancelled = None

    def do_run(self, event):
        if event is None:
            self.log.append('+%d' % self.run_no)
            self.cancelled = Gtasklet.WaitForCancellable.new(self.get_cancellable())
        elif event is self.tick:
            raise KeyError('flaky run %d' % self.run_no)
        elif event is self.cancelled:
            raise GLib.Error.new_literal(Gio.io_error_quark(), 'stopped',
                                         Gio.IOErrorEnum.CANCELLED)
        if self.run_no <= self.fails:
            self.wait(self.tick)
        self.wait(self.cancelled)
        return True


@test
def test_flaky_child_restarted():
    Flaky.runs = 0
    log = []
    sup = Gtasklet.Supervisor.new(Gtasklet.SupervisorStrategy.ONE_FOR_ONE, 3, 5000)
    sup.add_child('flaky', lambda s, child_id: Flaky(2, log), Gtasklet.Restart.PERMANENT)
    sup.start()
    iterate_until(lambda: Flaky.runs == 3)
    assert sup.get_n_restarts() == 2
    assert log == ['+1', '+2', '+3'], log
    current = sup.get_child('flaky')
    assert isinstance(current, Flaky) and current.run_no == 3
    sup.cancel()
    iterate_until(lambda: sup.get_state() == Gtasklet.State.FINISHED)
    assert sup.get_error().matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)
    assert current.get_state() == Gtasklet.State.FINISHED


@test
def test_restart_limit():
    Flaky.runs = 0
    log = []
    sup = Gtasklet.Supervisor.new(Gtasklet.SupervisorStrategy.ONE_FOR_ALL, 1, 60000)
    sup.add_child('flaky', lambda s, child_id: Flaky(100, log), Gtasklet.Restart.PERMANENT)
    try:
        sup.run_until_finished()
    except GLib.Error as error:
        assert error.matches(Gtasklet.error_quark(), Gtasklet.Error.RESTART_LIMIT), error
    else:
        raise AssertionError('the supervisor did not give up')
    assert Flaky.runs == 2


@test
def test_child_function_returning_none():
    calls = []

    def nothing(sup, child_id):
        calls.append(child_id)
        return None

    sup = Gtasklet.Supervisor.new(Gtasklet.SupervisorStrategy.ONE_FOR_ONE, 2, 60000)
    sup.add_child('none', nothing, Gtasklet.Restart.PERMANENT)
    try:
        sup.run_until_finished()
    except GLib.Error as error:
        assert error.matches(Gtasklet.error_quark(), Gtasklet.Error.RESTART_LIMIT), error
    assert calls == ['none'] * 3, calls


@test
def test_task_group_fails_fast():
    group = Gtasklet.TaskGroup.new()
    Flaky.runs = 0
    log = []
    quiet = Flaky(0, log)        # runs until cancelled
    loud = Flaky(100, log)       # fails after a millisecond
    group.add(quiet)
    group.add(loud)
    try:
        group.run_until_finished()
    except GLib.Error as error:
        assert "KeyError" in error.message, error.message
    else:
        raise AssertionError('the group did not fail')
    assert quiet.get_error().matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)


main()
