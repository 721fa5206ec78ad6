#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The node examples together, on a bus of their own (run under dbus-run-session):
# node-daemon, then node-client.js (if GJS is there) waiting for the daemon to go, then
# node-client --quit; checks what each printed.
#
#   node-self-test.sh NODE-DAEMON NODE-CLIENT GJS|"" NODE-CLIENT.JS
set -u
daemon=$1 client=$2 gjs=$3 client_js=$4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail () { echo "FAIL: $*"; for f in "$out"/*; do echo "--- $f"; cat "$f"; done; exit 1; }

"$daemon" > "$out/daemon" 2>&1 &
daemon_pid=$!
gdbus wait --session --timeout 10 org.gnome.Gtasklet.Example || fail "the daemon took no name"

visits=1
if [ -n "$gjs" ]; then
  "$gjs" -m "$client_js" > "$out/js" 2>&1 &
  js_pid=$!
  i=0
  until grep -q "waiting for the daemon" "$out/js"; do
    i=$((i + 1)); [ $i -lt 200 ] || fail "node-client.js made no requests"; sleep 0.05
  done
  visits=2
fi

"$client" --quit > "$out/c" 2>&1 || fail "node-client failed"
if [ -n "$gjs" ]; then wait $js_pid || fail "node-client.js failed"; fi
wait $daemon_pid || fail "node-daemon failed"

grep -qx "get greeting -> hello from C" "$out/c" || fail "C: get"
grep -qx "incr visits -> $visits" "$out/c" || fail "C: incr"
grep -qx "get missing -> (none)" "$out/c" || fail "C: get missing"
grep -qx "daemon gone: the store served .* requests" "$out/c" || fail "C: monitor"
if [ -n "$gjs" ]; then
  grep -qx "get greeting -> hello from JS" "$out/js" || fail "JS: get"
  grep -qx "incr visits -> 1" "$out/js" || fail "JS: incr"
  grep -qx "get missing -> (none)" "$out/js" || fail "JS: get missing"
  grep -qx "daemon gone: the store served .* requests" "$out/js" || fail "JS: monitor"
fi
grep -q "quit after" "$out/daemon" || fail "daemon: quit"
echo "ok"
