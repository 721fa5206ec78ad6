/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <glib.h>

#include <gtasklet/gtasklet-version-macros.h>

G_BEGIN_DECLS

/**
 * GTASKLET_ERROR:
 *
 * The error domain of gtasklet's own errors; see `GtaskletError`.
 *
 * Cancellation is never reported in this domain: it is always `G_IO_ERROR_CANCELLED`.
 */
#define GTASKLET_ERROR (gtasklet_error_quark ())

/**
 * GtaskletError:
 * @GTASKLET_ERROR_FAILED: a step returned %FALSE without setting an error, or a tasklet class
 *   has no step function; the message names the tasklet's type
 * @GTASKLET_ERROR_MISUSE: the tasklet or one of its wait conditions was used wrongly (a
 *   programmer error, already reported by a critical): waiting on %NULL or on a condition
 *   armed for another tasklet, or a condition built without what it needs to fire. The
 *   tasklet fails with this error rather than finishing or hanging silently. Since: 1.2
 * @GTASKLET_ERROR_CONTEXT_DESTROYED: the `GMainContext` the tasklet ran on was destroyed
 *   while the tasklet was still waiting, so it could never run again. Since: 1.2
 * @GTASKLET_ERROR_NOT_STARTED: the tasklet was dropped without ever being started, so it
 *   will never finish; reported to its joiners. Since: 1.2
 * @GTASKLET_ERROR_WRONG_THREAD: the tasklet cannot run on the thread it was sent to: its
 *   step is implemented in a language bound to one thread (GJS runs JavaScript on its main
 *   thread only), and [method@Gtasklet.Pool.start] was asked to run it on a worker. Since: 1.2
 * @GTASKLET_ERROR_LINKED: a tasklet linked to this one ([method@Gtasklet.Tasklet.link]) failed,
 *   and this one does not trap exits ([property@Gtasklet.Tasklet:trap-exits]); the message
 *   names the linked tasklet and its error. Since: 1.2
 * @GTASKLET_ERROR_RESTART_LIMIT: a [class@Gtasklet.Supervisor] restarted its children more
 *   often than its intensity allows within its period, stopped them all and gave up.
 *   Since: 1.2
 * @GTASKLET_ERROR_NO_CONNECTION: the process a remote tasklet lived in went away, or the
 *   D-Bus connection to it closed, so nothing more can be known of the tasklet; reported as
 *   the error of its local handle to its monitors, links and
 *   joiners. Since: 1.2
 * @GTASKLET_ERROR_UNKNOWN_TASKLET: no tasklet is exported under the name a remote handle
 *   asked for, or the tasklet it named finished before it could be reached. Since: 1.2
 * @GTASKLET_ERROR_NOT_SERIALIZABLE: a message value cannot be sent to another process (a
 *   pointer, an object other than a `GUnixFDList`, a boxed type other than `GBytes`, `GStrv`
 *   and `GVariant`), or is larger than the peer accepts. Since: 1.2
 *
 * Error codes of the `GTASKLET_ERROR` domain. Errors that a step sets keep their own domain
 * and code, and cancellation is always `G_IO_ERROR_CANCELLED`. New codes are appended.
 *
 * Since: 1.0
 */
typedef enum
{
  GTASKLET_ERROR_FAILED,
  GTASKLET_ERROR_MISUSE,
  GTASKLET_ERROR_CONTEXT_DESTROYED,
  GTASKLET_ERROR_NOT_STARTED,
  GTASKLET_ERROR_WRONG_THREAD,
  GTASKLET_ERROR_LINKED,
  GTASKLET_ERROR_RESTART_LIMIT,
  GTASKLET_ERROR_NO_CONNECTION,
  GTASKLET_ERROR_UNKNOWN_TASKLET,
  GTASKLET_ERROR_NOT_SERIALIZABLE,
} GtaskletError;

GTASKLET_AVAILABLE_IN_ALL
GQuark gtasklet_error_quark (void);

G_END_DECLS
