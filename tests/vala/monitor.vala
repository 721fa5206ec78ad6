/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Monitors, links and trap-exits from Vala: a DOWN message (Gtasklet.MESSAGE_DOWN) from a
 * tasklet that ended on a pool worker, holding its error or no value; demonitor; a linked
 * failure caught as Gtasklet.Error.LINKED; trap_exits turning it into an EXIT message.
 */

using Tap;

/* Waits for "go", then finishes, or fails if `fail` is set. */
class Target : Gtasklet.Tasklet {
  public bool fail = false;

  public override bool run (Object? event) throws Error {
    if (event == null) {
      receive ({ "go" }, null, null);
      return true;
    }
    if (fail)
      throw new IOError.FAILED ("target failed");
    return true;
  }
}

delegate void FirstStep (Gtasklet.Tasklet self);

struct Entry {
  public string name;
  public unowned Gtasklet.Tasklet? sender;
  public Error? error;
  public bool has_value;
}

/* Calls `first` in its first step, then logs every message until "stop". */
class Recorder : Gtasklet.Tasklet {
  public FirstStep? first = null;
  public Entry[] log = {};

  public override bool run (Object? event) throws Error {
    if (event == null) {
      if (first != null)
        first (this);
    } else {
      var m = (Gtasklet.Message) event;
      if (m.get_name () == "stop")
        return true;
      unowned Value? v = m.get_value ();
      Entry entry = { m.get_name (), m.get_sender (), null, v != null };
      if (v != null && v.holds (typeof (Error)))
        entry.error = ((Error) v.get_boxed ()).copy ();
      log += entry;
    }
    receive ({ "*" }, null, null);
    return true;
  }
}

delegate bool Predicate ();

async void until (Predicate done) throws Error {
  for (int i = 0; i < 10000 && !done (); i++)
    yield pause (1);
  expect (done (), "in time");
}

async void test_down_from_worker () throws Error {
  var pool = new Gtasklet.Pool (1);
  var ok = new Target ();
  var bad = new Target () { fail = true };
  pool.start (ok);
  pool.start (bad);
  uint ids[2] = { 0, 0 };
  var watcher = new Recorder ();
  watcher.first = (self) => {
    ids[0] = self.monitor (ok);
    ids[1] = self.monitor (bad);
    ok.send ("go", null);
    bad.send ("go", null);
  };
  watcher.start ();
  yield until (() => watcher.log.length == 2);
  watcher.send ("stop", null);
  yield watcher.join_async (null);
  expect (ids[0] != 0 && ids[1] != 0 && ids[0] != ids[1], "two ids");
  foreach (var entry in watcher.log) {
    expect (entry.name == Gtasklet.MESSAGE_DOWN, "a DOWN");
    if (entry.sender == ok)
      expect (!entry.has_value, "no value after a normal finish");
    else
      expect (entry.sender == bad && entry.error is IOError.FAILED, "the target's error");
  }
}

async void test_demonitor () throws Error {
  var t = new Target ();
  t.start ();
  var watcher = new Recorder ();
  watcher.first = (self) => {
    uint first = self.monitor (t);
    self.monitor (t);
    self.demonitor (first);
    t.send ("go", null);
  };
  watcher.start ();
  yield t.join_async (null);
  yield until (() => watcher.log.length >= 1);
  watcher.send ("stop", null);
  yield watcher.join_async (null);
  expect (watcher.log.length == 1, "one DOWN of two monitors");
}

async void test_link_failure () throws Error {
  var pool = new Gtasklet.Pool (1);
  var t = new Target () { fail = true };
  pool.start (t);
  var linker = new Recorder ();
  linker.first = (self) => {
    self.link (t);
    t.send ("go", null);
  };
  linker.start ();
  try {
    yield linker.join_async (null);
    throw new TestError.FAILED ("the linker did not fail");
  } catch (Gtasklet.Error.LINKED e) {
    expect ("target failed" in e.message, "the message names the partner's error");
  }
}

async void test_trap_exits () throws Error {
  var bad = new Target () { fail = true };
  var good = new Target ();
  bad.start ();
  good.start ();
  var linker = new Recorder () { trap_exits = true };
  linker.first = (self) => {
    self.link (bad);
    self.link (good);
    bad.send ("go", null);
    good.send ("go", null);
  };
  linker.start ();
  yield until (() => linker.log.length == 2);
  linker.send ("stop", null);
  yield linker.join_async (null);
  foreach (var entry in linker.log) {
    expect (entry.name == Gtasklet.MESSAGE_EXIT, "an EXIT");
    if (entry.sender == bad)
      expect (entry.error is IOError.FAILED, "the partner's error");
    else
      expect (entry.sender == good && !entry.has_value, "no value after a normal finish");
  }
}

async void run_all () {
  try { yield test_down_from_worker (); report ("down-from-worker", null); }
  catch (Error e) { report ("down-from-worker", e); }
  try { yield test_demonitor (); report ("demonitor", null); }
  catch (Error e) { report ("demonitor", e); }
  try { yield test_link_failure (); report ("link-failure", null); }
  catch (Error e) { report ("link-failure", e); }
  try { yield test_trap_exits (); report ("trap-exits", null); }
  catch (Error e) { report ("trap-exits", e); }
}

int main () {
  return Tap.run (4, (done) => run_all.begin (done), (res) => run_all.end (res));
}
