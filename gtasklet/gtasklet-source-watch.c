/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-source-watch-private.h"

void
_gtasklet_source_watch_init (GtaskletSourceWatch *self,
                             int                  priority)
{
  self->source = NULL;
  self->priority = priority;
}

static void
watch_attach (GtaskletSourceWatch *self,
              GMainContext        *context,
              GSource             *source,
              gpointer             user_data,
              GSourceFunc          callback,
              const char          *name)
{
  self->source = source;
  g_source_set_priority (source, self->priority);
  /* No reference for the source: the condition stops it in disarm, which always precedes
   * dispose because the wait set holds a reference while the condition is armed. */
  g_source_set_callback (source, callback, user_data, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, context);
}

/* Starts watching with @source (taken), attached to the context of @condition's tasklet;
 * @callback gets @condition as its data. */
void
_gtasklet_source_watch_start (GtaskletSourceWatch   *self,
                              GtaskletWaitCondition *condition,
                              GSource               *source,
                              GSourceFunc            callback,
                              const char            *name)
{
  g_assert (self->source == NULL);

  watch_attach (self, gtasklet_wait_condition_get_context (condition), source, condition,
                callback, name);
}

/* Replaces the active source with @source in the same context, whether or not the old one
 * is being dispatched right now. */
void
_gtasklet_source_watch_restart (GtaskletSourceWatch   *self,
                                GtaskletWaitCondition *condition,
                                GSource               *source,
                                GSourceFunc            callback,
                                const char            *name)
{
  GMainContext *context;

  g_assert (self->source != NULL);

  /* The old source knows where the condition was armed; keep the context alive across the
   * destroy in case the source held the last reference to it. */
  context = g_main_context_ref (g_source_get_context (self->source));
  _gtasklet_source_watch_stop (self);
  watch_attach (self, context, source, condition, callback, name);
  g_main_context_unref (context);
}

void
_gtasklet_source_watch_stop (GtaskletSourceWatch *self)
{
  if (self->source == NULL)
    return;
  g_source_destroy (self->source);
  g_clear_pointer (&self->source, g_source_unref);
}

/* Returns TRUE if the priority changed (the caller notifies its property). */
gboolean
_gtasklet_source_watch_set_priority (GtaskletSourceWatch *self,
                                     int                  priority)
{
  if (self->priority == priority)
    return FALSE;
  self->priority = priority;
  if (self->source != NULL)
    g_source_set_priority (self->source, priority);
  return TRUE;
}

/* A "priority" property for a condition class; each class installs its own. */
GParamSpec *
_gtasklet_source_watch_priority_pspec (int default_priority)
{
  return g_param_spec_int ("priority", NULL, NULL,
                           G_MININT, G_MAXINT, default_priority,
                           (G_PARAM_READWRITE |
                            G_PARAM_EXPLICIT_NOTIFY |
                            G_PARAM_STATIC_STRINGS));
}
