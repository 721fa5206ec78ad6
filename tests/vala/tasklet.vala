/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Tasklets from Vala: a subclass overriding run, closure tasklets, a program driving them
 * with async/yield (join_async), a Vala `throw` failing a tasklet, results, cancellation.
 */

using Tap;

/* Counts `n` ticks of a timeout, then returns n. */
class Counter : Gtasklet.Tasklet {
  public int n;
  public int ticks = 0;
  public GenericArray<Object?> events = new GenericArray<Object?> ();
  Gtasklet.WaitCondition timeout = new Gtasklet.WaitForTimeout (5);

  public Counter (int n, Cancellable? cancellable = null) {
    Object (cancellable: cancellable);
    this.n = n;
  }

  public override bool run (Object? event) throws Error {
    events.add (event);
    if (event != null) {
      expect (event == timeout, "the event is the condition that fired");
      ticks++;
    }
    if (ticks == n) {
      return_value (n);
      return true;
    }
    wait (timeout);
    return true;
  }
}

/* Waits for an idle, then throws what make_error gives. */
class Failing : Gtasklet.Tasklet {
  public Error error_to_throw;

  public Failing (Error error) {
    error_to_throw = error.copy ();
  }

  public override bool run (Object? event) throws Error {
    if (event == null) {
      wait (new Gtasklet.WaitForIdle ());
      return true;
    }
    throw error_to_throw.copy ();
  }
}

/* `yield wait_any (...)`: the event of the first condition to fire, from an async method. */
async Object? wait_any (Gtasklet.WaitCondition[] conditions) throws Error {
  var helper = new Gtasklet.Tasklet ((self, event) => {
    if (event == null) {
      foreach (var c in conditions)
        self.wait (c);
    } else {
      self.return_value (event);
    }
    return true;
  });
  helper.start ();
  Value? result = yield helper.join_async (null);
  return result.get_object ();
}

async void test_subclass_run () throws Error {
  var t = new Counter (3);
  expect (t.get_state () == Gtasklet.State.NEW, "NEW before start");
  t.start ();
  expect (t.events.length == 1 && t.events[0] == null, "first step inside start()");
  expect (t.get_state () == Gtasklet.State.SUSPENDED, "SUSPENDED while waiting");
  Value? result = yield t.join_async (null);
  expect (result != null && result.get_int () == 3, "result 3");
  expect (t.get_state () == Gtasklet.State.FINISHED && t.ticks == 3, "finished after 3 ticks");
}

async void test_closure_tasklet () throws Error {
  Object?[] log = {};
  var t = new Gtasklet.Tasklet ((self, event) => {
    log += event;
    if (Gtasklet.Tasklet.get_current () != self)
      throw new TestError.FAILED ("get_current () is not the running tasklet");
    if (event == null) {
      self.wait (new Gtasklet.WaitForIdle ());
      return true;
    }
    self.return_value ("closure");
    return true;
  });
  t.start ();
  Value? result = yield t.join_async (null);
  expect (result.get_string () == "closure", "string result");
  expect (log.length == 2 && log[0] == null && log[1] is Gtasklet.WaitForIdle, "events");
  expect (Gtasklet.Tasklet.get_current () == null, "no current tasklet outside steps");
}

async void test_results () throws Error {
  var obj = new SimpleAction ("payload", null);
  var variant = new Variant ("(si)", "v", 1);
  Value[] values = { 7, (int64) 1 << 40, 2.5, "text", true };
  Value vobj = Value (typeof (Object));
  vobj.set_object (obj);
  values += vobj;
  Value vvar = Value (typeof (Variant));
  vvar.set_variant (variant);
  values += vvar;
  foreach (var v in values) {
    Value copy = v;
    var t = new Gtasklet.Tasklet ((self, event) => {
      self.return_value (copy);
      return true;
    });
    t.start ();
    Value? result = yield t.join_async (null);
    expect (result.type () == v.type (), "result type " + v.type_name ());
  }
  var none = new Gtasklet.Tasklet ((self, event) => true);
  none.start ();
  Value? nothing = yield none.join_async (null);
  expect (nothing == null, "no result");
  expect (vobj.get_object () == obj, "object kept");
}

async void test_vala_throw_fails_tasklet () throws Error {
  var failing = new Failing (new IOError.NOT_FOUND ("no such thing"));
  failing.start ();
  string? seen = null;
  var watcher = new Gtasklet.Tasklet ((self, event) => {
    if (event == null) {
      self.wait (new Gtasklet.WaitForTasklet (failing));
      return true;
    }
    unowned Error? e = ((Gtasklet.WaitForTasklet) event).get_error ();
    seen = "%s:%d:%s".printf (e.domain.to_string (), e.code, e.message);
    return true;
  });
  watcher.start ();
  int ticks = 0;
  var timeout = new Gtasklet.WaitForTimeout (2);
  var ticker = new Gtasklet.Tasklet ((self, event) => {
    if (event != null)
      ticks++;
    if (ticks < 5)
      self.wait (timeout);
    return true;
  });
  ticker.start ();
  try {
    yield failing.join_async (null);
    throw new TestError.FAILED ("join did not throw");
  } catch (IOError.NOT_FOUND e) {
    expect (e.message == "no such thing", "the thrown message");
  }
  expect (failing.get_error ().matches (IOError.quark (), IOError.NOT_FOUND), "get_error()");
  yield watcher.join_async (null);
  expect (seen == "g-io-error-quark:%d:no such thing".printf (IOError.NOT_FOUND),
          "joiner read the error: " + (seen ?? "(null)"));
  yield ticker.join_async (null);
  expect (ticks == 5, "the loop kept running");
}

async void test_gtasklet_error_domain () throws Error {
  var t = new Gtasklet.Tasklet ((self, event) => {
    throw new Gtasklet.Error.FAILED ("domain error");
  });
  t.start ();
  try {
    yield t.join_async (null);
    throw new TestError.FAILED ("join did not throw");
  } catch (Gtasklet.Error.FAILED e) {
    expect (e.message == "domain error", "message");
  }
}

async void test_cancel_while_waiting () throws Error {
  var t = new Counter (1000);
  t.start ();
  while (t.ticks < 2)
    yield pause (1);
  t.cancel ();
  try {
    yield t.join_async (null);
    throw new TestError.FAILED ("join did not throw");
  } catch (IOError.CANCELLED e) {
  }
  expect (t.get_cancellable ().is_cancelled (), "cancellable cancelled");
  expect (t.ticks >= 2 && t.ticks < 1000, "stopped while counting");
}

async void test_cancel_before_start_and_after_finish () throws Error {
  bool ran = false;
  var t = new Gtasklet.Tasklet ((self, event) => {
    ran = true;
    return true;
  });
  t.cancel ();
  t.start ();
  try {
    yield t.join_async (null);
    throw new TestError.FAILED ("join did not throw");
  } catch (IOError.CANCELLED e) {
  }
  expect (!ran, "no step ran");

  var done = new Gtasklet.Tasklet ((self, event) => {
    self.return_value (1);
    return true;
  });
  done.start ();
  done.cancel ();
  Value? result = yield done.join_async (null);
  expect (result.get_int () == 1, "result kept");
}

async void test_shared_cancellable_and_wait_for_cancellable () throws Error {
  var group = new Cancellable ();
  var plain = new Counter (1000, group);
  Object? handled = null;
  var careful = new Gtasklet.Tasklet.full (group, (self, event) => {
    if (event == null) {
      self.wait (new Gtasklet.WaitForCancellable (self.get_cancellable ()));
      self.wait (new Gtasklet.WaitForTimeout (60000));
      return true;
    }
    handled = event;
    self.return_value ("cleaned up");
    return true;
  });
  expect (careful.get_cancellable () == group, "the given cancellable");
  plain.start ();
  careful.start ();
  later (10, () => {
    group.cancel ();
    return false;
  });
  try {
    yield plain.join_async (null);
    throw new TestError.FAILED ("join did not throw");
  } catch (IOError.CANCELLED e) {
  }
  Value? result = yield careful.join_async (null);
  expect (result.get_string () == "cleaned up", "the tasklet handled its cancellation");
  expect (handled is Gtasklet.WaitForCancellable, "woken by the Gtasklet.WaitForCancellable");
}

async void test_async_program () throws Error {
  /* A Vala program that drives tasklets with async/yield: wait for a condition, start
   * workers, join them in turn. */
  var timeout = new Gtasklet.WaitForTimeout (5);
  var event = yield wait_any ({ timeout, new Gtasklet.WaitForTimeout (60000) });
  expect (event == timeout, "wait_any returned the timeout");
  Counter[] workers = { new Counter (1), new Counter (2), new Counter (3) };
  foreach (var w in workers)
    w.start ();
  int sum = 0;
  foreach (var w in workers) {
    Value? r = yield w.join_async (null);
    sum += r.get_int ();
  }
  expect (sum == 6, "sum of the results");
}

async void test_finished_signal () throws Error {
  Gtasklet.State[] states = {};
  var t = new Gtasklet.Tasklet ((self, event) => {
    states += self.get_state ();
    return true;
  });
  t.finished.connect (() => states += t.get_state ());
  t.start ();
  expect (states.length == 2 && states[0] == Gtasklet.State.RUNNING && states[1] == Gtasklet.State.FINISHED,
          "RUNNING in the step, FINISHED in ::finished");
}

/* A tasklet that nothing else references: once its join has completed, the join's result
 * drops the last reference and the tasklet, with its own copy of the result, is gone. */
int temporaries = 0;

Gtasklet.Tasklet start_temporary (Value result) {
  Value copy = result;
  var t = new Gtasklet.Tasklet ((self, event) => {
    if (event == null) {
      self.wait (new Gtasklet.WaitForIdle ());
      return true;
    }
    self.return_value (copy);
    return true;
  });
  temporaries++;
  t.weak_ref (() => temporaries--);
  t.start ();
  return t;
}

class Payload : Object {
  public static int alive = 0;
  public string text;

  public Payload (string text) {
    this.text = text;
    alive++;
  }

  ~Payload () {
    alive--;
  }
}

Gtasklet.Tasklet start_temporary_payload (string text) {
  Value v = Value (typeof (Payload));
  v.set_object (new Payload (text));
  return start_temporary (v);
}

/* Defect 13: the value of `yield t.join_async (null)` belonged to the tasklet, so a caller
 * that read it after the next yield read freed memory when the tasklet was a temporary. */
async void test_temporary_tasklet_join_result () throws Error {
  var text = yield start_temporary ("a string result").join_async (null);
  Value? obj = yield start_temporary_payload ("an object result").join_async (null);
  yield pause (5);
  expect (temporaries == 0, "the joined tasklets are gone");
  var number = yield start_temporary (42).join_async (null);
  expect (text != null && text.holds (typeof (string)), "string result type");
  expect (text.get_string () == "a string result", "string result read after two yields");
  expect (number != null && number.get_int () == 42, "the last join");
  var payload = obj.get_object () as Payload;
  expect (payload != null && payload.text == "an object result", "object result");
  expect (Payload.alive == 1, "the result keeps its object alive");
  payload = null;
  obj = null;
  expect (Payload.alive == 0, "dropping the result releases its object");
}

async void run_all () {
  try { yield test_subclass_run (); report ("subclass-run", null); }
  catch (Error e) { report ("subclass-run", e); }
  try { yield test_closure_tasklet (); report ("closure-tasklet", null); }
  catch (Error e) { report ("closure-tasklet", e); }
  try { yield test_results (); report ("results", null); }
  catch (Error e) { report ("results", e); }
  try { yield test_vala_throw_fails_tasklet (); report ("vala-throw-fails-tasklet", null); }
  catch (Error e) { report ("vala-throw-fails-tasklet", e); }
  try { yield test_gtasklet_error_domain (); report ("gtasklet-error-domain", null); }
  catch (Error e) { report ("gtasklet-error-domain", e); }
  try { yield test_cancel_while_waiting (); report ("cancel-while-waiting", null); }
  catch (Error e) { report ("cancel-while-waiting", e); }
  try { yield test_cancel_before_start_and_after_finish (); report ("cancel-before-start-and-after-finish", null); }
  catch (Error e) { report ("cancel-before-start-and-after-finish", e); }
  try { yield test_shared_cancellable_and_wait_for_cancellable (); report ("shared-cancellable-and-wait-for-cancellable", null); }
  catch (Error e) { report ("shared-cancellable-and-wait-for-cancellable", e); }
  try { yield test_async_program (); report ("async-program", null); }
  catch (Error e) { report ("async-program", e); }
  try { yield test_finished_signal (); report ("finished-signal", null); }
  catch (Error e) { report ("finished-signal", e); }
  try { yield test_temporary_tasklet_join_result (); report ("temporary-tasklet-join-result", null); }
  catch (Error e) { report ("temporary-tasklet-join-result", e); }
}

int main () {
  return Tap.run (11, (done) => run_all.begin (done), (res) => run_all.end (res));
}
