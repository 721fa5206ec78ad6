// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Background timeout task: the first example of the seed, gtasklet.py, as a JS generator
// run by the gtasklet.js module.
//
//     gjs -m counter.js [--interval-ms MS] [--count N]
//     meson devenv -C build -w . gjs -m examples/counter.js     (uninstalled; -w: run here)
//
// The module is imported from GTASKLET_GJS_MODULE (set by `meson devenv`) or from where it
// is installed. After a top-level await, GJS 1.74 cannot run promise jobs inside
// loop.run(): this program uses only the main loop; ping-pong.js uses only await.

import GLib from 'gi://GLib';

const gtasklet = await import(GLib.getenv('GTASKLET_GJS_MODULE') ??
                              'file:///usr/share/gtasklet-1/gjs/gtasklet.js');

const option = (name, fallback) => {
    const i = ARGV.indexOf(name);
    return i >= 0 ? Number(ARGV[i + 1]) : fallback;
};

const mainloop = new GLib.MainLoop(null, false);

function* simpleCounter(numbers) {
    const timeout = gtasklet.WaitForTimeout(option('--interval-ms', 1000));
    for (let x = 0; x < numbers; x++) {
        print(x);
        yield timeout;
        gtasklet.getEvent();
    }
    mainloop.quit();
}

gtasklet.run(simpleCounter(option('--count', 10)));
mainloop.run();
