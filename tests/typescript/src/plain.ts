// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The plain API without gtasklet.js, and the promisify caveat of
// doc/typescript.md: the generated types declare join_async(cancellable) as a
// Promise, but GJS makes it one only after Gio._promisify(); before, the call
// throws. The 'typescript' suite runs it and compares its output (plain.out).

import GObject from 'gi://GObject?version=2.0';
import Gio from 'gi://Gio?version=2.0';
import Gtasklet from 'gi://Gtasklet?version=1';

const Answer = GObject.registerClass(
class Answer extends Gtasklet.Tasklet {
    vfunc_run(_event: GObject.Object | null): boolean {
        this.return_value(42);
        return true;
    }
});

const early = new Answer();
early.start();
try {
    await early.join_async(null);      // type-checks, but throws in GJS
    print('join_async is a promise without Gio._promisify');
} catch (e) {
    print(`without Gio._promisify: ${e instanceof Error ? e.name : e}`);
}

Gio._promisify(Gtasklet.Tasklet.prototype,
    'join_async', 'join_finish');
const answer = new Answer();
answer.start();
print(`joined: ${await answer.join_async(null)}`);
