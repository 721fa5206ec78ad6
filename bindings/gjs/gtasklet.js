// SPDX-License-Identifier: LGPL-2.1-or-later
//
// gtasklet.js: generator tasklets for GJS, on the C runtime (Gtasklet-1).
//
//     function* counter(n) {
//         const timeout = gtasklet.WaitForTimeout(1000);
//         for (let i = 0; i < n; i++) {
//             print(i);
//             yield timeout;                // wait (wait-any over an array)
//             gtasklet.getEvent();          // the condition that fired (also yield's value)
//         }
//         return n;                         // the tasklet's result
//     }
//     print(gtasklet.runUntilFinished(counter(10)));
//
// A generator yields a wait condition, an array of them (wait for any), a tasklet or a
// generator (join it), or a Message(name, dest, value) (send it; the generator goes on in
// the same step). After a wait, getEvent() returns the condition that fired or the accepted
// Gtasklet.Message; the same event is the value of the `yield` expression.
//
// From async functions: `await gtasklet.join(tasklet)` (the result, or throws its error)
// and `await gtasklet.wait(condition, ...)` (the event). `Gio._promisify` is applied to
// Gtasklet.Tasklet.prototype.join_async, so `await tasklet.join_async(null)` works too.
//
// Where to import it from: the module is compiled into libgtasklet-1 as a GResource, so it
// needs no path and works on any prefix, once the library is loaded (GJS loads it lazily,
// at the first use of a Gtasklet type, and fetches every static import before running any
// code: hence a dynamic import after touching Gtasklet):
//
//     import Gtasklet from 'gi://Gtasklet?version=1';
//     void Gtasklet.Tasklet;   // loads libgtasklet-1, which registers the resource
//     const gtasklet = await import('resource:///org/gnome/Gtasklet/js/gtasklet.js');
//
// (The same file is also installed as <datadir>/gtasklet-1/gjs/gtasklet.js, and in
// `meson devenv -C build` GTASKLET_GJS_MODULE holds the file:// URI of the source tree's
// copy, for programs that import it by path.)
//
// Its TypeScript declarations are gtasklet.d.ts, beside it here and once installed: a
// change of an export changes them too (the 'typescript' test suite checks that they
// name exactly the exports of this file, and type-checks and runs a use of each).
//
// GJS 1.74: after a top-level await, the rest of the module runs as a promise job, and
// promise jobs cannot run inside a nested loop.run(): `main().finally(() => loop.quit());
// loop.run()` then hangs without a word. Such a program never calls loop.run(); it runs its
// main tasklet with runUntilFinished(main()) (a generator or a tasklet: the C library
// iterates the main context until it finishes), or awaits at top level (GJS iterates the
// main context while the module awaits):
//
//     const result = gtasklet.runUntilFinished(main());        // function* main()
//     const result = await gtasklet.join(gtasklet.run(main()));
//
// Once this module is loaded, a step that returns `undefined` counts as `true` (as `None`
// does in Python): the vfunc_run of a Gtasklet.Tasklet subclass registered afterwards, and
// the callbacks of Gtasklet.Tasklet.new() and new_full(). An exception a step throws is kept
// by tasklet, so a generator's `yield child` throws the child's own error.

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Gtasklet from 'gi://Gtasklet?version=1';

export {Gtasklet};

Gio._promisify(Gtasklet.Tasklet.prototype, 'join_async', 'join_finish');

// -- values ---------------------------------------------------------------------------------

// GJS turns numbers, strings, booleans, null, GObjects, GLib.Variants and plain objects into
// GValues (a plain object round-trips by identity), but throws on arrays and functions: the
// module carries those in a box (a plain object), which join(), wait(), unbox(), resultOf()
// and valueOf() open again. Other languages see an opaque JS object either way.
// (A plain object: GJS guesses no GValue type for instances of JS classes.)
// (Symbol.for and the globalThis slots below: every copy of the module in a process, say
// one from the resource and one by path, shares them, so they can mix.)
const BOXED = Symbol.for('gtasklet.js boxed value');

function box(value) {
    return {[BOXED]: value};
}

function isBox(value) {
    return value !== null && typeof value === 'object' && BOXED in value;
}

function toValue(value) {
    if (Array.isArray(value) || typeof value === 'function')
        return box(value);
    return value;
}

/**
 * Opens a value that the module boxed (an array or a function result or payload).
 *
 * @param {*} value a value read from a GValue
 * @returns {*} the value the JS code gave
 */
export function unbox(value) {
    return isBox(value) ? value[BOXED] : value;
}

/**
 * The result of a finished tasklet, or of the tasklet a fired WaitForTasklet waited for.
 *
 * @param {Gtasklet.Tasklet|Gtasklet.WaitForTasklet} source a tasklet or a join condition
 * @returns {*} its result (null if none)
 */
export function resultOf(source) {
    return unbox(source.get_result());
}

/**
 * The payload of a message.
 *
 * @param {Gtasklet.Message} msg a message
 * @returns {*} its value
 */
export function valueOf(msg) {
    return unbox(msg.get_value());
}

function strv(arg, name) {
    if (arg === undefined || arg === null)
        return null;
    if (typeof arg === 'string')
        return [arg];
    if (Array.isArray(arg))
        return arg.map(String);
    throw new TypeError(`${name} must be null, a string or an array of strings`);
}

// -- events ---------------------------------------------------------------------------------

// The events of the generator steps now running, innermost last: a step may start a child
// whose first step runs inside it, so one global slot would not do.
const events = globalThis[Symbol.for('gtasklet.js events')] ??= [];

/**
 * The event that resumed the running generator tasklet: the wait condition that fired or
 * the accepted Gtasklet.Message (null on the first step). Also the value of `yield`.
 *
 * @returns {GObject.Object|null} the event
 */
export function getEvent() {
    if (events.length === 0)
        throw new Error('getEvent() called outside a generator tasklet step');
    return events[events.length - 1];
}

// -- messages -------------------------------------------------------------------------------

const pendingDest = globalThis[Symbol.for('gtasklet.js message destinations')] ??=
    new WeakMap();

/**
 * A message: `Message(name, dest, value)` or `Message(name, {dest, value})`; yield it from
 * a generator tasklet to send it to `dest`. Works with or without `new`.
 *
 * @param {string} name the message name
 * @param {Gtasklet.Tasklet|object|null} [dest] the destination, or {dest, value}
 * @param {*} [value] the payload
 * @returns {Gtasklet.Message} the message
 */
export function Message(name, dest = null, value = null) {
    if (dest !== null && typeof dest === 'object' && !(dest instanceof GObject.Object)) {
        ({dest = null, value = null} = dest);
    }
    const msg = Gtasklet.Message.new(name, toValue(value));
    if (dest !== null)
        pendingDest.set(msg, dest);
    return msg;
}
Message.prototype = Gtasklet.Message.prototype;

/**
 * The tasklet a message goes to: the one it was sent to, or the one given to Message().
 *
 * @param {Gtasklet.Message} msg a message
 * @returns {Gtasklet.Tasklet|null} its destination
 */
export function messageDest(msg) {
    return msg.get_dest() ?? pendingDest.get(msg) ?? null;
}

export const ACCEPT = Gtasklet.MessageAction.ACCEPT;
export const DEFER = Gtasklet.MessageAction.DEFER;
export const DISCARD = Gtasklet.MessageAction.DISCARD;

// -- wait conditions ------------------------------------------------------------------------
// Factories named like the seed's classes, usable with or without `new`; `instanceof` works
// because each shares the prototype of the introspected class.

function factory(klass, build) {
    build.prototype = klass.prototype;
    return build;
}

export const WaitCondition = Gtasklet.WaitCondition;

/** WaitForTimeout(intervalMs, priority?): kept in consecutive wait sets it is periodic. */
export const WaitForTimeout = factory(Gtasklet.WaitForTimeout, function (interval, priority) {
    const c = new Gtasklet.WaitForTimeout({interval});
    if (priority !== undefined)
        c.priority = priority;
    return c;
});

/** WaitForIdle(priority?) */
export const WaitForIdle = factory(Gtasklet.WaitForIdle, function (priority) {
    const c = new Gtasklet.WaitForIdle();
    if (priority !== undefined)
        c.priority = priority;
    return c;
});

/** WaitForIO(fd | GLib.IOChannel | Gio.Socket, condition = IN, priority?) */
export const WaitForIO = factory(Gtasklet.WaitForIO, function (
    filedes, condition = GLib.IOCondition.IN, priority) {
    let c;
    if (filedes instanceof Gio.Socket)
        c = Gtasklet.WaitForIO.new_for_socket(filedes, condition);
    else if (filedes instanceof GLib.IOChannel)
        c = Gtasklet.WaitForIO.new_for_channel(filedes, condition);
    else
        c = Gtasklet.WaitForIO.new(filedes, condition);
    if (priority !== undefined)
        c.priority = priority;
    return c;
});

/** WaitForSignal(object, 'detailed-signal') */
export const WaitForSignal = factory(Gtasklet.WaitForSignal, function (object, signal) {
    return Gtasklet.WaitForSignal.new(object, signal);
});

/**
 * The arguments of the emission a WaitForSignal caught (without the object).
 *
 * @param {Gtasklet.WaitForSignal} cond a fired WaitForSignal
 * @returns {Array} the arguments
 */
export function signalArgs(cond) {
    const args = [];
    for (let i = 0; i < cond.get_n_args(); i++)
        args.push(cond.get_arg(i));
    return args;
}

/** WaitForProcess(pid | Gio.Subprocess) */
export const WaitForProcess = factory(Gtasklet.WaitForProcess, function (pid) {
    if (pid instanceof Gio.Subprocess)
        return Gtasklet.WaitForProcess.new_for_subprocess(pid);
    return Gtasklet.WaitForProcess.new(pid);
});

/** WaitForTasklet(tasklet | generator) */
export const WaitForTasklet = factory(Gtasklet.WaitForTasklet, function (tasklet) {
    if (isGenerator(tasklet))
        tasklet = run(tasklet);
    return Gtasklet.WaitForTasklet.new(tasklet);
});

/** WaitForMessages({accept, defer, discard}) or WaitForMessages(accept, defer, discard) */
export const WaitForMessages = factory(Gtasklet.WaitForMessages, function (
    accept = null, defer = null, discard = null) {
    if (accept !== null && typeof accept === 'object' && !Array.isArray(accept))
        ({accept = null, defer = null, discard = null} = accept);
    return Gtasklet.WaitForMessages.new(strv(accept, 'accept'), strv(defer, 'defer'),
        strv(discard, 'discard'));
});

/**
 * WaitForAsync(): the condition has a `callback` to pass to any `*_async` call; after it
 * fired, call the `*_finish` with `cond.get_result()`.
 */
export const WaitForAsync = factory(Gtasklet.WaitForAsync, function () {
    const c = Gtasklet.WaitForAsync.new();
    c.callback = (source, result) => c.complete(source, result);
    return c;
});

/** WaitForCancellable(cancellable) */
export const WaitForCancellable = factory(Gtasklet.WaitForCancellable, function (cancellable) {
    return Gtasklet.WaitForCancellable.new(cancellable);
});

// -- steps ----------------------------------------------------------------------------------

// The exception a JS step threw, by tasklet: a generator's `yield child` throws the child's
// own error from here (the tasklet's GError keeps its class and message only). Shared by
// every copy of the module in the process, as the step wrappers are.
const failures = globalThis[Symbol.for('gtasklet.js failures')] ??= new WeakMap();

/**
 * The JS exception that failed a tasklet (thrown by one of its steps, in this process).
 *
 * @param {Gtasklet.Tasklet} tasklet a finished tasklet
 * @returns {*} the exception, or null
 */
export function originalError(tasklet) {
    return tasklet.get_error() === null ? null : failures.get(tasklet) ?? null;
}

// Marks a wrapped step, so that two copies of the module (two URLs) wrap it once.
const GUARDED = Symbol.for('gtasklet.js guarded step');

// A step keeps the C contract (return TRUE or fail) the way Python's None does: `undefined`
// counts as true; an exception is kept for originalError() before GJS turns it into a GError.
function guardVfunc(func) {
    if (func[GUARDED])
        return func;
    const step = function (event) {
        let ret;
        try {
            ret = func.call(this, event);
        } catch (e) {
            failures.set(this, e);
            throw e;
        }
        return ret === undefined ? true : ret;
    };
    step[GUARDED] = true;
    return step;
}

function guardClosure(func) {
    if (typeof func !== 'function' || func[GUARDED])
        return func;
    const step = (tasklet, ...args) => {
        let ret;
        try {
            ret = func(tasklet, ...args);
        } catch (e) {
            failures.set(tasklet, e);
            throw e;
        }
        return ret === undefined ? true : ret;
    };
    step[GUARDED] = true;
    return step;
}

// GObject.registerClass() calls the static _classInit() it finds on the class chain: this
// one wraps the vfunc_run of every Gtasklet.Tasklet subclass registered from now on.
if (!Gtasklet.Tasklet[GUARDED]) {
    const parentClassInit = Gtasklet.Tasklet._classInit;
    Gtasklet.Tasklet._classInit = function (klass) {
        const own = Object.getOwnPropertyDescriptor(klass.prototype, 'vfunc_run');
        if (own && typeof own.value === 'function')
            klass.prototype.vfunc_run = guardVfunc(own.value);
        return parentClassInit.call(this, klass);
    };
    const cNew = Gtasklet.Tasklet.new;
    Gtasklet.Tasklet.new = function (func, ...rest) {
        return cNew.call(this, guardClosure(func), ...rest);
    };
    const cNewFull = Gtasklet.Tasklet.new_full;
    Gtasklet.Tasklet.new_full = function (cancellable, func, ...rest) {
        return cNewFull.call(this, cancellable, guardClosure(func), ...rest);
    };
    Gtasklet.Tasklet[GUARDED] = true;
}

function cancelledError() {
    return new GLib.Error(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED, 'Tasklet was cancelled');
}

// -- generator tasklets ---------------------------------------------------------------------

function isGenerator(value) {
    return value !== null && typeof value === 'object' &&
        typeof value.next === 'function' && typeof value.throw === 'function' &&
        typeof value[Symbol.iterator] === 'function';
}

function send(msg) {
    const dest = messageDest(msg);
    if (dest === null)
        throw new TypeError('a yielded Message needs a destination: Message(name, dest)');
    return dest.send_message(msg);
}

// Drives one generator: each step resumes it until it yields something to wait for. A child
// it yielded (a tasklet or a generator) that failed is thrown into it at the `yield`; a
// cancelled tasklet throws its cancellation (a Gio.IOErrorEnum.CANCELLED GLib.Error) into it.
class Driver {
    constructor(gen) {
        if (!isGenerator(gen))
            throw new TypeError('a generator tasklet needs a generator object');
        this.gen = gen;
        this.joins = [];                // the WaitForTasklets made for yielded children
    }

    conditions(yielded) {
        const items = Array.isArray(yielded) ? yielded : [yielded];
        if (items.length === 0)
            throw new TypeError('a generator tasklet yielded an empty wait set');
        const joins = [];
        const conds = items.map(item => {
            if (item instanceof Gtasklet.WaitCondition)
                return item;
            if (item instanceof Gtasklet.Tasklet || isGenerator(item)) {
                const cond = WaitForTasklet(item);
                joins.push(cond);
                return cond;
            }
            throw new TypeError('yielded values must be wait conditions, tasklets, ' +
                                `generators or a single Message, not ${item}`);
        });
        this.joins = joins;
        return conds;
    }

    childFailure(event) {
        if (event === null || !this.joins.includes(event))
            return null;
        const error = event.get_error();
        if (error === null)
            return null;
        return failures.get(event.get_tasklet()) ?? error;
    }

    step(tasklet, event) {
        const gen = this.gen;
        if (gen === null)
            throw new Error('generator already finished');
        events.push(event);
        try {
            let failure = this.childFailure(event);
            this.joins = [];
            let reply = event;
            for (;;) {
                const {value, done} = failure !== null ? gen.throw(failure) : gen.next(reply);
                failure = null;
                if (done) {
                    this.gen = null;
                    if (value !== undefined)
                        tasklet.return_value(toValue(value));
                    return true;
                }
                if (value instanceof Gtasklet.Message) {
                    reply = send(value);
                    continue;
                }
                for (const cond of this.conditions(value))
                    tasklet.wait(cond);
                return true;
            }
        } catch (e) {
            this.gen = null;
            failures.set(tasklet, e);
            throw e;
        } finally {
            events.pop();
        }
    }

    // The tasklet finished without the generator returning (cancelled): throw the
    // cancellation into it, so that its catch blocks see it, and close it.
    close(tasklet) {
        const gen = this.gen;
        this.gen = null;
        this.joins = [];
        if (gen === null)
            return;
        const error = tasklet.get_error() ?? cancelledError();
        events.push(null);
        try {
            const {done} = gen.throw(error);
            if (!done) {
                logError(new Error('a generator tasklet went on after its cancellation'),
                    'closing it');
                gen.return(undefined);
            }
        } catch (e) {
            if (e !== error)
                logError(e, 'generator tasklet threw while being cancelled');
        } finally {
            events.pop();
        }
    }
}

function attach(tasklet, driver) {
    const id = tasklet.connect('finished', () => {
        tasklet.disconnect(id);
        driver.close(tasklet);
    });
}

/**
 * Starts a generator as a tasklet; its first step has run when this returns.
 *
 * @param {Generator} gen the generator (call the generator function first)
 * @param {Gio.Cancellable} [cancellable] the tasklet's cancellable
 * @returns {Gtasklet.Tasklet} the running tasklet
 */
export function run(gen, cancellable = null) {
    const driver = new Driver(gen);
    const tasklet = Gtasklet.Tasklet.new_full(cancellable, (t, event) => driver.step(t, event));
    attach(tasklet, driver);
    tasklet.start();
    return tasklet;
}

/**
 * Runs a program's main tasklet to its end: starts it if needed (a generator is started as
 * with run()) and iterates the thread-default main context until it finishes. Safe after a
 * top-level await, where `loop.run()` would hang (GJS 1.74).
 *
 * @param {Generator|Gtasklet.Tasklet} main the main generator or tasklet
 * @returns {*} its result (unboxed); throws its error (a JS step's own exception)
 */
export function runUntilFinished(main) {
    const tasklet = isGenerator(main) ? run(main) : main;
    try {
        return unbox(tasklet.run_until_finished());
    } catch (e) {
        throw originalError(tasklet) ?? e;
    }
}

// The module may be loaded twice under two URLs (say, from the resource and from
// GTASKLET_GJS_MODULE): each copy needs its own GType name.
function freeTypeName(base) {
    let name = base;
    for (let i = 2; GObject.type_from_name(name) !== null; i++)
        name = `${base}${i}`;
    return name;
}

/**
 * Seed-style tasklet class: `new Tasklet(gen)` runs a generator (started at once); a
 * subclass (registered with GObject.registerClass) defines a generator method `*run()` and
 * starts when its constructor returns, so the constructor may set fields after `super()`
 * (as in Python; a later `start()`, the old way, does nothing).
 */
export const Tasklet = GObject.registerClass({
    GTypeName: freeTypeName('GtaskletGjsTasklet'),
}, class Tasklet extends Gtasklet.Tasklet {
    // A subclass is returned behind a Proxy whose construct trap starts the tasklet once the
    // outermost constructor (the class `new` named) has returned.
    static _classInit(klass) {
        klass = Gtasklet.Tasklet._classInit.call(klass, klass);
        if (Object.getPrototypeOf(klass) === Gtasklet.Tasklet)
            return klass;                   // this class itself: started by the constructor
        const proxy = new Proxy(klass, {
            construct(target, args, newTarget) {
                const self = Reflect.construct(target, args, newTarget);
                if (newTarget === proxy && self.get_state() === Gtasklet.State.NEW)
                    self.start();
                return self;
            },
        });
        return proxy;
    }

    constructor(gen = null, props = {}) {
        if (gen !== null && !isGenerator(gen)) {
            props = gen;
            gen = null;
        }
        super(props);
        if (gen !== null) {
            this._gtaskletGen = gen;
            this.start();
        }
    }

    *run() {
        throw new Error(`${this.constructor.name} has no generator: pass one or define *run()`);
    }

    // Started by its constructor: a start() afterwards (the old way) does nothing.
    start() {
        if (this.get_state() === Gtasklet.State.NEW)
            super.start();
    }

    vfunc_run(event) {
        if (!this._gtaskletDriver) {
            const gen = this._gtaskletGen ?? this.run();
            delete this._gtaskletGen;
            this._gtaskletDriver = new Driver(gen);
            attach(this, this._gtaskletDriver);
        }
        return this._gtaskletDriver.step(this, event);
    }
});

// -- async functions -----------------------------------------------------------------------

/**
 * Resolves with the tasklet's result (unboxed) when it finishes, or rejects with its error.
 *
 * @param {Gtasklet.Tasklet} tasklet the tasklet to join
 * @param {Gio.Cancellable} [cancellable] stops waiting (not the tasklet)
 * @returns {Promise<*>} its result
 */
export function join(tasklet, cancellable = null) {
    return tasklet.join_async(cancellable).then(unbox);
}

/**
 * Resolves with the first event of the given conditions (wait-any), or rejects if
 * `cancellable` is cancelled first. The conditions are armed by a small helper tasklet,
 * so a WaitForMessages here sees that helper's mailbox.
 *
 * @param {...Gtasklet.WaitCondition} conditions the conditions to wait for
 * @returns {Promise<GObject.Object>} the condition that fired
 */
export function wait(...conditions) {
    let cancellable = null;
    if (conditions.length > 0 && conditions[conditions.length - 1] instanceof Gio.Cancellable)
        cancellable = conditions.pop();
    // Made here, not by the helper's yield: a tasklet given here is a condition whose event
    // is the answer (failed or not), and a bad argument throws at once.
    const conds = new Driver((function* () {})()).conditions(
        conditions.length === 1 ? conditions[0] : conditions);
    const helper = run((function* () {
        return box(yield conds);
    })(), cancellable);
    return join(helper);
}

/**
 * Resolves after `ms` milliseconds.
 *
 * @param {number} ms the delay
 * @returns {Promise<Gtasklet.WaitForTimeout>} the timeout that fired
 */
export function sleep(ms) {
    return wait(WaitForTimeout(ms));
}
