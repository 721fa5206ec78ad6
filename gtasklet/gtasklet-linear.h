/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gtasklet/gtasklet-tasklet.h>

/* The linear-step macros. gi-docgen does not render gtk-doc SECTION blocks, so the overview
 * lives in the GTASKLET_BEGIN documentation below and in the guide (doc/tasklet-c.md). */

/**
 * GTASKLET_BEGIN:
 * @pc: pointer to the `int` resume point, 0 before the first step
 *
 * Opens the body of a linear step function; close it with [func@Gtasklet.END].
 *
 * The linear macros let a C step function ([vfunc@Gtasklet.Tasklet.run] or a
 * [callback@Gtasklet.RunFunc]) read top to bottom, like a generator: each
 * [func@Gtasklet.WAIT] returns from the step, and the next step jumps back to right after
 * it. They are a stackless coroutine in the style of protothreads:
 *
 * - the resume point is an `int` that starts at 0 and lives as long as the tasklet (a field
 *   of the instance or of the closure data);
 * - so must every variable whose value crosses a wait: local variables do not survive one;
 * - a `switch` statement cannot enclose a wait (the macros are themselves a `switch`), and
 *   neither can a block that must run cleanup code on the way out.
 *
 * ```c
 * typedef struct { int pc, i; GtaskletWaitCondition *tick; } Counter;
 *
 * static gboolean
 * counter_run (GtaskletTasklet  *tasklet,
 *              GObject          *event,
 *              gpointer          user_data,
 *              GError          **error)
 * {
 *   Counter *c = user_data;
 *
 *   GTASKLET_BEGIN (&c->pc);
 *   for (c->i = 0; c->i < 10; c->i++)
 *     {
 *       g_print ("%d\n", c->i);
 *       GTASKLET_WAIT (tasklet, &c->pc, c->tick);
 *     }
 *   GTASKLET_END (&c->pc);
 * }
 * ```
 *
 * To wait for several conditions at once, add them with [method@Gtasklet.Tasklet.wait] and
 * use [func@Gtasklet.SUSPEND]; after it, the step's `event` parameter tells which fired.
 *
 * Since: 1.0
 */
#define GTASKLET_BEGIN(pc) switch (*(pc)) { case 0:

/**
 * GTASKLET_SUSPEND:
 * @pc: the resume point given to [func@Gtasklet.BEGIN]
 *
 * Ends the step after the conditions added with [method@Gtasklet.Tasklet.wait]; the next
 * step resumes right after this macro, with its `event` parameter telling which fired.
 *
 * ```c
 * gtasklet_tasklet_wait (tasklet, self->reply);
 * gtasklet_tasklet_wait (tasklet, self->timeout);
 * GTASKLET_SUSPEND (&self->pc);
 * if (event == G_OBJECT (self->timeout))
 *   {
 *     g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "No reply");
 *     return FALSE;
 *   }
 * ```
 *
 * Since: 1.0
 */
#define GTASKLET_SUSPEND(pc) \
  do { *(pc) = __LINE__; return TRUE; case __LINE__:; } while (0)

/**
 * GTASKLET_WAIT:
 * @tasklet: the running tasklet
 * @pc: the resume point given to [func@Gtasklet.BEGIN]
 * @condition: a [class@Gtasklet.WaitCondition] to wait for
 *
 * Waits for @condition and resumes right after this macro when it fires (or when another
 * condition added with [method@Gtasklet.Tasklet.wait] in the same step fires). It is
 * [method@Gtasklet.Tasklet.wait] followed by [func@Gtasklet.SUSPEND].
 *
 * Since: 1.0
 */
#define GTASKLET_WAIT(tasklet, pc, condition) \
  do { gtasklet_tasklet_wait ((tasklet), (condition)); GTASKLET_SUSPEND (pc); } while (0)

/**
 * GTASKLET_RETURN:
 * @pc: the resume point given to [func@Gtasklet.BEGIN]
 *
 * Finishes the tasklet now, with the result set by [method@Gtasklet.Tasklet.return_value]
 * if any. Do not add conditions with [method@Gtasklet.Tasklet.wait] earlier in the same
 * step: the tasklet would wait for one of them first, and finish in the step it wakes.
 *
 * Since: 1.0
 */
#define GTASKLET_RETURN(pc) do { *(pc) = -1; return TRUE; } while (0)

/**
 * GTASKLET_END:
 * @pc: the resume point given to [func@Gtasklet.BEGIN]
 *
 * Closes the body opened by [func@Gtasklet.BEGIN]; reaching it finishes the tasklet, with
 * the result set by [method@Gtasklet.Tasklet.return_value] if any.
 *
 * Since: 1.0
 */
#define GTASKLET_END(pc) } *(pc) = -1; return TRUE
