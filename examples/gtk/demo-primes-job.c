/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "demo-primes-job.h"

struct _DemoPrimesJob
{
  DemoJob                parent_instance;

  /* Everything that crosses a wait. The job's steps all run on the worker it was placed on,
   * one at a time, so these need no lock. */
  int                    pc;
  guint                  limit;
  guint                  n_slices;
  guint                  slice;
  guint                  next;        /* the next number to test */
  guint                  n_primes;
  gint64                 started;
  GtaskletWaitCondition *idle;
};

G_DEFINE_FINAL_TYPE (DemoPrimesJob, demo_primes_job, DEMO_TYPE_JOB)

/* Trial division, slow on purpose: the point is work that would freeze the window if it ran
 * on the main thread. */
static gboolean
is_prime (guint n)
{
  if (n < 2)
    return FALSE;
  if (n % 2 == 0)
    return n == 2;
  for (guint d = 3; d <= n / d; d += 2)
    if (n % d == 0)
      return FALSE;
  return TRUE;
}

/* Where slice @i ends: the slices split [0, limit) evenly, so the last one ends at limit. */
static guint
slice_end (DemoPrimesJob *self,
           guint          i)
{
  return (guint) ((guint64) self->limit * (i + 1) / self->n_slices);
}

/* One slice per step. A step is never interrupted, so the slice size bounds how long Cancel
 * takes: cancelling from the main thread ends the job at its next wait, on its worker, with
 * G_IO_ERROR_CANCELLED. There is nothing to clean up, so no code here handles it. */
static gboolean
demo_primes_job_run (GtaskletTasklet  *tasklet,
                     GObject          *event,
                     GError          **error)
{
  DemoPrimesJob *self = DEMO_PRIMES_JOB (tasklet);
  char text[96];
  guint end;

  GTASKLET_BEGIN (&self->pc);

  self->started = g_get_monotonic_time ();
  for (self->slice = 0; self->slice < self->n_slices; self->slice++)
    {
      end = slice_end (self, self->slice);
      for (; self->next < end; self->next++)
        if (is_prime (self->next))
          self->n_primes++;

      /* From the worker thread: the coordinator gets it on the main context. */
      g_snprintf (text, sizeof text, "%u primes below %u", self->n_primes, end);
      demo_job_report (DEMO_JOB (self), (double) (self->slice + 1) / self->n_slices, text);

      /* A wait rather than the next slice in this step: the worker runs its other sources
       * and tasklets in between, and a cancellation takes effect here. */
      GTASKLET_WAIT (tasklet, &self->pc, self->idle);
    }

  g_snprintf (text, sizeof text, "%u primes below %u in %.1f s", self->n_primes, self->limit,
              (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC);
  demo_job_return_string (DEMO_JOB (self), text);

  GTASKLET_END (&self->pc);
}

static void
demo_primes_job_dispose (GObject *object)
{
  DemoPrimesJob *self = DEMO_PRIMES_JOB (object);

  g_clear_object (&self->idle);

  G_OBJECT_CLASS (demo_primes_job_parent_class)->dispose (object);
}

static void
demo_primes_job_class_init (DemoPrimesJobClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = demo_primes_job_dispose;
  GTASKLET_TASKLET_CLASS (klass)->run = demo_primes_job_run;
}

static void
demo_primes_job_init (DemoPrimesJob *self)
{
  self->idle = gtasklet_wait_for_idle_new ();
}

DemoJob *
demo_primes_job_new (const char      *id,
                     GtaskletTasklet *coordinator,
                     guint            limit,
                     guint            n_slices)
{
  DemoPrimesJob *self;

  g_return_val_if_fail (n_slices > 0, NULL);

  self = g_object_new (DEMO_TYPE_PRIMES_JOB,
                       "id", id,
                       "title", "Primes",
                       "coordinator", coordinator,
                       NULL);
  self->limit = limit;
  self->n_slices = n_slices;
  return DEMO_JOB (self);
}
