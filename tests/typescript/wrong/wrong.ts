// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Wrong uses of gtasklet.js that gtasklet.d.ts must reject. Each line marked
// `// error TSnnnn ...` must fail with exactly those codes, and no other line may fail:
// the test compiles this file on its own and compares tsc's errors with the marks.

import Gtasklet from 'gi://Gtasklet?version=1';
import type {TaskletGenerator} from 'resource:///org/gnome/Gtasklet/js/gtasklet.js';

const gtasklet = await import('resource:///org/gnome/Gtasklet/js/gtasklet.js');

function* counter(): TaskletGenerator<number> {
    const event = yield gtasklet.WaitForIdle();
    event.get_name();                                           // error TS2339
    yield 'a string';                                           // error TS2322
    return 3;
}

gtasklet.WaitForTimeout('10');                                  // error TS2345
gtasklet.run(42);                                               // error TS2345
const n: string = gtasklet.runUntilFinished(counter());         // error TS2322
gtasklet.Message('print', 'not a tasklet');                     // error TS2769
gtasklet.WaitForMessages({accept: 3});                          // error TS2769
gtasklet.join(gtasklet.WaitForIdle());                          // error TS2345
gtasklet.sleep();                                               // error TS2554
gtasklet.wait(new Gtasklet.Message());                          // error TS2769
gtasklet.getEvent().get_name();                         // error TS2531 TS2339
const t: Gtasklet.Tasklet = gtasklet.WaitForTasklet(counter()); // error TS2740
void n;
void t;
