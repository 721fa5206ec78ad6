// SPDX-License-Identifier: LGPL-2.1-or-later
//
// A tiny TAP harness for the GJS binding tests: test(name, asyncFn) registers a test, run()
// runs them in order inside a GLib main loop, prints `ok N - name` lines and the plan, and
// exits non-zero on failure. Every test has a deadline; no test sleeps.

import GLib from 'gi://GLib';
import System from 'system';

const tests = [];

export function test(name, fn) {
    tests.push([name, fn]);
}

export function diag(...args) {
    for (const line of args.join(' ').split('\n'))
        print(`# ${line}`);
}

export function assert(condition, message = 'assertion failed') {
    if (!condition)
        throw new Error(message);
}

export function assertEqual(actual, expected, message = '') {
    const a = JSON.stringify(actual), e = JSON.stringify(expected);
    if (a !== e)
        throw new Error(`${message} expected ${e}, got ${a}`);
}

export async function assertRejects(promise, check, message = 'expected a rejection') {
    let error = null;
    try {
        await promise;
    } catch (e) {
        error = e;
    }
    assert(error !== null, message);
    check(error);
    return error;
}

// Resolves after the main loop ran for `ms`: for tests that send from the loop later.
export function later(ms, fn) {
    GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
        fn();
        return GLib.SOURCE_REMOVE;
    });
}

// Resolves once predicate() holds, checking every millisecond of main-loop time.
export function until(predicate) {
    return new Promise(resolve => {
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, 1, () => {
            if (!predicate())
                return GLib.SOURCE_CONTINUE;
            resolve();
            return GLib.SOURCE_REMOVE;
        });
    });
}

function withDeadline(promise, ms) {
    let id = 0;
    const deadline = new Promise((_, reject) => {
        id = GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
            id = 0;
            reject(new Error(`timed out after ${ms} ms`));
            return GLib.SOURCE_REMOVE;
        });
    });
    return Promise.race([promise, deadline]).finally(() => {
        if (id)
            GLib.source_remove(id);
    });
}

export function run() {
    const loop = new GLib.MainLoop(null, false);
    let failures = 0;
    (async () => {
        print(`1..${tests.length}`);
        for (const [i, [name, fn]] of tests.entries()) {
            try {
                // eslint-disable-next-line no-await-in-loop
                await withDeadline(Promise.resolve().then(fn), 20000);
                print(`ok ${i + 1} - ${name}`);
            } catch (e) {
                failures++;
                print(`not ok ${i + 1} - ${name}`);
                diag(`${e}\n${e.stack ?? ''}`);
            }
        }
    })().catch(e => {
        failures++;
        diag(`harness: ${e}`);
    }).finally(() => loop.quit());
    loop.run();
    System.exit(failures ? 1 : 0);
}
