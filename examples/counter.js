// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Background timeout task: the first example of the seed, gtasklet.py, as a JS generator
// run by the gtasklet.js module.
//
//     gjs -m counter.js [--interval-ms MS] [--count N]
//     meson devenv -C build -w . gjs -m examples/counter.js     (uninstalled; -w: run here)
//
// The module comes from the GResource inside libgtasklet-1 (any prefix, no path). After
// that top-level await, GJS 1.74 cannot run promise jobs inside loop.run(): the program
// runs its main tasklet with runUntilFinished() instead (ping-pong.js awaits instead).

import Gtasklet from 'gi://Gtasklet?version=1';

void Gtasklet.Tasklet;   // loads libgtasklet-1, which registers the resource
const gtasklet = await import('resource:///org/gnome/Gtasklet/js/gtasklet.js');

const option = (name, fallback) => {
    const i = ARGV.indexOf(name);
    return i >= 0 ? Number(ARGV[i + 1]) : fallback;
};

function* simpleCounter(numbers) {
    const timeout = gtasklet.WaitForTimeout(option('--interval-ms', 1000));
    for (let x = 0; x < numbers; x++) {
        print(x);
        yield timeout;
        gtasklet.getEvent();
    }
}

gtasklet.runUntilFinished(simpleCounter(option('--count', 10)));
