/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Background timeout task: the first example of the seed, gtasklet.py, in Vala. Vala has
 * no generators: the tasklet is a closure whose captured variables keep the state across
 * steps (each step is one pass of the seed's loop).
 *
 *   counter-vala [--interval-ms MS] [--count N]
 */

int interval_ms = 1000;
int count = 10;

const OptionEntry[] options = {
  { "interval-ms", 0, 0, OptionArg.INT, ref interval_ms, "Tick interval", "MS" },
  { "count", 0, 0, OptionArg.INT, ref count, "Numbers to count", "N" },
  { null }
};

int main (string[] args) {
  try {
    var ctx = new OptionContext ();
    ctx.add_main_entries (options, null);
    ctx.parse (ref args);
  } catch (Error e) {
    printerr ("%s\n", e.message);
    return 2;
  }

  var mainloop = new MainLoop ();
  var timeout = new Gtasklet.WaitForTimeout (interval_ms);
  int x = 0;
  var counter = new Gtasklet.Tasklet ((self, event) => {
    if (x == count) {
      mainloop.quit ();
      return true;                  /* no wait: the tasklet finishes */
    }
    print ("%d\n", x++);
    self.wait (timeout);            /* kept armed across steps: one tick per interval */
    return true;
  });
  counter.start ();
  mainloop.run ();
  return 0;
}
