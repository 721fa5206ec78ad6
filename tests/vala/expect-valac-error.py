#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""expect-valac-error.py MESSAGE VALAC ARGS...: passes (TAP) when `VALAC -C ARGS`, run in a
scratch directory, fails with an error containing MESSAGE."""

import subprocess
import sys
import tempfile

message, valac, args = sys.argv[1], sys.argv[2], sys.argv[3:]
with tempfile.TemporaryDirectory() as scratch:
    proc = subprocess.run([valac, '-C', '--directory', scratch] + args,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
print('1..1')
if proc.returncode != 0 and message in proc.stdout:
    print('ok 1 - valac rejects it: %s' % message)
    sys.exit(0)
print('not ok 1 - valac should fail with: %s' % message)
for line in proc.stdout.splitlines():
    print('# ' + line)
sys.exit(1)
