# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run through `meson devenv -C BUILD python3 app.py SRCDIR BUILDDIR` with no
GI_TYPELIB_PATH, LD_LIBRARY_PATH or PYTHONPATH of its own: proves that the devenv alone
finds the uninstalled typelib, library and Python override."""

import os
import sys

import gi
gi.require_version('Gtasklet', '1')
from gi.repository import GLib, Gtasklet  # noqa: E402

srcdir, builddir = (os.path.realpath(p) for p in sys.argv[1:3])
checks = []


def check(name, ok, detail=''):
    checks.append((name, ok, detail))


override = sys.modules.get('gi.overrides.Gtasklet')
override_file = os.path.realpath(getattr(override, '__file__', '') or '')
check('override-from-source-tree', override_file.startswith(srcdir), override_file)


def counter(n):
    timeout = Gtasklet.WaitForTimeout(1)
    for _ in range(n):
        yield timeout
        Gtasklet.get_event()
    return n


loop = GLib.MainLoop()
task = Gtasklet.run(counter(3))
task.add_join_callback(lambda t, retval: loop.quit())
loop.run()
check('generator-tasklet-runs', task.get_result() == 3, repr(task.get_result()))



def mapped(name):
    """The files named `name` mapped in this process (the typelib is mapped too)."""
    with open('/proc/self/maps') as maps:
        return {os.path.realpath(line.split()[-1]) for line in maps if name in line}


typelibs = mapped('Gtasklet-1.typelib')
check('typelib-from-build-tree',
      bool(typelibs) and all(p.startswith(builddir) for p in typelibs), typelibs)
libs = mapped('libgtasklet-1.so')
check('library-from-build-tree', bool(libs) and all(p.startswith(builddir) for p in libs), libs)

print('1..%d' % len(checks))
for n, (name, ok, detail) in enumerate(checks, 1):
    print('%sok %d - %s' % ('' if ok else 'not ', n, name))
    if not ok:
        print('# %s' % (detail,))
sys.exit(0 if all(ok for _, ok, _ in checks) else 1)
