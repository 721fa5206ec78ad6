// SPDX-License-Identifier: LGPL-2.1-or-later
//
// A GtaskletNode client in GJS alone, on a bus of its own (dbus-run-session): it spawns the C
// echo process (tests/node-peer-process, the path given as argument), looks its "echo" up,
// plays ping-pong with it (answers come from the handle), and sees the handle end with
// NO_CONNECTION once the process exits.

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Gtasklet from 'gi://Gtasklet?version=1';

import * as gtasklet from '../../bindings/gjs/gtasklet.js';
import {test, run, assert, assertEqual, assertRejects, diag} from './tap.js';

const [peerProgram] = ARGV;
const ROUNDS = 200;

if (!GLib.getenv('DBUS_SESSION_BUS_ADDRESS'))
    throw new Error('DBUS_SESSION_BUS_ADDRESS is not set: run under dbus-run-session');

function spawnEcho() {
    const proc = Gio.Subprocess.new([peerProgram, 'echo'],
        Gio.SubprocessFlags.STDIN_PIPE | Gio.SubprocessFlags.STDOUT_PIPE);
    const out = new Gio.DataInputStream({base_stream: proc.get_stdout_pipe()});
    const [line] = out.read_line_utf8(null);
    assert(line !== null, 'the echo process printed its name');
    return [proc, line];
}

// Sends ROUNDS pings to `remote`, one at a time, and checks each answer and its sender.
function* pinger(remote) {
    const wait = gtasklet.WaitForMessages({accept: 'ping'});
    for (let i = 0; i < ROUNDS; i++) {
        assert(remote.send('ping', i), 'sent');
        const msg = yield wait;
        assertEqual(msg.value, i);
        assert(msg.get_sender() === remote, 'the answer comes from the handle');
    }
    return ROUNDS;
}

test('lookup-ping-pong-and-end', async () => {
    const [proc, name] = spawnEcho();
    const connection = Gio.bus_get_sync(Gio.BusType.SESSION, null);
    const node = Gtasklet.Node.new(connection);
    const remote = node.lookup(name, 'echo');
    assert(node.is_remote(remote), 'a handle');

    const start = GLib.get_monotonic_time();
    assertEqual(await gtasklet.join(gtasklet.run(pinger(remote))), ROUNDS);
    diag(`${(ROUNDS * 1e6 / (GLib.get_monotonic_time() - start)).toFixed(0)} round trips/s`);

    // The process goes (its stdin closes): the handle ends with NO_CONNECTION.
    proc.get_stdin_pipe().close(null);
    await assertRejects(gtasklet.join(remote), e => {
        assert(e.matches(Gtasklet.error_quark(), Gtasklet.Error.NO_CONNECTION),
            `NO_CONNECTION, not ${e}`);
    });
    proc.wait(null);
    node.close();
});

test('unknown-name', async () => {
    const [proc, name] = spawnEcho();
    const connection = Gio.bus_get_sync(Gio.BusType.SESSION, null);
    const node = Gtasklet.Node.new(connection);
    const remote = node.lookup(name, 'nobody');
    await assertRejects(gtasklet.join(remote), e => {
        assert(e.matches(Gtasklet.error_quark(), Gtasklet.Error.UNKNOWN_TASKLET),
            `UNKNOWN_TASKLET, not ${e}`);
    });
    node.close();
    proc.force_exit();
    proc.wait(null);
});

run();
