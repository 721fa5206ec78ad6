// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Introspection from GJS: a condition written in JS describes itself (vfunc_describe) in the
// describe() of the tasklet waiting on it, and list_live() lists tasklets started from JS.

import GObject from 'gi://GObject';
import Gtasklet from 'gi://Gtasklet?version=1';

import {test, run, assert, assertEqual, until} from './tap.js';

// Fires when poke() is called; says which door it waits for.
const Door = GObject.registerClass({
    GTypeName: 'TestJsDoor',
}, class Door extends Gtasklet.WaitCondition {
    constructor(door) {
        super();
        this.door = door;
    }

    vfunc_describe() {
        return `door ${this.door}`;
    }

    poke() {
        this.fire();
    }
});

// The same without describe: the default gives its type name.
const Plain = GObject.registerClass({
    GTypeName: 'TestJsPlain',
}, class Plain extends Gtasklet.WaitCondition {});

// Waits once on `condition`, then finishes.
const WaitOnce = GObject.registerClass({
    GTypeName: 'TestJsWaitOnce',
}, class WaitOnce extends Gtasklet.Tasklet {
    constructor(condition, props = {}) {
        super(props);
        this.condition = condition;
    }

    vfunc_run(event) {
        if (event === null)
            this.wait(this.condition);
        return true;
    }
});

function isLive(tasklet) {
    const live = Gtasklet.Tasklet.list_live();
    assert(live.get_item_type() === Gtasklet.Tasklet.$gtype, 'item type');
    for (let i = 0; i < live.get_n_items(); i++) {
        if (live.get_item(i) === tasklet)
            return true;
    }
    return false;
}

test('condition-describes-itself', () => {
    const door = new Door('red');
    assertEqual(door.describe(), 'door red');
    assertEqual(new Plain().describe(), 'TestJsPlain');
});

test('tasklet-describe-shows-js-condition', async () => {
    const door = new Door('blue');
    const t = new WaitOnce(door, {name: 'porter'});
    assertEqual(t.describe().replace(/0x[0-9a-f]+/, 'ADDR'),
        "'porter' TestJsWaitOnce ADDR: new, mailbox 0");
    t.start();
    assertEqual(t.describe().replace(/0x[0-9a-f]+/, 'ADDR'),
        "'porter' TestJsWaitOnce ADDR: suspended, waiting for [door blue], mailbox 0");
    door.poke();
    await until(() => t.get_state() === Gtasklet.State.FINISHED);
    assertEqual(t.describe().replace(/0x[0-9a-f]+/, 'ADDR'),
        "'porter' TestJsWaitOnce ADDR: finished, mailbox 0");
});

test('name-property-and-notify', () => {
    const t = new WaitOnce(new Plain());
    let notified = 0;
    t.connect('notify::name', () => notified++);
    assertEqual(t.name, null);
    t.set_name('a');
    t.name = 'b';
    t.name = 'b';
    assertEqual(t.get_name(), 'b');
    assertEqual(notified, 2);
});

test('list-live', async () => {
    const door = new Door('green');
    const t = new WaitOnce(door);
    assert(!isLive(t), 'listed before start');
    t.start();
    assert(isLive(t), 'not listed while waiting');
    door.poke();
    await until(() => t.get_state() === Gtasklet.State.FINISHED);
    assert(!isLive(t), 'listed after finishing');
});

test('statistics', async () => {
    const before = Gtasklet.Tasklet.get_statistics_enabled();
    Gtasklet.Tasklet.set_statistics_enabled(true);
    try {
        const door = new Door('stats');
        const t = new WaitOnce(door);
        t.start();
        door.poke();
        await until(() => t.get_state() === Gtasklet.State.FINISHED);
        const stats = t.get_statistics();
        assertEqual(stats.n_steps, 2);
        assertEqual(stats.n_received, 0);
        assertEqual(stats.mailbox_depth, 0);
        assertEqual(stats.oldest_message_age_ms, -1);
        assert(stats.longest_step_ns > 0 && stats.longest_step_ns <= stats.total_step_ns,
            'step times');
    } finally {
        Gtasklet.Tasklet.set_statistics_enabled(before);
    }
});

run();
