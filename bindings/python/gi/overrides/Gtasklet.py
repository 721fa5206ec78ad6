# SPDX-License-Identifier: LGPL-2.1-or-later
"""PyGObject override for Gtasklet: the vocabulary of the seed, gtasklet.py.

Generator tasklets run on the C runtime::

    from gi.repository import GLib, Gtasklet

    def counter(n):
        timeout = Gtasklet.WaitForTimeout(1000)
        for i in range(n):
            print(i)
            yield timeout                 # wait (wait-any over a tuple or list)
            Gtasklet.get_event()          # the condition that fired
        return n                          # the tasklet's result

    Gtasklet.run(counter(10))
    GLib.MainLoop().run()

A generator yields a wait condition, a tuple or list of them (wait for any), a
``Tasklet`` or a generator (join it: it becomes ``WaitForTasklet(Tasklet(gen))``), or a
``Message(name, dest=tasklet, value=...)`` (send it; the generator goes on in the same
step).  After a wait, ``Gtasklet.get_event()`` returns the condition that fired or the
accepted ``Message``; the same event is also the value of the ``yield`` expression.

The override also makes the introspected API behave as Python users expect:

- positional constructors: ``WaitForTimeout(1000)``, ``WaitForIO(fd, GLib.IOCondition.IN)``,
  ``WaitForSignal(obj, 'notify::x')``, ``WaitForProcess(pid)``, ``WaitForTasklet(t)``,
  ``WaitForMessages(accept='quit')`` (a string is one name), ``Message('print', value=x)``;
- the seed's attributes: ``msg.name``, ``msg.value``, ``event.retval``, ``event.status``,
  ``event.signal_args``, ``event.condition``;
- a subclass overriding ``do_run`` (or a ``Tasklet.new`` callback) may raise any exception:
  the tasklet fails with a ``GLib.Error`` in ``Gtasklet.Error`` whose message is
  ``"TypeName: message"``, a blank line and the traceback, or with the raised ``GLib.Error``
  itself; returning ``None`` counts as ``True``.  ``get_original_error()`` gives the
  exception itself; ``join_finish(res, original=True)`` and
  ``run_until_finished(original=True)`` raise a copy of it (its traceback is a note);
- in a generator, ``yield child`` (a Tasklet or a generator) raises the child's exception
  if it failed, and a cancelled tasklet's generator gets the cancellation
  (``Gio.IOErrorEnum.CANCELLED``) raised at its ``yield``;
- a subclass that defines a generator method ``run()`` is a seed-style tasklet: it starts
  when its constructor returns (``super().__init__()`` may come first); a subclass that
  overrides ``do_run`` is started with ``start()``;
- a custom ``WaitCondition`` subclass overrides ``do_arm``/``do_disarm`` and calls
  ``self.fire()`` (seed-style ``arm``/``disarm`` methods are accepted too).
"""

import functools
import inspect
import types

from gi.repository import GLib, GObject

from ..module import get_introspection_module
from ..overrides import override
from . import _gtasklet_steps as _steps
from ._gtasklet_steps import get_event

Gtasklet = get_introspection_module('Gtasklet')

__all__ = ['run', 'get_event']

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
    """Starts a generator as a tasklet and returns the Tasklet, already running (its first
    step has run).  The same as ``Tasklet(gen)``."""
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
    """A tasklet.  ``Tasklet(gen)`` runs a generator (started at once); a subclass either
    defines a generator ``run()`` (started when its constructor returns) or overrides
    ``do_run`` (started with ``start()``)."""

    def __new__(cls, gen=None, *args, cancellable=None, **kwargs):
        if cls is Tasklet and gen is not None:
            # A closure tasklet of the C type itself: no Python GType per generator.
            driver = _steps.Generator(gen)
            self = Gtasklet.Tasklet.new_full(cancellable, driver.step)
            self._gtasklet_driver = driver
            self.connect('finished', driver.close)
            return self
        return super().__new__(cls)

    def __init__(self, gen=None, *args, cancellable=None, **kwargs):
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
        return Gtasklet.Tasklet.new(_steps.guard_step(func), *user_data)

    @classmethod
    def new_full(cls, cancellable, func, *user_data):
        return Gtasklet.Tasklet.new_full(cancellable, _steps.guard_step(func),
                                         *user_data)

    def return_value(self, value):
        Gtasklet.Tasklet.return_value(self, _to_value(value))

    def send(self, name, value=None):
        return Gtasklet.Tasklet.send(self, name, _to_value(value))

    def send_message(self, message):
        """Queues ``message`` (a Message, as in the seed) in this tasklet's mailbox."""
        return Gtasklet.Tasklet.send_message(self, message)

    def join_finish(self, result, original=False):
        """The tasklet's result, which the caller owns (see _owned), or raises its error.

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
        finishes; returns its result (the caller's, see _owned) or raises its error, as
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
        """The tasklet's result once it finished, which the caller owns (see _owned)."""
        return _owned(Gtasklet.Tasklet.get_result(self))

    @property
    def result(self):
        return self.get_result()

    @property
    def error(self):
        return self.get_error()

    @property
    def state(self):
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


Tasklet = override(Tasklet)
__all__.append('Tasklet')


# -- messages ------------------------------------------------------------------------------

class Message(Gtasklet.Message):
    """``Message(name, dest=None, value=None)``: a message; ``yield`` it from a generator
    tasklet to send it to ``dest``."""

    ACCEPT = Gtasklet.MessageAction.ACCEPT
    DEFER = Gtasklet.MessageAction.DEFER
    DISCARD = Gtasklet.MessageAction.DISCARD

    def __init__(self, name=None, dest=None, value=None, sender=None, **kwargs):
        if name is not None:
            kwargs['name'] = name
        if value is not None:
            kwargs['value'] = _gvalue(value)
        super().__init__(**kwargs)
        if dest is not None:
            self._gtasklet_dest = dest

    @property
    def name(self):
        return self.get_name()

    def get_value(self):
        """The message's value, which the caller owns (see _owned)."""
        return _owned(Gtasklet.Message.get_value(self))

    @property
    def value(self):
        return self.get_value()

    @property
    def sender(self):
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


Message = override(Message)
__all__.append('Message')


# -- wait conditions ------------------------------------------------------------------------

def _call_arm(self, tasklet):
    self.arm(tasklet)


def _call_disarm(self):
    self.disarm()


class WaitCondition(Gtasklet.WaitCondition):
    """Base of wait conditions.  A subclass overrides ``do_arm(tasklet)`` and
    ``do_disarm()`` and calls ``self.fire()`` when its event happens."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__module__.startswith(('gi.repository.', 'gi.overrides.')):
            return
        # Seed-style conditions define arm()/disarm() (no public methods of that name).
        if 'arm' in cls.__dict__ and 'do_arm' not in cls.__dict__:
            cls.do_arm = _call_arm
        if 'disarm' in cls.__dict__ and 'do_disarm' not in cls.__dict__:
            cls.do_disarm = _call_disarm


WaitCondition = override(WaitCondition)
__all__.append('WaitCondition')


def _props(kwargs, **given):
    for key, value in given.items():
        if value is not None:
            kwargs[key] = value
    return kwargs


class WaitForTimeout(Gtasklet.WaitForTimeout):
    """``WaitForTimeout(interval_ms, priority=GLib.PRIORITY_DEFAULT)``; kept in consecutive
    wait sets it fires periodically; ``restart()`` counts again from now."""

    def __init__(self, timeout=None, priority=None, **kwargs):
        super().__init__(**_props(kwargs, interval=timeout, priority=priority))

    @property
    def timeout(self):
        return self.get_interval()


WaitForTimeout = override(WaitForTimeout)
__all__.append('WaitForTimeout')


class WaitForIdle(Gtasklet.WaitForIdle):
    """``WaitForIdle(priority=GLib.PRIORITY_DEFAULT_IDLE)``."""

    def __init__(self, priority=None, **kwargs):
        super().__init__(**_props(kwargs, priority=priority))


WaitForIdle = override(WaitForIdle)
__all__.append('WaitForIdle')


class WaitForIO(Gtasklet.WaitForIO):
    """``WaitForIO(filedes, condition=GLib.IOCondition.IN, priority=...)``: ``filedes`` is
    an fd, an object with ``fileno()``, a ``GLib.IOChannel`` or a ``Gio.Socket``.  After it
    fires, ``condition`` is what occurred."""

    def __init__(self, filedes=None, condition=GLib.IOCondition.IN, priority=None, **kwargs):
        if filedes is not None:
            if isinstance(filedes, GLib.IOChannel):
                kwargs['channel'] = filedes
            elif isinstance(filedes, GObject.Object):
                kwargs['socket'] = filedes
            elif isinstance(filedes, int):
                kwargs['fd'] = filedes
            else:
                kwargs['fd'] = filedes.fileno()
            kwargs.setdefault('condition', condition)
        self._gtasklet_filedes = filedes
        super().__init__(**_props(kwargs, priority=priority))

    @property
    def filedes(self):
        return self.__dict__.get('_gtasklet_filedes', self.get_fd())

    @property
    def condition(self):
        """What occurred, once fired (the seed's attribute)."""
        return self.get_condition()


WaitForIO = override(WaitForIO)
__all__.append('WaitForIO')


class WaitForSignal(Gtasklet.WaitForSignal):
    """``WaitForSignal(obj, 'detailed-signal')``; ``signal_args`` are the emission's
    arguments (without the object)."""

    def __init__(self, obj=None, signal=None, **kwargs):
        super().__init__(**_props(kwargs, object=obj, signal=signal))

    @property
    def object(self):
        return self.get_object()

    @property
    def signal(self):
        return self.get_signal()

    def get_arg(self, index):
        """Argument ``index`` of the emission, which the caller owns (see _owned)."""
        return _owned(Gtasklet.WaitForSignal.get_arg(self, index))

    @property
    def signal_args(self):
        return tuple(self.get_arg(i) for i in range(self.get_n_args()))


WaitForSignal = override(WaitForSignal)
__all__.append('WaitForSignal')


class WaitForProcess(Gtasklet.WaitForProcess):
    """``WaitForProcess(pid)`` for a child spawned with ``DO_NOT_REAP_CHILD``, or
    ``WaitForProcess(subprocess)`` for a ``Gio.Subprocess``; ``status`` is its wait status."""

    def __init__(self, pid=None, **kwargs):
        if isinstance(pid, GObject.Object):
            kwargs['subprocess'] = pid
        elif pid is not None:
            kwargs['pid'] = int(pid)
        super().__init__(**kwargs)

    @property
    def pid(self):
        return self.get_pid()

    @property
    def status(self):
        return self.get_status() if self.has_exited() else None


WaitForProcess = override(WaitForProcess)
__all__.append('WaitForProcess')


class WaitForTasklet(Gtasklet.WaitForTasklet):
    """``WaitForTasklet(tasklet)`` (a generator is started as a tasklet); ``retval`` and
    ``error`` are the tasklet's result and error once it finished."""

    def __init__(self, tasklet=None, **kwargs):
        if isinstance(tasklet, types.GeneratorType):
            tasklet = Tasklet(tasklet)
        super().__init__(**_props(kwargs, tasklet=tasklet))

    @property
    def tasklet(self):
        return self.get_tasklet()

    def get_result(self):
        """The tasklet's result, which the caller owns (see _owned)."""
        return _owned(Gtasklet.WaitForTasklet.get_result(self))

    @property
    def retval(self):
        return self.get_result()

    @property
    def error(self):
        return self.get_error()


WaitForTasklet = override(WaitForTasklet)
__all__.append('WaitForTasklet')
_steps.WaitForTasklet = WaitForTasklet
_steps.to_value = _to_value


class WaitForMessages(Gtasklet.WaitForMessages):
    """``WaitForMessages(accept=None, defer=None, discard=None)``: each a name, a sequence
    of names or None; ``'*'`` stands for every name not listed otherwise."""

    def __init__(self, accept=None, defer=None, discard=None, **kwargs):
        super().__init__(**_props(kwargs,
                                  accept=_strv(accept, 'accept'),
                                  defer=_strv(defer, 'defer'),
                                  discard=_strv(discard, 'discard')))

    @property
    def actions(self):
        """The seed's name -> action table (``'*'`` included)."""
        table = {}
        for action in (Gtasklet.MessageAction.DISCARD, Gtasklet.MessageAction.DEFER,
                       Gtasklet.MessageAction.ACCEPT):
            for name in self.dup_names(action) or ():
                table[name] = action
        return table


WaitForMessages = override(WaitForMessages)
__all__.append('WaitForMessages')


class WaitForAsync(Gtasklet.WaitForAsync):
    """Pass ``cond.callback`` as the callback of any ``*_async`` call, wait for ``cond``,
    then call the ``*_finish`` with ``cond.get_result()``::

        cond = Gtasklet.WaitForAsync()
        file.load_contents_async(None, cond.callback)
        yield cond
        ok, data, etag = file.load_contents_finish(cond.get_result())
    """

    def callback(self, source_object, result, *unused):
        self.complete(source_object, result)

    @property
    def result(self):
        return self.get_result()


WaitForAsync = override(WaitForAsync)
__all__.append('WaitForAsync')


class WaitForCancellable(Gtasklet.WaitForCancellable):
    """``WaitForCancellable(cancellable)``: fires when it is cancelled; waiting on the
    tasklet's own cancellable lets the tasklet handle its cancellation itself."""

    def __init__(self, cancellable=None, **kwargs):
        super().__init__(**_props(kwargs, cancellable=cancellable))


WaitForCancellable = override(WaitForCancellable)
__all__.append('WaitForCancellable')


class Supervisor(Gtasklet.Supervisor):
    """``Supervisor.new(strategy, intensity, period_ms)``; children are added with
    ``add_child(id, func, restart=Gtasklet.Restart.PERMANENT, *user_data)``, where
    ``func(supervisor, id, *user_data)`` returns a new tasklet each time the child starts
    (``None`` counts as a failed start)."""

    def add_child(self, child_id, func, restart=Gtasklet.Restart.PERMANENT, *user_data):
        def make(supervisor, made_id, _unused=None):
            return func(supervisor, made_id, *user_data)

        super().add_child(child_id, make, None, restart)


Supervisor = override(Supervisor)
__all__.append('Supervisor')
