// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The documented GJS skeleton: gtasklet.js imported from the GResource inside libgtasklet-1
// (no path, any prefix), after a top-level await, with the main tasklet run by
// runUntilFinished() and by a top-level await: neither may hang (a loop.run() here would).
// Usage: gjs -m resource.js SRCDIR

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Gtasklet from 'gi://Gtasklet?version=1';
import System from 'system';

void Gtasklet.Tasklet;   // loads libgtasklet-1, which registers the resource
const gtasklet = await import('resource:///org/gnome/Gtasklet/js/gtasklet.js');

const [srcdir] = ARGV;
const checks = [];
const check = (name, fn) => {
    try {
        const detail = fn();
        checks.push([name, detail === true, detail]);
    } catch (e) {
        checks.push([name, false, `${e}\n${e.stack}`]);
    }
};

// A stale copy in the library would silently differ from the file users read.
check('resource-matches-source', () => {
    const inLib = Gio.resources_lookup_data('/org/gnome/Gtasklet/js/gtasklet.js',
        Gio.ResourceLookupFlags.NONE).get_data();
    const [, onDisk] = GLib.file_get_contents(`${srcdir}/bindings/gjs/gtasklet.js`);
    return inLib.length === onDisk.length && inLib.every((b, i) => b === onDisk[i]) ||
        `${inLib.length} bytes in the library, ${onDisk.length} in the source tree`;
});

function* counter(n) {
    const timeout = gtasklet.WaitForTimeout(1);
    for (let i = 0; i < n; i++)
        yield timeout;
    return n;
}

check('run-until-finished-after-top-level-await', () => {
    const r = gtasklet.runUntilFinished(counter(3));
    return r === 3 || `${r}`;
});

const awaited = await gtasklet.join(gtasklet.run(counter(2)));
check('top-level-await-join', () => awaited === 2 || `${awaited}`);

check('join-children-inside-run-until-finished', () => {
    // A step of a tasklet run by runUntilFinished may start others and join them.
    function* main() {
        const parts = yield [gtasklet.run(counter(1))];
        return parts.get_result();
    }
    const r = gtasklet.runUntilFinished(main());
    return r === 1 || `${r}`;
});

check('step-returning-undefined', () => {
    let steps = 0;
    const t = Gtasklet.Tasklet.new((tasklet, event) => {
        if (steps++ === 0)
            tasklet.wait(Gtasklet.WaitForIdle.new());
    });
    return gtasklet.runUntilFinished(t) === null && steps === 2 || `${steps} steps`;
});

print(`1..${checks.length}`);
checks.forEach(([name, ok, detail], i) => {
    print(`${ok ? '' : 'not '}ok ${i + 1} - ${name}`);
    if (!ok)
        print(`# ${detail}`.replaceAll('\n', '\n# '));
});
System.exit(checks.every(c => c[1]) ? 0 : 1);
