// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Run through `meson devenv -C BUILD gjs -m app.js SRCDIR BUILDDIR` with no
// GI_TYPELIB_PATH, LD_LIBRARY_PATH or GTASKLET_GJS_MODULE of its own: proves that the
// devenv alone finds the uninstalled typelib, library and GJS module. The import below is
// the documented way for an application to load the module, installed or not: from the
// library's resource. GTASKLET_GJS_MODULE (the source tree's file) still works too.

import GLib from 'gi://GLib';
import Gtasklet from 'gi://Gtasklet?version=1';
import System from 'system';

void Gtasklet.Tasklet;   // loads libgtasklet-1, which registers the resource
const gtasklet = await import('resource:///org/gnome/Gtasklet/js/gtasklet.js');
const byPath = await import(GLib.getenv('GTASKLET_GJS_MODULE'));

const [srcdir, builddir] = ARGV.map(p => GLib.canonicalize_filename(p, null));
const checks = [];

const moduleUri = GLib.getenv('GTASKLET_GJS_MODULE') ?? '';
const modulePath = moduleUri ? GLib.filename_from_uri(moduleUri)[0] : '';
checks.push(['module-from-source-tree', modulePath.startsWith(srcdir), moduleUri]);

function* counter(n) {
    const timeout = gtasklet.WaitForTimeout(1);
    for (let i = 0; i < n; i++) {
        yield timeout;
        gtasklet.getEvent();
    }
    return n;
}
const result = await gtasklet.join(gtasklet.run(counter(3)));
checks.push(['generator-tasklet-runs', result === 3, `${result}`]);
const result2 = byPath.runUntilFinished(byPath.run(counter(2)));
checks.push(['module-by-path-runs', result2 === 2, `${result2}`]);

// The files named `name` mapped in this process (the typelib is mapped too).
const mapped = name => {
    const [, maps] = GLib.file_get_contents('/proc/self/maps');
    return new TextDecoder().decode(maps).split('\n')
        .filter(l => l.includes(name)).map(l => l.split(/\s+/).pop());
};
const fromBuild = paths => paths.length > 0 && paths.every(p => p.startsWith(builddir));
const typelibs = mapped('Gtasklet-1.typelib');
checks.push(['typelib-from-build-tree', fromBuild(typelibs), typelibs.join(' ')]);
const libs = mapped('libgtasklet-1.so');
checks.push(['library-from-build-tree', fromBuild(libs), libs.join(' ')]);

print(`1..${checks.length}`);
checks.forEach(([name, ok, detail], i) => {
    print(`${ok ? '' : 'not '}ok ${i + 1} - ${name}`);
    if (!ok)
        print(`# ${detail}`);
});
System.exit(checks.every(c => c[1]) ? 0 : 1);
