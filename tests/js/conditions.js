// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Every wait condition from GJS, and wait conditions written in JS. The tasklets here are
// generator tasklets of the gtasklet.js module; tasklet.js covers the raw API.

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtasklet from 'gi://Gtasklet?version=1';

import * as gtasklet from '../../bindings/gjs/gtasklet.js';
import {test, run, assert, assertEqual, later} from './tap.js';

const Emitter = GObject.registerClass({
    GTypeName: 'TestJsEmitter',
    Properties: {
        level: GObject.ParamSpec.int('level', null, null, GObject.ParamFlags.READWRITE,
            0, 100, 0),
    },
    Signals: {
        poked: {param_types: [GObject.TYPE_INT, GObject.TYPE_STRING]},
    },
}, class Emitter extends GObject.Object {});

test('timeout-periodic-and-restart', async () => {
    function* body() {
        const timeout = gtasklet.WaitForTimeout(5);
        assertEqual(timeout.get_interval(), 5);
        let fired = 0;
        for (let i = 0; i < 3; i++) {           // kept armed: periodic
            const event = yield timeout;
            assert(event === timeout && gtasklet.getEvent() === timeout);
            fired++;
        }
        timeout.restart();
        yield timeout;
        const long = gtasklet.WaitForTimeout(60000, GLib.PRIORITY_HIGH);
        assertEqual(long.priority, GLib.PRIORITY_HIGH);
        const event = yield [long, timeout];    // wait-any
        assert(event === timeout);
        return fired + 1;
    }
    assertEqual(await gtasklet.join(gtasklet.run(body())), 4);
});

test('idle', async () => {
    function* body() {
        const idle = gtasklet.WaitForIdle(GLib.PRIORITY_LOW);
        assertEqual(idle.get_priority(), GLib.PRIORITY_LOW);
        const event = yield idle;
        assert(event instanceof Gtasklet.WaitForIdle && event instanceof gtasklet.WaitForIdle);
        return 'idle';
    }
    assertEqual(await gtasklet.join(gtasklet.run(body())), 'idle');
});

test('io-on-a-pipe', async () => {
    // cat copies its stdin pipe to its stdout pipe: wait for the data with WaitForIO.
    const proc = Gio.Subprocess.new(['cat'],
        Gio.SubprocessFlags.STDIN_PIPE | Gio.SubprocessFlags.STDOUT_PIPE);
    const stdout = proc.get_stdout_pipe();
    function* body() {
        const cond = gtasklet.WaitForIO(stdout.get_fd(), GLib.IOCondition.IN);
        assertEqual(cond.get_fd(), stdout.get_fd());
        later(1, () => {
            proc.get_stdin_pipe().write_all(new TextEncoder().encode('ping'), null);
            proc.get_stdin_pipe().close(null);
        });
        const event = yield cond;
        assert(event === cond);
        assert(event.get_condition() & GLib.IOCondition.IN, 'IN occurred');
        const data = new TextDecoder().decode(stdout.read_bytes(16, null).toArray());
        yield gtasklet.WaitForProcess(proc);
        return data;
    }
    assertEqual(await gtasklet.join(gtasklet.run(body())), 'ping');
});

test('io-on-a-socket', async () => {
    const client = new Gio.SocketClient();
    const service = new Gio.SocketService();
    const port = service.add_any_inet_port(null);
    service.start();
    let accepted = null;
    service.connect('incoming', (svc, conn) => {
        accepted = conn;
        conn.get_output_stream().write_all(new TextEncoder().encode('hi'), null);
        return true;
    });
    function* body() {
        const cond = gtasklet.WaitForAsync();
        client.connect_to_host_async('127.0.0.1', port, null, cond.callback);
        yield cond;
        const conn = client.connect_to_host_finish(cond.get_result());
        const io = gtasklet.WaitForIO(conn.get_socket(), GLib.IOCondition.IN);
        assert(io.get_socket() === conn.get_socket());
        yield io;
        const bytes = conn.get_input_stream().read_bytes(2, null);
        conn.close(null);
        return new TextDecoder().decode(bytes.toArray());
    }
    assertEqual(await gtasklet.join(gtasklet.run(body())), 'hi');
    service.stop();
    accepted?.close(null);
});

test('signal-with-args', async () => {
    const emitter = new Emitter();
    function* body() {
        const cond = gtasklet.WaitForSignal(emitter, 'poked');
        later(1, () => emitter.emit('poked', 7, 'seven'));
        const event = yield cond;
        assert(event === cond && event.get_object() === emitter);
        assertEqual(event.get_signal(), 'poked');
        const args = gtasklet.signalArgs(event);
        later(1, () => {
            emitter.level = 3;
        });
        const notify = yield gtasklet.WaitForSignal(emitter, 'notify::level');
        return [args, notify.get_arg(0).name, emitter.level];
    }
    assertEqual(await gtasklet.join(gtasklet.run(body())), [[7, 'seven'], 'level', 3]);
});

test('process-pid-and-subprocess', async () => {
    const flags = GLib.SpawnFlags.SEARCH_PATH | GLib.SpawnFlags.DO_NOT_REAP_CHILD;
    function* body() {
        let [, pid] = GLib.spawn_async(null, ['true'], null, flags, null);
        let event = yield gtasklet.WaitForProcess(pid);
        assert(event.get_pid() === pid && event.has_exited());
        const ok = GLib.spawn_check_wait_status(event.get_status());
        [, pid] = GLib.spawn_async(null, ['sh', '-c', 'exit 3'], null, flags, null);
        event = yield gtasklet.WaitForProcess(pid);
        let code = 0;
        try {
            GLib.spawn_check_wait_status(event.get_status());
        } catch (e) {
            code = e.code;
        }
        const sub = Gio.Subprocess.new(['sh', '-c', 'exit 5'], Gio.SubprocessFlags.NONE);
        event = yield gtasklet.WaitForProcess(sub);
        assert(event.get_subprocess() === sub);
        return [ok, code, sub.get_exit_status()];
    }
    assertEqual(await gtasklet.join(gtasklet.run(body())), [true, 3, 5]);
});

test('tasklet-join-condition', async () => {
    function* child(n) {
        yield gtasklet.WaitForIdle();
        return n * 10;
    }
    function* body() {
        let event = yield child(4);             // a generator: joined as a tasklet
        assert(event instanceof Gtasklet.WaitForTasklet);
        const first = event.get_result();
        const t = gtasklet.run(child(5));
        event = yield gtasklet.WaitForTasklet(t);
        assert(event.get_tasklet() === t && event.get_error() === null);
        const again = yield gtasklet.WaitForTasklet(t);     // finished: fires at once
        event = yield t;                                     // a tasklet: joined too
        return [first, again.get_result(), event.get_result()];
    }
    assertEqual(await gtasklet.join(gtasklet.run(body())), [40, 50, 50]);
});

test('messages-condition', async () => {
    function* receiver() {
        const msg = yield gtasklet.WaitForMessages({accept: 'hello'});
        assert(msg instanceof Gtasklet.Message && gtasklet.getEvent() === msg);
        return {name: msg.name, value: msg.value};
    }
    const t = gtasklet.run(receiver());
    assert(t.send('hello', 42));
    assertEqual(await gtasklet.join(t), {name: 'hello', value: 42});
});

test('async-load-contents', async () => {
    const file = Gio.File.new_for_uri(import.meta.url);
    function* body() {
        const cond = gtasklet.WaitForAsync();
        file.load_contents_async(null, cond.callback);
        const event = yield cond;
        assert(event === cond && cond.is_complete());
        assert(cond.get_source_object() === file);
        const [ok, data] = file.load_contents_finish(cond.get_result());
        return [ok, data.length];
    }
    const [, expected] = file.load_contents(null);
    assertEqual(await gtasklet.join(gtasklet.run(body())), [true, expected.length]);
});

test('async-error-through-finish', async () => {
    const file = Gio.File.new_for_path('/nonexistent/gtasklet/file');
    function* body() {
        const cond = gtasklet.WaitForAsync();
        file.load_contents_async(null, (src, res) => cond.complete(src, res));
        yield cond;
        try {
            file.load_contents_finish(cond.get_result());
        } catch (e) {
            return e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.NOT_FOUND);
        }
        return false;
    }
    assertEqual(await gtasklet.join(gtasklet.run(body())), true);
});

test('cancellable-condition', async () => {
    const other = new Gio.Cancellable();
    function* body() {
        const cond = gtasklet.WaitForCancellable(other);
        assert(cond.get_cancellable() === other);
        later(5, () => other.cancel());
        let event = yield [cond, gtasklet.WaitForTimeout(60000)];
        assert(event === cond);
        event = yield cond;                     // already cancelled: fires at once
        return event === cond;
    }
    assertEqual(await gtasklet.join(gtasklet.run(body())), true);
});

// A condition written in JS: fires when poke() is called while armed.
const Manual = GObject.registerClass({
    GTypeName: 'TestJsManual',
}, class Manual extends Gtasklet.WaitCondition {
    constructor() {
        super();
        this.log = [];
    }

    vfunc_arm(tasklet) {
        this.log.push(['arm', tasklet]);
    }

    vfunc_disarm() {
        this.log.push(['disarm']);
    }

    poke() {
        this.fire();
    }
});

// Fires `ms` after it is armed, on its own GLib timeout.
const Delay = GObject.registerClass({
    GTypeName: 'TestJsDelay',
}, class Delay extends Gtasklet.WaitCondition {
    constructor(ms) {
        super();
        this.ms = ms;
        this.source = 0;
    }

    vfunc_arm() {
        this.source = GLib.timeout_add(GLib.PRIORITY_DEFAULT, this.ms, () => {
            this.source = 0;
            this.fire();
            return GLib.SOURCE_REMOVE;
        });
    }

    vfunc_disarm() {
        if (this.source)
            GLib.source_remove(this.source);
        this.source = 0;
    }
});

test('custom-condition-subclasses', async () => {
    const manual = new Manual();
    const fired = [];
    manual.connect('fired', cond => fired.push(cond));
    function* body() {
        later(1, () => manual.poke());
        let event = yield manual;
        assert(event === manual && manual.is_armed());
        const delay = new Delay(5);
        event = yield [delay, gtasklet.WaitForTimeout(60000)];
        assert(event === delay);
        return event.constructor.name;
    }
    const t = gtasklet.run(body());
    assertEqual(await gtasklet.join(t), 'Delay');
    assert(!manual.is_armed());
    assertEqual(manual.log.map(e => e[0]), ['arm', 'disarm']);
    assert(manual.log[0][1] === t, 'armed for the tasklet');
    assert(fired.length === 1 && fired[0] === manual);
    assert(GObject.type_is_a(Manual.$gtype, Gtasklet.WaitCondition.$gtype));
});

test('await-a-condition-from-an-async-function', async () => {
    const emitter = new Emitter();
    later(1, () => emitter.emit('poked', 1, 'x'));
    const event = await gtasklet.wait(gtasklet.WaitForSignal(emitter, 'poked'),
        gtasklet.WaitForTimeout(60000));
    assert(event instanceof Gtasklet.WaitForSignal);
    assert((await gtasklet.sleep(1)) instanceof Gtasklet.WaitForTimeout);
});

test('yielding-garbage-fails-the-tasklet', async () => {
    function* body() {
        yield 42;
    }
    let error = null;
    try {
        await gtasklet.join(gtasklet.run(body()));
    } catch (e) {
        error = e;
    }
    assert(error instanceof TypeError && error.message.startsWith('yielded values must be'),
        `${error}`);
});

// C-only: a C function taking an object as its user data is no use to a binding, which
// completes the condition from a callback of its own.
test('wait-for-async-callback-is-c-only', () => {
    assertEqual(typeof Gtasklet.WaitForAsync.callback, 'undefined');
    assertEqual(typeof Gtasklet.WaitForAsync.prototype.complete, 'function');
});

run();
