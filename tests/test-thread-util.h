/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

/* The factor from GTASKLET_TEST_SCALE (default 1; valgrind and TSan runs use less), and @n
 * scaled by it, at least 1. */
double   test_scale_factor  (void);
guint    test_scaled        (guint n);

/* Iterates the thread-default main context until *counter >= value, failing after
 * timeout_ms. */
#define test_wait_count(counter, value, timeout_ms) \
  test_wait_count_impl (&(counter), (value), (timeout_ms), G_STRFUNC, __LINE__, #counter)
void     test_wait_count_impl (const guint *counter,
                               guint        value,
                               guint        timeout_ms,
                               const char  *func,
                               int          line,
                               const char  *expr);

/* A counter that threads advance and wait on: the handshakes of the thread tests. Waiting has
 * a deadline, past which the test fails instead of hanging. */
typedef struct
{
  GMutex mutex;
  GCond  cond;
  int    value;
} TestLatch;

void     test_latch_init    (TestLatch *latch);
void     test_latch_clear   (TestLatch *latch);
/* Raises the value to @value (never lowers it) and wakes the waiters. */
void     test_latch_advance (TestLatch *latch,
                             int        value);
int      test_latch_get     (TestLatch *latch);
#define test_latch_wait(latch, value, timeout_ms) \
  test_latch_wait_impl ((latch), (value), (timeout_ms), G_STRFUNC, __LINE__, #latch)
void     test_latch_wait_impl (TestLatch  *latch,
                               int         value,
                               guint       timeout_ms,
                               const char *func,
                               int         line,
                               const char *expr);

/* A thread iterating its own GMainContext (its thread-default), for tasklets that live there.
 * test_worker_call() runs a function on it, outside any source (as code at the top of a main
 * loop runs), and returns when it has run. */
typedef struct _TestWorker TestWorker;

TestWorker   *test_worker_new         (const char  *name);
GMainContext *test_worker_get_context (TestWorker  *worker);
GThread      *test_worker_get_thread  (TestWorker  *worker);
void          test_worker_call        (TestWorker  *worker,
                                       GFunc        func,
                                       gpointer     data);
/* Stops the thread once the functions queued so far have run, and joins it. */
void          test_worker_free        (TestWorker  *worker);

/* Waits for what happens on other threads, such as pool workers, which do not wake this
 * thread's loop: each iterates the thread-default context without blocking, yielding, until
 * its condition holds, and fails the test after @timeout_ms. */

/* The threads of this process, from /proc/self/status. */
guint    test_count_threads          (void);
/* The same once it has not changed for a while: a baseline to compare with later. */
guint    test_count_threads_settled  (void);
/* Until the process has @n threads again. */
void     test_wait_for_thread_count  (guint            n,
                                      guint            timeout_ms);
/* Until the int at @flag (read atomically) is non-zero. */
void     test_wait_atomic            (int             *flag,
                                      guint            timeout_ms);
/* Until @tasklet has finished, on whatever thread: its ::finished is emitted there, so this
 * polls its state (FINISHED is read with acquire semantics: what the tasklet's steps wrote is
 * visible once it is seen). */
void     test_wait_finished_anywhere (GtaskletTasklet *tasklet,
                                      guint            timeout_ms);
/* A GWeakNotify that sets the int at @data atomically, for objects that may go on another
 * thread. */
void     test_weak_notify_atomic     (gpointer         data,
                                      GObject         *where_the_object_was);

G_END_DECLS
