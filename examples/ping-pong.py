#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Ping-pong: two tasklets bounce a ball N times through their mailboxes.

The player is a Gtasklet.Tasklet subclass with a generator run() (the seed's style: its
constructor starts it); the referee is a plain generator tasklet that serves, then joins
both players, and the program joins the referee with a callback in the main loop.

    ping-pong.py [--count N]
"""

import argparse

import gi
gi.require_version('Gtasklet', '1')
from gi.repository import GLib, Gtasklet             # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument('--count', type=int, default=10)
args = parser.parse_args()


class Player(Gtasklet.Tasklet):
    def __init__(self, name):
        self.name = name
        self.partner = None
        Gtasklet.Tasklet.__init__(self)

    def run(self):
        hits = 0
        wait = Gtasklet.WaitForMessages(accept=('ball', 'stop'))
        while True:
            msg = yield wait
            if msg.name == 'stop':
                return hits
            hits += 1
            n = msg.value
            print('%s %d' % (self.name, n))
            if n == args.count:
                yield Gtasklet.Message('stop', dest=self.partner)
                return hits
            yield Gtasklet.Message('ball', dest=self.partner, value=n + 1)


def referee():
    ping, pong = Player('ping'), Player('pong')
    ping.partner, pong.partner = pong, ping
    yield Gtasklet.Message('ball', dest=ping, value=1)
    hits = 0
    for player in (ping, pong):
        event = yield player                # join
        hits += event.retval
    return hits


loop = GLib.MainLoop()
outcome = []


def finished(tasklet, result):
    outcome.append(tasklet.join_finish(result))
    loop.quit()


Gtasklet.run(referee()).join_async(None, finished)
loop.run()
print('%d hits' % outcome[0])
assert outcome[0] == args.count
