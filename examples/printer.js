// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Message passing: the second example of the seed, gtasklet.py, as JS generators run by
// the gtasklet.js module. The main loop quits when the printer has finished.
//
//     gjs -m printer.js [--interval-ms MS] [--count N]

import GLib from 'gi://GLib';

const gtasklet = await import(GLib.getenv('GTASKLET_GJS_MODULE') ??
                              'file:///usr/share/gtasklet-1/gjs/gtasklet.js');

const option = (name, fallback) => {
    const i = ARGV.indexOf(name);
    return i >= 0 ? Number(ARGV[i + 1]) : fallback;
};

const mainloop = new GLib.MainLoop(null, false);

function* printer() {
    const msgwait = gtasklet.WaitForMessages({accept: ['quit', 'print']});
    for (;;) {
        yield msgwait;
        const msg = gtasklet.getEvent();
        if (msg.name === 'quit')
            break;
        print('>>> ', msg.value);
    }
    mainloop.quit();
}

function* simpleCounter(numbers, task) {
    const timeout = gtasklet.WaitForTimeout(option('--interval-ms', 1000));
    for (let x = 0; x < numbers; x++) {
        yield gtasklet.Message('print', {dest: task, value: x});
        yield timeout;
        gtasklet.getEvent();
    }
    yield gtasklet.Message('quit', {dest: task});
}

const task = gtasklet.run(printer());
gtasklet.run(simpleCounter(option('--count', 10), task));
mainloop.run();
