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


import sys

_NAMESPACE = 'gi.repository.Gtasklet'


def _publish(*objects):
    """Makes the override's classes and functions those of the namespace.

    Their ``__module__`` becomes the namespace's, where help(Gtasklet) and pydoc look for what
    a module defines (they list only what it defines, and the module PyGObject shows as
    ``gi.repository.Gtasklet`` is not this one); override() needs a ``gi.overrides.`` name to
    find the namespace, so a class gets that one first."""
    for obj in objects:
        if isinstance(obj, type):
            obj.__module__ = __name__
            override(obj)
        obj.__module__ = _NAMESPACE
        __all__.append(obj.__name__)


if _NAMESPACE not in sys.modules:
    # Imported by its own name (`pydoc gi.overrides.Gtasklet`, `import gi.overrides.Gtasklet`
    # first) rather than by PyGObject loading the namespace, which puts the namespace in
    # sys.modules while it imports its override (and override() needs it there): load the
    # namespace, which imports this file again as its override, and let this import return
    # that module, the only one whose classes are the namespace's.
    import gi
    if gi.get_required_version('Gtasklet') is None:
        gi.require_version('Gtasklet', '1')
    del sys.modules[__name__]
    __import__(_NAMESPACE)
else:
    from ..overrides import override
    from . import _gtasklet_steps

    __all__ = []
    from ._gtasklet_tasklet import Message, Tasklet, run
    # First: the wrappers PyGObject makes from now on (TaskGroup, Supervisor) derive from it.
    _publish(Tasklet)
    _publish(Message, run, _gtasklet_steps.get_event)

    from ._gtasklet_conditions import (Supervisor, WaitCondition, WaitForAsync,
                                       WaitForCancellable, WaitForIdle, WaitForIO,
                                       WaitForMessages, WaitForProcess, WaitForSignal,
                                       WaitForTasklet, WaitForTimeout)
    _publish(WaitCondition, WaitForTimeout, WaitForIdle, WaitForIO, WaitForSignal,
             WaitForProcess, WaitForTasklet, WaitForMessages, WaitForAsync,
             WaitForCancellable, Supervisor)
    get_event = _gtasklet_steps.get_event

    # help(Gtasklet) describes the namespace's module, which has no docstring of its own, and
    # lists what dir() gives, which for this module type (PyGObject makes one per namespace)
    # also has every method of the type: list what a module's dir() has, its attributes.
    _namespace = sys.modules[_NAMESPACE]
    _namespace.__doc__ = __doc__

    def _namespace_dir(module):
        return sorted(set(module.__dict__).union(
            name for name in dir(module._introspection_module) if not name.startswith('_')))

    type(_namespace).__dir__ = _namespace_dir
