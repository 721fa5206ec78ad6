# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python exceptions keep their story through the override (class, text, traceback, and the
exception itself for Python joiners); generators see a failed child at its `yield` and their
cancellation in `except`; seed-style subclasses start when their constructor returns."""

import gc

from gtasklet_tap import test, main, join, iterate_until, finished

from gi.repository import GLib, Gio, Gtasklet


class Lookup(Gtasklet.Tasklet):
    def do_run(self, event):
        return {}['missing']


def lookup_step(tasklet, event):
    return {}['missing']


@test
def test_message_keeps_class_and_traceback():
    t = Lookup()
    t.start()
    error = t.get_error()
    assert error.matches(Gtasklet.error_quark(), Gtasklet.Error.FAILED), error
    lines = error.message.split('\n')
    assert lines[0] == "KeyError: 'missing'", error.message
    assert lines[2] == 'Traceback (most recent call last):', error.message
    assert 'in do_run' in error.message and "return {}['missing']" in error.message
    assert '_gtasklet_steps' not in error.message, error.message
    assert lines[-1] == "KeyError: 'missing'", error.message


@test
def test_join_finish_default_and_original():
    t = Lookup()
    t.start()
    original = t.get_original_error()
    assert isinstance(original, KeyError), original
    caught = []

    def done(source, res):
        for flag in (False, True):
            try:
                source.join_finish(res, original=flag)
            except Exception as exc:        # noqa: B902
                caught.append(exc)

    t.join_async(None, done)
    iterate_until(lambda: len(caught) == 2)
    assert isinstance(caught[0], GLib.Error), caught    # what existing callers catch
    # A copy of the kept exception: same class, arguments and notes (the step's traceback).
    assert type(caught[1]) is KeyError and caught[1].args == original.args, caught
    assert caught[1].__traceback__ is not None
    assert "in do_run" in caught[1].__notes__[0], caught[1].__notes__


@test
def test_kept_exception_does_not_keep_tasklet_alive():
    gone = []
    t = Lookup()
    t.start()
    t.weak_ref(lambda: gone.append('subclass'))
    c = Gtasklet.Tasklet.new(lookup_step)
    try:
        c.run_until_finished(original=True)
    except KeyError:
        pass
    c.weak_ref(lambda: gone.append('closure'))
    del t, c
    gc.collect()
    assert sorted(gone) == ['closure', 'subclass'], gone


@test
def test_run_until_finished_original_from_closure():
    t = Gtasklet.Tasklet.new(lookup_step)
    try:
        t.run_until_finished(original=True)
    except KeyError as exc:
        assert exc.args == ('missing',), exc.args
    else:
        raise AssertionError('run_until_finished(original=True) did not raise KeyError')
    try:
        t.run_until_finished()
    except GLib.Error as error:
        assert error.message.startswith("KeyError: 'missing'"), error.message
    else:
        raise AssertionError('run_until_finished() did not raise GLib.Error')


@test
def test_glib_error_is_its_own_original():
    def step(tasklet, event):
        raise GLib.Error.new_literal(Gio.io_error_quark(), 'gone', Gio.IOErrorEnum.NOT_FOUND)

    t = Gtasklet.Tasklet.new(step)
    try:
        t.run_until_finished(original=True)
    except GLib.Error as error:
        assert error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND), error
        assert error.message == 'gone'
    else:
        raise AssertionError('no error')


@test
def test_yield_failed_child_raises_original():
    seen = []

    def child():
        yield Gtasklet.WaitForIdle()
        raise KeyError('inner')

    def parent():
        try:
            yield child()
        except KeyError as exc:
            seen.append(exc)
        failed = Gtasklet.Tasklet.new(lookup_step)
        failed.start()                      # already failed when yielded
        try:
            yield failed
        except KeyError as exc:
            seen.append(exc)
        return 'handled'

    result, error = join(Gtasklet.run(parent()))
    assert error is None, error
    assert result == 'handled'
    assert [e.args for e in seen] == [('inner',), ('missing',)], seen


@test
def test_yield_failed_child_uncaught_fails_parent():
    def child():
        yield Gtasklet.WaitForIdle()
        raise ValueError('child broke')

    after = []

    def parent():
        yield child()
        after.append('went on')

    p = Gtasklet.run(parent())
    result, error = join(p)
    assert after == [], 'the parent went on past a failed child'
    assert error is not None and error.message.startswith('ValueError: child broke'), error
    assert isinstance(p.get_original_error(), ValueError)


@test
def test_yield_failed_child_glib_error_and_explicit_condition():
    def child():
        yield Gtasklet.WaitForIdle()
        raise GLib.Error.new_literal(Gio.io_error_quark(), 'gone', Gio.IOErrorEnum.NOT_FOUND)

    seen = []

    def parent():
        try:
            yield child()
        except GLib.Error as error:
            seen.append(error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND))
        # An explicit WaitForTasklet is a condition like any other: it fires, no raise.
        cond = yield Gtasklet.WaitForTasklet(child())
        seen.append(cond.get_error().message)

    result, error = join(Gtasklet.run(parent()))
    assert error is None, error
    assert seen == [True, 'gone'], seen


@test
def test_cancellation_reaches_except():
    seen = []

    def gen():
        try:
            yield Gtasklet.WaitForTimeout(60000)
        except GLib.Error as error:
            seen.append(('except', error.matches(Gio.io_error_quark(),
                                                 Gio.IOErrorEnum.CANCELLED)))
            raise
        finally:
            seen.append('finally')

    t = Gtasklet.run(gen())
    t.cancel()
    iterate_until(lambda: finished(t))
    iterate_until(lambda: 'finally' in seen)
    assert seen == [('except', True), 'finally'], seen
    assert t.get_error().matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)


@test
def test_cancellation_swallowed_still_finishes():
    seen = []

    def gen():
        try:
            yield Gtasklet.WaitForTimeout(60000)
        except GLib.Error:
            seen.append('caught')
        return 'ignored'

    t = Gtasklet.run(gen())
    t.cancel()
    iterate_until(lambda: finished(t) and seen)
    assert seen == ['caught']
    assert t.get_error().matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED)


class Counter(Gtasklet.Tasklet):
    """Seed-style: a generator run() that reads attributes set after super().__init__()."""

    def __init__(self, n):
        super().__init__()
        self.n = n                          # the tasklet must not have started yet

    def run(self):
        for _ in range(self.n):
            yield Gtasklet.WaitForIdle()
        return self.n


class DoubleCounter(Counter):
    def __init__(self, n):
        super().__init__(n)
        self.n = 2 * n                      # still before the first step


class Plain(Gtasklet.Tasklet):
    """No __init__ of its own: started by Tasklet.__init__."""

    def run(self):
        yield Gtasklet.WaitForIdle()
        return 'plain'


@test
def test_seed_style_starts_after_constructor():
    c = Counter(3)
    assert c.get_state() != Gtasklet.State.NEW, 'not started by the constructor'
    c.start()                               # the old way: ignored, no critical
    assert c.run_until_finished() == 3
    d = DoubleCounter(2)
    assert d.run_until_finished() == 4
    assert Plain().run_until_finished() == 'plain'


@test
def test_seed_style_constructor_that_raises_does_not_start():
    class Broken(Gtasklet.Tasklet):
        def __init__(self):
            super().__init__()
            raise RuntimeError('bad arguments')

        def run(self):
            raise AssertionError('started')
            yield

    try:
        Broken()
    except RuntimeError:
        pass
    else:
        raise AssertionError('no RuntimeError')


if __name__ == '__main__':
    main()
