// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The TypeScript program of doc/typescript.md: a Gtasklet.Tasklet subclass in
// the plain API, a seed-style generator tasklet from gtasklet.js, messages and
// joins. The 'typescript' test suite type-checks it, runs it under gjs and
// compares its output.

import GObject from 'gi://GObject?version=2.0';
import Gtasklet from 'gi://Gtasklet?version=1';
// Types only: erased from the JS, so GJS does not fetch the module too early.
import type {TaskletGenerator}
    from 'resource:///org/gnome/Gtasklet/js/gtasklet.js';

void Gtasklet.Tasklet;   // loads libgtasklet-1, which registers the resource
const gtasklet =
    await import('resource:///org/gnome/Gtasklet/js/gtasklet.js');

// The plain API: one step per call of vfunc_run, as in C.
const Printer = GObject.registerClass(
class Printer extends Gtasklet.Tasklet {
    private inbox = gtasklet.WaitForMessages(['print', 'quit']);
    private printed = 0;

    vfunc_run(event: GObject.Object | null): boolean {
        if (event instanceof Gtasklet.Message) {
            if (event.get_name() === 'quit') {
                this.return_value(this.printed);
                return true;                    // no wait: finish
            }
            print(`>>> ${gtasklet.valueOf(event)}`);
            this.printed++;
        }
        this.wait(this.inbox);
        return true;
    }
});

// A generator tasklet: yield what to wait for, or a message to send.
function* counter(printer: Gtasklet.Tasklet,
                  n: number): TaskletGenerator<number> {
    const tick = gtasklet.WaitForTimeout(10);
    for (let i = 0; i < n; i++) {
        yield gtasklet.Message('print', printer, i);
        yield tick;
    }
    yield gtasklet.Message('quit', {dest: printer});
    return n;
}

// A seed-style subclass: its *run() is the generator, started by new.
const Greeter = GObject.registerClass(
class Greeter extends gtasklet.Tasklet {
    private who: string;

    constructor(who: string) {
        super();
        this.who = who;
    }

    *run(): TaskletGenerator<string> {
        yield gtasklet.WaitForIdle();
        return `hello, ${this.who}`;
    }
});

const printer = new Printer();
printer.start();
const sent: number = gtasklet.runUntilFinished(counter(printer, 3));
// gtasklet.js promisifies join_async, so the generated Promise form works.
const printed = await printer.join_async(null);
print(`sent ${sent}, printed ${printed}`);
print(await gtasklet.join(new Greeter('TypeScript')));
