// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Tasklets from GJS: a subclass overriding vfunc_run, closure tasklets, join with
// Gio._promisify + await, JS exceptions failing a tasklet, results, cancellation.

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtasklet from 'gi://Gtasklet?version=1';
import System from 'system';

import {test, run, assert, assertEqual, assertRejects, later, until} from './tap.js';

Gio._promisify(Gtasklet.Tasklet.prototype, 'join_async', 'join_finish');

const Counter = GObject.registerClass({
    GTypeName: 'TestJsCounter',
}, class Counter extends Gtasklet.Tasklet {
    constructor(n, props = {}) {
        super(props);
        this.n = n;
        this.ticks = 0;
        this.events = [];
        this.timeout = Gtasklet.WaitForTimeout.new(5);
    }

    vfunc_run(event) {
        this.events.push(event);
        if (event !== null) {
            assert(event === this.timeout, 'the event is the condition that fired');
            this.ticks++;
        }
        if (this.ticks === this.n) {
            this.return_value(this.n);
            return true;
        }
        this.wait(this.timeout);
        return true;
    }
});

const Failing = GObject.registerClass({
    GTypeName: 'TestJsFailing',
}, class Failing extends Gtasklet.Tasklet {
    constructor(makeError) {
        super();
        this.makeError = makeError;
    }

    vfunc_run(event) {
        if (event === null) {
            this.wait(Gtasklet.WaitForIdle.new());
            return true;
        }
        throw this.makeError();
    }
});

const isCancelled = e => e instanceof GLib.Error &&
    e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED);

test('subclass-vfunc-run', async () => {
    const t = new Counter(3);
    assertEqual(t.get_state(), Gtasklet.State.NEW);
    t.start();
    assertEqual(t.events, [null], 'first step inside start():');
    assertEqual(t.get_state(), Gtasklet.State.SUSPENDED);
    const result = await t.join_async(null);
    assertEqual(result, 3);
    assertEqual(t.get_result(), 3);
    assertEqual(t.get_state(), Gtasklet.State.FINISHED);
    assert(t instanceof Gtasklet.Tasklet);
    assert(GObject.type_is_a(Counter.$gtype, Gtasklet.Tasklet.$gtype));
});

test('closure-tasklet-new', async () => {
    const log = [];
    const t = Gtasklet.Tasklet.new((tasklet, event) => {
        log.push(event);
        assert(Gtasklet.Tasklet.get_current() === tasklet, 'get_current() in a step');
        if (event === null) {
            tasklet.wait(Gtasklet.WaitForIdle.new());
            return true;
        }
        tasklet.return_value('closure');
        return true;
    });
    t.start();
    assertEqual(await t.join_async(null), 'closure');
    assert(log[0] === null && log[1] instanceof Gtasklet.WaitForIdle);
    assert(Gtasklet.Tasklet.get_current() === null);
});

test('results-of-every-kind', async () => {
    const obj = new Gio.SimpleAction({name: 'payload'});
    const jsobj = {native: [1, 2, 3]};
    const variant = new GLib.Variant('(si)', ['v', 1]);
    const cases = [7, -1.5, 2 ** 40, 'text', true, null, obj, jsobj, variant];
    for (const value of cases) {
        const t = Gtasklet.Tasklet.new(tasklet => {
            tasklet.return_value(value);
            return true;
        });
        t.start();
        // eslint-disable-next-line no-await-in-loop
        const result = await t.join_async(null);
        if (value instanceof GLib.Variant)
            assert(result.equal(value), 'variant result');
        else
            assert(result === value, `result ${result} === ${value}`);
    }
    const none = Gtasklet.Tasklet.new(() => true);
    none.start();
    assertEqual(await none.join_async(null), null);
});

test('js-exception-fails-tasklet-loop-keeps-running', async () => {
    const failing = new Failing(() => new TypeError('boom'));
    failing.start();
    const seen = {};
    const watcher = Gtasklet.Tasklet.new((tasklet, event) => {
        if (event === null) {
            tasklet.wait(Gtasklet.WaitForTasklet.new(failing));
            return true;
        }
        const error = event.get_error();
        seen.message = error.message;
        seen.result = event.get_result();
        return true;
    });
    watcher.start();
    let ticks = 0;
    const timeout = Gtasklet.WaitForTimeout.new(2);
    const ticker = Gtasklet.Tasklet.new((tasklet, event) => {
        if (event !== null)
            ticks++;
        if (ticks < 5)
            tasklet.wait(timeout);
        return true;
    });
    ticker.start();
    // A JS error comes back as the same JS class (GI-NOTES), with its message.
    await assertRejects(failing.join_async(null), e => {
        assert(e instanceof TypeError, `a TypeError, got ${e}`);
        assertEqual(e.message, 'boom');
    });
    assertEqual(failing.get_error().message, 'boom');
    await watcher.join_async(null);
    assertEqual(seen, {message: 'boom', result: null});
    await ticker.join_async(null);
    assertEqual(ticks, 5, 'the loop kept running:');
});

test('glib-error-keeps-its-domain', async () => {
    const t = new Failing(() => new GLib.Error(Gio.IOErrorEnum, Gio.IOErrorEnum.NOT_FOUND,
        'no such thing'));
    t.start();
    await assertRejects(t.join_async(null), e => {
        assert(e instanceof GLib.Error, 'a GLib.Error');
        assert(e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.NOT_FOUND), `${e}`);
        assertEqual(e.message, 'no such thing');
    });
});

test('closure-exception', async () => {
    const t = Gtasklet.Tasklet.new(() => {
        throw new RangeError('out of range');
    });
    t.start();
    assertEqual(t.get_state(), Gtasklet.State.FINISHED);
    await assertRejects(t.join_async(null), e => assert(e instanceof RangeError, `${e}`));
});

test('cancel-while-waiting', async () => {
    const t = new Counter(1000);
    t.start();
    await until(() => t.ticks >= 2);
    t.cancel();
    await assertRejects(t.join_async(null), e => assert(isCancelled(e), `${e}`));
    assert(t.get_cancellable().is_cancelled());
    assert(t.ticks >= 2 && t.ticks < 1000, `ticks ${t.ticks}`);
});

test('cancel-before-start-and-after-finish', async () => {
    let ran = false;
    const t = Gtasklet.Tasklet.new(() => {
        ran = true;
        return true;
    });
    t.cancel();
    t.start();
    await assertRejects(t.join_async(null), e => assert(isCancelled(e), `${e}`));
    assert(!ran, 'no step ran');

    const done = Gtasklet.Tasklet.new(tasklet => {
        tasklet.return_value(1);
        return true;
    });
    done.start();
    done.cancel();
    assertEqual(await done.join_async(null), 1);
});

test('shared-cancellable-and-wait-for-cancellable', async () => {
    const group = new Gio.Cancellable();
    const plain = new Counter(1000, {cancellable: group});
    let handled = null;
    const careful = Gtasklet.Tasklet.new_full(group, (tasklet, event) => {
        if (event === null) {
            tasklet.wait(Gtasklet.WaitForCancellable.new(tasklet.get_cancellable()));
            tasklet.wait(Gtasklet.WaitForTimeout.new(60000));
            return true;
        }
        handled = event;
        tasklet.return_value('cleaned up');
        return true;
    });
    assert(careful.get_cancellable() === group);
    plain.start();
    careful.start();
    later(10, () => group.cancel());
    await assertRejects(plain.join_async(null), e => assert(isCancelled(e), `${e}`));
    assertEqual(await careful.join_async(null), 'cleaned up');
    assert(handled instanceof Gtasklet.WaitForCancellable);
});

test('join-cancellable-stops-waiting-only', async () => {
    const t = new Counter(3);
    t.start();
    const stop = new Gio.Cancellable();
    stop.cancel();
    await assertRejects(t.join_async(stop), e => assert(isCancelled(e), `${e}`));
    assertEqual(await t.join_async(null), 3, 'the tasklet itself went on:');
});

test('finished-signal', async () => {
    const states = [];
    const t = Gtasklet.Tasklet.new(tasklet => {
        states.push(tasklet.get_state());
        return true;
    });
    t.connect('finished', tasklet => states.push(tasklet.get_state()));
    t.start();
    assertEqual(states, [Gtasklet.State.RUNNING, Gtasklet.State.FINISHED]);
});

test('temporary-tasklet-join-result', async () => {
    // Defect 13: the joined value belonged to the tasklet. Each tasklet here is referenced by
    // nothing once its join has completed and the garbage collector has run; every result
    // must still be right afterwards, and hold nothing once dropped.
    const temporary = value => {
        const t = Gtasklet.Tasklet.new((self, event) => {
            if (event === null)
                self.wait(Gtasklet.WaitForIdle.new());
            else
                self.return_value(value);
            return true;
        });
        t.start();
        return t;
    };
    const payload = new Gio.SimpleAction({name: 'payload'});
    const native = {native: [1, 2]};
    const baseline = System.refcount(payload);
    const text = await temporary('a string result').join_async(null);
    let obj = await temporary(payload).join_async(null);
    const jsobj = await temporary(native).join_async(null);
    const boxed = await temporary(GLib.DateTime.new_utc(2024, 5, 6, 7, 8, 9)).join_async(null);
    assert(obj === payload && System.refcount(payload) > baseline,
        'the tasklet still holds the payload as its result');
    obj = null;
    // Once collected, the tasklets are gone: then only our JS wrapper holds the payload (a
    // copy of the result that nobody freed would hold it too).
    for (let i = 0; i < 200 && System.refcount(payload) !== baseline; i++) {
        System.gc();
        // eslint-disable-next-line no-await-in-loop
        await new Promise(resolve => later(1, resolve));
    }
    assertEqual(System.refcount(payload), baseline, 'references to the payload:');
    const number = await temporary(42).join_async(null);     // another join after that
    assertEqual(text, 'a string result');
    assertEqual(number, 42);
    assert(jsobj === native, 'a JS object comes back by identity');
    assert(boxed instanceof GLib.DateTime, 'a boxed result');
    assertEqual(boxed.format('%F %T'), '2024-05-06 07:08:09');
});

run();
