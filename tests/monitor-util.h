/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtasklet/gtasklet.h>

#include "test-thread-util.h"

G_BEGIN_DECLS

/* Helpers of the monitor and link tests: where a tasklet runs, a target that sends and then
 * ends as told, and a recorder that logs every message it receives. */

typedef enum
{
  TEST_WHERE_HERE,    /* this thread's context */
  TEST_WHERE_POOL,    /* the worker of a gtasklet_pool_new (1) */
  TEST_WHERE_THREAD,  /* a plain thread iterating a context of its own (TestWorker) */
} TestWhere;

typedef struct
{
  TestWhere     where;
  GtaskletPool *pool;
  TestWorker   *worker;
} TestPlace;

void test_place_init  (TestPlace       *place,
                       TestWhere        where);
void test_place_clear (TestPlace       *place);
/* Starts @tasklet there; its first step has run, or is on its way, when this returns. */
void test_place_start (TestPlace       *place,
                       GtaskletTasklet *tasklet);

typedef enum
{
  TEST_END_NORMAL,
  TEST_END_ERROR,     /* fails with G_IO_ERROR_FAILED "target failed" */
  TEST_END_WAIT,      /* waits for a message nobody sends: cancel it */
} TestEnd;

/* A tasklet that waits for "go", then sends @n_messages messages "data" (holding 0, 1, …)
 * to @to (if any) and ends as @end says. */
GtaskletTasklet *test_target_new (GtaskletTasklet *to,
                                  guint            n_messages,
                                  TestEnd          end);

typedef struct
{
  const char      *name;      /* interned */
  GtaskletTasklet *sender;    /* not referenced: compare only */
  GError          *error;     /* the value's error, if it held one */
  gboolean         has_value;
  int              data;
} TestRecord;

typedef void (*TestFirstStep) (GtaskletTasklet *self,
                               gpointer         data);

/* Receives everything and logs it, until a message "stop" finishes it. Its first step calls
 * @first (if set) before it starts receiving. Counters are atomic; read the log once the
 * recorder has finished. */
typedef struct
{
  GPtrArray     *records;
  guint          n_down;
  guint          n_exit;
  guint          n_data;
  TestFirstStep  first;
  gpointer       first_data;
  /* If non-zero, it finishes once it has received this many DOWNs (for a recorder on
   * another thread, whose counters this thread should not poll). */
  guint          finish_after_downs;
} TestRecorder;

TestRecorder    *test_recorder_new         (TestFirstStep  first,
                                            gpointer       first_data);
GtaskletTasklet *test_recorder_tasklet_new (TestRecorder  *recorder);
void             test_recorder_free        (TestRecorder  *recorder);
/* The recorder's step, for tests that wrap it: a message event is logged (a condition is
 * not), then it receives everything again. */
gboolean         test_recorder_step        (GtaskletTasklet  *tasklet,
                                            GObject          *event,
                                            gpointer          user_data,
                                            GError          **error);
/* The last record, or NULL. */
TestRecord      *test_recorder_last        (TestRecorder  *recorder);

G_END_DECLS
