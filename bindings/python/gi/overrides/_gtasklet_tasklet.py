# SPDX-License-Identifier: LGPL-2.1-or-later
"""Tasklets and messages of the Gtasklet override, and how Python values become GValues.
A helper of gi/overrides/Gtasklet.py, installed beside it, which publishes its classes."""

import functools
import inspect

from gi.repository import GLib, GObject

from ..module import get_introspection_module
from . import _gtasklet_steps as _steps

Gtasklet = get_introspection_module('Gtasklet')

_INT32_MIN, _INT32_MAX = -(1 << 31), (1 << 31) - 1
_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1


def _to_value(value):
    """Python value -> something PyGObject turns into the right GValue.

    PyGObject makes every int a gint and raises OverflowError beyond 32 bits."""
    if isinstance(value, int) and not isinstance(value, bool) and \
            not _INT32_MIN <= value <= _INT32_MAX:
        if _INT64_MIN <= value <= _INT64_MAX:
            return GObject.Value(GObject.TYPE_INT64, value)
        return GObject.Value(GObject.TYPE_PYOBJECT, value)
    return value


def _gvalue(value):
    """Python value -> GObject.Value, for the `value` construct property of Message (the
    property path of PyGObject converts fewer types than method arguments do)."""
    if isinstance(value, GObject.Value):
        return value
    if isinstance(value, bool):
        gtype = GObject.TYPE_BOOLEAN
    elif isinstance(value, int):
        return _to_value(value) if not _INT32_MIN <= value <= _INT32_MAX \
            else GObject.Value(GObject.TYPE_INT, value)
    elif isinstance(value, float):
        gtype = GObject.TYPE_DOUBLE
    elif isinstance(value, str):
        gtype = GObject.TYPE_STRING
    elif isinstance(value, GObject.Object):
        gtype = value.__gtype__
    elif isinstance(value, GLib.Variant):
        gtype = GObject.TYPE_VARIANT
    else:
        gtype = GObject.TYPE_PYOBJECT
    return GObject.Value(gtype, value)


def _owned(value):
    """A value read from a `const GValue *` that an object owns (a tasklet's result, a
    message's value, a signal argument) -> one that outlives that object.

    PyGObject 3.42 converts such a GValue at once (numbers, strings, GObjects, variants and
    Python objects are then the caller's), except a boxed value that it has no converter for
    (a GLib.DateTime, a GLib.Bytes...), which it wraps without a copy: that wrapper points into
    the object and reads freed memory once the object is gone.  A C function returning a
    copy (`(transfer full)`) would not help: PyGObject 3.42 never frees a GValue returned
    that way, nor what it holds."""
    if isinstance(value, GObject.GBoxed):
        # GBoxed.copy itself: a boxed type's own introspected copy() may be something else.
        return GObject.GBoxed.copy(value)
    return value


def _strv(arg, name):
    """None, one name or a sequence of names -> a list (PyGObject would split a str)."""
    if arg is None:
        return None
    if isinstance(arg, str):
        return [arg]
    if isinstance(arg, (list, tuple)):
        return [str(n) for n in arg]
    raise TypeError("Argument '%s' must be None, a string, or a sequence of strings, not %r"
                    % (name, type(arg)))


def run(gen, cancellable=None):
    """Starts the generator ``gen`` as a tasklet and returns the Tasklet, already running (its
    first step has run): the same as ``Tasklet(gen, cancellable=cancellable)``.  The seed's
    ``gtasklet.run``; not in the C API (see ``Tasklet.new_full`` for a step function)."""
    return Tasklet(gen, cancellable=cancellable)


# -- Tasklet -------------------------------------------------------------------------------

def _generator_do_run(self, event):
    driver = self.__dict__.get('_gtasklet_driver')
    if driver is None:
        driver = self._gtasklet_driver = _steps.Generator(self.run())
        self.connect('finished', driver.close)
    return driver.step(self, event)


def _start_after_init(init):
    """Wraps the __init__ of a generator tasklet class so that the tasklet starts when the
    outermost __init__ returns: ``super().__init__()`` may come first, then attributes."""
    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        depth = self.__dict__.get('_gtasklet_init_depth', 0)
        self.__dict__['_gtasklet_init_depth'] = depth + 1
        try:
            init(self, *args, **kwargs)
        finally:
            self.__dict__['_gtasklet_init_depth'] = depth
        if depth == 0 and self.get_state() == Gtasklet.State.NEW:
            self.start()
    __init__._gtasklet_starts = True
    return __init__


class Tasklet(Gtasklet.Tasklet):
    """``Tasklet(gen=None, cancellable=None, **properties)``: a tasklet.

    ``Tasklet(gen)`` runs the generator ``gen`` (started at once, as ``run(gen)`` does).  A
    subclass either defines a generator method ``run()`` (started when its constructor
    returns) or overrides ``do_run(event)``, one step of the C ``run`` vfunc (started with
    ``start()``); ``do_run`` may raise any exception (the tasklet fails with it, see
    ``get_original_error()``) and returning ``None`` counts as ``True``.  Other keywords are
    GObject properties (``name``, ``trap_exits``)."""

    def __new__(cls, gen=None, *args, cancellable=None, **kwargs):
        if cls is Tasklet and gen is not None:
            # A closure tasklet of the C type itself: no Python GType per generator.
            driver = _steps.Generator(gen)
            self = Gtasklet.Tasklet.new_full(cancellable, driver.step)
            self._gtasklet_driver = driver
            self.connect('finished', driver.close)
            return self
        return super().__new__(cls)

    def __init__(self, gen=None, cancellable=None, **kwargs):
        if '_gtasklet_driver' in self.__dict__ and gen is not None:
            self.start()                    # made by __new__, from a generator
            return
        if gen is not None:
            raise TypeError('%s takes no generator: it defines run() or do_run()'
                            % type(self).__name__)
        if cancellable is not None:
            kwargs['cancellable'] = cancellable
        super().__init__(**kwargs)
        # A generator tasklet class without an __init__ of its own starts here; one with
        # its own starts when that returns (_start_after_init).
        if getattr(type(self), '_gtasklet_generator_run', False) and \
                self.__dict__.get('_gtasklet_init_depth', 0) == 0:
            self.start()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if 'do_run' in cls.__dict__:
            if inspect.isgeneratorfunction(cls.__dict__['do_run']):
                raise TypeError('%s.do_run is a generator: name it run() to make a generator '
                                'tasklet, or make do_run one plain step' % cls.__name__)
            if not getattr(cls.__dict__['do_run'], '_gtasklet_guarded', False):
                cls.do_run = _steps.guard_step(cls.__dict__['do_run'])
        elif inspect.isgeneratorfunction(cls.__dict__.get('run')):
            cls.do_run = _generator_do_run
            cls._gtasklet_generator_run = True
        init = cls.__dict__.get('__init__')
        if getattr(cls, '_gtasklet_generator_run', False) and init is not None and \
                not getattr(init, '_gtasklet_starts', False):
            cls.__init__ = _start_after_init(init)

    def start(self):
        """Starts the tasklet; a generator tasklet started by its constructor ignores it."""
        if self.get_state() == Gtasklet.State.NEW or \
                not getattr(type(self), '_gtasklet_generator_run', False):
            Gtasklet.Tasklet.start(self)

    @classmethod
    def new(cls, func, *user_data):
        """A closure tasklet whose step is ``func(tasklet, event, *user_data)``, not started.

        Unlike the C ``gtasklet_tasklet_new()``, ``func`` may raise any exception (the
        tasklet fails with it, see ``get_original_error()``) and may return ``None`` for
        ``True``."""
        return Gtasklet.Tasklet.new(_steps.guard_step(func), *user_data)

    @classmethod
    def new_full(cls, cancellable, func, *user_data):
        """``new(func, *user_data)`` with the tasklet's ``cancellable`` (``None``: its own)."""
        return Gtasklet.Tasklet.new_full(cancellable, _steps.guard_step(func),
                                         *user_data)

    def return_value(self, value):
        """Sets the tasklet's result to ``value``, any Python value: unlike the C function,
        an ``int`` beyond 32 bits keeps its value (a gint64, or a Python object beyond that)."""
        Gtasklet.Tasklet.return_value(self, _to_value(value))

    def send(self, name, value=None):
        """Sends this tasklet a message named ``name`` carrying ``value`` (any Python value,
        an ``int`` of any size as ``return_value`` takes it; ``None``: no value).  Returns
        ``False`` if the tasklet has finished."""
        return Gtasklet.Tasklet.send(self, name, _to_value(value))

    def send_message(self, message):
        """Queues ``message`` (a Message, as in the seed) in this tasklet's mailbox; the same
        as the C function (defined here so that the seed's ``send_message`` is documented)."""
        return Gtasklet.Tasklet.send_message(self, message)

    def join_finish(self, result, original=False):
        """The tasklet's result (a copy the caller owns, see ``get_result``), or raises its
        error.

        A Python step that raised failed the tasklet with a ``GLib.Error`` whose message
        holds the exception's class, text and traceback; with ``original=True`` a copy of
        the exception itself is raised instead (when this process raised it), its traceback
        in a note."""
        try:
            return _owned(Gtasklet.Tasklet.join_finish(self, result))
        except GLib.Error as error:
            if original:
                _steps.reraise(self, error)
            raise

    def run_until_finished(self, original=False):
        """Starts the tasklet if needed and iterates the thread-default main context until it
        finishes; returns its result (a copy the caller owns) or raises its error, as
        ``join_finish`` does (``original=True``: the step's own exception)."""
        try:
            return _owned(Gtasklet.Tasklet.run_until_finished(self))
        except GLib.Error as error:
            if original:
                _steps.reraise(self, error)
            raise

    def get_original_error(self):
        """The Python exception that failed this tasklet (raised by one of its steps in this
        process), or None: its ``get_error()`` is a ``GLib.Error`` that only names it."""
        return _steps.original(self, self.get_error())

    def get_result(self):
        """The tasklet's result once it finished, as a Python value the caller owns.

        Unlike the introspected method, a boxed value PyGObject cannot convert (a
        ``GLib.DateTime``, a ``GLib.Bytes``) is copied, so it outlives the tasklet."""
        return _owned(Gtasklet.Tasklet.get_result(self))

    @property
    def result(self):
        """The seed's attribute: ``get_result()``."""
        return self.get_result()

    @property
    def error(self):
        """The seed's attribute: ``get_error()``, the ``GLib.Error`` the tasklet failed with."""
        return self.get_error()

    @property
    def state(self):
        """``get_state()``, a ``Gtasklet.State``."""
        return self.get_state()

    def wait_condition_fired(self, condition):
        """Seed compatibility for custom conditions: the same as ``condition.fire()``."""
        condition.fire()
        return True

    def add_join_callback(self, callback):
        """Seed compatibility: calls ``callback(tasklet, retval)`` once the tasklet finishes
        (from the main loop if it already has).  Returns a handle for
        ``remove_join_callback``."""
        handle = _JoinHandle()

        def call(tasklet):
            handle.source = handle.handler = None
            callback(tasklet, _owned(tasklet.get_result()))

        if self.get_state() == Gtasklet.State.FINISHED:
            def idle():
                call(self)
                return GLib.SOURCE_REMOVE
            handle.source = GLib.idle_add(idle)
        else:
            def finished(tasklet):
                tasklet.disconnect(handle.handler)
                call(tasklet)
            handle.handler = self.connect('finished', finished)
        return handle

    def remove_join_callback(self, handle):
        """Seed compatibility: KeyError if the callback already ran or was removed."""
        if handle.source is not None:
            GLib.source_remove(handle.source)
        elif handle.handler is not None:
            self.disconnect(handle.handler)
        else:
            raise KeyError(handle)
        handle.source = handle.handler = None


class _JoinHandle:
    __slots__ = ('source', 'handler')

    def __init__(self):
        self.source = self.handler = None


# -- messages ------------------------------------------------------------------------------

class Message(Gtasklet.Message):
    """``Message(name, dest=None, value=None)``: a message named ``name`` carrying ``value``
    (any Python value); ``yield`` it from a generator tasklet to send it to ``dest``.

    ``Message.new(name, value)`` and ``Message.new_variant(name, variant)`` are the C
    constructors; ``ACCEPT``, ``DEFER`` and ``DISCARD`` are the seed's names for the values
    of ``Gtasklet.MessageAction``."""

    ACCEPT = Gtasklet.MessageAction.ACCEPT
    DEFER = Gtasklet.MessageAction.DEFER
    DISCARD = Gtasklet.MessageAction.DISCARD

    def __init__(self, name=None, dest=None, value=None, **kwargs):
        if name is not None:
            kwargs['name'] = name
        if value is not None:
            kwargs['value'] = _gvalue(value)
        super().__init__(**kwargs)
        if dest is not None:
            self._gtasklet_dest = dest

    @property
    def name(self):
        """The seed's attribute: ``get_name()``."""
        return self.get_name()

    def get_value(self):
        """The message's value, as a Python value the caller owns (a boxed value is copied,
        unlike with the introspected method, so it outlives the message)."""
        return _owned(Gtasklet.Message.get_value(self))

    @property
    def value(self):
        """The seed's attribute: ``get_value()``."""
        return self.get_value()

    @property
    def sender(self):
        """The seed's attribute: ``get_sender()``, the tasklet that sent it, or None."""
        return self.get_sender()

    @property
    def dest(self):
        """The tasklet the message was sent to, or the one given to the constructor."""
        dest = self.get_dest()
        if dest is None:
            dest = self.__dict__.get('_gtasklet_dest')
        return dest

    def __repr__(self):
        return '<Gtasklet.Message %r value=%r>' % (self.get_name(), self.get_value())



_steps.to_value = _to_value
