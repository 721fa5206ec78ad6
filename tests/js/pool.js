// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Gtasklet.Pool from GJS: GJS runs JavaScript on its main thread only, so a tasklet whose
// step is JavaScript (a vfunc_run subclass, a closure tasklet) must never reach a worker:
// pool_start fails it at once with Gtasklet.Error.WRONG_THREAD, without running a step, and
// the pool stays usable.

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtasklet from 'gi://Gtasklet?version=1';

import {test, run, assert, assertEqual, assertRejects} from './tap.js';

Gio._promisify(Gtasklet.Tasklet.prototype, 'join_async', 'join_finish');

const isWrongThread = e => e instanceof GLib.Error &&
    e.matches(Gtasklet.Error, Gtasklet.Error.WRONG_THREAD);

const Stepper = GObject.registerClass({
    GTypeName: 'TestJsPoolStepper',
}, class Stepper extends Gtasklet.Tasklet {
    constructor() {
        super();
        this.steps = 0;
    }

    vfunc_run(_event) {
        this.steps++;
        return true;
    }
});

async function assertRefused(pool, tasklet, stepsOf) {
    pool.start(tasklet);
    assertEqual(tasklet.get_state(), Gtasklet.State.FINISHED, 'finished inside pool.start():');
    assert(isWrongThread(tasklet.get_error()), `WRONG_THREAD, got ${tasklet.get_error()}`);
    assert(/JavaScript/.test(tasklet.get_error().message), 'the message says why');
    assertEqual(stepsOf(), 0, 'no step ran:');
    await assertRejects(tasklet.join_async(null), isWrongThread);
}

test('subclass-refused', async () => {
    const pool = Gtasklet.Pool.new(2);
    const t = new Stepper();
    await assertRefused(pool, t, () => t.steps);
    assertEqual(pool.get_n_workers(), 2);
});

test('closure-refused', async () => {
    let steps = 0;
    const t = Gtasklet.Tasklet.new(() => {
        steps++;
        return true;
    });
    await assertRefused(Gtasklet.Pool.get_default(), t, () => steps);
});

test('pool-still-usable-after-refusals', async () => {
    // The refusals left nothing placed: a new pool can go away at once, and the same
    // tasklet type still runs on the main context.
    const pool = Gtasklet.Pool.new(1);
    await assertRefused(pool, new Stepper(), () => 0);
    const t = new Stepper();
    t.start();
    assertEqual(t.steps, 1);
    assertEqual(t.get_state(), Gtasklet.State.FINISHED);
    assertEqual(t.get_error(), null);
});

run();
