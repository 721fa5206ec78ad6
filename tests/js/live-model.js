// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The live model of a context from GJS: list_model_for_context() lists tasklets written in JS
// as they start and finish, with items-changed from the main loop.

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gtasklet from 'gi://Gtasklet?version=1';

import {test, run, assert, assertEqual, until} from './tap.js';

// Waits for "quit", then finishes.
const Receiver = GObject.registerClass({
    GTypeName: 'TestJsModelReceiver',
}, class Receiver extends Gtasklet.Tasklet {
    vfunc_run(event) {
        if (event === null)
            this.receive(['quit'], null, null);
        return true;
    }
});

function names(model) {
    const out = [];
    for (let i = 0; i < model.get_n_items(); i++)
        out.push(model.get_item(i).get_name());
    return out.sort();
}

test('model follows starts and finishes', async () => {
    const model = Gtasklet.Tasklet.list_model_for_context(null);
    assert(model === Gtasklet.Tasklet.list_model_for_context(GLib.MainContext.default()),
        'one model per context');
    let changes = 0;
    model.connect('items-changed', () => changes++);
    const a = new Receiver({name: 'a'});
    const b = new Receiver({name: 'b'});
    a.start();
    b.start();
    assertEqual(changes, 0, 'changed inside start()');
    await until(() => model.get_n_items() === 2);
    assertEqual(names(model).join(), 'a,b');
    a.send('quit', null);
    await until(() => model.get_n_items() === 1);
    assertEqual(names(model).join(), 'b');
    b.send('quit', null);
    await until(() => model.get_n_items() === 0);
    assert(changes >= 3, `only ${changes} items-changed`);
});

test('warnings switch', () => {
    const before = Gtasklet.Tasklet.get_warnings_enabled();
    Gtasklet.Tasklet.set_warnings_enabled(true);
    assert(Gtasklet.Tasklet.get_warnings_enabled(), 'not on');
    Gtasklet.Tasklet.set_warning_threshold(Gtasklet.Warning.DEFERRED, 7);
    assertEqual(Gtasklet.Tasklet.get_warning_threshold(Gtasklet.Warning.DEFERRED), 7);
    Gtasklet.Tasklet.set_warning_threshold(Gtasklet.Warning.DEFERRED, 100);
    Gtasklet.Tasklet.set_warnings_enabled(before);
});

run();
