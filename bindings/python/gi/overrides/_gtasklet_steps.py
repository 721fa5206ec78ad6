# SPDX-License-Identifier: LGPL-2.1-or-later
"""Steps of the Gtasklet override: how Python exceptions cross the C runtime, and the driver
of generator tasklets.  A helper of gi/overrides/Gtasklet.py, installed beside it."""

import copy
import inspect
import logging
import traceback
import types

from gi.repository import GLib, Gio

from ..module import get_introspection_module

Gtasklet = get_introspection_module('Gtasklet')

_log = logging.getLogger('gtasklet')

# -- errors ------------------------------------------------------------------------------

# The exception a Python step raised, by tasklet, until the tasklet is finalized: the GError
# keeps only text, so join_finish(..., original=True), run_until_finished(original=True) and a
# generator's `yield child` take the exception itself from here.  Keyed by hash(tasklet),
# which PyGObject computes from the GObject's address, so any wrapper of the same tasklet finds
# it; a GObject weak reference drops the entry before the address can be reused.  (A
# WeakKeyDictionary would lose the entry with a closure tasklet's short-lived wrapper.)
_originals = {}


def _forget(key, originals=_originals):
    # Bound as a default: at interpreter exit this may run after the module's globals are gone.
    originals.pop(key, None)


def remember(tasklet, exc):
    """Keeps ``exc`` as the exception that failed ``tasklet``.

    Without its traceback objects: their frames reach, through ``f_back``, every Python frame
    that was running when the step ran (``start()``, ``run_until_finished()``, the caller's),
    and so the tasklet, which the entry must not keep alive. The traceback is kept as text, in
    a note that Python prints with the exception (and in the GError's message)."""
    if not getattr(exc, '_gtasklet_noted', False) and exc.__traceback__ is not None:
        frames = exc.__traceback__.tb_next
        text = ''.join(traceback.format_tb(frames)).rstrip() if frames is not None else ''
        try:
            if text and hasattr(exc, 'add_note'):
                exc.add_note('In a tasklet step (most recent call last):\n' + text)
            exc._gtasklet_noted = True
        except AttributeError:
            pass
    chained, seen = exc, set()
    while chained is not None and id(chained) not in seen:
        seen.add(id(chained))
        chained.__traceback__ = None
        chained = chained.__cause__ or chained.__context__
    key = hash(tasklet)
    if key not in _originals:
        tasklet.weak_ref(_forget, key)
    _originals[key] = exc


def original(tasklet, error, fresh=False):
    """The Python exception behind ``error``, the GError that failed ``tasklet``, or None.

    ``fresh``: a copy to raise (same class, arguments, attributes and notes), so that the kept
    exception never gets the traceback of a raise, whose frames would hold the tasklet."""
    exc = _originals.get(hash(tasklet))
    if exc is None or error is None:
        return None
    made = getattr(exc, '_gtasklet_gerror', None)
    if made is not None and made != (error.domain, error.code, error.message):
        return None                         # the tasklet failed later, with another error
    if fresh:
        try:
            return copy.copy(exc)
        except Exception:                   # noqa: B902 -- one that cannot be copied
            return exc
    return exc


def describe(exc):
    """The message of the GError for a Python exception: "ClassName: text", then a blank line
    and the traceback (without the frame of the override that caught it)."""
    text = str(exc)
    head = '%s: %s' % (type(exc).__name__, text) if text else type(exc).__name__
    frames = exc.__traceback__.tb_next if exc.__traceback__ is not None else None
    tb = ''.join(traceback.format_exception(type(exc), exc, frames)).rstrip()
    return '%s\n\n%s' % (head, tb) if tb else head


def as_gerror(exc, tasklet=None):
    """Any exception -> the GLib.Error that fails the tasklet (kept as the original)."""
    if isinstance(exc, GLib.Error):
        return exc                          # the GError is the original
    gerror = GLib.Error.new_literal(Gtasklet.error_quark(), describe(exc),
                                    Gtasklet.Error.FAILED)
    if tasklet is not None:
        try:
            # Not the GLib.Error itself: once raised, its traceback holds the tasklet.
            exc._gtasklet_gerror = (gerror.domain, gerror.code, gerror.message)
        except AttributeError:              # exceptions with __slots__: match by text only
            pass
        remember(tasklet, exc)
    return gerror


def guard_step(func):
    """Wraps a step (do_run, or a Tasklet.new callback) so that it keeps the C contract:
    exceptions become a GError (PyGObject would only print them), kept as the tasklet's
    original exception, and None means True.  Both take the tasklet first."""
    def step(*args):
        try:
            ret = func(*args)
        except Exception as exc:            # noqa: B902 -- any failure fails the tasklet
            raise as_gerror(exc, args[0] if args else None) from None
        return True if ret is None else ret
    step.__name__ = getattr(func, '__name__', 'step')
    step.__qualname__ = getattr(func, '__qualname__', step.__name__)
    step.__doc__ = getattr(func, '__doc__', None)
    step._gtasklet_guarded = True
    return step


def reraise(tasklet, error):
    """Raises the original exception behind ``error`` if there is one, else ``error``."""
    exc = original(tasklet, error, fresh=True)
    if exc is not None:
        raise exc from None
    raise error


def cancelled_error():
    return GLib.Error.new_literal(Gio.io_error_quark(), 'Tasklet was cancelled',
                                  Gio.IOErrorEnum.CANCELLED)


# -- events ------------------------------------------------------------------------------

# The events of the generator steps now running, innermost last. A stack rather than the
# seed's one global: a step may start a child whose first step runs inside it, and an event
# nobody read must not leak into the next tasklet (seed defect 6).
events = []


def get_event():
    """Returns the event that resumed the running generator tasklet: the wait condition
    that fired or the accepted Message (None on the first step).

    Calling it is optional: the event is also the value of the ``yield`` expression."""
    if not events:
        raise RuntimeError('Gtasklet.get_event() called outside a generator tasklet step')
    return events[-1]


# -- generator tasklets --------------------------------------------------------------------

# Set by Gtasklet.py once its classes exist (the override's WaitForTasklet and Message).
WaitForTasklet = None
to_value = None


class Generator:
    """Drives one generator: each step resumes it until it yields something to wait for.

    A child the generator yielded (a Tasklet or a generator) that failed is thrown into it at
    the ``yield``, as its original exception where there is one; a cancelled tasklet throws
    its cancellation error (``Gio.IOErrorEnum.CANCELLED``) into the generator."""

    __slots__ = ('gen', 'joins', '__weakref__')

    def __init__(self, gen):
        if not isinstance(gen, types.GeneratorType):
            raise TypeError('a generator tasklet needs a generator object, not %r' % type(gen))
        self.gen = gen
        self.joins = ()                     # the WaitForTasklets made for yielded children

    def step(self, tasklet, event, *unused):
        gen = self.gen
        if gen is None:
            raise GLib.Error.new_literal(Gtasklet.error_quark(), 'generator already finished',
                                         Gtasklet.Error.FAILED)
        events.append(event)
        try:
            throw = self._child_failure(event)
            self.joins = ()
            reply = event
            first = inspect.getgeneratorstate(gen) == inspect.GEN_CREATED
            while True:
                if throw is not None:
                    yielded = gen.throw(throw)
                    throw = None
                elif first:
                    yielded = next(gen)
                    first = False
                else:
                    yielded = gen.send(reply)
                if isinstance(yielded, Gtasklet.Message):
                    reply = _send(yielded)
                    continue
                for cond in self._conditions(yielded):
                    tasklet.wait(cond)
                return True
        except StopIteration as stop:
            self.gen = None
            if stop.value is not None:
                tasklet.return_value(to_value(stop.value))
            return True
        except Exception as exc:            # noqa: B902
            self.gen = None
            raise as_gerror(exc, tasklet) from None
        finally:
            events.pop()

    def _child_failure(self, event):
        if event is None or not any(event is j for j in self.joins):
            return None
        error = event.get_error()
        if error is None:
            return None
        child = event.get_tasklet()
        return original(child, error, fresh=True) or error

    def _conditions(self, yielded):
        items = yielded if isinstance(yielded, (tuple, list)) else (yielded,)
        conds = []
        joins = []
        for item in items:
            if isinstance(item, Gtasklet.WaitCondition):
                conds.append(item)
            elif isinstance(item, (Gtasklet.Tasklet, types.GeneratorType)):
                cond = WaitForTasklet(item)
                conds.append(cond)
                joins.append(cond)
            else:
                raise TypeError('yielded values must be WaitConditions, Tasklets, generators, '
                                'or a single Message, not %r' % (item,))
        if not conds:
            raise TypeError('a generator tasklet yielded an empty wait set')
        self.joins = tuple(joins)
        return conds

    def close(self, tasklet, *unused):
        """The tasklet finished without the generator returning (cancelled): throw the
        cancellation into it, so that ``except`` clauses see it, then close it."""
        gen, self.gen = self.gen, None
        self.joins = ()
        if gen is None:
            return
        error = tasklet.get_error() or cancelled_error()
        events.append(None)
        try:
            if inspect.getgeneratorstate(gen) == inspect.GEN_CREATED:
                gen.close()
                return
            gen.throw(error)
            _log.warning('generator tasklet %r went on after its cancellation: closed', tasklet)
            gen.close()
        except StopIteration:
            pass
        except GLib.Error as exc:
            if exc is not error:
                _log.warning('generator tasklet raised while being cancelled', exc_info=True)
        except Exception:                   # noqa: B902
            _log.warning('generator tasklet raised while being cancelled', exc_info=True)
        finally:
            events.pop()


def _send(msg):
    dest = msg.dest
    if dest is None:
        raise ValueError('a yielded Message needs a dest: Message(name, dest=tasklet)')
    return Gtasklet.Tasklet.send_message(dest, msg)
