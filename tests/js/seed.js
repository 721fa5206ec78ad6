// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The gtasklet.js module in the seed's style: the seed's two docstring examples and its
// _test(), written with JS generators in the seed's vocabulary (run, getEvent, yield of
// conditions, arrays of them, tasklets, generators and Messages), with every delay D
// shortened to ms(D); then the module's own behaviour (await, errors, cancellation).

import GObject from 'gi://GObject';
import Gio from 'gi://Gio';

import * as gtasklet from '../../bindings/gjs/gtasklet.js';
import {test, run, assert, assertEqual, assertRejects, diag, later} from './tap.js';

const SCALE = 20;                       // 20 times faster than the seed
const ms = seedMs => Math.max(1, Math.trunc(seedMs / SCALE));
const printed = [];
const print = (...args) => {            // capture the seed's output
    printed.push(args);
    diag(args.join(' '));
};

// The seed's GLib.MainLoop, as a promise the test awaits (the harness runs the real loop).
class MainLoop {
    constructor() {
        this.done = new Promise(resolve => {
            this.resolve = resolve;
        });
    }

    run() {
        return this.done;
    }

    quit() {
        this.resolve();
    }
}

// -- Example: "Background timeout task" -----------------------------------------------------

function exampleBackgroundTimeoutTask() {
    const mainloop = new MainLoop();

    function* simpleCounter(numbers) {
        const timeout = gtasklet.WaitForTimeout(ms(1000));
        for (let x = 0; x < numbers; x++) {
            print(x);
            yield timeout;
            gtasklet.getEvent();
        }
        mainloop.quit();
    }

    gtasklet.run(simpleCounter(10));
    return mainloop.run();
}

// -- Example: "Message passing" -------------------------------------------------------------

function exampleMessagePassing() {
    const mainloop = new MainLoop();

    function* printer() {
        const msgwait = gtasklet.WaitForMessages({accept: ['quit', 'print']});
        for (;;) {
            yield msgwait;
            const msg = gtasklet.getEvent();
            if (msg.name === 'quit')
                return;
            assert(msg.name === 'print');
            print('>>> ', msg.value);
        }
    }

    function* simpleCounter(numbers, task) {
        const timeout = gtasklet.WaitForTimeout(ms(1000));
        for (let x = 0; x < numbers; x++) {
            yield gtasklet.Message('print', {dest: task, value: x});
            yield timeout;
            gtasklet.getEvent();
        }
        yield gtasklet.Message('quit', {dest: task});
        mainloop.quit();
    }

    const task = gtasklet.run(printer());
    gtasklet.run(simpleCounter(10, task));
    return mainloop.run().then(() => task);
}

// -- The seed's _test() ---------------------------------------------------------------------

const randint = (a, b) => a + Math.floor(Math.random() * (b - a + 1));

const CountSomeNumbers2 = GObject.registerClass(
class CountSomeNumbers2 extends gtasklet.Tasklet {
    // Counts numbers with at random time spacings
    constructor(count, timeout) {
        super();
        this.count = count;
        this.timeout = timeout;
        this.start();                   // the seed starts in Tasklet.__init__
    }

    *run() {
        for (let i = 0; i < this.count; i++) {
            print('>> _count_some_numbers2', i);
            yield [gtasklet.WaitForTimeout(ms(randint(70, this.timeout))),
                gtasklet.WaitForMessages({accept: 'quit'})];
            const event = gtasklet.getEvent();
            if (event instanceof gtasklet.Message && event.name === 'quit') {
                // this would be the place to do some cleanup.
                return;
            }
        }
        return this.count * 2;
    }
});

function* countSomeNumbers1(count) {
    // Counts numbers with at fixed time spacings
    const timeout = gtasklet.WaitForTimeout(ms(1000));
    for (let i = 0; i < count; i++) {
        print('_count_some_numbers1', i);
        const task2 = new CountSomeNumbers2(10, 130);
        yield [timeout, task2];
        const event = gtasklet.getEvent();
        if (event === timeout) {
            print('>>> Got tired of waiting for task!! Canceling!');
            // send a message asking the tasklet to stop
            yield gtasklet.Message('quit', {dest: task2});
        } else if (event instanceof gtasklet.WaitForTasklet) {
            print(`>>> task returned ${event.get_result()}, good task!`);
            // restart timeout from scratch, otherwise it keeps running and we end up giving
            // the next task too little time.
            timeout.restart();
        } else {
            throw new Error('strange event');
        }
    }
}

function seedTest(count = 100) {
    // a simple test/example
    return gtasklet.join(new gtasklet.Tasklet(countSomeNumbers1(count)));
}

// -- tests ----------------------------------------------------------------------------------

test('seed-example-background-timeout-task', async () => {
    printed.length = 0;
    await exampleBackgroundTimeoutTask();
    assertEqual(printed, [...Array(10).keys()].map(x => [x]));
});

test('seed-example-message-passing', async () => {
    printed.length = 0;
    const task = await exampleMessagePassing();
    assertEqual(printed, [...Array(10).keys()].map(x => ['>>> ', x]));
    assertEqual(await gtasklet.join(task), null, 'the printer got quit:');
});

test('seed-test', async () => {
    printed.length = 0;
    await seedTest(12);
    const rounds = printed.filter(p => p[0] === '_count_some_numbers1');
    const results = printed.filter(p => String(p[0]).startsWith('>>> task returned'));
    const tired = printed.filter(p => String(p[0]).startsWith('>>> Got tired'));
    assertEqual(rounds.length, 12);
    assertEqual(results.length + tired.length, 12);
    assert(results.every(p => p[0] === '>>> task returned 20, good task!'), 'results are 20');
    diag(`results: ${results.length}, cancellations: ${tired.length}`);
});

test('await-tasklets-and-conditions', async () => {
    function* child(n) {
        const event = yield gtasklet.WaitForIdle();
        assert(event instanceof gtasklet.WaitForIdle);
        return [n, n + 1];              // an array result, boxed by the module
    }
    assertEqual(await gtasklet.join(gtasklet.run(child(1))), [1, 2]);
    function* parent() {
        const event = yield child(5);
        return gtasklet.resultOf(event);
    }
    assertEqual(await gtasklet.join(new gtasklet.Tasklet(parent())), [5, 6]);
    const timeout = gtasklet.WaitForTimeout(1);
    assert(await gtasklet.wait(timeout) === timeout);
    const t = gtasklet.run(child(7));
    await t.join_async(null);                   // Gio._promisify applied by the module
    assertEqual(gtasklet.resultOf(t), [7, 8]);
});

test('generator-error-fails-tasklet', async () => {
    function* body() {
        yield gtasklet.WaitForIdle();
        throw new SyntaxError('bad step');
    }
    const t = gtasklet.run(body());
    await assertRejects(gtasklet.join(t), e => {
        assert(e instanceof SyntaxError && e.message === 'bad step', `${e}`);
    });
    assertEqual(t.get_error().message, 'bad step');
});

test('cancel-runs-finally', async () => {
    const log = [];
    function* body() {
        try {
            yield gtasklet.WaitForTimeout(100000);
        } finally {
            log.push('finally');
        }
    }
    const t = gtasklet.run(body(), new Gio.Cancellable());
    later(1, () => t.cancel());
    await assertRejects(gtasklet.join(t),
        e => assert(e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED), `${e}`));
    assertEqual(log, ['finally']);
});

test('misuse-is-reported', async () => {
    let error = null;
    try {
        gtasklet.getEvent();
    } catch (e) {
        error = e;
    }
    assert(error && /outside a generator tasklet step/.test(error.message), `${error}`);
    function* body() {
        yield gtasklet.Message('nowhere');
    }
    await assertRejects(gtasklet.join(gtasklet.run(body())),
        e => assert(/needs a destination/.test(e.message), `${e}`));
});

run();
