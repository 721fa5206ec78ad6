#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Message passing: the second example of the seed, gtasklet.py, unchanged but for the
import and the options. The main loop quits when the printer has finished.

    printer.py [--interval-ms MS] [--count N]
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


def printer():
    msgwait = gtasklet.WaitForMessages(accept=("quit", "print"))
    while True:
        yield msgwait
        msg = gtasklet.get_event()
        if msg.name == "quit":
            return
        assert msg.name == 'print'
        print(">>> ", msg.value)


def simple_counter(numbers, task):
    timeout = gtasklet.WaitForTimeout(args.interval_ms)
    for x in range(numbers):
        yield gtasklet.Message('print', dest=task, value=x)
        yield timeout
        gtasklet.get_event()
    yield gtasklet.Message('quit', dest=task)


task = gtasklet.run(printer())
gtasklet.run(simple_counter(args.count, task))
# (The seed quits from simple_counter, before the printer has read 'quit'.)
task.join_async(None, lambda tasklet, result: mainloop.quit())
mainloop.run()
