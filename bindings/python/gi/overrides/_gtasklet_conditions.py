# SPDX-License-Identifier: LGPL-2.1-or-later
"""Wait conditions and the supervisor of the Gtasklet override: positional constructors and
the seed's attribute names.  A helper of gi/overrides/Gtasklet.py, installed beside it, which
publishes its classes."""

import types

from gi.repository import GLib, GObject

from ..module import get_introspection_module
from . import _gtasklet_steps as _steps
from ._gtasklet_tasklet import Tasklet, _owned, _strv

Gtasklet = get_introspection_module('Gtasklet')

# -- wait conditions ------------------------------------------------------------------------

def _call_arm(self, tasklet):
    self.arm(tasklet)


def _call_disarm(self):
    self.disarm()


class WaitCondition(Gtasklet.WaitCondition):
    """Base of wait conditions.  A subclass overrides ``do_arm(tasklet)`` and
    ``do_disarm()`` (the C ``arm`` and ``disarm`` vfuncs) and calls ``self.fire()`` when its
    event happens; a seed-style subclass may define ``arm(tasklet)`` and ``disarm()``
    instead, which the override calls from those vfuncs."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.__module__.startswith(('gi.repository.', 'gi.overrides.')):
            return
        # Seed-style conditions define arm()/disarm() (no public methods of that name).
        if 'arm' in cls.__dict__ and 'do_arm' not in cls.__dict__:
            cls.do_arm = _call_arm
        if 'disarm' in cls.__dict__ and 'do_disarm' not in cls.__dict__:
            cls.do_disarm = _call_disarm


def _props(kwargs, **given):
    for key, value in given.items():
        if value is not None:
            kwargs[key] = value
    return kwargs


class WaitForTimeout(Gtasklet.WaitForTimeout):
    """``WaitForTimeout(interval, priority=GLib.PRIORITY_DEFAULT, one_shot=False)``: fires
    ``interval`` milliseconds (the ``interval`` property) after it is armed; kept in
    consecutive wait sets it fires periodically; ``restart()`` counts again from now.  The
    same as ``WaitForTimeout.new(interval)``, the C constructor."""

    def __init__(self, interval=None, priority=None, **kwargs):
        super().__init__(**_props(kwargs, interval=interval, priority=priority))

    @property
    def timeout(self):
        """The seed's attribute: the ``interval``, in milliseconds (``get_interval()``)."""
        return self.get_interval()


class WaitForIdle(Gtasklet.WaitForIdle):
    """``WaitForIdle(priority=GLib.PRIORITY_DEFAULT_IDLE)``: fires once the main context
    has nothing of higher priority to do."""

    def __init__(self, priority=None, **kwargs):
        super().__init__(**_props(kwargs, priority=priority))


class WaitForIO(Gtasklet.WaitForIO):
    """``WaitForIO(filedes, condition=GLib.IOCondition.IN, priority=GLib.PRIORITY_DEFAULT)``:
    fires when ``filedes`` is ready for ``condition``.  ``filedes`` (the seed's name) is an
    fd, an object with ``fileno()``, a ``GLib.IOChannel`` or a ``Gio.Socket``: it sets the
    ``fd``, ``channel`` or ``socket`` property, as the C constructors ``new(fd, condition)``,
    ``new_for_channel`` and ``new_for_socket`` do.  After it fires, ``condition`` is what
    occurred."""

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
        """The seed's attribute: what the constructor was given (else ``get_fd()``)."""
        return self.__dict__.get('_gtasklet_filedes', self.get_fd())

    @property
    def condition(self):
        """What occurred, once fired (the seed's attribute)."""
        return self.get_condition()


class WaitForSignal(Gtasklet.WaitForSignal):
    """``WaitForSignal(object, signal)``: fires when ``object`` emits ``signal`` (a detailed
    signal name such as ``'notify::name'``), the properties of the same names; the same as
    ``WaitForSignal.new(object, signal)``.  ``signal_args`` are the emission's arguments
    (without the object)."""

    def __init__(self, object=None, signal=None, **kwargs):  # noqa: A002 -- the property's name
        super().__init__(**_props(kwargs, object=object, signal=signal))

    @property
    def object(self):
        """The seed's attribute: ``get_object()``, the object whose signal is waited for."""
        return self.get_object()

    @property
    def signal(self):
        """The seed's attribute: ``get_signal()``, the detailed signal name."""
        return self.get_signal()

    def get_arg(self, i):
        """Argument ``i`` of the last emission (0 is the first after the object), as a
        Python value the caller owns (a boxed value is copied, unlike with the introspected
        method, so it outlives the condition)."""
        return _owned(Gtasklet.WaitForSignal.get_arg(self, i))

    @property
    def signal_args(self):
        """The seed's attribute: the last emission's arguments, as a tuple."""
        return tuple(self.get_arg(i) for i in range(self.get_n_args()))


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
        """The seed's attribute: ``get_pid()``."""
        return self.get_pid()

    @property
    def status(self):
        """The seed's attribute: the wait status once the process exited, else None."""
        return self.get_status() if self.has_exited() else None


class WaitForTasklet(Gtasklet.WaitForTasklet):
    """``WaitForTasklet(tasklet)``: fires when ``tasklet`` finishes (a generator is started
    as a tasklet first); ``retval`` and ``error`` are the tasklet's result and error."""

    def __init__(self, tasklet=None, **kwargs):
        if isinstance(tasklet, types.GeneratorType):
            tasklet = Tasklet(tasklet)
        super().__init__(**_props(kwargs, tasklet=tasklet))

    @property
    def tasklet(self):
        """The seed's attribute: ``get_tasklet()``."""
        return self.get_tasklet()

    def get_result(self):
        """The tasklet's result once it finished, as a Python value the caller owns (a
        boxed value is copied, unlike with the introspected method)."""
        return _owned(Gtasklet.WaitForTasklet.get_result(self))

    @property
    def retval(self):
        """The seed's attribute: ``get_result()``."""
        return self.get_result()

    @property
    def error(self):
        """The seed's attribute: ``get_error()``, the tasklet's error, or None."""
        return self.get_error()


_steps.WaitForTasklet = WaitForTasklet


class WaitForMessages(Gtasklet.WaitForMessages):
    """``WaitForMessages(accept=None, defer=None, discard=None)``: each a name, a sequence
    of names or None; ``'*'`` stands for every name not listed otherwise.  Unlike
    ``WaitForMessages.new(accept, defer, discard)``, a string is one name (PyGObject would
    split it into letters)."""

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


class WaitForAsync(Gtasklet.WaitForAsync):
    """Pass ``cond.callback`` as the callback of any ``*_async`` call, wait for ``cond``,
    then call the ``*_finish`` with ``cond.get_result()``::

        cond = Gtasklet.WaitForAsync()
        file.load_contents_async(None, cond.callback)
        yield cond
        ok, data, etag = file.load_contents_finish(cond.get_result())
    """

    def callback(self, source_object, result, *user_data):
        """A ``Gio.AsyncReadyCallback``: ``complete(source_object, result)``.  The C
        ``gtasklet_wait_for_async_callback()``, which takes the condition as its user data,
        is not introspectable; this bound method replaces it."""
        self.complete(source_object, result)

    @property
    def result(self):
        """The seed's attribute: ``get_result()``, the ``Gio.AsyncResult`` to finish."""
        return self.get_result()


class WaitForCancellable(Gtasklet.WaitForCancellable):
    """``WaitForCancellable(cancellable)``: fires when it is cancelled; waiting on the
    tasklet's own cancellable lets the tasklet handle its cancellation itself."""

    def __init__(self, cancellable=None, **kwargs):
        super().__init__(**_props(kwargs, cancellable=cancellable))


class Supervisor(Gtasklet.Supervisor):
    """``Supervisor.new(strategy, intensity, period_ms)``: a tasklet that starts children and
    restarts them as ``strategy`` says, at most ``intensity`` times in ``period_ms``; see
    ``add_child``."""

    def add_child(self, id, func, restart=Gtasklet.Restart.PERMANENT, *user_data):  # noqa: A002
        """Adds the child ``id``: ``func(supervisor, id, *user_data)`` returns a new tasklet
        each time the child starts (``None`` counts as a failed start).

        Unlike the introspected method, ``restart`` comes before the user data and defaults
        to ``Gtasklet.Restart.PERMANENT``, and there can be any number of user data."""
        def make(supervisor, made_id, _unused=None):
            return func(supervisor, made_id, *user_data)

        super().add_child(id, make, None, restart)


