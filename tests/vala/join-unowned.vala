/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Must not compile (test vala-join-unowned-rejected): the value of join_async is the
 * caller's own copy, so keeping it in an unowned local, which used to leave it owned by the
 * tasklet and read freed memory after the next yield, is a compile error now.
 */

async void keep_unowned (Gtasklet.Tasklet t) throws Error {
  unowned Value? v = yield t.join_async (null);
  yield t.join_async (null);
  print ("%s\n", v.get_string ());
}

int main () {
  return 0;
}
