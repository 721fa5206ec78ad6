# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tasklets from Python: subclass with do_run, closure tasklets, join with a callback and a
main loop, exceptions failing a tasklet, results, cancellation."""

import gc
import sys

from gtasklet_tap import test, main, iterate_until, join, finished

from gi.repository import GLib, GObject, Gio, Gtasklet


class Counter(Gtasklet.Tasklet):
    """Counts `n` ticks of a timeout, then returns n."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = n
        self.ticks = 0
        self.events = []
        self.timeout = Gtasklet.WaitForTimeout(5)

    def do_run(self, event):
        self.events.append(event)
        if event is not None:
            assert event is self.timeout
            self.ticks += 1
        if self.ticks == self.n:
            self.return_value(self.n)
            return True
        self.wait(self.timeout)
        # No return: None counts as True (the override wraps do_run).


class Failing(Gtasklet.Tasklet):
    def __init__(self, exc, **kwargs):
        super().__init__(**kwargs)
        self.exc = exc

    def do_run(self, event):
        if event is None:
            self.wait(Gtasklet.WaitForIdle())
            return True
        raise self.exc


@test
def test_subclass_do_run():
    t = Counter(3)
    assert t.get_state() == Gtasklet.State.NEW
    t.start()
    assert t.events == [None]                       # the first step runs inside start()
    assert t.get_state() == Gtasklet.State.SUSPENDED
    result, error = join(t)
    assert error is None, error
    assert result == 3 and t.get_result() == 3
    assert t.ticks == 3 and finished(t)


@test
def test_subclass_gtype_and_current():
    seen = []

    class WhoAmI(Gtasklet.Tasklet):
        def do_run(self, event):
            seen.append(Gtasklet.Tasklet.get_current())
            return True

    t = WhoAmI()
    t.start()
    assert seen == [t] and finished(t)
    assert GObject.type_is_a(t.__gtype__, Gtasklet.Tasklet.__gtype__)
    assert Gtasklet.Tasklet.get_current() is None


@test
def test_closure_tasklet_new():
    log = []

    def step(tasklet, event, data):
        log.append((event, data))
        if event is None:
            tasklet.wait(Gtasklet.WaitForIdle())
            return True
        tasklet.return_value('done:' + data)
        return True

    t = Gtasklet.Tasklet.new(step, 'payload')
    assert type(t) is Gtasklet.Tasklet
    t.start()
    result, error = join(t)
    assert error is None and result == 'done:payload'
    assert log[0] == (None, 'payload') and isinstance(log[1][0], Gtasklet.WaitForIdle)


@test
def test_join_callback_main_loop():
    loop = GLib.MainLoop()
    payload = {'native': [1, 2, 3]}
    got = []

    def step(tasklet, event):
        if event is None:
            tasklet.wait(Gtasklet.WaitForTimeout(5))
        else:
            tasklet.return_value(payload)
        return True

    def on_joined(tasklet, res):
        got.append(tasklet.join_finish(res))
        loop.quit()

    t = Gtasklet.Tasklet.new(step)
    t.start()
    t.join_async(None, on_joined)
    GLib.timeout_add_seconds(10, loop.quit)     # safety net
    loop.run()
    assert got and got[0] is payload            # a Python object comes back by identity

    # Joining a finished tasklet completes at once (from the loop).
    again = []
    t.join_async(None, lambda t, res: (again.append(t.join_finish(res)), loop.quit()))
    loop.run()
    assert again[0] is payload


@test
def test_results_of_every_kind():
    values = [7, -(1 << 40), 1.5, 'text', True, GLib.Variant('(si)', ('v', 1)),
              Gio.SimpleAction.new('act', None), {'a': 1}, [1, 2]]
    for value in values:
        t = Gtasklet.Tasklet.new(lambda tasklet, event, v: tasklet.return_value(v), value)
        t.start()
        result, error = join(t)
        assert error is None, error
        if isinstance(value, GLib.Variant):
            assert result.unpack() == ('v', 1)
        elif isinstance(value, (dict, list, GObject.Object)):
            assert result is value, (result, value)
        else:
            assert result == value, (result, value)
    t = Gtasklet.Tasklet.new(lambda tasklet, event: True)
    t.start()
    assert join(t) == (None, None)              # finished without a result


@test
def test_python_exception_fails_tasklet_loop_keeps_running():
    failing = Failing(ValueError('boom'))
    failing.start()
    seen = {}

    def watcher():
        yield Gtasklet.WaitForTasklet(failing)
        event = Gtasklet.get_event()
        error = event.get_error()
        seen['error'] = (error.domain, error.code, error.message)
        seen['result'] = event.get_result()

    ticks = []

    def ticker():
        timeout = Gtasklet.WaitForTimeout(2)
        while len(ticks) < 5:
            yield timeout
            ticks.append(Gtasklet.get_event())

    w = Gtasklet.run(watcher())
    tick = Gtasklet.run(ticker())
    result, error = join(failing)
    assert result is None
    assert error.matches(Gtasklet.error_quark(), Gtasklet.Error.FAILED)
    assert error.message.split('\n')[0] == 'ValueError: boom', error.message
    assert 'Traceback (most recent call last)' in error.message, error.message
    iterate_until(lambda: finished(w) and finished(tick))
    assert seen['error'] == ('gtasklet-error-quark', Gtasklet.Error.FAILED, error.message)
    assert seen['result'] is None
    assert len(ticks) == 5 and tick.get_error() is None   # the loop kept running


@test
def test_glib_error_keeps_its_domain():
    t = Failing(GLib.Error.new_literal(Gio.io_error_quark(), 'no such thing',
                                       Gio.IOErrorEnum.NOT_FOUND))
    t.start()
    result, error = join(t)
    assert error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND)
    assert error.message == 'no such thing'
    assert t.get_error().message == 'no such thing'


@test
def test_closure_and_generator_exceptions():
    def step(tasklet, event):
        {}['missing']

    t = Gtasklet.Tasklet.new(step)
    t.start()
    assert finished(t)
    assert t.get_error().matches(Gtasklet.error_quark(), Gtasklet.Error.FAILED)
    assert t.get_error().message.startswith("KeyError: 'missing'\n\nTraceback")

    def gen():
        yield Gtasklet.WaitForIdle()
        raise RuntimeError('in a generator')

    g = Gtasklet.run(gen())
    result, error = join(g)
    assert error.message.split('\n')[0] == 'RuntimeError: in a generator'
    assert "raise RuntimeError('in a generator')" in error.message, error.message


@test
def test_cancel_while_waiting():
    t = Counter(1000)
    t.start()
    iterate_until(lambda: t.ticks >= 2)
    t.cancel()
    result, error = join(t)
    assert error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)
    assert t.get_cancellable().is_cancelled()
    assert 2 <= t.ticks < 1000


@test
def test_cancel_before_start_and_after_finish():
    ran = []
    t = Gtasklet.Tasklet.new(lambda tasklet, event: ran.append(event))
    t.cancel()
    t.start()
    result, error = join(t)
    assert ran == [] and error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)

    done = Gtasklet.Tasklet.new(lambda tasklet, event: tasklet.return_value(1))
    done.start()
    done.cancel()
    assert join(done) == (1, None)


@test
def test_shared_cancellable_and_wait_for_cancellable():
    group = Gio.Cancellable()
    plain = Counter(1000, cancellable=group)
    handled = []

    def careful(tasklet, event):
        if event is None:
            tasklet.wait(Gtasklet.WaitForCancellable(tasklet.get_cancellable()))
            tasklet.wait(Gtasklet.WaitForTimeout(10000))
            return True
        handled.append(event)
        tasklet.return_value('cleaned up')
        return True

    handler = Gtasklet.Tasklet.new_full(group, careful)
    assert handler.get_cancellable() is group
    plain.start()
    handler.start()
    GLib.timeout_add(10, lambda: group.cancel() and False)
    assert join(plain)[1].matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)
    assert join(handler) == ('cleaned up', None)
    assert isinstance(handled[0], Gtasklet.WaitForCancellable)


@test
def test_generator_finally_runs_on_cancel():
    log = []

    def body():
        try:
            yield Gtasklet.WaitForTimeout(100000)
        finally:
            log.append('finally')

    t = Gtasklet.run(body(), cancellable=Gio.Cancellable())
    t.cancel()
    result, error = join(t)
    assert error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)
    assert log == ['finally']


@test
def test_finished_signal_and_state():
    states = []
    t = Gtasklet.Tasklet.new(lambda tasklet, event: states.append(tasklet.get_state()))
    t.connect('finished', lambda tasklet: states.append(tasklet.get_state()))
    t.start()
    assert states == [Gtasklet.State.RUNNING, Gtasklet.State.FINISHED]


@test
def test_generator_do_run_is_refused():
    try:
        class Wrong(Gtasklet.Tasklet):
            def do_run(self, event):
                yield Gtasklet.WaitForIdle()
    except TypeError as error:
        assert 'name it run()' in str(error)
    else:
        raise AssertionError('a generator do_run must be refused')


@test
def test_seed_join_callbacks():
    def body():
        yield Gtasklet.WaitForIdle()
        return 5

    got = []
    t = Gtasklet.run(body())
    handle = t.add_join_callback(lambda tasklet, retval: got.append(retval))
    removed = t.add_join_callback(lambda tasklet, retval: got.append('removed'))
    t.remove_join_callback(removed)
    iterate_until(lambda: got)
    assert got == [5]
    try:
        t.remove_join_callback(handle)
    except KeyError:
        pass
    else:
        raise AssertionError('removing a callback that ran must raise KeyError')
    # On a finished tasklet the callback runs from the main loop.
    late = []
    t.add_join_callback(lambda tasklet, retval: late.append((tasklet, retval)))
    assert late == []
    iterate_until(lambda: late)
    assert late == [(t, 5)]


@test
def test_temporary_tasklet_join_result():
    # Defect 13: the joined value belonged to the tasklet. Each tasklet here is referenced by
    # nothing but its join, so it is gone once the join's callback has returned; every
    # result must still be right afterwards, and hold nothing once dropped.
    gone = []

    def temporary(value):
        def step(tasklet, event):
            if event is None:
                tasklet.wait(Gtasklet.WaitForIdle())
            else:
                tasklet.return_value(value)
            return True
        t = Gtasklet.Tasklet.new(step)
        t.weak_ref(gone.append, 'finalized')
        t.start()
        return t

    def settle():
        gc.collect()
        ctx = GLib.MainContext.default()
        while ctx.pending():
            ctx.iteration(False)

    payload = Gio.SimpleAction.new('payload', None)
    native = {'native': [1, 2]}
    grefs, refs = payload.__grefcount__, sys.getrefcount(native)
    # The DateTime is referenced by the tasklet alone (and, once copied, by its result).
    results = [join(temporary(v)) for v in ('a string result', payload, native,
                                            GLib.DateTime.new_utc(2024, 5, 6, 7, 8, 9))]
    settle()
    assert gone == ['finalized'] * 4, gone
    number = join(temporary(42))                # another join after they are gone
    assert all(error is None for _, error in results + [number])
    text, obj, pyobj, boxed = (r for r, _ in results)
    assert text == 'a string result' and number[0] == 42
    assert obj is payload and pyobj is native
    # A boxed value PyGObject would have wrapped in place: the override copied it.
    assert isinstance(boxed, GLib.DateTime) and boxed.format('%F %T') == '2024-05-06 07:08:09'
    del results, obj, pyobj, number
    settle()
    assert payload.__grefcount__ == grefs, (payload.__grefcount__, grefs)
    assert sys.getrefcount(native) == refs, (sys.getrefcount(native), refs)


class Ticker(GObject.Object):
    __gsignals__ = {'tick': (GObject.SignalFlags.RUN_FIRST, None, (GLib.DateTime,))}


@test
def test_boxed_values_outlive_their_owner():
    # A boxed value read from a tasklet's result, a message's value or a signal argument is
    # the caller's: it stays right once its owner is gone and its memory was handed out
    # again (GLib reuses a freed DateTime's block for the next one).
    def stamp(day):
        return GLib.DateTime.new_utc(2024, 5, day, 7, 8, 9)

    def churn():
        gc.collect()
        return [stamp(28) for _ in range(64)]

    def returning(value):
        def step(tasklet, event):
            tasklet.return_value(value)
            return True
        t = Gtasklet.Tasklet.new(step)
        t.start()
        return t

    from_result = returning(stamp(1)).get_result()
    waited = Gtasklet.WaitForTasklet(returning(stamp(2)))
    from_wait = waited.retval
    del waited

    message = Gtasklet.Message('m', value=GObject.Value(GLib.DateTime, stamp(3)))
    from_message = message.value
    del message

    ticker = Ticker()
    wait = Gtasklet.WaitForSignal(ticker, 'tick')
    got = []

    def step(tasklet, event):
        if event is None:
            tasklet.wait(wait)
        else:
            got.append(event.signal_args[0])
        return True
    t = Gtasklet.Tasklet.new(step)
    t.start()
    ticker.emit('tick', stamp(4))
    iterate_until(lambda: got)
    del wait, t, step
    keep = churn()
    for value, day in ((from_result, 1), (from_wait, 2), (from_message, 3), (got[0], 4)):
        assert isinstance(value, GLib.DateTime), value
        assert value.get_day_of_month() == day, (value.format('%F'), day)
    del keep


if __name__ == '__main__':
    main()
