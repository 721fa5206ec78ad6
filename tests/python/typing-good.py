# SPDX-License-Identifier: LGPL-2.1-or-later
"""Type-checked only (tests/python/check-types.py): the stubs give the override's helpers and
the introspected API real types, not Any (assert_type fails on Any)."""

from typing import Any, assert_type

import gi
gi.require_version('Gtasklet', '1')
from gi.repository import Gtasklet  # noqa: E402


def pinger(dest: Gtasklet.Tasklet) -> Any:
    yield Gtasklet.Message('ping', dest=dest, value=1)
    event = yield Gtasklet.WaitForMessages(accept='pong')
    assert_type(Gtasklet.get_event(), Any)
    return event


ponger = Gtasklet.Tasklet.new(lambda tasklet, event, *data: True)
assert_type(ponger, Gtasklet.Tasklet)
assert_type(Gtasklet.run(pinger(ponger)), Gtasklet.Tasklet)
assert_type(Gtasklet.WaitForTimeout(10, one_shot=True), Gtasklet.WaitForTimeout)
assert_type(Gtasklet.WaitForTimeout.new(10), Gtasklet.WaitForTimeout)
assert_type(Gtasklet.WaitForTimeout(10).timeout, int)
assert_type(Gtasklet.Message('x').name, str)
assert_type(ponger.get_state(), Gtasklet.State)
assert_type(ponger.state, Gtasklet.State)
assert_type(ponger.props.trap_exits, bool)
assert_type(ponger.get_name(), str | None)
assert_type(Gtasklet.WaitForMessages('a').get_action('a'), tuple[Gtasklet.MessageAction, bool])
assert_type(Gtasklet.Supervisor.new(Gtasklet.SupervisorStrategy.ONE_FOR_ONE, 3, 1000),
            Gtasklet.Supervisor)
assert_type(Gtasklet.Pool.get_default().get_n_workers(), int)
assert_type(Gtasklet.Error.FAILED, Gtasklet.Error)
assert_type(Gtasklet.VERSION_S, str)
