#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""check-vapigen.py VAPIGEN STAMP [--expect=TEXT]... ARGS...: runs vapigen ARGS into a
scratch directory and fails on any warning (vapigen only warns, for example when it drops a
method that clashes with a vfunc), or when the generated VAPI lacks one of the TEXTs
(declarations that metadata shapes and vapigen gets silently wrong without it; runs of
white space match any white space); then writes STAMP."""

import glob
import os
import re
import subprocess
import sys
import tempfile

vapigen, stamp = sys.argv[1], sys.argv[2]
expects = [a[len('--expect='):] for a in sys.argv[3:] if a.startswith('--expect=')]
args = [a for a in sys.argv[3:] if not a.startswith('--expect=')]
with tempfile.TemporaryDirectory() as scratch:
    proc = subprocess.run([vapigen, '--directory', scratch] + args,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)
    vapi = ''
    for path in glob.glob(os.path.join(scratch, '*.vapi')):
        with open(path) as f:
            vapi += f.read()
output = proc.stdout
counted = re.search(r'(\d+) warning\(s\)', output)
if proc.returncode != 0 or 'warning:' in output or (counted and int(counted.group(1)) > 0):
    sys.stdout.write(output)
    sys.stdout.write('vapigen warnings are errors in gtasklet\n')
    sys.exit(1)
vapi = ' '.join(vapi.split())
missing = [e for e in expects if ' '.join(e.split()) not in vapi]
if missing:
    for e in missing:
        sys.stdout.write('the VAPI lacks: %s\n' % e)
    sys.exit(1)
with open(stamp, 'w') as f:
    f.write(output)
