// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Every export of gtasklet.js, used through gtasklet.d.ts: tsc checks the uses against
// the declarations, and gjs checks that each one does at run time what its type says.
// The `declared` table makes tsc fail when the declarations name an export the module
// lacks or miss one it has; at run time it is compared with the module's real exports.

import GLib from 'gi://GLib?version=2.0';
import GObject from 'gi://GObject?version=2.0';
import Gio from 'gi://Gio?version=2.0';
import Gtasklet from 'gi://Gtasklet?version=1';
import System from 'system';
import type * as Api from 'resource:///org/gnome/Gtasklet/js/gtasklet.js';
import type {Event, TaskletGenerator} from 'resource:///org/gnome/Gtasklet/js/gtasklet.js';

void Gtasklet.Tasklet;
const gtasklet = await import('resource:///org/gnome/Gtasklet/js/gtasklet.js');

let n = 0;
let failed = 0;
function check(name: string, ok: boolean, detail: unknown = ''): void {
    n++;
    if (!ok)
        failed++;
    print(`${ok ? 'ok' : 'not ok'} ${n} - ${name}${ok ? '' : ` # ${String(detail)}`}`);
}

const declared: Record<keyof typeof Api, true> = {
    Gtasklet: true, unbox: true, resultOf: true, valueOf: true, getEvent: true,
    Message: true, messageDest: true, ACCEPT: true, DEFER: true, DISCARD: true,
    WaitCondition: true, WaitForTimeout: true, WaitForIdle: true, WaitForIO: true,
    WaitForSignal: true, signalArgs: true, WaitForProcess: true, WaitForTasklet: true,
    WaitForMessages: true, WaitForAsync: true, WaitForCancellable: true,
    originalError: true, run: true, runUntilFinished: true, Tasklet: true,
    join: true, wait: true, sleep: true,
};
const real = Object.keys(gtasklet).sort().join(' ');
check('declared-exports-are-the-real-ones', Object.keys(declared).sort().join(' ') === real,
      real);

// -- values, messages ---------------------------------------------------------------------

check('Gtasklet', gtasklet.Gtasklet === Gtasklet);
check('unbox', gtasklet.unbox(5) === 5);
check('ACCEPT-DEFER-DISCARD', gtasklet.ACCEPT === Gtasklet.MessageAction.ACCEPT &&
      gtasklet.DEFER === Gtasklet.MessageAction.DEFER &&
      gtasklet.DISCARD === Gtasklet.MessageAction.DISCARD);
check('WaitCondition', gtasklet.WaitCondition === Gtasklet.WaitCondition);

function* receiver(): TaskletGenerator<unknown[]> {
    const first: Event | boolean = yield gtasklet.WaitForMessages('list');
    const again = yield new gtasklet.WaitForMessages({accept: ['list']});
    const event = gtasklet.getEvent();
    if (!(first instanceof Gtasklet.Message) || again !== event ||
        !(event instanceof gtasklet.Message))
        throw new Error('not a message');
    return [gtasklet.valueOf(first), gtasklet.valueOf(event)];
}

function* sender(dest: Gtasklet.Tasklet): TaskletGenerator<boolean> {
    const msg = gtasklet.Message('list', dest, [1, 2]);
    check('messageDest', gtasklet.messageDest(msg) === dest);
    const sent = yield msg;
    yield new gtasklet.Message('list', {dest, value: ['three']});
    return sent === true;
}

const inbox = gtasklet.run(receiver());
check('Message-run-runUntilFinished', gtasklet.runUntilFinished(sender(inbox)) === true);
check('valueOf-resultOf',
      JSON.stringify(gtasklet.resultOf(inbox)) === '[[1,2],["three"]]',
      JSON.stringify(gtasklet.resultOf(inbox)));

// -- wait conditions ----------------------------------------------------------------------

function* conditions(): TaskletGenerator<string> {
    const timeout = new gtasklet.WaitForTimeout(1, GLib.PRIORITY_DEFAULT);
    const fired = yield [gtasklet.WaitForTimeout(60000), timeout];
    check('WaitForTimeout', fired === timeout && fired instanceof gtasklet.WaitForTimeout);
    const idle = yield gtasklet.WaitForIdle(GLib.PRIORITY_LOW);
    check('WaitForIdle', idle instanceof Gtasklet.WaitForIdle);
    const io = yield gtasklet.WaitForIO(1, GLib.IOCondition.OUT);   // stdout: a pipe
    check('WaitForIO', io instanceof Gtasklet.WaitForIO);
    const child = yield gtasklet.WaitForTasklet(gtasklet.run((function* () {
        yield gtasklet.WaitForIdle();
        return 'child';
    })()));
    check('WaitForTasklet', child instanceof Gtasklet.WaitForTasklet &&
          gtasklet.resultOf(child) === 'child');
    const cond = gtasklet.WaitForAsync();
    const file = Gio.File.new_for_path('/');
    file.query_info_async('standard::type', Gio.FileQueryInfoFlags.NONE,
                          GLib.PRIORITY_DEFAULT, null, cond.callback);
    yield cond;
    const info = file.query_info_finish(cond.get_result()!);
    check('WaitForAsync', info.get_file_type() === Gio.FileType.DIRECTORY);
    const cancellable = new Gio.Cancellable();
    cancellable.cancel();
    const cancelled = yield gtasklet.WaitForCancellable(cancellable);
    check('WaitForCancellable', cancelled instanceof Gtasklet.WaitForCancellable);
    return 'conditions';
}
check('conditions', gtasklet.runUntilFinished(conditions()) === 'conditions');

// -- async functions ------------------------------------------------------------------------

const action = new Gio.SimpleAction({
    name: 'poke', parameterType: new GLib.VariantType('s'),
});
const poked = gtasklet.wait(gtasklet.WaitForSignal(action, 'activate'));
action.activate(new GLib.Variant('s', 'poked'));
const signal = await poked;
const [param] = signal instanceof Gtasklet.WaitForSignal ? gtasklet.signalArgs(signal) : [];
check('wait-WaitForSignal-signalArgs',
      param instanceof GLib.Variant && param.unpack() === 'poked');

const proc = Gio.Subprocess.new(['true'], Gio.SubprocessFlags.NONE);
check('WaitForProcess', await gtasklet.wait(gtasklet.WaitForProcess(proc)) instanceof
      Gtasklet.WaitForProcess);

const never = new Gio.Cancellable();
const waiting = gtasklet.wait(gtasklet.WaitForTimeout(60000), never);
never.cancel();
try {
    await waiting;
    check('wait-cancellable', false, 'resolved');
} catch (e) {
    check('wait-cancellable', e instanceof GLib.Error &&
          e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED), e);
}

check('sleep', (await gtasklet.sleep(1)) instanceof Gtasklet.WaitForTimeout);

const failing = gtasklet.run((function* (): TaskletGenerator<never> {
    yield gtasklet.WaitForIdle();
    throw new RangeError('too far');
})());
try {
    await gtasklet.join(failing);
    check('join-originalError', false, 'resolved');
} catch (e) {
    check('join-originalError', gtasklet.originalError(failing) instanceof RangeError, e);
}

// Promisified by the module on import: the generated Promise overload works.
const joined = await gtasklet.run((function* () {
    yield gtasklet.WaitForIdle();
    return 7;
})()).join_async(null);
check('join_async-promise', joined === 7, joined);

// -- Tasklet ------------------------------------------------------------------------------

const direct = new gtasklet.Tasklet((function* () {
    yield gtasklet.WaitForIdle();
    return 'direct';
})(), {name: 'direct'});
check('Tasklet-gen', await gtasklet.join(direct) === 'direct' &&
      direct.get_name() === 'direct');

const Doubler = GObject.registerClass(class Doubler extends gtasklet.Tasklet {
    private x: number;

    constructor(x: number) {
        super({name: 'doubler'});
        this.x = x;
    }

    *run(): TaskletGenerator<number> {
        yield gtasklet.WaitForIdle();
        return 2 * this.x;
    }
});
check('Tasklet-subclass', gtasklet.runUntilFinished(new Doubler(21)) === 42);

print(`1..${n}`);
System.exit(failed === 0 ? 0 : 1);
