#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Background timeout task: the first example of the seed, gtasklet.py, unchanged but for
the import (the Gtasklet override provides the seed's vocabulary) and the options.

    counter.py [--interval-ms MS] [--count N]

Uninstalled, from the source tree: meson devenv -C build -w . python3 examples/counter.py
"""

import argparse

import gi
gi.require_version('Gtasklet', '1')
from gi.repository import GLib                       # noqa: E402
from gi.repository import Gtasklet as gtasklet       # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--interval-ms', type=int, default=1000)
parser.add_argument('--count', type=int, default=10)
args = parser.parse_args()

mainloop = GLib.MainLoop()


def simple_counter(numbers):
    timeout = gtasklet.WaitForTimeout(args.interval_ms)
    for x in range(numbers):
        print(x)
        yield timeout
        gtasklet.get_event()
    mainloop.quit()


gtasklet.run(simple_counter(args.count))
mainloop.run()
