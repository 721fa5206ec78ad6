# SPDX-License-Identifier: LGPL-2.1-or-later
"""The live model of a context from Python: list_model_for_context() lists tasklets
written in Python as they start and finish, and says so with items-changed on the
context's thread; warnings can be switched and tuned."""

import threading

from gtasklet_tap import test, main, iterate_until

from gi.repository import GLib, Gtasklet


class Receiver(Gtasklet.Tasklet):
    """Waits for "quit", then finishes."""

    def do_run(self, event):
        if event is None:
            self.receive(['quit'], None, None)
        return True


def items(model):
    return [model.get_item(i) for i in range(model.get_n_items())]


@test
def test_model_follows_starts_and_finishes():
    model = Gtasklet.Tasklet.list_model_for_context(None)
    assert model.get_item_type() == Gtasklet.Tasklet.__gtype__
    assert model is Gtasklet.Tasklet.list_model_for_context(GLib.MainContext.default())
    changes = []
    model.connect('items-changed',
                  lambda m, pos, removed, added: changes.append((threading.get_ident(),
                                                                 removed, added)))
    a = Receiver(name='a')
    b = Receiver(name='b')
    a.start()
    b.start()
    iterate_until(lambda: model.get_n_items() == 2)
    assert set(t.get_name() for t in items(model)) == {'a', 'b'}
    assert all(thread == threading.get_ident() for thread, _, _ in changes)
    a.send('quit', None)
    iterate_until(lambda: model.get_n_items() == 1)
    assert items(model)[0] is b
    b.send('quit', None)
    iterate_until(lambda: model.get_n_items() == 0)
    assert changes[-1][1:] == (1, 0)


@test
def test_warnings_switch():
    before = Gtasklet.Tasklet.get_warnings_enabled()
    Gtasklet.Tasklet.set_warnings_enabled(True)
    assert Gtasklet.Tasklet.get_warnings_enabled()
    Gtasklet.Tasklet.set_warning_threshold(Gtasklet.Warning.LONG_STEP, 50)
    assert Gtasklet.Tasklet.get_warning_threshold(Gtasklet.Warning.LONG_STEP) == 50
    Gtasklet.Tasklet.set_warning_threshold(Gtasklet.Warning.LONG_STEP, 10)
    Gtasklet.Tasklet.set_warnings_enabled(before)


if __name__ == '__main__':
    main()
