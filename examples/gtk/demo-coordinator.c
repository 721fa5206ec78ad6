/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "demo-coordinator.h"

struct _DemoCoordinator
{
  GtaskletTasklet        parent_instance;

  GtaskletWaitCondition *inbox;
  /* One GtaskletWaitForTasklet per job of the run that has not finished yet. */
  GPtrArray             *joins;
  /* The ids of the run's finished jobs: a late "progress" from one of them is dropped. */
  GHashTable            *finished;
  guint                  n_jobs;
  guint                  n_completed;
  guint                  n_cancelled;
  guint                  n_failed;
  char                  *summary;
};

enum { PROP_0, PROP_SUMMARY, PROP_RUNNING, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { JOB_PROGRESS, JOB_FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DemoCoordinator, demo_coordinator, GTASKLET_TYPE_TASKLET)

static void
update_summary (DemoCoordinator *self)
{
  guint n_done = self->n_completed + self->n_cancelled + self->n_failed;
  g_autofree char *summary = NULL;

  if (self->n_jobs == 0)
    summary = g_strdup ("Press Start to run the jobs");
  else if (n_done < self->n_jobs)
    summary = g_strdup_printf ("%u of %u jobs finished: %u completed, %u cancelled, %u failed",
                               n_done, self->n_jobs, self->n_completed, self->n_cancelled,
                               self->n_failed);
  else
    summary = g_strdup_printf ("All %u jobs finished: %u completed, %u cancelled, %u failed",
                               self->n_jobs, self->n_completed, self->n_cancelled,
                               self->n_failed);

  if (g_strcmp0 (summary, self->summary) != 0)
    {
      g_free (self->summary);
      self->summary = g_steal_pointer (&summary);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
    }
}

static void
watch (DemoCoordinator *self,
       DemoJob         *job)
{
  if (self->joins->len == 0)
    {
      /* A new run. */
      self->n_jobs = self->n_completed = self->n_cancelled = self->n_failed = 0;
      g_hash_table_remove_all (self->finished);
      g_ptr_array_add (self->joins, gtasklet_wait_for_tasklet_new (GTASKLET_TASKLET (job)));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
  else
    g_ptr_array_add (self->joins, gtasklet_wait_for_tasklet_new (GTASKLET_TASKLET (job)));
  self->n_jobs++;
  update_summary (self);
}

static void
job_finished (DemoCoordinator        *self,
              GtaskletWaitForTasklet *join)
{
  DemoJob *job = DEMO_JOB (gtasklet_wait_for_tasklet_get_tasklet (join));
  const GError *error = gtasklet_wait_for_tasklet_get_error (join);
  const char *outcome;
  const char *detail;

  if (error == NULL)
    {
      const GValue *result = gtasklet_wait_for_tasklet_get_result (join);

      outcome = "completed";
      detail = result != NULL && G_VALUE_HOLDS_STRING (result) ? g_value_get_string (result) : "";
      self->n_completed++;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      outcome = "cancelled";
      detail = error->message;
      self->n_cancelled++;
    }
  else
    {
      outcome = "failed";
      detail = error->message;
      self->n_failed++;
    }

  g_hash_table_add (self->finished, g_strdup (demo_job_get_id (job)));
  g_signal_emit (self, signals[JOB_FINISHED], 0, demo_job_get_id (job), outcome, detail);
  g_ptr_array_remove (self->joins, join);
  update_summary (self);
  if (self->joins->len == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
progress (DemoCoordinator *self,
          GVariant        *payload)
{
  const char *id;
  const char *text;
  double fraction;

  if (payload == NULL || !g_variant_is_of_type (payload, G_VARIANT_TYPE ("(sds)")))
    {
      g_warning ("A progress message without an (sds) payload");
      return;
    }
  g_variant_get (payload, "(&sd&s)", &id, &fraction, &text);
  if (!g_hash_table_contains (self->finished, id))
    g_signal_emit (self, signals[JOB_PROGRESS], 0, id, fraction, text);
}

/* One step per event; the state lives in the instance, so this is a plain state machine
 * rather than the linear macros. */
static gboolean
demo_coordinator_run (GtaskletTasklet  *tasklet,
                      GObject          *event,
                      GError          **error)
{
  DemoCoordinator *self = DEMO_COORDINATOR (tasklet);

  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *message = GTASKLET_MESSAGE (event);
      const char *name = gtasklet_message_get_name (message);
      const GValue *value = gtasklet_message_get_value (message);

      if (g_str_equal (name, "watch") && value != NULL && G_VALUE_HOLDS (value, DEMO_TYPE_JOB))
        watch (self, g_value_get_object (value));
      else if (g_str_equal (name, "progress"))
        progress (self, gtasklet_message_get_variant (message));
      else if (g_str_equal (name, "quit"))
        {
          for (guint i = 0; i < self->joins->len; i++)
            gtasklet_tasklet_cancel (gtasklet_wait_for_tasklet_get_tasklet (self->joins->pdata[i]));
          return TRUE;   /* no wait: the coordinator finishes */
        }
    }
  else if (GTASKLET_IS_WAIT_FOR_TASKLET (event))
    job_finished (self, GTASKLET_WAIT_FOR_TASKLET (event));

  /* Wait-any over the mailbox and every job still running. */
  gtasklet_tasklet_wait (tasklet, self->inbox);
  for (guint i = 0; i < self->joins->len; i++)
    gtasklet_tasklet_wait (tasklet, self->joins->pdata[i]);
  return TRUE;
}

static void
demo_coordinator_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DemoCoordinator *self = DEMO_COORDINATOR (object);

  switch (prop_id)
    {
    case PROP_SUMMARY:
      g_value_set_string (value, demo_coordinator_get_summary (self));
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, demo_coordinator_get_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
demo_coordinator_dispose (GObject *object)
{
  DemoCoordinator *self = DEMO_COORDINATOR (object);

  g_clear_object (&self->inbox);
  g_clear_pointer (&self->joins, g_ptr_array_unref);
  g_clear_pointer (&self->finished, g_hash_table_unref);

  G_OBJECT_CLASS (demo_coordinator_parent_class)->dispose (object);
}

static void
demo_coordinator_finalize (GObject *object)
{
  DemoCoordinator *self = DEMO_COORDINATOR (object);

  g_free (self->summary);

  G_OBJECT_CLASS (demo_coordinator_parent_class)->finalize (object);
}

static void
demo_coordinator_class_init (DemoCoordinatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = demo_coordinator_get_property;
  object_class->dispose = demo_coordinator_dispose;
  object_class->finalize = demo_coordinator_finalize;
  GTASKLET_TASKLET_CLASS (klass)->run = demo_coordinator_run;

  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Both are emitted from the coordinator's steps, on the main context. */
  signals[JOB_PROGRESS] =
    g_signal_new ("job-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_DOUBLE, G_TYPE_STRING);
  signals[JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
demo_coordinator_init (DemoCoordinator *self)
{
  const char * const accept[] = { "watch", "progress", "quit", NULL };

  self->inbox = gtasklet_wait_for_messages_new (accept, NULL, NULL);
  self->joins = g_ptr_array_new_with_free_func (g_object_unref);
  self->finished = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  update_summary (self);
}

DemoCoordinator *
demo_coordinator_new (void)
{
  return g_object_new (DEMO_TYPE_COORDINATOR, NULL);
}

const char *
demo_coordinator_get_summary (DemoCoordinator *self)
{
  g_return_val_if_fail (DEMO_IS_COORDINATOR (self), NULL);

  return self->summary;
}

gboolean
demo_coordinator_get_running (DemoCoordinator *self)
{
  g_return_val_if_fail (DEMO_IS_COORDINATOR (self), FALSE);

  return self->joins != NULL && self->joins->len > 0;
}

/* The number of jobs of the current (or last) run that ended with @outcome: "completed",
 * "cancelled" or "failed". */
guint
demo_coordinator_get_count (DemoCoordinator *self,
                            const char      *outcome)
{
  g_return_val_if_fail (DEMO_IS_COORDINATOR (self), 0);

  if (g_strcmp0 (outcome, "completed") == 0)
    return self->n_completed;
  if (g_strcmp0 (outcome, "cancelled") == 0)
    return self->n_cancelled;
  if (g_strcmp0 (outcome, "failed") == 0)
    return self->n_failed;
  return 0;
}
