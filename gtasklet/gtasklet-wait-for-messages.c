/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-enum-types.h"
#include "gtasklet-wait-condition-private.h"
#include "gtasklet-wait-for-messages-private.h"

/**
 * GtaskletWaitForMessages:
 *
 * Waits for a message in the tasklet's mailbox, with Erlang-style selective receive.
 *
 * The condition lists message names to *accept* (deliver as the step's event), *defer*
 * (leave queued, in order, for a later wait) and *discard* (drop). The name `"*"` matches
 * every message the condition does not name otherwise. A name that no armed condition lists
 * stays queued. The step's event is the accepted [class@Gtasklet.Message], not the
 * condition.
 *
 * ```c
 * static const char * const accept[] = { "print", "quit", NULL };
 * g_autoptr (GtaskletWaitCondition) inbox = gtasklet_wait_for_messages_new (accept, NULL, NULL);
 *
 * gtasklet_tasklet_wait (tasklet, inbox);
 * ```
 *
 * Matching scans the mailbox from the oldest message and stops at the first accepted one;
 * discarded messages met on the way are dropped. Within one condition a name in several
 * lists counts as accept over defer over discard. When several armed conditions name a
 * message, an explicit name beats `"*"`, and otherwise the condition added to the wait set
 * first decides.
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitForMessagesClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.WaitForMessages]. Subclasses may override the
 * [class@Gtasklet.WaitCondition] vfuncs; chain up to keep the behaviour described here.
 *
 * Since: 1.0
 */

typedef struct
{
  const char *name;
  int         action;
} Entry;

typedef struct
{
  Entry *entries;
  guint  n_entries;
  int    wildcard;
} GtaskletWaitForMessagesPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletWaitForMessages, gtasklet_wait_for_messages,
                            GTASKLET_TYPE_WAIT_CONDITION)

enum {
  PROP_0,
  PROP_ACCEPT,
  PROP_DEFER,
  PROP_DISCARD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define WILDCARD_NONE (-1)

static void
add_names (GtaskletWaitForMessages *self,
           const char * const      *names,
           GtaskletMessageAction    action)
{
  GtaskletWaitForMessagesPrivate *priv = gtasklet_wait_for_messages_get_instance_private (self);

  if (names == NULL)
    return;

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_intern_string (names[i]);
      gboolean found = FALSE;

      /* Accept < defer < discard numerically, and the smaller wins. */
      if (g_str_equal (name, "*"))
        {
          if (priv->wildcard == WILDCARD_NONE || (int) action < priv->wildcard)
            priv->wildcard = action;
          continue;
        }

      for (guint j = 0; j < priv->n_entries; j++)
        {
          if (priv->entries[j].name == name)
            {
              priv->entries[j].action = MIN (priv->entries[j].action, (int) action);
              found = TRUE;
              break;
            }
        }
      if (!found)
        {
          priv->entries = g_renew (Entry, priv->entries, priv->n_entries + 1);
          priv->entries[priv->n_entries].name = name;
          priv->entries[priv->n_entries].action = action;
          priv->n_entries++;
        }
    }
}

GtaskletWaitForMessagesMatch
_gtasklet_wait_for_messages_lookup (GtaskletWaitForMessages *self,
                                    const char              *interned_name,
                                    GtaskletMessageAction   *action)
{
  GtaskletWaitForMessagesPrivate *priv = gtasklet_wait_for_messages_get_instance_private (self);

  for (guint i = 0; i < priv->n_entries; i++)
    {
      if (priv->entries[i].name == interned_name)
        {
          *action = priv->entries[i].action;
          return GTASKLET_WAIT_FOR_MESSAGES_NAMED;
        }
    }
  if (priv->wildcard != WILDCARD_NONE)
    {
      *action = priv->wildcard;
      return GTASKLET_WAIT_FOR_MESSAGES_WILDCARD;
    }
  return GTASKLET_WAIT_FOR_MESSAGES_NOT_NAMED;
}

static void
gtasklet_wait_for_messages_finalize (GObject *object)
{
  GtaskletWaitForMessages *self = GTASKLET_WAIT_FOR_MESSAGES (object);
  GtaskletWaitForMessagesPrivate *priv = gtasklet_wait_for_messages_get_instance_private (self);

  g_clear_pointer (&priv->entries, g_free);

  G_OBJECT_CLASS (gtasklet_wait_for_messages_parent_class)->finalize (object);
}

static void
gtasklet_wait_for_messages_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  GtaskletWaitForMessages *self = GTASKLET_WAIT_FOR_MESSAGES (object);

  switch (prop_id)
    {
    case PROP_ACCEPT:
      g_value_take_boxed (value, gtasklet_wait_for_messages_dup_names (self, GTASKLET_MESSAGE_ACCEPT));
      break;
    case PROP_DEFER:
      g_value_take_boxed (value, gtasklet_wait_for_messages_dup_names (self, GTASKLET_MESSAGE_DEFER));
      break;
    case PROP_DISCARD:
      g_value_take_boxed (value, gtasklet_wait_for_messages_dup_names (self, GTASKLET_MESSAGE_DISCARD));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_wait_for_messages_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  GtaskletWaitForMessages *self = GTASKLET_WAIT_FOR_MESSAGES (object);

  switch (prop_id)
    {
    case PROP_ACCEPT:
      add_names (self, g_value_get_boxed (value), GTASKLET_MESSAGE_ACCEPT);
      break;
    case PROP_DEFER:
      add_names (self, g_value_get_boxed (value), GTASKLET_MESSAGE_DEFER);
      break;
    case PROP_DISCARD:
      add_names (self, g_value_get_boxed (value), GTASKLET_MESSAGE_DISCARD);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_wait_for_messages_class_init (GtaskletWaitForMessagesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gtasklet_wait_for_messages_finalize;
  object_class->get_property = gtasklet_wait_for_messages_get_property;
  object_class->set_property = gtasklet_wait_for_messages_set_property;

  /**
   * GtaskletWaitForMessages:accept:
   *
   * Names of the messages to deliver as the step's event.
   *
   * Since: 1.0
   */
  properties[PROP_ACCEPT] =
    g_param_spec_boxed ("accept", NULL, NULL, G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletWaitForMessages:defer:
   *
   * Names of the messages to leave queued for a later wait.
   *
   * Since: 1.0
   */
  properties[PROP_DEFER] =
    g_param_spec_boxed ("defer", NULL, NULL, G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletWaitForMessages:discard:
   *
   * Names of the messages to drop.
   *
   * Since: 1.0
   */
  properties[PROP_DISCARD] =
    g_param_spec_boxed ("discard", NULL, NULL, G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gtasklet_wait_for_messages_init (GtaskletWaitForMessages *self)
{
  GtaskletWaitForMessagesPrivate *priv = gtasklet_wait_for_messages_get_instance_private (self);

  priv->wildcard = WILDCARD_NONE;
  _gtasklet_wait_condition_get_private (GTASKLET_WAIT_CONDITION (self))->is_message_wait = TRUE;
}

/**
 * gtasklet_wait_for_messages_new:
 * @accept: (nullable) (array zero-terminated=1): names of the messages to accept
 * @defer: (nullable) (array zero-terminated=1): names of the messages to defer
 * @discard: (nullable) (array zero-terminated=1): names of the messages to discard
 *
 * Creates a condition that waits for a message named in @accept. `"*"` in a list stands for
 * every name the condition does not list otherwise.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForMessages]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_messages_new (const char * const *accept,
                                const char * const *defer,
                                const char * const *discard)
{
  GtaskletWaitForMessages *self = g_object_new (GTASKLET_TYPE_WAIT_FOR_MESSAGES, NULL);

  add_names (self, accept, GTASKLET_MESSAGE_ACCEPT);
  add_names (self, defer, GTASKLET_MESSAGE_DEFER);
  add_names (self, discard, GTASKLET_MESSAGE_DISCARD);

  return GTASKLET_WAIT_CONDITION (self);
}

/**
 * gtasklet_wait_for_messages_get_action:
 * @self: a [class@Gtasklet.WaitForMessages]
 * @name: a message name
 * @named: (out) (optional): whether this condition names @name (explicitly or through `"*"`)
 *
 * What this condition alone does with a message called @name.
 *
 * Returns: the action; %GTASKLET_MESSAGE_DEFER when the condition does not name @name (the
 *   message then stays queued)
 *
 * Since: 1.0
 */
GtaskletMessageAction
gtasklet_wait_for_messages_get_action (GtaskletWaitForMessages *self,
                                       const char              *name,
                                       gboolean                *named)
{
  GtaskletMessageAction action = GTASKLET_MESSAGE_DEFER;
  GtaskletWaitForMessagesMatch match;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_MESSAGES (self), GTASKLET_MESSAGE_DEFER);
  g_return_val_if_fail (name != NULL, GTASKLET_MESSAGE_DEFER);

  match = _gtasklet_wait_for_messages_lookup (self, g_intern_string (name), &action);
  if (named != NULL)
    *named = match != GTASKLET_WAIT_FOR_MESSAGES_NOT_NAMED;
  return match == GTASKLET_WAIT_FOR_MESSAGES_NOT_NAMED ? GTASKLET_MESSAGE_DEFER : action;
}

/**
 * gtasklet_wait_for_messages_dup_names:
 * @self: a [class@Gtasklet.WaitForMessages]
 * @action: which list
 *
 * The names this condition handles with @action, `"*"` included.
 *
 * Returns: (transfer full): a %NULL-terminated array of names
 *
 * Since: 1.0
 */
GStrv
gtasklet_wait_for_messages_dup_names (GtaskletWaitForMessages *self,
                                      GtaskletMessageAction    action)
{
  GtaskletWaitForMessagesPrivate *priv;
  GStrvBuilder *builder;
  GStrv names;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_MESSAGES (self), NULL);

  priv = gtasklet_wait_for_messages_get_instance_private (self);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < priv->n_entries; i++)
    if (priv->entries[i].action == (int) action)
      g_strv_builder_add (builder, priv->entries[i].name);
  if (priv->wildcard == (int) action)
    g_strv_builder_add (builder, "*");
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}
