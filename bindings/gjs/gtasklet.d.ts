// SPDX-License-Identifier: LGPL-2.1-or-later
//
// gtasklet.d.ts: TypeScript declarations for gtasklet.js, the GJS module of gtasklet.
//
// A module file, so a program that imports gtasklet.js by path finds it beside the module.
// The documented import is the GResource compiled into libgtasklet-1; map that URI onto
// this file in tsconfig.json (doc/typescript.md):
//
//     "paths": {
//       "resource:///org/gnome/Gtasklet/js/gtasklet.js": ["./@types/gtasklet.d.ts"]
//     }
//
// The `gi://` modules named below are the ones ts-for-gir generates for Gtasklet-1 and
// the GLib, GObject and Gio it needs. Keep this file in step with gtasklet.js: the
// 'typescript' test suite type-checks and runs a program that uses every export.

import type GLib from 'gi://GLib?version=2.0';
import type GObject from 'gi://GObject?version=2.0';
import type Gio from 'gi://Gio?version=2.0';
import Gtasklet from 'gi://Gtasklet?version=1';

/** The introspected namespace, as `import Gtasklet from 'gi://Gtasklet?version=1'`. */
export {Gtasklet};

// -- types ----------------------------------------------------------------------------------

/**
 * What resumes a tasklet: the wait condition that fired, or the Gtasklet.Message a
 * WaitForMessages accepted.
 */
export type Event = Gtasklet.WaitCondition | Gtasklet.Message;

/**
 * Something a generator tasklet can wait for: a condition, or a tasklet or a generator
 * (joined: a failed child's exception is thrown at the `yield`).
 */
export type Waitable = Gtasklet.WaitCondition | Gtasklet.Tasklet | TaskletGenerator<unknown>;

/**
 * What a generator tasklet yields: something to wait for, an array of them (wait for any),
 * or a Message with a destination (sent at once; the generator goes on in the same step).
 */
export type Yieldable = Waitable | readonly Waitable[] | Gtasklet.Message;

/**
 * A generator tasklet: the value of its `yield` is the Event that resumed it, or the
 * boolean Gtasklet.Tasklet.send_message() returned for a yielded Message. Declare a
 * generator function's return type with it: `function* main(): TaskletGenerator<number>`.
 */
export type TaskletGenerator<TReturn = unknown> = Generator<Yieldable, TReturn, Event | boolean>;

/**
 * The result a generator's tasklet keeps: its return value; `undefined` (no return value)
 * becomes `null`.
 */
export type Result<T> = Exclude<T, undefined> | (undefined extends T ? null : never);

/** Message names for WaitForMessages: one name, a list of them, or none. */
export type MessageNames = string | readonly string[] | null;

/** The construct properties of Gtasklet.Tasklet (name, cancellable, ...). */
export type TaskletProps = NonNullable<ConstructorParameters<typeof Gtasklet.Tasklet>[0]>;

/**
 * A factory named like an introspected class: callable with or without `new`, and
 * `instanceof` works because it shares the class's prototype.
 */
interface Factory<Args extends unknown[], T> {
    (...args: Args): T;
    new (...args: Args): T;
    readonly prototype: T;
}

// -- values ---------------------------------------------------------------------------------

/**
 * Opens a value the module boxed: arrays and functions travel in a box, since GJS cannot
 * put them in a GValue. Anything else is returned as it is.
 */
export function unbox(value: unknown): unknown;

/** The result of a finished tasklet, or of the tasklet a fired WaitForTasklet waited for. */
export function resultOf(source: Gtasklet.Tasklet | Gtasklet.WaitForTasklet): unknown;

/** The payload of a message, unboxed. */
export function valueOf(msg: Gtasklet.Message): unknown;

// -- events ---------------------------------------------------------------------------------

/**
 * The event that resumed the running generator tasklet (null on its first step); also the
 * value of its `yield`. Throws outside a generator tasklet's step.
 */
export function getEvent(): Event | null;

// -- messages -------------------------------------------------------------------------------

/** Where a Message goes and what it carries. */
export interface MessageOptions {
    dest?: Gtasklet.Tasklet | null;
    value?: unknown;
}

/**
 * `Message(name, dest, value)` or `Message(name, {dest, value})`, with or without `new`:
 * a Gtasklet.Message; yielded from a generator tasklet, it is sent to `dest`. An array or a
 * function value is boxed (see unbox()).
 */
export const Message: Factory<[name: string, dest?: Gtasklet.Tasklet | null, value?: unknown],
                              Gtasklet.Message> &
                      Factory<[name: string, options: MessageOptions], Gtasklet.Message>;
export type Message = Gtasklet.Message;

/** The tasklet a message goes to: the one it was sent to, or the one given to Message(). */
export function messageDest(msg: Gtasklet.Message): Gtasklet.Tasklet | null;

/** Gtasklet.MessageAction.ACCEPT */
export const ACCEPT: typeof Gtasklet.MessageAction.ACCEPT;
/** Gtasklet.MessageAction.DEFER */
export const DEFER: typeof Gtasklet.MessageAction.DEFER;
/** Gtasklet.MessageAction.DISCARD */
export const DISCARD: typeof Gtasklet.MessageAction.DISCARD;

// -- wait conditions ------------------------------------------------------------------------

/** Gtasklet.WaitCondition itself (to subclass, or for `instanceof`). */
export const WaitCondition: typeof Gtasklet.WaitCondition;
export type WaitCondition = Gtasklet.WaitCondition;

/**
 * `WaitForTimeout(intervalMs, priority?)`: fires `intervalMs` after it is armed; kept in
 * consecutive wait sets, it is periodic.
 */
export const WaitForTimeout: Factory<[intervalMs: number, priority?: number],
                                     Gtasklet.WaitForTimeout>;
export type WaitForTimeout = Gtasklet.WaitForTimeout;

/** `WaitForIdle(priority?)`: fires when the main context is idle. */
export const WaitForIdle: Factory<[priority?: number], Gtasklet.WaitForIdle>;
export type WaitForIdle = Gtasklet.WaitForIdle;

/**
 * `WaitForIO(fd | GLib.IOChannel | Gio.Socket, condition = GLib.IOCondition.IN,
 * priority?)`: fires when the descriptor, channel or socket meets `condition`.
 */
export const WaitForIO: Factory<[filedes: number | GLib.IOChannel | Gio.Socket,
                                 condition?: GLib.IOCondition, priority?: number],
                                Gtasklet.WaitForIO>;
export type WaitForIO = Gtasklet.WaitForIO;

/** `WaitForSignal(object, 'detailed-signal')`: fires at the signal's next emission. */
export const WaitForSignal: Factory<[object: GObject.Object, signal: string],
                                    Gtasklet.WaitForSignal>;
export type WaitForSignal = Gtasklet.WaitForSignal;

/** The arguments of the emission a fired WaitForSignal caught (without the object). */
export function signalArgs(cond: Gtasklet.WaitForSignal): unknown[];

/** `WaitForProcess(pid | Gio.Subprocess)`: fires when the process exits. */
export const WaitForProcess: Factory<[pid: number | Gio.Subprocess], Gtasklet.WaitForProcess>;
export type WaitForProcess = Gtasklet.WaitForProcess;

/** `WaitForTasklet(tasklet | generator)`: fires when it finishes (a generator is run()). */
export const WaitForTasklet: Factory<[tasklet: Gtasklet.Tasklet | TaskletGenerator<unknown>],
                                     Gtasklet.WaitForTasklet>;
export type WaitForTasklet = Gtasklet.WaitForTasklet;

/** The message names a WaitForMessages accepts, defers and discards. */
export interface MessageFilter {
    accept?: MessageNames;
    defer?: MessageNames;
    discard?: MessageNames;
}

/**
 * `WaitForMessages(accept, defer?, discard?)` or `WaitForMessages({accept, defer,
 * discard})`: fires with the first accepted message of the tasklet's mailbox; a name is
 * a string or a list of strings.
 */
export const WaitForMessages: Factory<[accept?: MessageNames, defer?: MessageNames,
                                       discard?: MessageNames], Gtasklet.WaitForMessages> &
                              Factory<[filter: MessageFilter], Gtasklet.WaitForMessages>;
export type WaitForMessages = Gtasklet.WaitForMessages;

/** A WaitForAsync made by the module: it has the callback to give to an `*_async` call. */
export interface WaitForAsyncWithCallback extends Gtasklet.WaitForAsync {
    /** Pass it to any `*_async` call; it completes the condition. */
    callback: (source: GObject.Object | null, result: Gio.AsyncResult) => void;
}

/**
 * `WaitForAsync()`: pass `cond.callback` to an `*_async` call; when the condition has
 * fired, call the `*_finish` with `cond.get_result()`.
 */
export const WaitForAsync: Factory<[], WaitForAsyncWithCallback>;
export type WaitForAsync = Gtasklet.WaitForAsync;

/** `WaitForCancellable(cancellable)`: fires when it is cancelled. */
export const WaitForCancellable: Factory<[cancellable: Gio.Cancellable],
                                         Gtasklet.WaitForCancellable>;
export type WaitForCancellable = Gtasklet.WaitForCancellable;

// -- steps ----------------------------------------------------------------------------------

/**
 * The JS exception one of the tasklet's steps threw (in this process), or null: a failed
 * tasklet's GError keeps only the class name and message.
 */
export function originalError(tasklet: Gtasklet.Tasklet): unknown;

// -- generator tasklets ---------------------------------------------------------------------

/** Starts a generator as a tasklet; its first step has run when this returns. */
export function run(gen: TaskletGenerator<unknown>,
                    cancellable?: Gio.Cancellable | null): Gtasklet.Tasklet;

/**
 * Runs a program's main tasklet to its end: starts it if needed (a generator as with run())
 * and iterates the thread-default main context until it finishes. Returns its result
 * (unboxed) or throws its error (a JS step's own exception). Safe after a top-level await.
 */
export function runUntilFinished<T>(main: TaskletGenerator<T>): Result<T>;
export function runUntilFinished(main: Gtasklet.Tasklet): unknown;

/**
 * Seed-style tasklet class. `new Tasklet(gen)` runs a generator, started at once. A
 * subclass (registered with GObject.registerClass) defines a generator method `*run()` and
 * starts when its constructor returns; a later start() does nothing.
 */
export class Tasklet extends Gtasklet.Tasklet {
    constructor(gen?: TaskletGenerator<unknown> | null, props?: Partial<TaskletProps>);
    constructor(props?: Partial<TaskletProps>);
    /** The generator of a subclass's steps; the base class's throws. */
    run(): TaskletGenerator<unknown>;
    /** Does nothing once started (a Tasklet starts itself). */
    start(): void;
}

// -- async functions ------------------------------------------------------------------------
// The module also applies Gio._promisify() to Gtasklet.Tasklet.prototype.join_async, so
// `await tasklet.join_async(null)` (the generated promise overload) works once it is loaded.

/**
 * Resolves with the tasklet's result (unboxed) when it finishes, or rejects with its error;
 * cancelling `cancellable` stops the waiting, not the tasklet.
 */
export function join(tasklet: Gtasklet.Tasklet,
                     cancellable?: Gio.Cancellable | null): Promise<unknown>;

/**
 * Resolves with the first event of the given conditions (a tasklet or a generator given
 * here is joined, and its WaitForTasklet is the event); a Gio.Cancellable last rejects it
 * when cancelled first. A small helper tasklet arms the conditions, so a WaitForMessages
 * here sees the helper's mailbox.
 */
export function wait(...conditions: [...Waitable[], Gio.Cancellable]): Promise<Event>;
export function wait(...conditions: Waitable[]): Promise<Event>;
export function wait(conditions: readonly Waitable[],
                     cancellable?: Gio.Cancellable): Promise<Event>;

/** Resolves with the WaitForTimeout that fired `ms` milliseconds later. */
export function sleep(ms: number): Promise<Gtasklet.WaitForTimeout>;
