/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "demo-job.h"

typedef struct
{
  char            *id;
  char            *title;
  GtaskletTasklet *coordinator;
} DemoJobPrivate;

enum { PROP_0, PROP_ID, PROP_TITLE, PROP_COORDINATOR, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (DemoJob, demo_job, GTASKLET_TYPE_TASKLET)

static void
demo_job_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  DemoJob *self = DEMO_JOB (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, demo_job_get_id (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, demo_job_get_title (self));
      break;
    case PROP_COORDINATOR:
      g_value_set_object (value, demo_job_get_coordinator (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
demo_job_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  DemoJobPrivate *priv = demo_job_get_instance_private (DEMO_JOB (object));

  switch (prop_id)
    {
    case PROP_ID:
      priv->id = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      priv->title = g_value_dup_string (value);
      break;
    case PROP_COORDINATOR:
      priv->coordinator = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
demo_job_dispose (GObject *object)
{
  DemoJobPrivate *priv = demo_job_get_instance_private (DEMO_JOB (object));

  g_clear_object (&priv->coordinator);

  G_OBJECT_CLASS (demo_job_parent_class)->dispose (object);
}

static void
demo_job_finalize (GObject *object)
{
  DemoJobPrivate *priv = demo_job_get_instance_private (DEMO_JOB (object));

  g_free (priv->id);
  g_free (priv->title);

  G_OBJECT_CLASS (demo_job_parent_class)->finalize (object);
}

static void
demo_job_class_init (DemoJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = demo_job_get_property;
  object_class->set_property = demo_job_set_property;
  object_class->dispose = demo_job_dispose;
  object_class->finalize = demo_job_finalize;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COORDINATOR] =
    g_param_spec_object ("coordinator", NULL, NULL, GTASKLET_TYPE_TASKLET,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
demo_job_init (DemoJob *self)
{
}

const char *
demo_job_get_id (DemoJob *self)
{
  DemoJobPrivate *priv;

  g_return_val_if_fail (DEMO_IS_JOB (self), NULL);

  priv = demo_job_get_instance_private (self);
  return priv->id;
}

const char *
demo_job_get_title (DemoJob *self)
{
  DemoJobPrivate *priv;

  g_return_val_if_fail (DEMO_IS_JOB (self), NULL);

  priv = demo_job_get_instance_private (self);
  return priv->title;
}

GtaskletTasklet *
demo_job_get_coordinator (DemoJob *self)
{
  DemoJobPrivate *priv;

  g_return_val_if_fail (DEMO_IS_JOB (self), NULL);

  priv = demo_job_get_instance_private (self);
  return priv->coordinator;
}

/* Sends a "progress" message, (id, fraction, text), to the coordinator. Called from the
 * job's steps, so the coordinator learns the sender too; it handles the message in a step
 * of its own, after this step has returned. */
void
demo_job_report (DemoJob    *self,
                 double      fraction,
                 const char *text)
{
  DemoJobPrivate *priv;
  g_autoptr (GtaskletMessage) message = NULL;

  g_return_if_fail (DEMO_IS_JOB (self));

  priv = demo_job_get_instance_private (self);
  if (priv->coordinator == NULL)
    return;
  message = gtasklet_message_new_variant ("progress",
                                          g_variant_new ("(sds)", priv->id, fraction, text));
  gtasklet_tasklet_send_message (priv->coordinator, message);
}

void
demo_job_return_string (DemoJob    *self,
                        const char *summary)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_return_if_fail (DEMO_IS_JOB (self));

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, summary);
  gtasklet_tasklet_return_value (GTASKLET_TASKLET (self), &value);
}
