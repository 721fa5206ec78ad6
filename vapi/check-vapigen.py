#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""check-vapigen.py VAPIGEN STAMP ARGS...: runs vapigen ARGS into a scratch directory and
fails on any warning (vapigen only warns, for example when it drops a method that clashes
with a vfunc), then writes STAMP."""

import re
import subprocess
import sys
import tempfile

vapigen, stamp, args = sys.argv[1], sys.argv[2], sys.argv[3:]
with tempfile.TemporaryDirectory() as scratch:
    proc = subprocess.run([vapigen, '--directory', scratch] + args,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
output = proc.stdout
counted = re.search(r'(\d+) warning\(s\)', output)
if proc.returncode != 0 or 'warning:' in output or (counted and int(counted.group(1)) > 0):
    sys.stdout.write(output)
    sys.stdout.write('vapigen warnings are errors in gtasklet\n')
    sys.exit(1)
with open(stamp, 'w') as f:
    f.write(output)
