# SPDX-License-Identifier: LGPL-2.1-or-later
"""The seed (gtasklet.py 0.4.0)'s own docstring examples and _test(), run on the C runtime
through the Python override. The seed code below is the seed's, with only the Python 3
changes of ../shared/seed/gtasklet3.py and these harness changes, marked HARNESS:
`import gtasklet3 as gtasklet` becomes the override, every delay D becomes ms(D) (SCALE
times shorter), `print` is captured, and the endless main loop of _test() quits when it is
done."""

import builtins
import random

from gtasklet_tap import test, main

from gi.repository import GLib
from gi.repository import Gtasklet as gtasklet          # HARNESS: (seed) import gtasklet3
from gi.repository.Gtasklet import (Tasklet, WaitForTimeout, WaitForMessages,
                                    WaitForTasklet, Message, get_event)

SCALE = 20                                              # HARNESS: 20 times faster than the seed
printed = []


def ms(seed_ms):                                        # HARNESS
    return max(1, int(seed_ms / SCALE))


def print(*args):                                       # HARNESS: capture the seed's output
    printed.append(args)
    builtins.print('#', *args, flush=True)


# -- Example: "Background timeout task" -----------------------------------------------------

def example_background_timeout_task():
    mainloop = GLib.MainLoop()

    def simple_counter(numbers):
        timeout = gtasklet.WaitForTimeout(ms(1000))
        for x in range(numbers):
            print(x)
            yield timeout
            gtasklet.get_event()
        mainloop.quit()

    gtasklet.run(simple_counter(10))
    mainloop.run()


# -- Example: "Message passing" -------------------------------------------------------------

def example_message_passing():
    mainloop = GLib.MainLoop()

    def printer():
        msgwait = gtasklet.WaitForMessages(accept=("quit", "print"))
        while True:
            yield msgwait
            msg = gtasklet.get_event()
            if msg.name == "quit":
                return
            assert msg.name == 'print'
            print(">>> ", msg.value)

    def simple_counter(numbers, task):
        timeout = gtasklet.WaitForTimeout(ms(1000))
        for x in range(numbers):
            yield gtasklet.Message('print', dest=task, value=x)
            yield timeout
            gtasklet.get_event()
        yield gtasklet.Message('quit', dest=task)
        mainloop.quit()

    task = gtasklet.run(printer())
    gtasklet.run(simple_counter(10, task))
    mainloop.run()
    return task


# -- The seed's _test() ---------------------------------------------------------------------

class _CountSomeNumbers2(Tasklet):
    '''Counts numbers with at random time spacings'''
    def __init__(self, count, timeout):
        """foo"""
        self.count = count
        self.timeout = timeout
        Tasklet.__init__(self)

    def run(self):
        '''Execute the task.'''
        for i in range(self.count):
            print(">> _count_some_numbers2", i)
            yield (WaitForTimeout(ms(random.randint(70, self.timeout))),
                   WaitForMessages(accept='quit'))
            event = get_event()
            if isinstance(event, Message) and event.name == 'quit':
                ## this would be the place to do some cleanup.
                return
        return self.count*2


def _count_some_numbers1(count):
    '''Counts numbers with at fixed time spacings'''
    timeout = WaitForTimeout(ms(1000))
    for i in range(count):
        print("_count_some_numbers1", i)
        task2 = _CountSomeNumbers2(10, 130)
        yield timeout, task2
        event = get_event()
        if event is timeout:
            print(">>> Got tired of waiting for task!! Canceling!")
            ## send a message asking the tasklet to stop
            yield Message('quit', dest=task2)
        elif isinstance(event, WaitForTasklet):
            print(">>> task returned %r, good task!" % event.retval)
            ## restart timeout from scratch, otherwise it keeps
            ## running and we end up giving the next task too little
            ## time.
            timeout.restart()
        else:
            assert False, "strange event"


def _test(count=100):                                    # HARNESS: count (100 in the seed)
    '''a simple test/example'''
    mainloop = GLib.MainLoop()                          # HARNESS: a loop that can quit
    task = Tasklet(_count_some_numbers1(count))
    task.add_join_callback(lambda tasklet, retval: mainloop.quit())   # HARNESS
    mainloop.run()
    return task


# -- tests ----------------------------------------------------------------------------------

@test
def test_seed_example_background_timeout_task():
    printed.clear()
    example_background_timeout_task()
    assert printed == [(x,) for x in range(10)], printed


@test
def test_seed_example_message_passing():
    printed.clear()
    task = example_message_passing()
    assert printed == [(">>> ", x) for x in range(10)], printed
    # The seed quits its loop right after sending 'quit': the printer gets it on the next
    # iteration of the loop and finishes.
    ctx = GLib.MainContext.default()
    while task.get_state() != gtasklet.State.FINISHED:
        ctx.iteration(True)
    assert task.get_error() is None


@test
def test_seed_test():
    random.seed(4)
    printed.clear()
    task = _test(count=12)
    assert task.get_error() is None
    rounds = [p for p in printed if p[0] == '_count_some_numbers1']
    results = [p for p in printed if p[0].startswith('>>> task returned')]
    tired = [p for p in printed if p[0].startswith('>>> Got tired')]
    assert len(rounds) == 12
    assert len(results) + len(tired) == 12
    assert all(p[0] == '>>> task returned 20, good task!' for p in results)
    print('results: %d, cancellations: %d' % (len(results), len(tired)))


if __name__ == '__main__':
    main()
