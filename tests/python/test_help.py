# SPDX-License-Identifier: LGPL-2.1-or-later
"""help() and pydoc on the override: help(Gtasklet) lists the override's classes and the
seed-style functions, `pydoc gi.overrides.Gtasklet` works, every override member that shadows
an introspected one says what differs, and constructor arguments are named like the
properties they set (or documented as the seed's names)."""

import inspect
import os
import pydoc
import subprocess
import sys

from gtasklet_tap import test, main

from gi.repository import GObject, Gtasklet
import gi.overrides.Gtasklet as override

# Constructor arguments that are not properties of the class: each is the seed's name for
# what it sets, and the class docstring says so.
NOT_PROPERTIES = {
    'Tasklet': {'gen'},
    'WaitForIO': {'filedes'},
    'Message': {'dest'},
}


def override_classes():
    return [getattr(Gtasklet, name) for name in override.__all__
            if inspect.isclass(getattr(Gtasklet, name))]


@test
def help_lists_the_override():
    text = pydoc.render_doc(Gtasklet, renderer=pydoc.plaintext)
    for name in ('Tasklet', 'Message', 'WaitCondition', 'WaitForTimeout', 'WaitForMessages',
                 'WaitForTasklet', 'Supervisor', 'Pool', 'TaskGroup'):
        assert '\n    class %s(' % name in text, name
    assert '\n    run(gen, cancellable=None)\n' in text
    assert '\n    get_event()\n' in text
    assert 'Generator tasklets run on the C runtime' in text     # the override's docstring
    functions = text[text.index('\nFUNCTIONS\n'):text.index('\nDATA\n')]
    assert '__reduce__' not in functions, 'the module type\'s methods are listed'


@test
def classes_belong_to_the_namespace():
    for obj in override_classes() + [Gtasklet.run, Gtasklet.get_event]:
        assert obj.__module__ == 'gi.repository.Gtasklet', obj
    assert issubclass(Gtasklet.TaskGroup, Gtasklet.Tasklet)
    assert issubclass(Gtasklet.Supervisor, Gtasklet.Tasklet)


@test
def pydoc_of_the_override_module():
    env = dict(os.environ)
    # The override imported by its own name first, with no require_version either.
    out = subprocess.run([sys.executable, '-m', 'pydoc', 'gi.overrides.Gtasklet'], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         check=False).stdout
    assert 'problem in' not in out, out
    assert 'class WaitForTimeout(' in out, out
    out = subprocess.run([sys.executable, '-c', 'import gi.overrides.Gtasklet as o; '
                          'from gi.repository import Gtasklet; '
                          'print(o.Tasklet is Gtasklet.Tasklet, o.run(x for x in ()).get_state())'],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         check=False).stdout
    assert out.strip() == 'True <enum GTASKLET_STATE_FINISHED of type Gtasklet.State>', out


@test
def shadowing_members_are_documented():
    missing = []
    for cls in override_classes():
        assert cls.__doc__ and cls.__doc__ != cls.__base__.__doc__, cls
        base = cls.__mro__[1]
        for name, member in cls.__dict__.items():
            if name.startswith('_') or not hasattr(base, name):
                continue
            func = member.__func__ if isinstance(member, classmethod) else member
            if not getattr(func, '__doc__', None):
                missing.append('%s.%s' % (cls.__name__, name))
    assert not missing, 'no docstring: ' + ', '.join(missing)


@test
def constructor_arguments_are_properties():
    wrong = []
    for cls in override_classes():
        init = cls.__dict__.get('__init__')
        if init is None:
            continue
        props = {p.name.replace('-', '_') for p in GObject.list_properties(cls)}
        for param in inspect.signature(init).parameters.values():
            if param.name == 'self' or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
                continue
            if param.name not in props | NOT_PROPERTIES.get(cls.__name__, set()):
                wrong.append('%s(%s=): no such property' % (cls.__name__, param.name))
            if param.name not in cls.__doc__:
                wrong.append('%s(%s=): not in the docstring' % (cls.__name__, param.name))
    assert not wrong, '; '.join(wrong)


if __name__ == '__main__':
    main()
