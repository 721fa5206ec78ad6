/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The receiver of the mailbox tests, see mailbox-util.h. */
#include "mailbox-util.h"

static void
receiver_log (Receiver        *r,
              GtaskletTasklet *tasklet,
              GObject         *event)
{
  if (r->log->len > 0)
    g_string_append_c (r->log, ' ');

  if (GTASKLET_IS_MESSAGE (event))
    {
      GtaskletMessage *m = GTASKLET_MESSAGE (event);
      const GValue *v = gtasklet_message_get_value (m);

      g_string_append (r->log, gtasklet_message_get_name (m));
      if (v != NULL && G_VALUE_HOLDS_INT (v))
        g_string_append_printf (r->log, "%d", g_value_get_int (v));
    }
  else
    {
      const char *label = g_object_get_data (event, "label");

      g_assert_nonnull (label);
      g_string_append (r->log, label);
    }

  if (r->log_pending)
    g_string_append_printf (r->log, "(%u)", gtasklet_tasklet_get_n_pending_messages (tasklet));
}

static gboolean
receiver_step (GtaskletTasklet  *tasklet,
               GObject          *event,
               gpointer          user_data,
               GError          **error)
{
  Receiver *r = user_data;
  guint set;

  r->n_steps++;
  if (event != NULL && event == G_OBJECT (r->stop))
    return TRUE;
  if (event != NULL && event == G_OBJECT (r->next))
    r->phase++;
  if (event != NULL && GTASKLET_IS_MESSAGE (event) &&
      g_strcmp0 (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), r->advance_on) == 0)
    r->phase++;
  if (event != NULL)
    receiver_log (r, tasklet, event);

  set = r->n_sets > 0 ? MIN (r->phase, r->n_sets - 1) : 0;
  for (guint i = 0; i < MAX_CONDS && r->sets[set][i] != NULL; i++)
    gtasklet_tasklet_wait (tasklet, r->sets[set][i]);
  gtasklet_tasklet_wait (tasklet, r->next);
  gtasklet_tasklet_wait (tasklet, r->stop);
  return TRUE;
}

GtaskletWaitCondition *
labelled (GtaskletWaitCondition *condition,
          const char            *label)
{
  g_object_set_data_full (G_OBJECT (condition), "label", g_strdup (label), g_free);
  return condition;
}

GtaskletTasklet *
receiver_init (Receiver *r)
{
  *r = (Receiver) { 0 };
  r->owned = g_ptr_array_new_with_free_func (g_object_unref);
  r->log = g_string_new (NULL);
  r->next = labelled (test_manual_condition_new (), "next");
  r->stop = labelled (test_manual_condition_new (), "stop");
  r->tasklet = gtasklet_tasklet_new (receiver_step, r, NULL);
  return r->tasklet;
}

/* A WaitForMessages owned by the receiver, for its sets. */
GtaskletWaitCondition *
receiver_messages (Receiver           *r,
                   const char * const *accept,
                   const char * const *defer,
                   const char * const *discard)
{
  GtaskletWaitCondition *w = gtasklet_wait_for_messages_new (accept, defer, discard);

  g_ptr_array_add (r->owned, w);
  return w;
}

void
receiver_next (Receiver *r)
{
  gtasklet_wait_condition_fire (r->next);
  test_drain ();
}

/* Finishes the receiver and frees it. */
void
receiver_clear (Receiver *r)
{
  if (gtasklet_tasklet_get_state (r->tasklet) == GTASKLET_STATE_SUSPENDED)
    {
      gtasklet_wait_condition_fire (r->stop);
      test_drain ();
    }
  g_assert_cmpint (gtasklet_tasklet_get_state (r->tasklet), ==, GTASKLET_STATE_FINISHED);
  g_clear_object (&r->tasklet);
  g_clear_object (&r->next);
  g_clear_object (&r->stop);
  g_clear_pointer (&r->owned, g_ptr_array_unref);
  g_string_free (r->log, TRUE);
}
