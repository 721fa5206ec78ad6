// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The client of node-daemon (node-client.c) in GJS: find the daemon's unique name on the
// session bus, look its tasklet "store" up with a Gtasklet.Node, send a few requests from a
// generator tasklet (each answered to the sender), then monitor the handle and wait until
// the store, or its process, goes.
//
//     gjs -m node-client.js [--quit]      --quit: ask the daemon to quit after the requests

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gtasklet from 'gi://Gtasklet?version=1';
import System from 'system';

void Gtasklet.Tasklet;   // loads libgtasklet-1, which registers the resource
const gtasklet = await import('resource:///org/gnome/Gtasklet/js/gtasklet.js');

const quit = ARGV.includes('--quit');
const requests = [
    ['put', 'greeting=hello from JS'],
    ['get', 'greeting'],
    ['incr', 'visits'],
    ['get', 'missing'],
];

const Client = GObject.registerClass(class Client extends gtasklet.Tasklet {
    constructor(store) {
        super();
        this.store = store;
    }

    *run() {
        const answers = gtasklet.WaitForMessages({accept: ['ok', 'value', 'count']});
        for (const [request, arg] of requests) {
            yield gtasklet.Message(request, this.store, arg);
            const msg = yield answers;
            const value = gtasklet.valueOf(msg);
            print(`${request} ${arg} -> ${msg.name === 'ok' ? 'ok' : value ?? '(none)'}`);
        }

        // The handle is a tasklet: monitor it as any other.
        this.monitor(this.store);
        print('waiting for the daemon to go');
        if (quit)
            yield gtasklet.Message('quit', this.store);
        yield gtasklet.WaitForMessages({accept: [Gtasklet.MESSAGE_DOWN]});
        const error = this.store.get_error();
        if (error)
            print(`daemon gone: ${error.message}`);
        else
            print(`daemon gone: the store served ${gtasklet.resultOf(this.store)} requests`);
    }
});

const bus = Gio.bus_get_sync(Gio.BusType.SESSION, null);
let owner;
try {
    [owner] = bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
        'org.freedesktop.DBus', 'GetNameOwner',
        new GLib.Variant('(s)', ['org.gnome.Gtasklet.Example']), new GLib.VariantType('(s)'),
        Gio.DBusCallFlags.NONE, -1, null).deepUnpack();
} catch (e) {
    printerr(`node-client.js: is node-daemon running? ${e.message}`);
    System.exit(1);
}

const node = Gtasklet.Node.new(bus);
const client = new Client(node.lookup(owner, 'store'));
await gtasklet.join(client);
node.close();
