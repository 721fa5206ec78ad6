# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every wait condition from Python, and wait conditions written in Python."""

import os

from gtasklet_tap import test, main, iterate_until, join, finished

from gi.repository import GLib, GObject, Gio, Gtasklet


def run_gen(gen):
    t = Gtasklet.run(gen)
    result, error = join(t)
    assert error is None, error.message
    return result


class Emitter(GObject.Object):
    __gsignals__ = {
        'poked': (GObject.SignalFlags.RUN_LAST, None, (int, str)),
    }
    level = GObject.Property(type=int, default=0)


@test
def test_timeout_periodic_and_restart():
    def body():
        timeout = Gtasklet.WaitForTimeout(5)
        assert timeout.get_interval() == 5 and timeout.timeout == 5
        fired = 0
        for _ in range(3):                      # kept armed: periodic
            event = yield timeout
            assert event is timeout and Gtasklet.get_event() is timeout
            fired += 1
        timeout.restart()
        yield timeout
        long = Gtasklet.WaitForTimeout(60000, priority=GLib.PRIORITY_HIGH)
        assert long.get_priority() == GLib.PRIORITY_HIGH
        event = yield long, timeout             # wait-any
        assert event is timeout
        return fired + 1

    assert run_gen(body()) == 4


@test
def test_idle():
    def body():
        idle = Gtasklet.WaitForIdle(priority=GLib.PRIORITY_LOW)
        assert idle.get_priority() == GLib.PRIORITY_LOW
        event = yield idle
        assert isinstance(event, Gtasklet.WaitForIdle)
        yield Gtasklet.WaitForIdle()
        return 'idle'

    assert run_gen(body()) == 'idle'


@test
def test_io_on_a_pipe():
    r, w = os.pipe()
    try:
        def body():
            cond = Gtasklet.WaitForIO(r, GLib.IOCondition.IN)
            assert cond.get_fd() == r
            GLib.idle_add(lambda: os.write(w, b'ping') and False)
            event = yield cond
            assert event is cond
            assert event.condition & GLib.IOCondition.IN
            data = os.read(r, 16)
            os.close(w)
            event = yield Gtasklet.WaitForIO(r, GLib.IOCondition.IN | GLib.IOCondition.HUP)
            return data, bool(event.condition & GLib.IOCondition.HUP)

        data, hup = run_gen(body())
        assert data == b'ping' and hup
    finally:
        os.close(r)


@test
def test_io_channel_object():
    r, w = os.pipe()
    channel = GLib.IOChannel.unix_new(r)
    try:
        def body():
            os.write(w, b'x')
            event = yield Gtasklet.WaitForIO(channel)   # the seed's IOChannel form
            assert event.get_channel() is not None
            return os.read(r, 1)

        assert run_gen(body()) == b'x'
    finally:
        os.close(r)
        os.close(w)


@test
def test_signal_with_args():
    emitter = Emitter()

    def body():
        cond = Gtasklet.WaitForSignal(emitter, 'poked')
        GLib.idle_add(lambda: emitter.emit('poked', 7, 'seven') and False)
        event = yield cond
        assert event is cond and event.object is emitter and event.signal == 'poked'
        assert event.get_n_args() == 2
        args = event.signal_args
        notify = Gtasklet.WaitForSignal(emitter, 'notify::level')
        GLib.idle_add(lambda: emitter.set_property('level', 3) and False)
        event = yield notify
        pspec = event.get_arg(0)
        return args, pspec.name, emitter.props.level

    assert run_gen(body()) == ((7, 'seven'), 'level', 3)


@test
def test_signal_object_finalized():
    holder = [Emitter()]

    def body():
        cond = Gtasklet.WaitForSignal(holder[0], 'poked')
        GLib.idle_add(lambda: holder.clear() and False)
        event = yield cond
        return event.get_object() is None

    assert run_gen(body()) is True


@test
def test_process_pid_and_subprocess():
    flags = GLib.SpawnFlags.SEARCH_PATH | GLib.SpawnFlags.DO_NOT_REAP_CHILD

    def body():
        pid, *_ = GLib.spawn_async(['true'], flags=flags)
        event = yield Gtasklet.WaitForProcess(pid)
        assert event.get_pid() == pid and event.has_exited()
        ok = GLib.spawn_check_wait_status(event.status)
        pid, *_ = GLib.spawn_async(['sh', '-c', 'exit 3'], flags=flags)
        event = yield Gtasklet.WaitForProcess(pid)
        status = event.get_status()
        try:
            GLib.spawn_check_wait_status(status)
            code = 0
        except GLib.Error as error:
            code = error.code
        sub = Gio.Subprocess.new(['sh', '-c', 'exit 5'], Gio.SubprocessFlags.NONE)
        event = yield Gtasklet.WaitForProcess(sub)
        assert event.get_subprocess() is sub
        return ok, code, os.waitstatus_to_exitcode(status), sub.get_exit_status()

    assert run_gen(body()) == (True, 3, 3, 5)


@test
def test_tasklet_join_condition():
    def child(n):
        yield Gtasklet.WaitForIdle()
        return n * 10

    def body():
        event = yield child(4)                      # a generator: joined as a tasklet
        assert isinstance(event, Gtasklet.WaitForTasklet)
        first = event.retval
        t = Gtasklet.run(child(5))
        event = yield Gtasklet.WaitForTasklet(t)
        assert event.tasklet is t and event.get_error() is None
        again = yield Gtasklet.WaitForTasklet(t)    # finished: fires at once
        event = yield t                             # a Tasklet: joined too
        return first, again.retval, event.retval

    assert run_gen(body()) == (40, 50, 50)


@test
def test_messages_condition():
    def receiver():
        msg = yield Gtasklet.WaitForMessages(accept='hello')
        assert isinstance(msg, Gtasklet.Message) and Gtasklet.get_event() is msg
        return msg.name, msg.value

    t = Gtasklet.run(receiver())
    assert t.send('hello', 42)
    assert join(t) == (('hello', 42), None)


@test
def test_async_load_contents():
    path = os.path.abspath(__file__)

    def body():
        cond = Gtasklet.WaitForAsync()
        gfile = Gio.File.new_for_path(path)
        gfile.load_contents_async(None, cond.callback)
        event = yield cond
        assert event is cond and cond.is_complete()
        assert cond.get_source_object() is gfile
        ok, data, etag = gfile.load_contents_finish(cond.get_result())
        return ok, data

    ok, data = run_gen(body())
    with open(path, 'rb') as f:
        assert ok and data == f.read()


@test
def test_async_error_through_finish():
    def body():
        cond = Gtasklet.WaitForAsync()
        gfile = Gio.File.new_for_path('/nonexistent/gtasklet/file')
        gfile.load_contents_async(None, cond.callback)
        yield cond
        try:
            gfile.load_contents_finish(cond.get_result())
        except GLib.Error as error:
            return error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND)
        return False

    assert run_gen(body()) is True


@test
def test_cancellable_condition():
    other = Gio.Cancellable()

    def body():
        cond = Gtasklet.WaitForCancellable(other)
        assert cond.get_cancellable() is other
        GLib.timeout_add(5, lambda: other.cancel() and False)
        event = yield cond, Gtasklet.WaitForTimeout(60000)
        assert event is cond
        event = yield cond                          # already cancelled: fires at once
        return event is cond

    assert run_gen(body()) is True


class Manual(Gtasklet.WaitCondition):
    """A condition written in Python: fires when poke() is called while armed."""

    def __init__(self):
        super().__init__()
        self.log = []

    def do_arm(self, tasklet):
        self.log.append(('arm', tasklet))

    def do_disarm(self):
        self.log.append(('disarm',))

    def poke(self):
        self.fire()


class Delay(Gtasklet.WaitCondition):
    """Fires `ms` after it is armed, on its own GLib timeout."""

    def __init__(self, ms):
        super().__init__()
        self.ms = ms
        self.source = None

    def do_arm(self, tasklet):
        self.source = GLib.timeout_add(self.ms, self._expired)

    def do_disarm(self):
        if self.source is not None:
            GLib.source_remove(self.source)
            self.source = None

    def _expired(self):
        self.source = None
        self.fire()
        return GLib.SOURCE_REMOVE


class SeedStyle(Gtasklet.WaitCondition):
    """The seed's protocol: arm(tasklet)/disarm() and tasklet.wait_condition_fired()."""

    def __init__(self):
        super().__init__()
        self.tasklet = None

    def arm(self, tasklet):
        self.tasklet = tasklet
        GLib.idle_add(self._idle)

    def disarm(self):
        self.tasklet = None

    def _idle(self):
        if self.tasklet is not None:
            self.tasklet.wait_condition_fired(self)
        return False


@test
def test_custom_condition_subclasses():
    manual = Manual()
    fired = []
    manual.connect('fired', lambda cond: fired.append(cond))

    def body():
        GLib.idle_add(lambda: manual.poke() and False)
        event = yield manual
        assert event is manual and manual.is_armed()  # until this step's wait set replaces it
        delay = Delay(5)
        event = yield delay, Gtasklet.WaitForTimeout(60000)
        assert event is delay
        event = yield SeedStyle()
        return type(event).__name__

    t = Gtasklet.run(body())
    outcome = join(t)
    assert outcome == ('SeedStyle', None), (outcome, outcome[1] and outcome[1].message)
    assert not manual.is_armed()
    assert [entry[0] for entry in manual.log] == ['arm', 'disarm']
    assert manual.log[0][1] is t
    assert fired == [manual]
    assert GObject.type_is_a(Manual.__gtype__, Gtasklet.WaitCondition.__gtype__)


@test
def test_yielding_garbage_fails_the_tasklet():
    def body():
        yield 42

    t = Gtasklet.run(body())
    iterate_until(lambda: finished(t))
    assert t.get_error().message.startswith('TypeError: yielded values must be')



@test
def test_one_shot_timeout():
    # A one-shot timeout beside a receive is a deadline per item: items every 40 ms keep a
    # 250 ms deadline from firing until they stop.
    idle = Gtasklet.WaitForTimeout.new_one_shot(250)
    assert idle.get_one_shot() and idle.props.one_shot
    items = []

    def consumer(tasklet, event):
        if event is idle:
            tasklet.return_value(len(items))
            return True
        if event is not None:
            items.append(event.get_int())
        tasklet.receive(['item'])
        tasklet.wait(idle)
        return True

    t = Gtasklet.Tasklet.new(consumer)
    t.start()
    left = [12]

    def feed():
        t.send_int('item', left[0])
        left[0] -= 1
        return left[0] > 0

    GLib.timeout_add(40, feed)
    assert t.run_until_finished() == 12
    assert items == list(range(12, 0, -1)), items


if __name__ == '__main__':
    main()
