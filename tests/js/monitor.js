// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Monitors, links and trap-exits from GJS: a DOWN message ("gtasklet.down", Gtasklet.MESSAGE_DOWN)
// from the tasklet that ended, holding its error or no value; demonitor; a linked failure failing
// the partner with Gtasklet.Error.LINKED; trap_exits turning it into an EXIT message.

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Gtasklet from 'gi://Gtasklet?version=1';

import {test, run, assert, assertEqual, assertRejects} from './tap.js';

Gio._promisify(Gtasklet.Tasklet.prototype, 'join_async', 'join_finish');

const isLinked = e => e instanceof GLib.Error &&
    e.matches(Gtasklet.Error, Gtasklet.Error.LINKED);

// A tasklet that waits for "go", then finishes with `outcome()` (a value, or a throw).
function target(outcome = () => true) {
    return Gtasklet.Tasklet.new((self, event) => {
        if (event === null) {
            self.receive(['go'], null, null);
            return true;
        }
        return outcome();
    });
}

// A tasklet that calls `first(self)` in its first step, then logs every message until "stop".
function recorder(first) {
    const log = [];
    const t = Gtasklet.Tasklet.new((self, event) => {
        if (event === null) {
            first(self);
        } else {
            if (event.get_name() === 'stop')
                return true;
            log.push({name: event.get_name(), sender: event.get_sender(), value: event.get_value()});
        }
        self.receive(['*'], null, null);
        return true;
    });
    return [t, log];
}

test('constants', () => {
    assertEqual(Gtasklet.MESSAGE_DOWN, 'gtasklet.down');
    assertEqual(Gtasklet.MESSAGE_EXIT, 'gtasklet.exit');
});

test('down-normal-and-error', async () => {
    const ok = target();
    const bad = target(() => {
        throw new GLib.Error(Gio.IOErrorEnum, Gio.IOErrorEnum.FAILED, 'bad ended');
    });
    ok.start();
    bad.start();
    let ids = [];
    const [watcher, log] = recorder(self => {
        ids = [self.monitor(ok), self.monitor(bad)];
        ok.send('go', null);
        bad.send('go', null);
    });
    watcher.start();
    await ok.join_async(null);
    await assertRejects(bad.join_async(null), () => {});
    watcher.send('stop', null);
    await watcher.join_async(null);
    assert(ids[0] > 0 && ids[1] > 0 && ids[0] !== ids[1], `ids ${ids}`);
    assertEqual(log.map(m => m.name), [Gtasklet.MESSAGE_DOWN, Gtasklet.MESSAGE_DOWN]);
    const down = sender => log.find(m => m.sender === sender);
    assertEqual(down(ok).value, null, 'no value after a normal finish:');
    const e = down(bad).value;
    assert(e instanceof GLib.Error && e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.FAILED), `${e}`);
    assertEqual(e.message, 'bad ended');
});

test('demonitor', async () => {
    const t = target();
    t.start();
    const [watcher, log] = recorder(self => {
        const first = self.monitor(t);
        self.monitor(t);
        self.demonitor(first);
        t.send('go', null);
    });
    watcher.start();
    await t.join_async(null);
    watcher.send('stop', null);
    await watcher.join_async(null);
    assertEqual(log.length, 1, 'one DOWN of two monitors:');
});

test('link-failure-fails-partner', async () => {
    const t = target(() => {
        throw new Error('partner broke');
    });
    t.start();
    const [linker] = recorder(self => {
        self.link(t);
        t.send('go', null);
    });
    linker.start();
    await assertRejects(linker.join_async(null), e => {
        assert(isLinked(e), `${e}`);
        assert(/partner broke/.test(e.message), e.message);
    });
    await assertRejects(t.join_async(null), () => {});
});

test('trap-exits', async () => {
    const bad = target(() => {
        throw new GLib.Error(Gio.IOErrorEnum, Gio.IOErrorEnum.FAILED, 'bad ended');
    });
    const good = target();
    bad.start();
    good.start();
    const [linker, log] = recorder(self => {
        self.trap_exits = true;
        self.link(bad);
        self.link(good);
        bad.send('go', null);
        good.send('go', null);
    });
    linker.start();
    assert(linker.get_trap_exits(), 'trap-exits set');
    await assertRejects(bad.join_async(null), () => {});
    await good.join_async(null);
    linker.send('stop', null);
    await linker.join_async(null);
    assertEqual(log.map(m => m.name), [Gtasklet.MESSAGE_EXIT, Gtasklet.MESSAGE_EXIT]);
    assert(log.find(m => m.sender === bad).value instanceof GLib.Error, 'the error');
    assertEqual(log.find(m => m.sender === good).value, null, 'a normal finish:');
});

test('unlink', async () => {
    const t = target(() => {
        throw new Error('partner broke');
    });
    t.start();
    const [linker, log] = recorder(self => {
        self.link(t);
        self.unlink(t);
        self.monitor(t);
        t.send('go', null);
    });
    linker.start();
    await assertRejects(t.join_async(null), () => {});
    linker.send('stop', null);
    await linker.join_async(null);
    assertEqual(log.map(m => m.name), [Gtasklet.MESSAGE_DOWN]);
});

run();
