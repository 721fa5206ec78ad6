/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Gtasklet.Supervisor from Vala: children and child functions in Vala, a flaky child
 * restarted, the restart limit, a task group failing fast.
 */

using Tap;

int runs = 0;

/* Fails after a millisecond on its first `fails` runs, then runs until cancelled. */
class Flaky : Gtasklet.Tasklet {
  public int run_no;
  int fails;
  Gtasklet.WaitCondition tick = new Gtasklet.WaitForTimeout (1);
  Gtasklet.WaitCondition? cancelled = null;

  public Flaky (int fails) {
    this.run_no = ++runs;
    this.fails = fails;
  }

  public override bool run (Object? event) throws Error {
    if (event == null)
      cancelled = new Gtasklet.WaitForCancellable (get_cancellable ());
    else if (event == tick)
      throw new TestError.FAILED ("flaky run %d", run_no);
    else if (event == cancelled)
      throw new IOError.CANCELLED ("stopped");
    if (run_no <= fails)
      wait (tick);
    wait (cancelled);
    return true;
  }
}

void iterate_until (owned Func<bool> done) throws Error {
  var end = get_monotonic_time () + 10 * TimeSpan.SECOND;
  while (!done ()) {
    if (get_monotonic_time () > end)
      throw new TestError.FAILED ("timed out");
    MainContext.default ().iteration (true);
  }
}

delegate bool Func<T> ();

void test_flaky_child () throws Error {
  runs = 0;
  var sup = new Gtasklet.Supervisor (Gtasklet.SupervisorStrategy.ONE_FOR_ONE, 3, 5000);
  sup.add_child ("flaky", (s, id) => {
    return new Flaky (2);
  }, Gtasklet.Restart.PERMANENT);
  sup.start ();
  iterate_until (() => runs == 3);
  expect (sup.get_n_restarts () == 2, "two restarts");
  var current = (Flaky) sup.get_child ("flaky");
  expect (current.run_no == 3, "the third run is current");
  sup.cancel ();
  iterate_until (() => sup.get_state () == Gtasklet.State.FINISHED);
  expect (sup.get_error () is IOError.CANCELLED, "the supervisor ended cancelled");
  expect (current.get_state () == Gtasklet.State.FINISHED, "its child was stopped");
}

void test_restart_limit () throws Error {
  runs = 0;
  var sup = new Gtasklet.Supervisor (Gtasklet.SupervisorStrategy.ONE_FOR_ALL, 1, 60000);
  sup.add_child ("flaky", (s, id) => new Flaky (100), Gtasklet.Restart.PERMANENT);
  try {
    sup.run_until_finished ();
    throw new TestError.FAILED ("the supervisor did not give up");
  } catch (Gtasklet.Error.RESTART_LIMIT e) {
    expect (runs == 2, "two runs, one restart allowed");
  }
}

void test_task_group () throws Error {
  runs = 0;
  var group = new Gtasklet.TaskGroup ();
  var quiet = new Flaky (0);
  var loud = new Flaky (100);
  group.add (quiet);
  group.add (loud);
  try {
    group.run_until_finished ();
    throw new TestError.FAILED ("the group did not fail");
  } catch (TestError.FAILED e) {
    expect (e.message == "flaky run 2", "the loud one's error: " + e.message);
  }
  expect (quiet.get_error () is IOError.CANCELLED, "the quiet one was cancelled");
}

async void run_all () {
  try { test_flaky_child (); report ("flaky-child", null); }
  catch (Error e) { report ("flaky-child", e); }
  try { test_restart_limit (); report ("restart-limit", null); }
  catch (Error e) { report ("restart-limit", e); }
  try { test_task_group (); report ("task-group", null); }
  catch (Error e) { report ("task-group", e); }
}

int main () {
  return Tap.run (3, (done) => run_all.begin (done), (res) => run_all.end (res));
}
