// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Message passing: the second example of the seed, gtasklet.py, as JS generators run by
// the gtasklet.js module (from the GResource inside libgtasklet-1). The program ends when
// the printer has finished: runUntilFinished() iterates the main context until then.
//
//     gjs -m printer.js [--interval-ms MS] [--count N]

import Gtasklet from 'gi://Gtasklet?version=1';

void Gtasklet.Tasklet;   // loads libgtasklet-1, which registers the resource
const gtasklet = await import('resource:///org/gnome/Gtasklet/js/gtasklet.js');

const option = (name, fallback) => {
    const i = ARGV.indexOf(name);
    return i >= 0 ? Number(ARGV[i + 1]) : fallback;
};

function* printer() {
    const msgwait = gtasklet.WaitForMessages({accept: ['quit', 'print']});
    for (;;) {
        yield msgwait;
        const msg = gtasklet.getEvent();
        if (msg.name === 'quit')
            break;
        print('>>> ', msg.value);
    }
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
gtasklet.runUntilFinished(task);
