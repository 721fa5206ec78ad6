# SPDX-License-Identifier: LGPL-2.1-or-later
"""Messages from Python: payloads of every kind, accept/defer/discard, senders, order."""

from gtasklet_tap import test, main, join, finished

from gi.repository import GLib, Gio, Gtasklet


def collector(accept, count):
    """A generator tasklet accepting `count` messages named in `accept`; returns them."""
    got = []
    wait = Gtasklet.WaitForMessages(accept=accept)
    for _ in range(count):
        msg = yield wait
        got.append(msg)
    return got


@test
def test_basic_payloads():
    values = [0, 42, -7, 1 << 40, 2.5, 'text', True, False, None]
    t = Gtasklet.run(collector('v', len(values)))
    for value in values:
        assert t.send('v', value)
    got, error = join(t)
    assert error is None
    assert [m.value for m in got] == values
    assert got[3].get_value() == 1 << 40        # beyond 32 bits: sent as gint64


@test
def test_gobject_payload():
    obj = Gio.SimpleAction.new('payload', None)
    t = Gtasklet.run(collector('obj', 1))
    t.send_message(Gtasklet.Message('obj', value=obj))
    got, _ = join(t)
    assert got[0].value is obj


@test
def test_gvariant_payload():
    variant = GLib.Variant('(sia{sv})', ('x', 3, {'k': GLib.Variant('b', True)}))
    t = Gtasklet.run(collector('var', 2))
    t.send_message(Gtasklet.Message.new_variant('var', variant))
    t.send('var', variant)
    got, _ = join(t)
    for msg in got:
        assert msg.get_variant().equal(variant)
        assert msg.value.unpack() == ('x', 3, {'k': True})


@test
def test_python_native_payload():
    native = {'list': [1, 2], 'set': {3}}
    t = Gtasklet.run(collector('py', 2))
    t.send('py', native)
    t.send_message(Gtasklet.Message('py', value=[native]))
    got, _ = join(t)
    assert got[0].value is native               # identity kept (TYPE_PYOBJECT)
    assert got[1].value[0] is native


@test
def test_accept_defer_discard():
    log = []

    def body():
        wait = Gtasklet.WaitForMessages(accept='b', defer='a', discard=('c', 'd'))
        assert wait.get_action('c')[0] == Gtasklet.MessageAction.DISCARD
        msg = yield wait
        log.append(msg.name)
        me = Gtasklet.Tasklet.get_current()
        log.append(me.get_n_pending_messages())     # 'a' deferred, still queued
        msg = yield Gtasklet.WaitForMessages(accept=['a', 'e'])
        log.append(msg.name)
        msg = yield Gtasklet.WaitForMessages(accept='e')
        log.append(msg.name)

    t = Gtasklet.run(body())
    for name in ('a', 'c', 'd', 'b', 'e'):
        t.send(name, None)
    assert join(t) == (None, None)
    assert log == ['b', 2, 'a', 'e'], log           # 'c' and 'd' dropped, order kept


@test
def test_wildcard():
    log = []

    def body():
        msg = yield Gtasklet.WaitForMessages(accept='keep', discard='*')
        log.append(msg.name)
        msg = yield Gtasklet.WaitForMessages(accept='*')
        log.append((msg.name, msg.value))

    t = Gtasklet.run(body())
    t.send('noise', 1)
    t.send('other', 2)
    t.send('keep', 3)
    t.send('after', 4)
    join(t)
    assert log == ['keep', ('after', 4)]


@test
def test_unlisted_names_stay_queued():
    def body():
        yield Gtasklet.WaitForTimeout(5)            # a message arriving now is kept
        msg = yield Gtasklet.WaitForMessages(accept='late')
        return msg.value

    t = Gtasklet.run(body())
    t.send('late', 'kept')
    assert join(t) == ('kept', None)


@test
def test_yield_message_sender_dest_and_order():
    def receiver():
        got = []
        wait = Gtasklet.WaitForMessages(accept=('n', 'stop'))
        while True:
            msg = yield wait
            if msg.name == 'stop':
                return got
            got.append((msg.value, msg.sender, msg.dest))

    def sender(dest):
        for i in range(5):
            sent = yield Gtasklet.Message('n', dest=dest, value=i)
            assert sent is True
        yield Gtasklet.Message('stop', dest=dest)
        return 'sent'

    r = Gtasklet.run(receiver())
    s = Gtasklet.run(sender(r))
    assert join(s) == ('sent', None)
    got, _ = join(r)
    assert [g[0] for g in got] == list(range(5))
    assert all(g[1] is s and g[2] is r for g in got)

    # From the main loop the sender is None.
    r2 = Gtasklet.run(collector('x', 1))
    msg = Gtasklet.Message('x', value=1)
    assert msg.dest is None and msg.sender is None
    r2.send_message(msg)
    assert msg.dest is r2
    join(r2)
    assert msg.sender is None


@test
def test_send_to_finished_tasklet():
    t = Gtasklet.Tasklet.new(lambda tasklet, event: True)
    t.start()
    assert finished(t)
    assert t.send('late', 1) is False


@test
def test_message_constructors():
    m = Gtasklet.Message('name', value=5)
    assert m.name == 'name' and m.value == 5 and m.props.name == 'name'
    m = Gtasklet.Message.new('other', 'v')
    assert isinstance(m, Gtasklet.Message) and m.value == 'v'
    assert Gtasklet.Message('empty').value is None
    wait = Gtasklet.WaitForMessages(accept='quit')
    assert wait.props.accept == ['quit']            # not split into letters
    assert wait.actions == {'quit': Gtasklet.MessageAction.ACCEPT}


if __name__ == '__main__':
    main()
