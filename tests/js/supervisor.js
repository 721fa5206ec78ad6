// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Gtasklet.Supervisor from GJS: child functions and children written in JavaScript, a flaky
// child restarted, the restart limit, a task group failing fast.

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtasklet from 'gi://Gtasklet?version=1';

import {test, run, assert, assertEqual} from './tap.js';

let runs = 0;

// Fails after a millisecond on its first `fails` runs, then runs until cancelled.
const Flaky = GObject.registerClass({
    GTypeName: 'TestJsSupervisorFlaky',
}, class Flaky extends Gtasklet.Tasklet {
    constructor(fails, log) {
        super();
        this.runNo = ++runs;
        this.fails = fails;
        this.log = log;
        this.tick = Gtasklet.WaitForTimeout.new(1);
        this.cancelled = null;
    }

    vfunc_run(event) {
        if (event === null) {
            this.log.push(`+${this.runNo}`);
            this.cancelled = Gtasklet.WaitForCancellable.new(this.get_cancellable());
        } else if (event === this.tick) {
            throw new RangeError(`flaky run ${this.runNo}`);
        } else if (event === this.cancelled) {
            throw new GLib.Error(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED, 'stopped');
        }
        if (this.runNo <= this.fails)
            this.wait(this.tick);
        this.wait(this.cancelled);
        return true;
    }
});

function iterateUntil(predicate, ms = 10000) {
    const end = GLib.get_monotonic_time() + ms * 1000;
    while (!predicate()) {
        assert(GLib.get_monotonic_time() < end, 'timed out');
        GLib.MainContext.default().iteration(true);
    }
}

test('flaky-child-restarted', () => {
    runs = 0;
    const log = [];
    const sup = Gtasklet.Supervisor.new(Gtasklet.SupervisorStrategy.ONE_FOR_ONE, 3, 5000);
    sup.add_child('flaky', (_s, id) => {
        assertEqual(id, 'flaky');
        return new Flaky(2, log);
    }, Gtasklet.Restart.PERMANENT);
    sup.start();
    iterateUntil(() => runs === 3);
    assertEqual(sup.get_n_restarts(), 2);
    assertEqual(log, ['+1', '+2', '+3']);
    const current = sup.get_child('flaky');
    assertEqual(current.runNo, 3);
    sup.cancel();
    iterateUntil(() => sup.get_state() === Gtasklet.State.FINISHED);
    assert(sup.get_error().matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED),
        `cancelled, got ${sup.get_error()}`);
    assertEqual(current.get_state(), Gtasklet.State.FINISHED);
});

test('restart-limit', () => {
    runs = 0;
    const sup = Gtasklet.Supervisor.new(Gtasklet.SupervisorStrategy.ONE_FOR_ALL, 1, 60000);
    sup.add_child('flaky', () => new Flaky(100, []), Gtasklet.Restart.PERMANENT);
    let error = null;
    try {
        sup.run_until_finished();
    } catch (e) {
        error = e;
    }
    assert(error instanceof GLib.Error &&
        error.matches(Gtasklet.Error, Gtasklet.Error.RESTART_LIMIT), `RESTART_LIMIT, got ${error}`);
    assertEqual(runs, 2);
});

test('task-group-fails-fast', () => {
    runs = 0;
    const group = Gtasklet.TaskGroup.new();
    const quiet = new Flaky(0, []);
    const loud = new Flaky(100, []);
    group.add(quiet);
    group.add(loud);
    let error = null;
    try {
        group.run_until_finished();
    } catch (e) {
        error = e;
    }
    assert(error instanceof RangeError, `the loud one's RangeError, got ${error}`);
    assert(quiet.get_error().matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED),
        `quiet cancelled, got ${quiet.get_error()}`);
});

run();
