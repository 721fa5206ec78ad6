/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "test-thread-util.h"
#include "test-util.h"

double
test_scale_factor (void)
{
  const char *s = g_getenv ("GTASKLET_TEST_SCALE");
  double scale;

  if (s == NULL || *s == '\0')
    return 1.0;
  scale = g_ascii_strtod (s, NULL);
  if (!(scale > 0.0 && scale <= 1e6))
    g_error ("GTASKLET_TEST_SCALE=%s: not a positive number", s);
  return scale;
}

guint
test_scaled (guint n)
{
  double scaled = n * test_scale_factor ();

  if (scaled <= 1.0)
    return 1;
  if (scaled >= (double) G_MAXUINT)
    return G_MAXUINT;
  return (guint) scaled + ((double) (guint) scaled < scaled ? 1 : 0);
}

void
test_wait_count_impl (const guint *counter,
                      guint        value,
                      guint        timeout_ms,
                      const char  *func,
                      int          line,
                      const char  *expr)
{
  GMainContext *context;
  gboolean expired = FALSE;
  GSource *deadline;

  if (*counter >= value)
    return;

  context = g_main_context_ref_thread_default ();
  deadline = g_timeout_source_new (timeout_ms);
  g_source_set_callback (deadline, test_flag_source, &expired, NULL);
  g_source_attach (deadline, context);
  while (*counter < value && !expired)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (deadline);
  g_source_unref (deadline);
  g_main_context_unref (context);

  if (*counter < value)
    g_error ("%s:%d: timed out after %u ms waiting for %s to reach %u (it is %u)",
             func, line, timeout_ms, expr, value, *counter);
}

void
test_latch_init (TestLatch *latch)
{
  g_mutex_init (&latch->mutex);
  g_cond_init (&latch->cond);
  latch->value = 0;
}

void
test_latch_clear (TestLatch *latch)
{
  g_mutex_clear (&latch->mutex);
  g_cond_clear (&latch->cond);
}

void
test_latch_advance (TestLatch *latch,
                    int        value)
{
  g_mutex_lock (&latch->mutex);
  if (value > latch->value)
    latch->value = value;
  g_cond_broadcast (&latch->cond);
  g_mutex_unlock (&latch->mutex);
}

int
test_latch_get (TestLatch *latch)
{
  int value;

  g_mutex_lock (&latch->mutex);
  value = latch->value;
  g_mutex_unlock (&latch->mutex);
  return value;
}

void
test_latch_wait_impl (TestLatch  *latch,
                      int         value,
                      guint       timeout_ms,
                      const char *func,
                      int         line,
                      const char *expr)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  int reached;

  g_mutex_lock (&latch->mutex);
  while (latch->value < value)
    if (!g_cond_wait_until (&latch->cond, &latch->mutex, end))
      break;
  reached = latch->value;
  g_mutex_unlock (&latch->mutex);

  if (reached < value)
    g_error ("%s:%d: timed out after %u ms waiting for %s to reach %d (it is %d)",
             func, line, timeout_ms, expr, value, reached);
}

/* Waits for other threads */

static gpointer
return_null (gpointer data)
{
  return NULL;
}

/* From the "Threads:" line of /proc/self/status, the kernel's count. Listing /proc/self/task
 * is not reliable while threads exit: the listing stops early when the entry it stands on
 * goes away, and misses the threads after it. */
guint
test_count_threads (void)
{
  static gsize first_thread;
  g_autofree char *status = NULL;
  const char *line;

  /* A thread the runtime starts with the process's first one (ThreadSanitizer's) is there
   * before any count is taken, or a baseline taken earlier would never come back. */
  if (g_once_init_enter (&first_thread))
    {
      g_thread_join (g_thread_new ("first", return_null, NULL));
      g_once_init_leave (&first_thread, 1);
    }

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "\nThreads:");
  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("\nThreads:"), NULL, 10);
}

/* Threads that have been joined can stay counted for a moment (the kernel drops a thread
 * from the count after pthread_join() has seen it end; under valgrind, noticeably later):
 * a baseline is the count once it has not changed for 20 ms. */
guint
test_count_threads_settled (void)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint count = test_count_threads ();
  gint64 since = g_get_monotonic_time ();

  while (g_get_monotonic_time () - since < 20 * G_TIME_SPAN_MILLISECOND)
    {
      guint now = test_count_threads ();

      if (now != count)
        {
          count = now;
          since = g_get_monotonic_time ();
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("the number of threads does not settle: %u", count);
      g_thread_yield ();
    }
  return count;
}

/* One poll: FALSE once the deadline has passed. */
static gboolean
poll_once (gint64 end)
{
  if (g_get_monotonic_time () > end)
    return FALSE;
  g_main_context_iteration (g_main_context_get_thread_default (), FALSE);
  g_thread_yield ();
  return TRUE;
}

static gint64
deadline_after (guint timeout_ms)
{
  return g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
}

void
test_wait_for_thread_count (guint n,
                            guint timeout_ms)
{
  gint64 end = deadline_after (timeout_ms);

  while (test_count_threads () != n)
    if (!poll_once (end))
      g_error ("still %u threads after %u ms, expected %u", test_count_threads (), timeout_ms, n);
}

void
test_wait_atomic (int   *flag,
                  guint  timeout_ms)
{
  gint64 end = deadline_after (timeout_ms);

  while (!g_atomic_int_get (flag))
    if (!poll_once (end))
      g_error ("timed out after %u ms waiting for a flag", timeout_ms);
}

void
test_wait_finished_anywhere (GtaskletTasklet *tasklet,
                             guint            timeout_ms)
{
  gint64 end = deadline_after (timeout_ms);

  while (gtasklet_tasklet_get_state (tasklet) != GTASKLET_STATE_FINISHED)
    if (!poll_once (end))
      g_error ("timed out after %u ms waiting for %p to finish", timeout_ms, tasklet);
}

void
test_weak_notify_atomic (gpointer  data,
                         GObject  *where_the_object_was)
{
  g_atomic_int_set ((int *) data, TRUE);
}

/* Worker */

typedef struct
{
  GFunc    func;
  gpointer data;
} WorkerCall;

struct _TestWorker
{
  GThread      *thread;
  GMainContext *context;
  GMutex        mutex;
  GCond         cond;
  GQueue        calls;      /* of WorkerCall */
  guint         n_queued;
  guint         n_done;
  gboolean      stop;
};

static gpointer
worker_main (gpointer data)
{
  TestWorker *self = data;

  g_main_context_push_thread_default (self->context);
  for (;;)
    {
      WorkerCall *call;

      g_mutex_lock (&self->mutex);
      call = g_queue_pop_head (&self->calls);
      if (call == NULL && self->stop)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }
      g_mutex_unlock (&self->mutex);

      if (call == NULL)
        {
          /* A call queued after the queue was looked at wakes this iteration up. */
          g_main_context_iteration (self->context, TRUE);
          continue;
        }

      call->func (call->data, NULL);
      g_free (call);
      g_mutex_lock (&self->mutex);
      self->n_done++;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
    }
  /* Whatever the tests left for this context (a finished tasklet's last work) runs here. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

TestWorker *
test_worker_new (const char *name)
{
  TestWorker *self = g_new0 (TestWorker, 1);

  self->context = g_main_context_new ();
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->calls);
  self->thread = g_thread_new (name, worker_main, self);
  return self;
}

GMainContext *
test_worker_get_context (TestWorker *self)
{
  return self->context;
}

GThread *
test_worker_get_thread (TestWorker *self)
{
  return self->thread;
}

static guint
worker_enqueue (TestWorker *self,
                GFunc       func,
                gpointer    data)
{
  WorkerCall *call = g_new0 (WorkerCall, 1);
  guint ticket;

  call->func = func;
  call->data = data;
  g_mutex_lock (&self->mutex);
  g_queue_push_tail (&self->calls, call);
  ticket = ++self->n_queued;
  g_mutex_unlock (&self->mutex);
  g_main_context_wakeup (self->context);
  return ticket;
}

void
test_worker_call (TestWorker *self,
                  GFunc       func,
                  gpointer    data)
{
  gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  guint ticket;

  g_assert_true (g_thread_self () != self->thread);
  ticket = worker_enqueue (self, func, data);

  g_mutex_lock (&self->mutex);
  while (self->n_done < ticket)
    if (!g_cond_wait_until (&self->cond, &self->mutex, end))
      g_error ("a call on the worker thread did not return within 30 s");
  g_mutex_unlock (&self->mutex);
}

void
test_worker_free (TestWorker *self)
{
  g_mutex_lock (&self->mutex);
  self->stop = TRUE;
  g_mutex_unlock (&self->mutex);
  g_main_context_wakeup (self->context);
  g_thread_join (self->thread);

  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}
