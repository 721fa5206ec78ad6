// SPDX-License-Identifier: LGPL-2.1-or-later
//
// A program's main tasklet run to its end from GJS (run_until_finished, as asyncio.run),
// and the typed sends and reads (send_int, send_string, send_variant).

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gtasklet from 'gi://Gtasklet?version=1';

import {test, run, assert, assertEqual} from './tap.js';

const Ticker = GObject.registerClass({
    GTypeName: 'TestJsRunTicker',
}, class Ticker extends Gtasklet.Tasklet {
    constructor(fail = false) {
        super();
        this.fail = fail;
        this.ticks = 0;
        this.timeout = Gtasklet.WaitForTimeout.new(1);
    }

    vfunc_run(event) {
        if (event !== null && ++this.ticks === 3) {
            if (this.fail)
                throw new TypeError('three ticks');
            const v = new GObject.Value();
            v.init(GObject.TYPE_INT);
            v.set_int(this.ticks);
            this.return_value(v);
            return true;
        }
        this.wait(this.timeout);
        return true;
    }
});

test('result', () => {
    const t = new Ticker();
    assertEqual(t.get_state(), Gtasklet.State.NEW);
    assertEqual(t.run_until_finished(), 3);
    assertEqual(t.get_state(), Gtasklet.State.FINISHED);
    assertEqual(t.run_until_finished(), 3, 'again, at once:');
});

// GJS carries a step's exception through the tasklet's GError (domain GJS_JS_ERROR) and
// throws it again as an exception of the same class and message.
test('error-thrown', () => {
    const t = new Ticker(true);
    let error = null;
    try {
        t.run_until_finished();
    } catch (e) {
        error = e;
    }
    assert(error instanceof TypeError, `the step's TypeError, got ${error}`);
    assertEqual(error.message, 'three ticks');
    assertEqual(t.ticks, 3);
    assertEqual(t.get_state(), Gtasklet.State.FINISHED);
});

test('typed-sends', () => {
    const got = [];
    const r = Gtasklet.Tasklet.new((tasklet, event) => {
        if (event !== null) {
            const name = event.get_name();
            if (name === 'n') {
                got.push(event.get_int());
            } else if (name === 's') {
                got.push(event.get_string());
            } else {
                got.push(event.get_variant().deepUnpack());
                return true;
            }
        }
        tasklet.receive(['n', 's', 'v'], null, null);
        return true;
    });
    r.start();
    assert(r.send_int('n', -5));
    assert(r.send_string('s', 'five'));
    assert(r.send_variant('v', new GLib.Variant('(us)', [5, 'five'])));
    assertEqual(r.run_until_finished(), null);
    assertEqual(got, [-5, 'five', [5, 'five']]);
});

run();
