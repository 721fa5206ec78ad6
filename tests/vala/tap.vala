/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A tiny TAP harness for the Vala binding tests. Each test is an async method that throws
 * on failure; the program's async driver calls Tap.check() around each one, and Tap.run()
 * drives that with a main loop, prints the plan and the `ok N - name` lines, and returns
 * the exit status. A watchdog bails out instead of hanging; no test sleeps.
 */

public errordomain TestError {
  FAILED
}

namespace Tap {
  int count = 0;
  int failures = 0;

  public void expect (bool ok, string what) throws TestError {
    if (!ok)
      throw new TestError.FAILED ("expected: %s", what);
  }

  public void diag (string text) {
    foreach (unowned string line in text.split ("\n"))
      print ("# %s\n", line);
  }

  public void report (string name, Error? error) {
    count++;
    if (error == null) {
      print ("ok %d - %s\n", count, name);
    } else {
      failures++;
      print ("not ok %d - %s\n", count, name);
      diag ("%s (%s, %d)".printf (error.message, error.domain.to_string (), error.code));
    }
  }

  /* Runs the async callback `later` ms from now (tests that act from the main loop). */
  public void later (uint ms, owned SourceFunc func) {
    Timeout.add (ms, () => {
      func ();
      return Source.REMOVE;
    });
  }

  /* Lets the main loop run for `ms` (to poll a condition between checks). */
  public async void pause (uint ms) {
    Timeout.add (ms, pause.callback);
    yield;
  }

  public delegate void AsyncDriver (AsyncReadyCallback done);

  public int run (int planned, AsyncDriver driver, AsyncResultGetter finish) {
    var loop = new MainLoop ();
    print ("1..%d\n", planned);
    Timeout.add_seconds (120, () => {
      print ("Bail out! timed out\n");
      Process.exit (1);
    });
    driver ((obj, res) => {
      finish (res);
      loop.quit ();
    });
    loop.run ();
    /* Let finished tasklets drop their last references (valgrind runs). */
    while (MainContext.default ().pending ())
      MainContext.default ().iteration (false);
    if (count != planned) {
      print ("# planned %d tests, ran %d\n", planned, count);
      return 1;
    }
    return failures > 0 ? 1 : 0;
  }

  public delegate void AsyncResultGetter (AsyncResult res);
}
