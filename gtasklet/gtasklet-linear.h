/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined (GTASKLET_INSIDE) && !defined (GTASKLET_COMPILATION)
# error "Only <gtasklet/gtasklet.h> can be included directly."
#endif

#include <gtasklet/gtasklet-tasklet.h>

/**
 * SECTION:linear
 *
 * These macros let a C step function read top to bottom, like a generator: each
 * `GTASKLET_WAIT()` returns from the step and the next step resumes right after it.
 * They are a stackless coroutine in the style of protothreads: the resume point is kept in
 * an `int` that must start at 0 and live as long as the tasklet (a field of the instance or
 * of the closure data), and so must every variable whose value crosses a wait. Local
 * variables do not survive a wait, and a `switch` statement cannot enclose a wait.
 *
 * ```c
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
 *       GTASKLET_WAIT (tasklet, &c->pc, c->timeout);
 *     }
 *   GTASKLET_END (&c->pc);
 * }
 * ```
 */

/**
 * GTASKLET_BEGIN:
 * @pc: pointer to the `int` resume point, 0 before the first step
 *
 * Opens the body of a linear step function; close it with [func@Gtasklet.END].
 */
#define GTASKLET_BEGIN(pc) switch (*(pc)) { case 0:

/**
 * GTASKLET_SUSPEND:
 * @pc: the resume point given to [func@Gtasklet.BEGIN]
 *
 * Ends the step after the conditions added with [method@Gtasklet.Tasklet.wait]; the next
 * step resumes right after this macro, with its `event` parameter telling which fired.
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
 * condition added with [method@Gtasklet.Tasklet.wait] in the same step fires).
 */
#define GTASKLET_WAIT(tasklet, pc, condition) \
  do { gtasklet_tasklet_wait ((tasklet), (condition)); GTASKLET_SUSPEND (pc); } while (0)

/**
 * GTASKLET_RETURN:
 * @pc: the resume point given to [func@Gtasklet.BEGIN]
 *
 * Finishes the tasklet now, with the result set by [method@Gtasklet.Tasklet.return_value]
 * if any.
 */
#define GTASKLET_RETURN(pc) do { *(pc) = -1; return TRUE; } while (0)

/**
 * GTASKLET_END:
 * @pc: the resume point given to [func@Gtasklet.BEGIN]
 *
 * Closes the body opened by [func@Gtasklet.BEGIN]; reaching it finishes the tasklet.
 */
#define GTASKLET_END(pc) } *(pc) = -1; return TRUE
