/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "demo-timer-job.h"

struct _DemoTimerJob
{
  DemoJob                parent_instance;

  /* The linear macros' resume point, and everything else that crosses a wait. */
  int                    pc;
  guint                  i;
  guint                  n_ticks;
  guint                  interval_ms;
  gint64                 started;
  GtaskletWaitCondition *tick;
};

G_DEFINE_FINAL_TYPE (DemoTimerJob, demo_timer_job, DEMO_TYPE_JOB)

/* Cancellation needs no code here: while the job waits for its tick, cancelling its
 * cancellable ends it with G_IO_ERROR_CANCELLED and disarms the timeout. */
static gboolean
demo_timer_job_run (GtaskletTasklet  *tasklet,
                    GObject          *event,
                    GError          **error)
{
  DemoTimerJob *self = DEMO_TIMER_JOB (tasklet);
  char text[64];

  GTASKLET_BEGIN (&self->pc);

  self->started = g_get_monotonic_time ();
  demo_job_report (DEMO_JOB (self), 0.0, "waiting for the first tick");
  for (self->i = 1; self->i <= self->n_ticks; self->i++)
    {
      /* The same condition in consecutive wait sets stays armed and keeps its schedule: one
       * tick every interval, without drift. */
      GTASKLET_WAIT (tasklet, &self->pc, self->tick);
      g_snprintf (text, sizeof text, "tick %u of %u", self->i, self->n_ticks);
      demo_job_report (DEMO_JOB (self), (double) self->i / self->n_ticks, text);
    }

  g_snprintf (text, sizeof text, "%u ticks in %.1f s", self->n_ticks,
              (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC);
  demo_job_return_string (DEMO_JOB (self), text);

  GTASKLET_END (&self->pc);
}

static void
demo_timer_job_dispose (GObject *object)
{
  DemoTimerJob *self = DEMO_TIMER_JOB (object);

  g_clear_object (&self->tick);

  G_OBJECT_CLASS (demo_timer_job_parent_class)->dispose (object);
}

static void
demo_timer_job_class_init (DemoTimerJobClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = demo_timer_job_dispose;
  GTASKLET_TASKLET_CLASS (klass)->run = demo_timer_job_run;
}

static void
demo_timer_job_init (DemoTimerJob *self)
{
}

DemoJob *
demo_timer_job_new (const char      *id,
                    GtaskletTasklet *coordinator,
                    guint            n_ticks,
                    guint            interval_ms)
{
  DemoTimerJob *self;

  g_return_val_if_fail (n_ticks > 0, NULL);

  self = g_object_new (DEMO_TYPE_TIMER_JOB,
                       "id", id,
                       "title", "Timer",
                       "coordinator", coordinator,
                       NULL);
  self->n_ticks = n_ticks;
  self->interval_ms = interval_ms;
  self->tick = gtasklet_wait_for_timeout_new (interval_ms);
  return DEMO_JOB (self);
}
