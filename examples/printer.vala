/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Message passing: the second example of the seed, gtasklet.py, in Vala: a Printer subclass
 * overriding run, and a counter closure that sends it messages. The program joins the
 * printer with async/yield.
 *
 *   printer-vala [--interval-ms MS] [--count N]
 */

int interval_ms = 1000;
int count = 10;

const OptionEntry[] options = {
  { "interval-ms", 0, 0, OptionArg.INT, ref interval_ms, "Tick interval", "MS" },
  { "count", 0, 0, OptionArg.INT, ref count, "Numbers to send", "N" },
  { null }
};

class Printer : Gtasklet.Tasklet {
  Gtasklet.WaitCondition msgwait = new Gtasklet.WaitForMessages ({ "quit", "print" }, null, null);

  public override bool run (Object? event) throws Error {
    var msg = event as Gtasklet.Message;
    if (msg != null) {
      if (msg.get_name () == "quit")
        return true;                /* finished */
      print (">>>  %d\n", msg.get_value ().get_int ());
    }
    wait (msgwait);
    return true;
  }
}

async void run_example () throws Error {
  var task = new Printer ();
  task.start ();

  var timeout = new Gtasklet.WaitForTimeout (interval_ms);
  int x = 0;
  var counter = new Gtasklet.Tasklet ((self, event) => {
    if (x == count) {
      task.send ("quit", null);
      return true;
    }
    task.send ("print", x++);       /* queued: the printer runs after this step */
    self.wait (timeout);
    return true;
  });
  counter.start ();
  yield task.join_async (null);
}

int main (string[] args) {
  try {
    var ctx = new OptionContext ();
    ctx.add_main_entries (options, null);
    ctx.parse (ref args);
  } catch (Error e) {
    printerr ("%s\n", e.message);
    return 2;
  }

  var loop = new MainLoop ();
  int status = 0;
  run_example.begin ((obj, res) => {
    try {
      run_example.end (res);
    } catch (Error e) {
      printerr ("%s\n", e.message);
      status = 1;
    }
    loop.quit ();
  });
  loop.run ();
  return status;
}
