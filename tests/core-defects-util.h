/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "test-manual-condition.h"
#include "test-util.h"

G_BEGIN_DECLS

/* Helpers shared by test-core-defects.c and test-core-defects-2.c: regression tests written
 * before the core rewrite, so each body must fail, crash or hang on the old core without
 * taking the rest of the suite with it. */

typedef void (*DefectBody) (void);

/* Registers @body under @path. It runs in a subprocess (10 s limit) that must pass: an abort,
 * a crash or a hang fails that one test. Under valgrind, or with GTASKLET_TEST_IN_PROCESS set,
 * it runs in the test process instead, so that memcheck sees the body (valgrind does not
 * follow the subprocess). */
void      defect_add              (const char      *path,
                                   DefectBody       body);

/* How long to iterate for something that should take milliseconds: generous, since missing it
 * means the behaviour is wrong, yet short enough that a suite of failures stays under
 * meson's timeout. Longer under valgrind. */
guint     defect_deadline_ms      (void);

/* Sets *@flag when @object is finalized (not merely disposed: GLib 2.74 notifies weak
 * references from dispose, and a tasklet may be disposed without being finalized). */
void      defect_watch_finalize   (gpointer         object,
                                   gboolean        *flag);

/* A tasklet that waits once on @condition and finishes when woken, counting its steps. */
typedef struct
{
  GtaskletWaitCondition *condition;   /* owned */
  guint                  n_steps;
  GObject               *event;       /* the last event; compared only, no reference */
} Waiter;

/* The tasklet owns the Waiter (freed when it is disposed) and the Waiter owns @condition. */
GtaskletTasklet *defect_waiter_new (GtaskletWaitCondition  *condition,
                                    Waiter                **out_waiter);

/* Shorthands: a tasklet waiting on a timeout of @interval_ms. */
GtaskletTasklet *defect_sleeper_new (guint interval_ms);

/* Cancels a tasklet left waiting by a test and iterates until it has ended. */
void      defect_cancel_and_wait  (GtaskletTasklet *tasklet);

G_END_DECLS
