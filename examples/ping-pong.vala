/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Ping-pong: two tasklets bounce a ball N times through their mailboxes. The players are a
 * Vala subclass overriding run; the program serves and joins them with async/yield.
 *
 *   ping-pong-vala [--count N]
 */

int count = 10;

const OptionEntry[] options = {
  { "count", 0, 0, OptionArg.INT, ref count, "Hits", "N" },
  { null }
};

class Player : Gtasklet.Tasklet {
  public weak Player partner;
  public int hits = 0;
  Gtasklet.WaitCondition wait_ball = new Gtasklet.WaitForMessages ({ "ball", "stop" }, null, null);

  public Player (string name) {
    Object (name: name);
  }

  public override bool run (Object? event) throws Error {
    var msg = event as Gtasklet.Message;
    if (msg != null) {
      if (msg.get_name () == "stop")
        return true;
      hits++;
      int n = msg.get_value ().get_int ();
      print ("%s %d\n", name, n);
      if (n == count) {
        partner.send ("stop", null);
        return true;
      }
      partner.send ("ball", n + 1);
    }
    wait (wait_ball);
    return true;
  }
}

async int play () throws Error {
  var ping = new Player ("ping");
  var pong = new Player ("pong");
  ping.partner = pong;
  pong.partner = ping;
  ping.start ();
  pong.start ();
  ping.send ("ball", 1);
  yield ping.join_async (null);
  yield pong.join_async (null);
  return ping.hits + pong.hits;
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
  int hits = -1;
  play.begin ((obj, res) => {
    try {
      hits = play.end (res);
    } catch (Error e) {
      printerr ("%s\n", e.message);
    }
    loop.quit ();
  });
  loop.run ();
  print ("%d hits\n", hits);
  return hits == count ? 0 : 1;
}
