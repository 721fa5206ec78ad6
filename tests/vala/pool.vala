/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Gtasklet.Pool from Vala: a Vala subclass placed on a pool runs on a worker thread, receives
 * messages sent from the main thread, reports to a main-context tasklet, and is joined from
 * the main loop with async/yield.
 */

using Tap;

/* Adds the ints it receives until "done", then returns the sum; records its thread. */
class Summer : Gtasklet.Tasklet {
  public int total = 0;
  public unowned Thread<void>? thread = null;
  public Gtasklet.Tasklet? report_to = null;
  static string[] names = { "add", "done" };

  public override bool run (Object? event) throws Error {
    if (thread == null)
      thread = Thread.self<void> ();
    else if (thread != Thread.self<void> ())
      throw new TestError.FAILED ("a step ran on another thread");
    if (event != null) {
      var m = (Gtasklet.Message) event;
      if (m.get_name () == "done") {
        if (report_to != null)
          report_to.send ("sum", total);
        return_value (total);
        return true;
      }
      total += m.get_value ().get_int ();
    }
    receive (names, null, null);
    return true;
  }
}

async void test_subclass_on_worker () throws Error {
  var pool = new Gtasklet.Pool (2);
  expect (pool.get_n_workers () == 2, "two workers");
  unowned Thread<void> main_thread = Thread.self<void> ();
  int reported = -1;
  var collector = new Gtasklet.Tasklet ((self, event) => {
    if (event != null) {
      reported = ((Gtasklet.Message) event).get_value ().get_int ();
      return true;
    }
    self.receive ({ "sum" }, null, null);
    return true;
  });
  collector.start ();

  var t = new Summer ();
  t.report_to = collector;
  pool.start (t);
  for (int i = 0; i < 1000; i++)
    t.send ("add", i);
  t.send ("done", null);
  Value? result = yield t.join_async (null);
  expect (result != null && result.get_int () == 499500, "the sum, joined from the main loop");
  expect (t.thread != null && t.thread != main_thread, "ran on a worker");
  Value? unused = yield collector.join_async (null);
  expect (unused == null && reported == 499500, "the report reached the main context");
}

async void test_default_pool () throws Error {
  var pool = Gtasklet.Pool.get_default ();
  expect (pool == Gtasklet.Pool.get_default (), "one default pool");
  unowned Thread<void> main_thread = Thread.self<void> ();
  bool on_worker = false;
  var t = new Gtasklet.Tasklet ((self, event) => {
    on_worker = Thread.self<void> () != main_thread;
    self.return_value (7);
    return true;
  });
  pool.start (t);
  Value? result = yield t.join_async (null);
  expect (result != null && result.get_int () == 7, "a closure tasklet's result");
  expect (on_worker, "it ran on a worker of the default pool");
}

async void run_all () {
  try { yield test_subclass_on_worker (); report ("subclass-on-worker", null); }
  catch (Error e) { report ("subclass-on-worker", e); }
  try { yield test_default_pool (); report ("default-pool", null); }
  catch (Error e) { report ("default-pool", e); }
}

int main () {
  return Tap.run (2, (done) => run_all.begin (done), (res) => run_all.end (res));
}
