/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A program's main tasklet run to its end from Vala (run_until_finished, as asyncio.run),
 * and the typed sends and reads (send_int, send_string, send_variant).
 */

using Tap;

/* Waits three 1 ms ticks, then returns the count or fails. */
class Ticker : Gtasklet.Tasklet {
  public int ticks = 0;
  bool fail;
  Gtasklet.WaitCondition timeout = new Gtasklet.WaitForTimeout (1);

  public Ticker (bool fail) {
    this.fail = fail;
  }

  public override bool run (Object? event) throws Error {
    if (event != null && ++ticks == 3) {
      if (fail)
        throw new TestError.FAILED ("three ticks");
      return_int (ticks);
      return true;
    }
    wait (timeout);
    return true;
  }
}

void test_result () throws Error {
  var t = new Ticker (false);
  unowned Value? result = t.run_until_finished ();
  expect (result != null && result.get_int () == 3, "the result");
  expect (t.get_state () == Gtasklet.State.FINISHED, "finished");
}

void test_error () throws Error {
  var t = new Ticker (true);
  try {
    t.run_until_finished ();
    throw new TestError.FAILED ("run_until_finished () did not throw");
  } catch (TestError.FAILED e) {
    expect (e.message == "three ticks", "the step's own error: " + e.message);
  }
  expect (t.ticks == 3, "three ticks ran");
}

void test_typed_sends () throws Error {
  int n = 0;
  string? s = null;
  uint32 v = 0;
  var r = new Gtasklet.Tasklet ((self, event) => {
    if (event != null) {
      var m = (Gtasklet.Message) event;
      switch (m.get_name ()) {
      case "n": n = m.get_int (); break;
      case "s": s = m.get_string (); break;
      default: v = m.get_variant ().get_uint32 (); return true;
      }
    }
    self.receive ({ "n", "s", "v" }, null, null);
    return true;
  });
  r.start ();
  expect (r.send_int ("n", -5), "send_int");
  expect (r.send_string ("s", "five"), "send_string");
  expect (r.send_variant ("v", new Variant.uint32 (5)), "send_variant");
  unowned Value? none = r.run_until_finished ();
  expect (none == null, "no result");
  expect (n == -5 && s == "five" && v == 5, "every payload read back");
}

async void run_all () {
  try { test_result (); report ("result", null); }
  catch (Error e) { report ("result", e); }
  try { test_error (); report ("error", null); }
  catch (Error e) { report ("error", e); }
  try { test_typed_sends (); report ("typed-sends", null); }
  catch (Error e) { report ("typed-sends", e); }
}

int main () {
  return Tap.run (3, (done) => run_all.begin (done), (res) => run_all.end (res));
}
