# SPDX-License-Identifier: LGPL-2.1-or-later
"""A GtaskletNode client in Python alone, on a bus of its own (dbus-run-session): it spawns
the C echo process (tests/node-peer-process, the path given as argument), looks its "echo"
up, plays ping-pong with it (answers come from the handle), and sees the handle end with
NO_CONNECTION once the process exits."""

import os
import sys

from gtasklet_tap import test, main, join, diag

from gi.repository import GLib, Gio, Gtasklet

PEER_PROGRAM = sys.argv[1]
ROUNDS = 200

if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
    raise SystemExit('DBUS_SESSION_BUS_ADDRESS is not set: run under dbus-run-session')


def spawn_echo():
    proc = Gio.Subprocess.new([PEER_PROGRAM, 'echo'],
                              Gio.SubprocessFlags.STDIN_PIPE | Gio.SubprocessFlags.STDOUT_PIPE)
    out = Gio.DataInputStream.new(proc.get_stdout_pipe())
    line, _ = out.read_line_utf8(None)
    assert line, 'the echo process printed its name'
    return proc, line


def pinger(remote):
    """Sends ROUNDS pings to `remote`, one at a time; checks each answer and its sender."""
    wait = Gtasklet.WaitForMessages(accept='ping')
    for i in range(ROUNDS):
        assert remote.send('ping', i)
        msg = yield wait
        assert msg.value == i, (msg.value, i)
        assert msg.sender is remote, 'the answer comes from the handle'
    return ROUNDS


@test
def test_lookup_ping_pong_and_end():
    proc, name = spawn_echo()
    connection = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    node = Gtasklet.Node.new(connection)
    remote = node.lookup(name, 'echo')
    assert node.is_remote(remote)

    start = GLib.get_monotonic_time()
    result, error = join(Gtasklet.run(pinger(remote)))
    assert error is None, error
    assert result == ROUNDS
    diag('%.0f round trips/s' % (ROUNDS * 1e6 / (GLib.get_monotonic_time() - start)))

    # The process goes (its stdin closes): the handle ends with NO_CONNECTION.
    proc.get_stdin_pipe().close(None)
    result, error = join(remote)
    assert error is not None
    assert error.matches(Gtasklet.error_quark(), Gtasklet.Error.NO_CONNECTION), error
    proc.wait(None)
    node.close()


@test
def test_unknown_name():
    proc, name = spawn_echo()
    connection = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    node = Gtasklet.Node.new(connection)
    result, error = join(node.lookup(name, 'nobody'))
    assert error is not None
    assert error.matches(Gtasklet.error_quark(), Gtasklet.Error.UNKNOWN_TASKLET), error
    node.close()
    proc.force_exit()
    proc.wait(None)


main()
