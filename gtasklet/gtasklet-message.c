/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-message-private.h"
#include "gtasklet-tasklet.h"
#include "gtasklet-thread-private.h"

/**
 * GtaskletMessage:
 *
 * A named message with an optional value, sent to a [class@Gtasklet.Tasklet]'s mailbox.
 *
 * Messages are queued in the receiver's FIFO mailbox by
 * [method@Gtasklet.Tasklet.send_message] or [method@Gtasklet.Tasklet.send] and delivered as
 * the event of a step when a [class@Gtasklet.WaitForMessages] in the receiver's wait set
 * accepts their name. The sender and destination are filled in when the message is sent.
 *
 * ```c
 * g_auto (GValue) v = G_VALUE_INIT;
 *
 * g_value_init (&v, G_TYPE_INT);
 * g_value_set_int (&v, 42);
 * gtasklet_tasklet_send (printer, "print", &v);
 * ```
 *
 * For values that cross languages (C, GJS, Python, Vala), prefer basic types, GObjects or
 * a `GVariant` ([ctor@Gtasklet.Message.new_variant]).
 *
 * Since: 1.0
 */

/**
 * GtaskletMessageClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.Message], a final type.
 *
 * Since: 1.0
 */

G_DEFINE_FINAL_TYPE (GtaskletMessage, gtasklet_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_VALUE,
  PROP_SENDER,
  PROP_DEST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Freeing a GObject costs about four times as much as creating one on GLib 2.74 (dispose,
 * signal handler and qdata teardown), which alone would exceed the per-message budget of a
 * ping-pong. Messages that come back from a step untouched (no other reference, no qdata such
 * as weak references, no signal handler) are therefore reset and kept for reuse on the
 * thread that released them. The handler lookup measured at about 2 ns per message. */
#define MESSAGE_POOL_MAX 256

static guint notify_signal_id;

void
_gtasklet_message_pool_clear (GtaskletThread *thread)
{
  while (thread->pool_head != NULL)
    {
      GtaskletMessage *message = thread->pool_head;

      thread->pool_head = message->next;
      message->next = NULL;
      g_object_unref (message);
    }
  thread->pool_length = 0;
}

/* The fundamental types whose GValue holds the whole value in place (numbers, booleans,
 * chars): copying one is a plain assignment and clearing it frees nothing, so the value
 * table calls can be skipped. */
static inline gboolean
value_is_inline (GType type)
{
  return type >= G_TYPE_CHAR && type <= G_TYPE_DOUBLE &&
         type != G_TYPE_ENUM && type != G_TYPE_FLAGS;
}

/* Copies @src into the unset @dest. */
static inline void
message_value_set (GValue       *dest,
                   const GValue *src)
{
  GType type = G_VALUE_TYPE (src);

  if (value_is_inline (type))
    {
      *dest = *src;
      return;
    }
  g_value_init (dest, type);
  g_value_copy (src, dest);
}

static inline void
message_value_clear (GValue *value)
{
  GType type = G_VALUE_TYPE (value);

  if (type == G_TYPE_INVALID)
    return;
  if (value_is_inline (type))
    *value = (GValue) G_VALUE_INIT;
  else
    g_value_unset (value);
}

static void
message_clear_dest (GtaskletMessage *self)
{
  if (self->owns_dest)
    g_clear_object (&self->dest);
  self->dest = NULL;
  self->owns_dest = FALSE;
}

void
_gtasklet_message_own_dest (GtaskletMessage *self)
{
  if (self->dest != NULL && !self->owns_dest)
    {
      g_object_ref (self->dest);
      self->owns_dest = TRUE;
    }
}

/* For a destination going away while the message stays referenced elsewhere. */
void
_gtasklet_message_forget_dest (GtaskletMessage *self)
{
  if (!self->owns_dest)
    self->dest = NULL;
}

static void
gtasklet_message_reset (GtaskletMessage *self)
{
  self->name = NULL;
  message_value_clear (&self->value);
  g_clear_object (&self->sender);
  message_clear_dest (self);
  self->next = NULL;
  self->stamp = 0;
}

/* Gives the caller's reference back. The last reference of a message nobody else knows
 * about goes to the pool instead of being freed. */
void
_gtasklet_message_release (GtaskletMessage *self)
{
  GObject *object = (GObject *) self;

  /* A message still queued somewhere (a step forwarded its event) is not ours to recycle;
   * that mailbox holds its own reference. */
  if (!self->in_mailbox && g_atomic_int_get (&object->ref_count) == 1 && object->qdata == NULL &&
      !g_signal_has_handler_pending (self, notify_signal_id, 0, TRUE))
    {
      GtaskletThread *thread = _gtasklet_thread_get ();

      if (thread->pool_length < MESSAGE_POOL_MAX)
        {
          gtasklet_message_reset (self);
          self->next = thread->pool_head;
          thread->pool_head = self;
          thread->pool_length++;
          return;
        }
    }

  /* Someone else keeps it beyond the mailbox or step that kept its destination alive. */
  if (!self->in_mailbox && g_atomic_int_get (&object->ref_count) > 1)
    _gtasklet_message_own_dest (self);
  g_object_unref (self);
}

GtaskletMessage *
_gtasklet_message_new_interned (const char   *interned_name,
                                const GValue *value)
{
  GtaskletThread *thread = _gtasklet_thread_get ();
  GtaskletMessage *self;

  if (thread->pool_head != NULL)
    {
      self = thread->pool_head;
      thread->pool_head = self->next;
      thread->pool_length--;
      self->next = NULL;
    }
  else
    {
      self = g_object_new (GTASKLET_TYPE_MESSAGE, NULL);
    }

  self->name = interned_name;
  if (value != NULL)
    message_value_set (&self->value, value);
  return self;
}

void
_gtasklet_message_set_route (GtaskletMessage *self,
                             GtaskletTasklet *sender,
                             GtaskletTasklet *dest)
{
  g_set_object (&self->sender, sender);
  message_clear_dest (self);
  self->dest = dest;
}

static void
gtasklet_message_dispose (GObject *object)
{
  GtaskletMessage *self = GTASKLET_MESSAGE (object);

  g_clear_object (&self->sender);
  message_clear_dest (self);

  G_OBJECT_CLASS (gtasklet_message_parent_class)->dispose (object);
}

static void
gtasklet_message_finalize (GObject *object)
{
  GtaskletMessage *self = GTASKLET_MESSAGE (object);

  message_value_clear (&self->value);

  G_OBJECT_CLASS (gtasklet_message_parent_class)->finalize (object);
}

static void
gtasklet_message_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  GtaskletMessage *self = GTASKLET_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_VALUE:
      g_value_set_boxed (value, G_IS_VALUE (&self->value) ? &self->value : NULL);
      break;
    case PROP_SENDER:
      g_value_set_object (value, self->sender);
      break;
    case PROP_DEST:
      g_value_set_object (value, self->dest);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_message_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  GtaskletMessage *self = GTASKLET_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_intern_string (g_value_get_string (value));
      break;
    case PROP_VALUE:
      {
        const GValue *v = g_value_get_boxed (value);

        message_value_clear (&self->value);
        if (v != NULL)
          message_value_set (&self->value, v);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_message_class_init (GtaskletMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gtasklet_message_dispose;
  object_class->finalize = gtasklet_message_finalize;
  object_class->get_property = gtasklet_message_get_property;
  object_class->set_property = gtasklet_message_set_property;

  /**
   * GtaskletMessage:name:
   *
   * The name that [class@Gtasklet.WaitForMessages] lists match.
   *
   * Since: 1.0
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletMessage:value:
   *
   * The payload, or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_VALUE] =
    g_param_spec_boxed ("value", NULL, NULL, G_TYPE_VALUE,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletMessage:sender:
   *
   * The tasklet whose step sent the message, or %NULL if it was sent from outside any step.
   *
   * Since: 1.0
   */
  properties[PROP_SENDER] =
    g_param_spec_object ("sender", NULL, NULL, GTASKLET_TYPE_TASKLET,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletMessage:dest:
   *
   * The tasklet the message was sent to, or %NULL before it is sent.
   *
   * Since: 1.0
   */
  properties[PROP_DEST] =
    g_param_spec_object ("dest", NULL, NULL, GTASKLET_TYPE_TASKLET,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  notify_signal_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
}

static void
gtasklet_message_init (GtaskletMessage *self)
{
}

/**
 * gtasklet_message_new:
 * @name: the message name
 * @value: (nullable): the payload, copied
 *
 * Creates a message to send with [method@Gtasklet.Tasklet.send_message].
 *
 * Returns: (transfer full): a new [class@Gtasklet.Message]
 *
 * Since: 1.0
 */
GtaskletMessage *
gtasklet_message_new (const char   *name,
                      const GValue *value)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (value == NULL || G_IS_VALUE (value), NULL);

  return _gtasklet_message_new_interned (g_intern_string (name), value);
}

/**
 * gtasklet_message_new_variant:
 * @name: the message name
 * @variant: (nullable): the payload; a floating reference is sunk
 *
 * Creates a message whose value holds @variant (`G_TYPE_VARIANT`), the convenient payload
 * for messages that cross languages.
 *
 * Returns: (transfer full): a new [class@Gtasklet.Message]
 *
 * Since: 1.0
 */
GtaskletMessage *
gtasklet_message_new_variant (const char *name,
                              GVariant   *variant)
{
  g_auto (GValue) value = G_VALUE_INIT;

  g_return_val_if_fail (name != NULL, NULL);

  if (variant == NULL)
    return gtasklet_message_new (name, NULL);

  g_value_init (&value, G_TYPE_VARIANT);
  g_value_set_variant (&value, variant);
  return gtasklet_message_new (name, &value);
}

/**
 * gtasklet_message_get_name:
 * @self: a [class@Gtasklet.Message]
 *
 * The message name.
 *
 * Returns: the name (an interned string)
 *
 * Since: 1.0
 */
const char *
gtasklet_message_get_name (GtaskletMessage *self)
{
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  return self->name;
}

/**
 * gtasklet_message_get_value:
 * @self: a [class@Gtasklet.Message]
 *
 * The payload.
 *
 * Returns: (transfer none) (nullable): the value, or %NULL if the message has none
 *
 * Since: 1.0
 */
const GValue *
gtasklet_message_get_value (GtaskletMessage *self)
{
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  return G_IS_VALUE (&self->value) ? &self->value : NULL;
}

/**
 * gtasklet_message_get_variant:
 * @self: a [class@Gtasklet.Message]
 *
 * The payload as a `GVariant`, when the value holds one.
 *
 * Returns: (transfer none) (nullable): the variant, or %NULL if the value is not a `GVariant`
 *
 * Since: 1.0
 */
GVariant *
gtasklet_message_get_variant (GtaskletMessage *self)
{
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  if (!G_VALUE_HOLDS_VARIANT (&self->value))
    return NULL;
  return g_value_get_variant (&self->value);
}

/**
 * gtasklet_message_get_sender:
 * @self: a [class@Gtasklet.Message]
 *
 * The tasklet whose step sent the message.
 *
 * Returns: (transfer none) (nullable): the sender, or %NULL if sent from outside any step
 *
 * Since: 1.0
 */
GtaskletTasklet *
gtasklet_message_get_sender (GtaskletMessage *self)
{
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  return self->sender;
}

/**
 * gtasklet_message_get_dest:
 * @self: a [class@Gtasklet.Message]
 *
 * The tasklet the message was sent to.
 *
 * Returns: (transfer none) (nullable): the destination, or %NULL if not sent yet
 *
 * Since: 1.0
 */
GtaskletTasklet *
gtasklet_message_get_dest (GtaskletMessage *self)
{
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  return self->dest;
}
