# SPDX-License-Identifier: LGPL-2.1-or-later
"""Type-checked only (tests/python/check-types.py), and must fail: each line marked
"# E: CODE" must get a mypy error of that code, and no other line may."""

import gi
gi.require_version('Gtasklet', '1')
from gi.repository import Gtasklet  # noqa: E402


def gen():
    yield Gtasklet.WaitForIdle()


Gtasklet.WaitForTimeout('soon')                              # E: arg-type
Gtasklet.WaitForTimeout(timeout=10)                          # E: call-arg
Gtasklet.run(42)                                             # E: arg-type
Gtasklet.Message('ping', dest='nobody')                      # E: arg-type
Gtasklet.WaitForMessages(accept=3)                           # E: arg-type
t = Gtasklet.run(gen())
t.send(1)                                                    # E: arg-type
Gtasklet.Supervisor.new('one-for-one', 3, 1000)              # E: arg-type
Gtasklet.Pool.new()                                          # E: call-arg
