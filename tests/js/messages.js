// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Messages from GJS: payloads of every kind, accept/defer/discard, senders, order.

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Gtasklet from 'gi://Gtasklet?version=1';

import * as gtasklet from '../../bindings/gjs/gtasklet.js';
import {test, run, assert, assertEqual} from './tap.js';

// A generator tasklet accepting `count` messages named in `accept`; returns them.
function* collector(accept, count) {
    const got = [];
    const wait = gtasklet.WaitForMessages({accept});
    for (let i = 0; i < count; i++)
        got.push(yield wait);
    return got;
}

test('basic-payloads', async () => {
    const values = [0, 42, -7, 2 ** 40, 2.5, 'text', true, false, null];
    const t = gtasklet.run(collector('v', values.length));
    for (const value of values)
        assert(t.send('v', value));
    const got = await gtasklet.join(t);
    assertEqual(got.map(m => m.value), values);
    assertEqual(got.map(m => m.get_value()), values);
});

test('gobject-payload', async () => {
    const obj = new Gio.SimpleAction({name: 'payload'});
    const t = gtasklet.run(collector('obj', 1));
    t.send_message(gtasklet.Message('obj', {value: obj}));
    const [msg] = await gtasklet.join(t);
    assert(msg.value === obj, 'the same GObject');
});

test('gvariant-payload', async () => {
    const variant = new GLib.Variant('(sia{sv})', ['x', 3, {k: new GLib.Variant('b', true)}]);
    const t = gtasklet.run(collector('var', 2));
    t.send_message(Gtasklet.Message.new_variant('var', variant));
    t.send('var', variant);
    const got = await gtasklet.join(t);
    for (const msg of got) {
        assert(msg.get_variant().equal(variant), 'equal variant');
        assertEqual(msg.value.recursiveUnpack(), ['x', 3, {k: true}]);
    }
});

test('js-native-payload', async () => {
    const native = {list: [1, 2], map: new Map([[1, 'one']])};
    const t = gtasklet.run(collector('js', 2));
    t.send('js', native);
    t.send_message(gtasklet.Message('js', null, [native]));    // an array: boxed by the module
    const got = await gtasklet.join(t);
    assert(got[0].value === native, 'a plain JS object comes back by identity');
    const arr = gtasklet.valueOf(got[1]);
    assert(Array.isArray(arr) && arr[0] === native, 'arrays via the module');
});

test('accept-defer-discard', async () => {
    const log = [];
    function* body() {
        const wait = gtasklet.WaitForMessages({accept: 'b', defer: 'a', discard: ['c', 'd']});
        const [action] = wait.get_action('c');
        assertEqual(action, Gtasklet.MessageAction.DISCARD);
        let msg = yield wait;
        log.push(msg.name);
        log.push(Gtasklet.Tasklet.get_current().get_n_pending_messages());   // 'a' deferred
        msg = yield gtasklet.WaitForMessages(['a', 'e']);
        log.push(msg.name);
        msg = yield gtasklet.WaitForMessages('e');
        log.push(msg.name);
    }
    const t = gtasklet.run(body());
    for (const name of ['a', 'c', 'd', 'b', 'e'])
        t.send(name, null);
    await gtasklet.join(t);
    assertEqual(log, ['b', 2, 'a', 'e'], "'c' and 'd' dropped, order kept:");
});

test('wildcard', async () => {
    const log = [];
    function* body() {
        let msg = yield gtasklet.WaitForMessages({accept: 'keep', discard: '*'});
        log.push(msg.name);
        msg = yield gtasklet.WaitForMessages({accept: '*'});
        log.push([msg.name, msg.value]);
    }
    const t = gtasklet.run(body());
    t.send('noise', 1);
    t.send('other', 2);
    t.send('keep', 3);
    t.send('after', 4);
    await gtasklet.join(t);
    assertEqual(log, ['keep', ['after', 4]]);
});

test('unlisted-names-stay-queued', async () => {
    function* body() {
        yield gtasklet.WaitForTimeout(5);           // a message arriving now is kept
        const msg = yield gtasklet.WaitForMessages('late');
        return msg.value;
    }
    const t = gtasklet.run(body());
    t.send('late', 'kept');
    assertEqual(await gtasklet.join(t), 'kept');
});

test('yield-message-sender-dest-and-order', async () => {
    function* receiver() {
        const got = [];
        const wait = gtasklet.WaitForMessages({accept: ['n', 'stop']});
        for (;;) {
            const msg = yield wait;
            if (msg.name === 'stop')
                return got;
            got.push([msg.value, msg.get_sender(), msg.get_dest()]);
        }
    }
    function* sender(dest) {
        for (let i = 0; i < 5; i++) {
            const sent = yield gtasklet.Message('n', dest, i);
            assert(sent === true, 'send_message returned true');
        }
        yield new gtasklet.Message('stop', {dest});
        return 'sent';
    }
    const r = gtasklet.run(receiver());
    const s = gtasklet.run(sender(r));
    assertEqual(await gtasklet.join(s), 'sent');
    const got = await gtasklet.join(r);
    assertEqual(got.map(g => g[0]), [0, 1, 2, 3, 4]);
    assert(got.every(g => g[1] === s && g[2] === r), 'sender and dest');

    // From the main loop the sender is null.
    const r2 = gtasklet.run(collector('x', 1));
    const msg = gtasklet.Message('x', null, 1);
    assert(msg.get_dest() === null && msg.get_sender() === null);
    r2.send_message(msg);
    assert(msg.get_dest() === r2);
    await gtasklet.join(r2);
    assert(msg.get_sender() === null);
});

test('send-to-finished-tasklet', () => {
    const t = Gtasklet.Tasklet.new(() => true);
    t.start();
    assertEqual(t.get_state(), Gtasklet.State.FINISHED);
    assertEqual(t.send('late', 1), false);
});

test('message-constructors', () => {
    let m = new Gtasklet.Message({name: 'name', value: 5});
    assert(m.name === 'name' && m.value === 5);
    m = gtasklet.Message('other', {value: 'v'});
    assert(m instanceof gtasklet.Message && m instanceof Gtasklet.Message && m.value === 'v');
    assertEqual(gtasklet.Message('empty').value, null);
    const wait = gtasklet.WaitForMessages('quit');
    assertEqual(wait.accept, ['quit']);
    assertEqual(wait.dup_names(Gtasklet.MessageAction.ACCEPT), ['quit']);
});

run();
