/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-enum-types.h"
#include "gtasklet-statistics.h"
#include "gtasklet-step-private.h"
#include "gtasklet-tasklet-private.h"
#include "gtasklet-wait-condition.h"

/* gtasklet_tasklet_describe(): a tasklet in one line of words. The conditions describe
 * themselves (GtaskletWaitConditionClass.describe), so this file names none of them. */

/* Also used by the debug D-Bus interface (gtasklet-debug.c). */
const char *
_gtasklet_tasklet_state_nick (GtaskletState state)
{
  GEnumClass *enum_class = g_type_class_ref (GTASKLET_TYPE_STATE);
  GEnumValue *value = g_enum_get_value (enum_class, state);

  /* Enum classes are never finalized once referenced: the nick outlives this reference. */
  g_type_class_unref (enum_class);
  return value != NULL ? value->value_nick : "?";
}

/* One entry of a wait set in words: a condition describes itself, a receive is its lists.
 * Also used by the debug D-Bus interface. */
char *
_gtasklet_wait_entry_describe (GtaskletWaitEntry entry)
{
  GString *text;

  if (!_gtasklet_wait_entry_is_receive (entry))
    return gtasklet_wait_condition_describe (entry);
  text = g_string_new ("receive ");
  _gtasklet_receive_spec_describe (_gtasklet_wait_entry_get_receive (entry), text);
  return g_string_free (text, FALSE);
}

static void
append_wait_set (GString         *out,
                 GtaskletWaitSet *set)
{
  GtaskletWaitEntry *items = _gtasklet_wait_set_items (set);

  g_string_append (out, ", waiting for [");
  for (guint i = 0; i < set->len; i++)
    {
      g_autofree char *text = _gtasklet_wait_entry_describe (items[i]);

      if (i > 0)
        g_string_append (out, " | ");
      g_string_append (out, text);
    }
  g_string_append_c (out, ']');
}

/* Only for tasklets that statistics have counted (see gtasklet-statistics.c). */
static void
append_statistics (GString         *out,
                   GtaskletTasklet *self)
{
  g_autoptr (GtaskletStatistics) stats = gtasklet_tasklet_get_statistics (self);

  g_string_append_printf (out, ", %" G_GUINT64_FORMAT " step%s (total %" G_GUINT64_FORMAT
                          " us, longest %" G_GUINT64_FORMAT " us), sent %" G_GUINT64_FORMAT
                          ", received %" G_GUINT64_FORMAT,
                          stats->n_steps, stats->n_steps == 1 ? "" : "s",
                          stats->total_step_ns / 1000, stats->longest_step_ns / 1000,
                          stats->n_sent, stats->n_received);
  if (stats->oldest_message_age_ms >= 0)
    g_string_append_printf (out, ", oldest message %" G_GINT64_FORMAT " ms",
                            stats->oldest_message_age_ms);
}

/**
 * gtasklet_tasklet_describe:
 * @self: a [class@Gtasklet.Tasklet]
 *
 * Describes the tasklet in one line, for people and debugging tools: its
 * [property@Gtasklet.Tasklet:name] (if set), type and address, its state (the nick of its
 * [enum@Gtasklet.State]: `new`, `running`, `suspended`, `finished`), while it is suspended
 * each condition of its wait set in words (see [method@Gtasklet.WaitCondition.describe]),
 * and the number of messages in its mailbox; when statistics have counted it (see
 * [struct@Gtasklet.Statistics]), its steps, step times and messages too. For example:
 *
 * ```
 * 'worker-3' GtaskletTasklet 0x55f1c2a3b4c0: suspended, waiting for [timeout 100 ms,
 *   due in 42 ms | receive accept=[ping] defer=[] discard=[*]], mailbox 2
 * ```
 *
 * The wording is meant for reading, not parsing, and may change.
 *
 * Call it from the thread that runs the tasklet (its own steps may call it), or from any
 * thread while it is new or once it has finished: the wait set and the mailbox belong to
 * that thread.
 *
 * Returns: (transfer full): a newly allocated one-line description
 *
 * Since: 1.2
 */
char *
gtasklet_tasklet_describe (GtaskletTasklet *self)
{
  GtaskletTaskletPrivate *priv;
  GtaskletState state;
  const char *name;
  GString *out;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  priv = _gtasklet_tasklet_get_private (self);
  state = _gtasklet_tasklet_peek_state (self);
  name = gtasklet_tasklet_get_name (self);
  out = g_string_new (NULL);

  if (name != NULL)
    g_string_append_printf (out, "'%s' ", name);
  g_string_append_printf (out, "%s %p: %s", G_OBJECT_TYPE_NAME (self), self, _gtasklet_tasklet_state_nick (state));

  if (state == GTASKLET_STATE_SUSPENDED && !priv->begun)
    g_string_append (out, ", first step not run yet");
  else if (state == GTASKLET_STATE_SUSPENDED && priv->armed.len > 0)
    append_wait_set (out, &priv->armed);
  else if (state == GTASKLET_STATE_FINISHED && priv->extras != NULL && priv->extras->error != NULL)
    g_string_append_printf (out, ", failed: %s", priv->extras->error->message);

  g_string_append_printf (out, ", mailbox %u", gtasklet_tasklet_get_n_pending_messages (self));
  if (priv->extras != NULL && priv->extras->stats != NULL)
    append_statistics (out, self);
  return g_string_free (out, FALSE);
}
