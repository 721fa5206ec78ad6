// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Ping-pong: two tasklets bounce a ball N times through their mailboxes.
//
// The players are a gtasklet.Tasklet subclass with a generator *run(), started when their
// constructor returns; the program serves and then awaits both players from the module's
// top level (no explicit main loop: GJS runs the loop while the module awaits). The module
// comes from the GResource inside libgtasklet-1.
//
//     gjs -m ping-pong.js [--count N]

import GObject from 'gi://GObject';
import Gtasklet from 'gi://Gtasklet?version=1';
import System from 'system';

void Gtasklet.Tasklet;   // loads libgtasklet-1, which registers the resource
const gtasklet = await import('resource:///org/gnome/Gtasklet/js/gtasklet.js');

const i = ARGV.indexOf('--count');
const count = i >= 0 ? Number(ARGV[i + 1]) : 10;

const Player = GObject.registerClass(class Player extends gtasklet.Tasklet {
    constructor(name) {
        super();
        this.name = name;
        this.partner = null;
    }

    *run() {
        let hits = 0;
        const wait = gtasklet.WaitForMessages({accept: ['ball', 'stop']});
        for (;;) {
            const msg = yield wait;
            if (msg.name === 'stop')
                return hits;
            hits++;
            print(`${this.name} ${msg.value}`);
            if (msg.value === count) {
                yield gtasklet.Message('stop', this.partner);
                return hits;
            }
            yield gtasklet.Message('ball', this.partner, msg.value + 1);
        }
    }
});

const ping = new Player('ping');
const pong = new Player('pong');
ping.partner = pong;
pong.partner = ping;
ping.send('ball', 1);

const hits = await gtasklet.join(ping) + await gtasklet.join(pong);
print(`${hits} hits`);
System.exit(hits === count ? 0 : 1);
