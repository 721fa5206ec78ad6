/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every wait condition from Vala, and wait conditions written in Vala. Each test runs a
 * closure tasklet whose steps form a small state machine and joins it with yield.
 */

using Tap;

class Emitter : Object {
  public int level { get; set; }
  public signal void poked (int n, string s);
}

/* The step function of a test tasklet: `step` counts the steps (0 is the first). */
delegate bool Step (Gtasklet.Tasklet self, Object? event, int step) throws Error;

async Value? run_steps (owned Step body) throws Error {
  int step = 0;
  var t = new Gtasklet.Tasklet ((self, event) => body (self, event, step++));
  t.start ();
  return yield t.join_async (null);
}

async void test_timeout () throws Error {
  var timeout = new Gtasklet.WaitForTimeout (5);
  var long = new Gtasklet.WaitForTimeout (60000);
  long.priority = Priority.HIGH;
  int fired = 0;
  var result = yield run_steps ((self, event, step) => {
    if (step > 0) {
      expect (event == timeout, "the timeout fired");
      fired++;
    }
    if (step == 3)
      ((Gtasklet.WaitForTimeout) timeout).restart ();
    if (step == 4) {
      self.wait (long);                 /* wait-any */
    } else if (step == 5) {
      self.return_value (fired);
      return true;
    }
    self.wait (timeout);                /* kept armed: periodic */
    return true;
  });
  expect (result.get_int () == 5, "fired 5 times");
  expect (((Gtasklet.WaitForTimeout) timeout).interval == 5, "interval property");
}

async void test_idle () throws Error {
  var idle = new Gtasklet.WaitForIdle ();
  ((Gtasklet.WaitForIdle) idle).priority = Priority.LOW;
  var result = yield run_steps ((self, event, step) => {
    if (step == 0) {
      self.wait (idle);
      return true;
    }
    self.return_value (event is Gtasklet.WaitForIdle);
    return true;
  });
  expect (result.get_boolean (), "woken by the idle");
}

async void test_io_on_a_pipe () throws Error {
  int fds[2];
  GLib.Unix.open_pipe (fds, 0);
  var reader = new UnixInputStream (fds[0], true);
  var writer = new UnixOutputStream (fds[1], true);
  var cond = new Gtasklet.WaitForIO (fds[0], IOCondition.IN);
  var result = yield run_steps ((self, event, step) => {
    if (step == 0) {
      later (1, () => {
        try {
          writer.write ("ping".data);
        } catch (Error e) {
          critical ("%s", e.message);
        }
        return false;
      });
      self.wait (cond);
      return true;
    }
    expect (event == cond, "the IO condition fired");
    expect ((((Gtasklet.WaitForIO) event).get_condition () & IOCondition.IN) != 0, "IN occurred");
    uint8 buf[16];
    var n = reader.read (buf);
    self.return_value (((string) buf).substring (0, (long) n));
    return true;
  });
  expect (result.get_string () == "ping", "read what was written");
}

async void test_signal_with_args () throws Error {
  var emitter = new Emitter ();
  var poked = new Gtasklet.WaitForSignal (emitter, "poked");
  var notify = new Gtasklet.WaitForSignal (emitter, "notify::level");
  string args = "";
  var result = yield run_steps ((self, event, step) => {
    if (step == 0) {
      later (1, () => {
        emitter.poked (7, "seven");
        return false;
      });
      self.wait (poked);
      return true;
    }
    if (step == 1) {
      var s = (Gtasklet.WaitForSignal) event;
      expect (s.get_object () == emitter && s.get_n_args () == 2, "the emission's arguments");
      args = "%d %s".printf (s.get_arg (0).get_int (), s.get_arg (1).get_string ());
      later (1, () => {
        emitter.level = 3;
        return false;
      });
      self.wait (notify);
      return true;
    }
    var pspec = (ParamSpec) ((Gtasklet.WaitForSignal) event).get_arg (0).get_param ();
    self.return_value ("%s %s %d".printf (args, pspec.name, emitter.level));
    return true;
  });
  expect (result.get_string () == "7 seven level 3", result.get_string ());
}

async void test_process () throws Error {
  int exit_code = -1;
  bool true_ok = false;
  Subprocess? sub = null;
  yield run_steps ((self, event, step) => {
    var flags = SpawnFlags.SEARCH_PATH | SpawnFlags.DO_NOT_REAP_CHILD;
    Pid pid;
    switch (step) {
    case 0:
      Process.spawn_async (null, { "true" }, null, flags, null, out pid);
      self.wait (new Gtasklet.WaitForProcess (pid));
      return true;
    case 1:
      var p = (Gtasklet.WaitForProcess) event;
      expect (p.has_exited (), "exited");
      true_ok = Process.check_wait_status (p.get_status ());
      Process.spawn_async (null, { "sh", "-c", "exit 3" }, null, flags, null, out pid);
      self.wait (new Gtasklet.WaitForProcess (pid));
      return true;
    case 2:
      var status = ((Gtasklet.WaitForProcess) event).get_status ();
      expect (Process.if_exited (status), "exited normally");
      exit_code = Process.exit_status (status);
      sub = new Subprocess.newv ({ "sh", "-c", "exit 5" }, SubprocessFlags.NONE);
      self.wait (new Gtasklet.WaitForProcess.for_subprocess (sub));
      return true;
    default:
      expect (((Gtasklet.WaitForProcess) event).get_subprocess () == sub, "the subprocess");
      return true;
    }
  });
  expect (true_ok && exit_code == 3 && sub.get_exit_status () == 5, "true, exit 3, exit 5");
}

async void test_tasklet_join () throws Error {
  var child = new Gtasklet.Tasklet ((self, event) => {
    if (event == null) {
      self.wait (new Gtasklet.WaitForIdle ());
      return true;
    }
    self.return_value (40);
    return true;
  });
  child.start ();
  var join = new Gtasklet.WaitForTasklet (child);
  var result = yield run_steps ((self, event, step) => {
    if (step < 2) {
      self.wait (join);                 /* the second wait fires at once: finished */
      return true;
    }
    var w = (Gtasklet.WaitForTasklet) event;
    expect (w.get_tasklet () == child && w.get_error () == null, "joined the child");
    self.return_value (w.get_result ().get_int () + 2);
    return true;
  });
  expect (result.get_int () == 42, "the child's result");
}

async void test_messages () throws Error {
  Gtasklet.Tasklet? receiver = null;
  var t = new Gtasklet.Tasklet ((self, event) => {
    if (event == null) {
      self.wait (new Gtasklet.WaitForMessages ({ "hello" }, null, null));
      return true;
    }
    var msg = (Gtasklet.Message) event;
    self.return_value ("%s %d".printf (msg.get_name (), msg.get_value ().get_int ()));
    return true;
  });
  receiver = t;
  receiver.start ();
  expect (receiver.send ("hello", 42), "sent");
  Value? result = yield receiver.join_async (null);
  expect (result.get_string () == "hello 42", "accepted the message");
}

async void test_async () throws Error {
  var file = File.new_for_path (some_file);
  var cond = new Gtasklet.WaitForAsync ();
  var result = yield run_steps ((self, event, step) => {
    if (step == 0) {
      file.load_contents_async.begin (null, (obj, res) => {
        ((Gtasklet.WaitForAsync) cond).complete (obj, res);
      });
      self.wait (cond);
      return true;
    }
    var a = (Gtasklet.WaitForAsync) event;
    expect (a.is_complete () && a.get_source_object () == file, "completed");
    uint8[] contents;
    file.load_contents_async.end (a.get_result (), out contents, null);
    self.return_value (contents.length);
    return true;
  });
  uint8[] expected;
  file.load_contents (null, out expected, null);
  expect (result.get_int () == expected.length, "read the file");
}

async void test_cancellable () throws Error {
  var other = new Cancellable ();
  var cond = new Gtasklet.WaitForCancellable (other);
  var result = yield run_steps ((self, event, step) => {
    if (step == 0) {
      later (5, () => {
        other.cancel ();
        return false;
      });
      self.wait (cond);
      self.wait (new Gtasklet.WaitForTimeout (60000));
      return true;
    }
    if (step == 1) {
      expect (event == cond, "woken by the cancellable");
      self.wait (cond);                 /* already cancelled: fires at once */
      return true;
    }
    self.return_value (event == cond);
    return true;
  });
  expect (result.get_boolean (), "fired again at once");
}

/* A condition written in Vala: fires `ms` after it is armed, on its own timeout. */
class Delay : Gtasklet.WaitCondition {
  public uint ms;
  uint source = 0;
  public string log = "";

  public Delay (uint ms) {
    this.ms = ms;
  }

  public override void arm (Gtasklet.Tasklet tasklet) {
    log += "arm ";
    source = Timeout.add (ms, () => {
      source = 0;
      fire ();
      return Source.REMOVE;
    });
  }

  public override void disarm () {
    log += "disarm";
    if (source != 0)
      Source.remove (source);
    source = 0;
  }
}

async void test_custom_condition () throws Error {
  var delay = new Delay (5);
  int fired = 0;
  delay.fired.connect (() => fired++);
  var result = yield run_steps ((self, event, step) => {
    if (step == 0) {
      self.wait (delay);
      self.wait (new Gtasklet.WaitForTimeout (60000));
      return true;
    }
    expect (event == delay && delay.is_armed (), "the Vala condition fired");
    self.return_value (delay.get_tasklet () == self);
    return true;
  });
  expect (result.get_boolean (), "armed for the tasklet");
  expect (fired == 1 && delay.log == "arm disarm" && !delay.is_armed (), delay.log);
}

async void run_all () {
  try { yield test_timeout (); report ("timeout", null); }
  catch (Error e) { report ("timeout", e); }
  try { yield test_idle (); report ("idle", null); }
  catch (Error e) { report ("idle", e); }
  try { yield test_io_on_a_pipe (); report ("io-on-a-pipe", null); }
  catch (Error e) { report ("io-on-a-pipe", e); }
  try { yield test_signal_with_args (); report ("signal-with-args", null); }
  catch (Error e) { report ("signal-with-args", e); }
  try { yield test_process (); report ("process", null); }
  catch (Error e) { report ("process", e); }
  try { yield test_tasklet_join (); report ("tasklet-join", null); }
  catch (Error e) { report ("tasklet-join", e); }
  try { yield test_messages (); report ("messages", null); }
  catch (Error e) { report ("messages", e); }
  try { yield test_async (); report ("async-load-contents", null); }
  catch (Error e) { report ("async-load-contents", e); }
  try { yield test_cancellable (); report ("cancellable", null); }
  catch (Error e) { report ("cancellable", e); }
  try { yield test_custom_condition (); report ("custom-condition", null); }
  catch (Error e) { report ("custom-condition", e); }
}

string some_file;

int main (string[] args) {
  some_file = args.length > 1 ? args[1] : args[0];
  return Tap.run (10, (done) => run_all.begin (done), (res) => run_all.end (res));
}
