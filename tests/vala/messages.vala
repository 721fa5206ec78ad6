/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Messages from Vala: payloads of every kind (basic, GObject, GVariant, a Vala class that is
 * not a GObject, a string array), accept/defer/discard, senders, order.
 */

using Tap;

/* A Vala-native payload: a fundamental Vala class (GTypeInstance, not a GObject). */
class Native {
  public string label;
  public int[] numbers;

  public Native (string label, int[] numbers) {
    this.label = label;
    this.numbers = numbers;
  }
}

/* A tasklet accepting `count` messages named in `accept`; keeps them in `got`. */
class Collector : Gtasklet.Tasklet {
  public GenericArray<Gtasklet.Message> got = new GenericArray<Gtasklet.Message> ();
  Gtasklet.WaitCondition wait_for;
  int count;

  public Collector (string[] accept, int count) {
    wait_for = new Gtasklet.WaitForMessages (accept, null, null);
    this.count = count;
  }

  public override bool run (Object? event) throws Error {
    if (event != null)
      got.add ((Gtasklet.Message) event);
    if (got.length < count)
      wait (wait_for);
    return true;
  }
}

async void test_basic_payloads () throws Error {
  var c = new Collector ({ "v" }, 5);
  c.start ();
  c.send ("v", 42);
  c.send ("v", "text");
  c.send ("v", 2.5);
  c.send ("v", true);
  c.send ("v", (int64) 1 << 40);
  yield c.join_async (null);
  expect (c.got[0].get_value ().get_int () == 42, "int");
  expect (c.got[1].get_value ().get_string () == "text", "string");
  expect (c.got[2].get_value ().get_double () == 2.5, "double");
  expect (c.got[3].get_value ().get_boolean (), "bool");
  expect (c.got[4].get_value ().get_int64 () == (int64) 1 << 40, "int64");
  expect (c.got[0].get_name () == "v" && c.got[0].get_sender () == null, "name, no sender");
}

async void test_gobject_payload () throws Error {
  var obj = new SimpleAction ("payload", null);
  var c = new Collector ({ "obj" }, 1);
  c.start ();
  Value v = Value (typeof (Object));
  v.set_object (obj);
  c.send_message (new Gtasklet.Message ("obj", v));
  yield c.join_async (null);
  expect (c.got[0].get_value ().get_object () == obj, "the same GObject");
}

async void test_gvariant_payload () throws Error {
  var variant = new Variant ("(si)", "x", 3);
  var c = new Collector ({ "var" }, 2);
  c.start ();
  c.send_message (new Gtasklet.Message.variant ("var", variant));
  Value v = Value (typeof (Variant));
  v.set_variant (variant);
  c.send ("var", v);
  yield c.join_async (null);
  foreach (var msg in c.got) {
    expect (msg.get_variant ().equal (variant), "equal variant");
    string s;
    int i;
    msg.get_value ().get_variant ().get ("(si)", out s, out i);
    expect (s == "x" && i == 3, "unpacked");
  }
}

async void test_vala_native_payload () throws Error {
  var native = new Native ("n", { 1, 2, 3 });
  var c = new Collector ({ "native", "strv" }, 2);
  c.start ();
  Value v = Value (typeof (Native));
  v = native;
  c.send ("native", v);
  string[] words = { "a", "b" };
  Value w = Value (typeof (string[]));
  w.set_boxed (words);
  c.send ("strv", w);
  yield c.join_async (null);
  var got = (Native) c.got[0].get_value ();
  expect (got == native && got.numbers[2] == 3, "the same Vala instance");
  unowned string[] strv = (string[]) c.got[1].get_value ().get_boxed ();
  expect (strv[0] == "a" && strv[1] == "b" && strv[2] == null, "a string array");
}

async void test_accept_defer_discard () throws Error {
  string log = "";
  var t = new Gtasklet.Tasklet ((self, event) => {
    if (event == null) {
      var w = new Gtasklet.WaitForMessages ({ "b" }, { "a" }, { "c", "d" });
      bool named;
      expect (((Gtasklet.WaitForMessages) w).get_action ("c", out named)
              == Gtasklet.MessageAction.DISCARD && named, "discard action");
      self.wait (w);
      return true;
    }
    var msg = (Gtasklet.Message) event;
    log += msg.get_name ();
    if (msg.get_name () == "b") {
      log += "%u".printf (self.get_n_pending_messages ());   /* 'a' deferred */
      self.wait (new Gtasklet.WaitForMessages ({ "a", "e" }, null, null));
    } else if (msg.get_name () == "a") {
      self.wait (new Gtasklet.WaitForMessages ({ "e" }, null, null));
    }
    return true;
  });
  t.start ();
  foreach (var name in new string[] { "a", "c", "d", "b", "e" })
    t.send (name, null);
  yield t.join_async (null);
  expect (log == "b2ae", "c and d dropped, order kept: " + log);
}

async void test_wildcard () throws Error {
  string log = "";
  var t = new Gtasklet.Tasklet ((self, event) => {
    if (event == null) {
      self.wait (new Gtasklet.WaitForMessages ({ "keep" }, null, { "*" }));
      return true;
    }
    var msg = (Gtasklet.Message) event;
    log += "%s=%d ".printf (msg.get_name (), msg.get_value ().get_int ());
    if (msg.get_name () == "keep")
      self.wait (new Gtasklet.WaitForMessages ({ "*" }, null, null));
    return true;
  });
  t.start ();
  t.send ("noise", 1);
  t.send ("other", 2);
  t.send ("keep", 3);
  t.send ("after", 4);
  yield t.join_async (null);
  expect (log == "keep=3 after=4 ", log);
}

async void test_sender_dest_and_order () throws Error {
  var receiver = new Collector ({ "n" }, 5);
  receiver.start ();
  int i = 0;
  var sender = new Gtasklet.Tasklet ((self, event) => {
    expect (receiver.send ("n", i++), "sent");
    if (i < 5)
      self.wait (new Gtasklet.WaitForIdle ());
    return true;
  });
  sender.start ();
  yield receiver.join_async (null);
  for (int k = 0; k < 5; k++) {
    var msg = receiver.got[k];
    expect (msg.get_value ().get_int () == k, "in order");
    expect (msg.get_sender () == sender && msg.get_dest () == receiver, "sender and dest");
  }
}

async void test_send_to_finished () throws Error {
  var t = new Gtasklet.Tasklet ((self, event) => true);
  t.start ();
  expect (t.get_state () == Gtasklet.State.FINISHED, "finished");
  expect (!t.send ("late", 1), "send returns false");
}

async void run_all () {
  try { yield test_basic_payloads (); report ("basic-payloads", null); }
  catch (Error e) { report ("basic-payloads", e); }
  try { yield test_gobject_payload (); report ("gobject-payload", null); }
  catch (Error e) { report ("gobject-payload", e); }
  try { yield test_gvariant_payload (); report ("gvariant-payload", null); }
  catch (Error e) { report ("gvariant-payload", e); }
  try { yield test_vala_native_payload (); report ("vala-native-payload", null); }
  catch (Error e) { report ("vala-native-payload", e); }
  try { yield test_accept_defer_discard (); report ("accept-defer-discard", null); }
  catch (Error e) { report ("accept-defer-discard", e); }
  try { yield test_wildcard (); report ("wildcard", null); }
  catch (Error e) { report ("wildcard", e); }
  try { yield test_sender_dest_and_order (); report ("sender-dest-and-order", null); }
  catch (Error e) { report ("sender-dest-and-order", e); }
  try { yield test_send_to_finished (); report ("send-to-finished", null); }
  catch (Error e) { report ("send-to-finished", e); }
}

int main () {
  return Tap.run (8, (done) => run_all.begin (done), (res) => run_all.end (res));
}
