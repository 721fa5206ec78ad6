# SPDX-License-Identifier: LGPL-2.1-or-later
"""A tiny TAP harness for the Python binding tests: `@test` registers a function, `main()`
runs them in order, prints `ok N - name` lines and the plan, and exits non-zero on failure.
Tests that need the loop call `iterate_until()`: no test sleeps."""

import sys
import traceback

import gi
gi.require_version('GLib', '2.0')
gi.require_version('GObject', '2.0')
gi.require_version('Gio', '2.0')
gi.require_version('Gtasklet', '1')
from gi.repository import GLib, Gtasklet  # noqa: E402

_tests = []


def test(func):
    _tests.append(func)
    return func


def diag(*args):
    text = ' '.join(str(a) for a in args)
    for line in text.splitlines() or ['']:
        sys.stdout.write('# %s\n' % line)
    sys.stdout.flush()


def iterate_until(predicate, timeout=10.0):
    """Iterates the default main context until predicate() holds or `timeout` seconds
    pass (then fails)."""
    ctx = GLib.MainContext.default()
    expired = []

    def on_deadline():
        expired.append(True)
        return GLib.SOURCE_REMOVE

    source = GLib.timeout_add(int(timeout * 1000), on_deadline)
    try:
        while not predicate() and not expired:
            ctx.iteration(True)
    finally:
        if not expired:
            GLib.source_remove(source)
    if not predicate():
        raise AssertionError('timed out after %gs' % timeout)


def join(tasklet, timeout=10.0):
    """Joins with join_async and a callback, iterating the loop; returns (result, error)."""
    out = []

    def done(source, res):
        try:
            out.append((source.join_finish(res), None))
        except GLib.Error as error:
            out.append((None, error))

    tasklet.join_async(None, done)
    iterate_until(lambda: out, timeout)
    return out[0]


def finished(tasklet):
    return tasklet.get_state() == Gtasklet.State.FINISHED


def main():
    failures = 0
    print('1..%d' % len(_tests), flush=True)
    for n, func in enumerate(_tests, 1):
        name = func.__name__.replace('test_', '', 1).replace('_', '-')
        try:
            func()
        except Exception:                   # noqa: B902 -- report every failure as TAP
            failures += 1
            print('not ok %d - %s' % (n, name), flush=True)
            diag(traceback.format_exc())
        else:
            print('ok %d - %s' % (n, name), flush=True)
    # Let finished tasklets drop their last references before exit (valgrind runs).
    ctx = GLib.MainContext.default()
    while ctx.pending():
        ctx.iteration(False)
    sys.exit(1 if failures else 0)
