// SPDX-License-Identifier: LGPL-2.1-or-later
//
// gtasklet.js: a step returning undefined counts as true; a generator sees a failed child at
// its `yield` (the child's own exception) and its cancellation in `catch`; seed-style
// subclasses start when their constructor returns; runUntilFinished() runs a main tasklet.

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtasklet from 'gi://Gtasklet?version=1';

import * as gtasklet from '../../bindings/gjs/gtasklet.js';
import {test, run, assert, assertEqual, assertRejects, until} from './tap.js';

const isCancelled = e => e instanceof GLib.Error &&
    e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED);

// Registered after the module was imported: its vfunc_run may return undefined.
const Idler = GObject.registerClass({
    GTypeName: 'TestJsErrorsIdler',
}, class Idler extends Gtasklet.Tasklet {
    constructor() {
        super();
        this.steps = 0;
    }

    vfunc_run(event) {
        if (this.steps++ === 0)
            this.wait(Gtasklet.WaitForIdle.new());
        // no return: undefined
    }
});

const Thrower = GObject.registerClass({
    GTypeName: 'TestJsErrorsThrower',
}, class Thrower extends Gtasklet.Tasklet {
    vfunc_run(event) {
        throw new RangeError('out of range');
    }
});

// Under G_DEBUG=fatal-warnings a step returning FALSE without an error (a critical) aborts.
test('undefined-counts-as-true-vfunc', async () => {
    const t = new Idler();
    t.start();
    assertEqual(await gtasklet.join(t), null);
    assertEqual(t.steps, 2);
    assertEqual(t.get_error(), null);
});

test('undefined-counts-as-true-closure', async () => {
    let steps = 0;
    const t = Gtasklet.Tasklet.new((tasklet, event) => {
        if (steps++ === 0)
            tasklet.wait(Gtasklet.WaitForIdle.new());
    });
    t.start();
    assertEqual(await gtasklet.join(t), null);
    const f = Gtasklet.Tasklet.new_full(null, () => undefined);
    f.start();
    assertEqual(f.get_state(), Gtasklet.State.FINISHED);
    assertEqual(f.get_error(), null);
    assertEqual(steps, 2);
});

test('throwing-closure-keeps-its-exception', () => {
    const t = Gtasklet.Tasklet.new(() => {
        throw new Error('explicit');
    });
    t.start();
    assert(t.get_error() !== null, 'a throwing closure must fail the tasklet');
    assert(gtasklet.originalError(t) instanceof Error);
    assertEqual(gtasklet.originalError(t).message, 'explicit');
});

test('yield-failed-child-throws-its-error', async () => {
    const seen = [];
    const inner = new TypeError('inner');
    function* child() {
        yield gtasklet.WaitForIdle();
        throw inner;
    }
    const thrower = new Thrower();
    thrower.start();                    // already failed when yielded
    function* parent() {
        try {
            yield child();
        } catch (e) {
            seen.push(e);
        }
        try {
            yield thrower;
        } catch (e) {
            seen.push(e);
        }
        return 'handled';
    }
    assertEqual(await gtasklet.join(gtasklet.run(parent())), 'handled');
    assert(seen[0] === inner, `the child's own exception, got ${seen[0]}`);
    assert(seen[1] instanceof RangeError, `the vfunc's RangeError, got ${seen[1]}`);
    assertEqual(seen[1].message, 'out of range');
});

test('yield-failed-child-uncaught-fails-parent', async () => {
    const after = [];
    function* child() {
        yield gtasklet.WaitForIdle();
        throw new SyntaxError('child broke');
    }
    function* parent() {
        yield child();
        after.push('went on');
    }
    const p = gtasklet.run(parent());
    await assertRejects(gtasklet.join(p), e => {
        assert(e instanceof SyntaxError, `${e}`);
        assertEqual(e.message, 'child broke');
    });
    assertEqual(after, []);
});

test('explicit-wait-for-tasklet-does-not-throw', async () => {
    function* child() {
        yield gtasklet.WaitForIdle();
        throw new Error('gone');
    }
    function* parent() {
        const cond = yield gtasklet.WaitForTasklet(child());
        return cond.get_error() !== null;
    }
    assertEqual(await gtasklet.join(gtasklet.run(parent())), true);
});

test('wait-on-failed-tasklet-resolves', async () => {
    // wait() answers with the event, as before: only a generator's yield throws.
    const thrower = new Thrower();
    thrower.start();
    const cond = await gtasklet.wait(thrower);
    assert(cond instanceof Gtasklet.WaitForTasklet, `${cond}`);
    assert(cond.get_error() !== null);
    let error = null;
    try {
        gtasklet.wait(42);
    } catch (e) {
        error = e;
    }
    assert(error instanceof TypeError, `a bad argument throws at once, got ${error}`);
});

test('cancellation-reaches-catch', async () => {
    const seen = [];
    function* gen() {
        try {
            yield gtasklet.WaitForTimeout(60000);
        } catch (e) {
            seen.push(isCancelled(e) ? 'cancelled' : `${e}`);
            throw e;
        } finally {
            seen.push('finally');
        }
    }
    const t = gtasklet.run(gen());
    t.cancel();
    await until(() => t.get_state() === Gtasklet.State.FINISHED && seen.length === 2);
    assertEqual(seen, ['cancelled', 'finally']);
    assert(isCancelled(t.get_error()));
});

test('cancellation-swallowed-still-finishes', async () => {
    const seen = [];
    function* gen() {
        try {
            yield gtasklet.WaitForTimeout(60000);
        } catch (e) {
            seen.push('caught');
        }
        return 'ignored';
    }
    const t = gtasklet.run(gen());
    t.cancel();
    await until(() => t.get_state() === Gtasklet.State.FINISHED && seen.length === 1);
    assert(isCancelled(t.get_error()));
});

const Counter = GObject.registerClass({
    GTypeName: 'TestJsErrorsCounter',
}, class Counter extends gtasklet.Tasklet {
    constructor(n) {
        super();
        this.n = n;                     // the tasklet must not have started yet
    }

    *run() {
        for (let i = 0; i < this.n; i++)
            yield gtasklet.WaitForIdle();
        return this.n;
    }
});

const DoubleCounter = GObject.registerClass({
    GTypeName: 'TestJsErrorsDoubleCounter',
}, class DoubleCounter extends Counter {
    constructor(n) {
        super(n);
        this.n = 2 * n;                 // still before the first step
    }
});

test('seed-style-starts-after-constructor', () => {
    const c = new Counter(3);
    assert(c.get_state() !== Gtasklet.State.NEW, 'not started by the constructor');
    assert(c instanceof Counter && c instanceof gtasklet.Tasklet && c instanceof Gtasklet.Tasklet);
    c.start();                          // the old way: ignored
    assertEqual(gtasklet.runUntilFinished(c), 3);
    assertEqual(gtasklet.runUntilFinished(new DoubleCounter(2)), 4);
});

test('run-until-finished', () => {
    function* main() {
        yield gtasklet.WaitForTimeout(1);
        return [1, 2];                  // boxed by the module, unboxed again
    }
    assertEqual(gtasklet.runUntilFinished(main()), [1, 2]);
    const error = new URIError('bad');
    function* failing() {
        yield gtasklet.WaitForIdle();
        throw error;
    }
    let caught = null;
    try {
        gtasklet.runUntilFinished(failing());
    } catch (e) {
        caught = e;
    }
    assert(caught === error, `the generator's own exception, got ${caught}`);
});

run();
