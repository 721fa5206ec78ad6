/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-wait-for-messages.h"

#include "gtasklet-error.h"
#include "gtasklet-enum-types.h"
#include "gtasklet-receive-private.h"
#include "gtasklet-wait-condition-private.h"

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
 * Keep the condition and wait on it at every step rather than making a new one each time; or
 * use [method@Gtasklet.Tasklet.receive], which receives the same way without a condition
 * object.
 *
 * Matching scans the mailbox from the oldest message and stops at the first accepted one;
 * discarded messages met on the way are dropped. Within one condition a name in several
 * lists counts as accept over defer over discard. When several armed conditions name a
 * message, an explicit name beats `"*"`, and otherwise the condition added to the wait set
 * first decides.
 *
 * A condition that names no message in any of the three lists could never fire: waiting on
 * it is a programmer error (a critical), and the tasklet fails with %GTASKLET_ERROR_MISUSE.
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
  /* Built from the three lists once they are all known (at construction). */
  GtaskletReceiveSpec *spec;
  /* The lists as given, until the spec is built: bindings set them one property at a time. */
  GStrv                lists[3];
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

static GtaskletReceiveSpec *
gtasklet_wait_for_messages_get_receive (GtaskletWaitCondition *condition)
{
  GtaskletWaitForMessagesPrivate *priv =
    gtasklet_wait_for_messages_get_instance_private (GTASKLET_WAIT_FOR_MESSAGES (condition));

  return priv->spec;
}

static const GtaskletWaitConditionHooks messages_hooks = {
  .get_receive = gtasklet_wait_for_messages_get_receive,
};

/* Messages are matched by the engine (get_receive): arming only refuses a condition that
 * names no message, which would wait forever. */
static void
gtasklet_wait_for_messages_arm (GtaskletWaitCondition *condition,
                                GtaskletTasklet       *tasklet)
{
  GtaskletWaitForMessagesPrivate *priv =
    gtasklet_wait_for_messages_get_instance_private (GTASKLET_WAIT_FOR_MESSAGES (condition));
  g_autoptr (GError) error = NULL;

  if G_LIKELY (!_gtasklet_receive_spec_is_empty (priv->spec))
    return;

  error = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_MISUSE,
                       "%s %p waits on a GtaskletWaitForMessages that names no message to "
                       "accept, defer or discard: that wait could never end",
                       G_OBJECT_TYPE_NAME (tasklet), tasklet);
  g_critical ("%s", error->message);
  gtasklet_wait_condition_fail (condition, error);
}

static void
gtasklet_wait_for_messages_constructed (GObject *object)
{
  GtaskletWaitForMessages *self = GTASKLET_WAIT_FOR_MESSAGES (object);
  GtaskletWaitForMessagesPrivate *priv = gtasklet_wait_for_messages_get_instance_private (self);

  G_OBJECT_CLASS (gtasklet_wait_for_messages_parent_class)->constructed (object);

  if (priv->spec == NULL)
    priv->spec = _gtasklet_receive_spec_new ((const char * const *) priv->lists[0],
                                             (const char * const *) priv->lists[1],
                                             (const char * const *) priv->lists[2]);
  for (guint i = 0; i < G_N_ELEMENTS (priv->lists); i++)
    g_clear_pointer (&priv->lists[i], g_strfreev);
}

static void
gtasklet_wait_for_messages_finalize (GObject *object)
{
  GtaskletWaitForMessages *self = GTASKLET_WAIT_FOR_MESSAGES (object);
  GtaskletWaitForMessagesPrivate *priv = gtasklet_wait_for_messages_get_instance_private (self);

  g_clear_pointer (&priv->spec, _gtasklet_receive_spec_unref);
  for (guint i = 0; i < G_N_ELEMENTS (priv->lists); i++)
    g_clear_pointer (&priv->lists[i], g_strfreev);

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
  GtaskletWaitForMessagesPrivate *priv = gtasklet_wait_for_messages_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_ACCEPT:
    case PROP_DEFER:
    case PROP_DISCARD:
      priv->lists[prop_id - PROP_ACCEPT] = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static char *
gtasklet_wait_for_messages_describe (GtaskletWaitCondition *condition)
{
  GtaskletWaitForMessagesPrivate *priv =
    gtasklet_wait_for_messages_get_instance_private (GTASKLET_WAIT_FOR_MESSAGES (condition));
  GString *text = g_string_new ("messages ");

  if (priv->spec != NULL)
    _gtasklet_receive_spec_describe (priv->spec, text);
  else
    g_string_append (text, "(not constructed)");
  return g_string_free (text, FALSE);
}

static void
gtasklet_wait_for_messages_class_init (GtaskletWaitForMessagesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  object_class->constructed = gtasklet_wait_for_messages_constructed;
  object_class->finalize = gtasklet_wait_for_messages_finalize;
  object_class->get_property = gtasklet_wait_for_messages_get_property;
  object_class->set_property = gtasklet_wait_for_messages_set_property;
  condition_class->arm = gtasklet_wait_for_messages_arm;
  condition_class->describe = gtasklet_wait_for_messages_describe;

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
  _gtasklet_wait_condition_set_hooks (GTASKLET_WAIT_CONDITION (self), &messages_hooks);
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
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
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
  GtaskletWaitForMessages *self;
  GtaskletWaitForMessagesPrivate *priv;
  GtaskletReceiveSpec *spec;

  /* Built before the object, so construction does not go through the three properties. */
  spec = _gtasklet_receive_spec_new (accept, defer, discard);
  self = g_object_new (GTASKLET_TYPE_WAIT_FOR_MESSAGES, NULL);
  priv = gtasklet_wait_for_messages_get_instance_private (self);
  g_clear_pointer (&priv->spec, _gtasklet_receive_spec_unref);
  priv->spec = spec;
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
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
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
  GtaskletWaitForMessagesPrivate *priv;
  gboolean explicit;
  int action;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_MESSAGES (self), GTASKLET_MESSAGE_DEFER);
  g_return_val_if_fail (name != NULL, GTASKLET_MESSAGE_DEFER);

  priv = gtasklet_wait_for_messages_get_instance_private (self);
  action = _gtasklet_receive_spec_lookup (priv->spec, g_intern_string (name), &explicit);
  if (named != NULL)
    *named = action != GTASKLET_RECEIVE_UNNAMED;
  return action == GTASKLET_RECEIVE_UNNAMED ? GTASKLET_MESSAGE_DEFER : (GtaskletMessageAction) action;
}

/**
 * gtasklet_wait_for_messages_dup_names:
 * @self: a [class@Gtasklet.WaitForMessages]
 * @action: which list
 *
 * The names this condition handles with @action, `"*"` included.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
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

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_MESSAGES (self), NULL);
  if (action != GTASKLET_MESSAGE_ACCEPT && action != GTASKLET_MESSAGE_DEFER &&
      action != GTASKLET_MESSAGE_DISCARD)
    {
      g_critical ("gtasklet_wait_for_messages_dup_names() was given %d, which is not a "
                  "GtaskletMessageAction", (int) action);
      return NULL;
    }

  priv = gtasklet_wait_for_messages_get_instance_private (self);
  return _gtasklet_receive_spec_dup_names (priv->spec, action);
}
