/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "demo-process-job.h"

struct _DemoProcessJob
{
  DemoJob                parent_instance;

  int                    pc;
  GStrv                  argv;
  guint                  expected_ms;
  gint64                 started;
  GSubprocess           *process;
  GtaskletWaitCondition *exited;
  GtaskletWaitCondition *tick;
  GtaskletWaitCondition *cancelled;
};

G_DEFINE_FINAL_TYPE (DemoProcessJob, demo_process_job, DEMO_TYPE_JOB)

static double
elapsed_s (DemoProcessJob *self)
{
  return (g_get_monotonic_time () - self->started) / (double) G_USEC_PER_SEC;
}

static gboolean
demo_process_job_run (GtaskletTasklet  *tasklet,
                      GObject          *event,
                      GError          **error)
{
  DemoProcessJob *self = DEMO_PROCESS_JOB (tasklet);
  char text[128];

  GTASKLET_BEGIN (&self->pc);

  self->process = g_subprocess_newv ((const char * const *) self->argv, G_SUBPROCESS_FLAGS_NONE,
                                     error);
  if (self->process == NULL)
    return FALSE;
  self->started = g_get_monotonic_time ();
  self->exited = gtasklet_wait_for_process_new_for_subprocess (self->process);
  /* Waiting for our own cancellable means cancelling no longer just ends the job: the
   * condition fires and the step below decides, so it can kill the child first. */
  self->cancelled = gtasklet_wait_for_cancellable_new (gtasklet_tasklet_get_cancellable (tasklet));
  g_snprintf (text, sizeof text, "started %s (pid %s)", self->argv[0],
              g_subprocess_get_identifier (self->process));
  demo_job_report (DEMO_JOB (self), 0.0, text);

  for (;;)
    {
      /* Wait-any: whichever fires first wakes the next step. */
      gtasklet_tasklet_wait (tasklet, self->exited);
      gtasklet_tasklet_wait (tasklet, self->tick);
      gtasklet_tasklet_wait (tasklet, self->cancelled);
      GTASKLET_SUSPEND (&self->pc);

      if (event == G_OBJECT (self->exited))
        break;

      if (event == G_OBJECT (self->cancelled))
        {
          /* GSubprocess reaps the child once it has died. */
          g_subprocess_force_exit (self->process);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       "killed %s after %.1f s", self->argv[0], elapsed_s (self));
          return FALSE;
        }

      g_snprintf (text, sizeof text, "running for %.1f s", elapsed_s (self));
      demo_job_report (DEMO_JOB (self),
                       MIN (0.99, elapsed_s (self) * 1000.0 / self->expected_ms), text);
    }

  if (!g_spawn_check_wait_status (gtasklet_wait_for_process_get_status (GTASKLET_WAIT_FOR_PROCESS (self->exited)),
                                  error))
    return FALSE;
  g_snprintf (text, sizeof text, "%s exited after %.1f s", self->argv[0], elapsed_s (self));
  demo_job_return_string (DEMO_JOB (self), text);

  GTASKLET_END (&self->pc);
}

static void
demo_process_job_dispose (GObject *object)
{
  DemoProcessJob *self = DEMO_PROCESS_JOB (object);

  g_clear_object (&self->exited);
  g_clear_object (&self->tick);
  g_clear_object (&self->cancelled);
  g_clear_object (&self->process);

  G_OBJECT_CLASS (demo_process_job_parent_class)->dispose (object);
}

static void
demo_process_job_finalize (GObject *object)
{
  DemoProcessJob *self = DEMO_PROCESS_JOB (object);

  g_strfreev (self->argv);

  G_OBJECT_CLASS (demo_process_job_parent_class)->finalize (object);
}

static void
demo_process_job_class_init (DemoProcessJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = demo_process_job_dispose;
  object_class->finalize = demo_process_job_finalize;
  GTASKLET_TASKLET_CLASS (klass)->run = demo_process_job_run;
}

static void
demo_process_job_init (DemoProcessJob *self)
{
  self->tick = gtasklet_wait_for_timeout_new (100);
}

DemoJob *
demo_process_job_new (const char         *id,
                      GtaskletTasklet    *coordinator,
                      const char * const *argv,
                      guint               expected_ms)
{
  DemoProcessJob *self;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  self = g_object_new (DEMO_TYPE_PROCESS_JOB,
                       "id", id,
                       "title", "Subprocess",
                       "coordinator", coordinator,
                       NULL);
  self->argv = g_strdupv ((char **) argv);
  self->expected_ms = MAX (expected_ms, 1);
  return DEMO_JOB (self);
}
