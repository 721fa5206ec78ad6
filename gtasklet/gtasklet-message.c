/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-message-private.h"
#include "gtasklet-value-private.h"
#include "gtasklet-tasklet.h"

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
 * The message a step receives as its event is lent to the step: take a reference
 * (`g_object_ref()`) to keep it past the step. An event that nobody kept (no other
 * reference, no object data or weak reference) is reset and reused for a later message on
 * the same thread; a signal handler connected to such an event would stay on the object
 * and see its next use, so connect handlers only to messages you hold a reference to.
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
 * signal handler and qdata teardown), and creating one most of a message's budget. Message
 * objects that come back from a step untouched (no other reference, no qdata such as weak
 * references) are therefore reset and kept for reuse on the thread that
 * released them, and bare envelopes likewise. */
#define MESSAGE_POOL_MAX 64
#define ENVELOPE_POOL_MAX 1024

static void
pools_clear (GtaskletThread *thread)
{
  while (thread->message_pool != NULL)
    {
      GtaskletMessage *message = thread->message_pool;

      thread->message_pool = message->envelope.item.next;
      message->envelope.item.next = NULL;
      g_object_unref (message);
    }
  thread->message_pool_length = 0;

  while (thread->envelope_pool != NULL)
    {
      GtaskletEnvelope *envelope = thread->envelope_pool;

      thread->envelope_pool = envelope->item.next;
      g_slice_free (GtaskletEnvelope, envelope);
    }
  thread->envelope_pool_length = 0;
}

static void
pools_register (void)
{
  static gsize registered;

  if (g_once_init_enter (&registered))
    {
      _gtasklet_thread_add_exit_func (pools_clear);
      g_once_init_leave (&registered, 1);
    }
}

static void
envelope_clear_dest (GtaskletEnvelope *self)
{
  if (self->flags & ENVELOPE_OWNS_DEST)
    g_clear_object (&self->dest);
  self->dest = NULL;
  self->flags &= ~ENVELOPE_OWNS_DEST;
}

/* Back to the state of a new envelope, keeping only whether it is embedded. */
static void
envelope_reset (GtaskletEnvelope *self)
{
  self->item.next = NULL;
  self->item.func = NULL;
  self->name = NULL;
  g_clear_object (&self->sender);
  envelope_clear_dest (self);
  self->stamp = 0;
  self->flags &= ENVELOPE_EMBEDDED;
  self->monitor_id = 0;
  _gtasklet_value_clear (&self->value);
}

GtaskletEnvelope *
_gtasklet_envelope_new (const char   *interned_name,
                        const GValue *value)
{
  GtaskletThread *thread = _gtasklet_thread_get ();
  GtaskletEnvelope *self = thread->envelope_pool;

  if (self != NULL)
    {
      thread->envelope_pool = self->item.next;
      thread->envelope_pool_length--;
      self->item.next = NULL;
    }
  else
    {
      /* GSlice: a mailbox may hold a million of these, and its magazines take and give them
       * back far cheaper than malloc() does at that depth. */
      self = g_slice_new0 (GtaskletEnvelope);
    }

  self->name = interned_name;
  if (value != NULL)
    _gtasklet_value_copy_into (&self->value, value);
  return self;
}

static void
envelope_free_bare (GtaskletEnvelope *self)
{
  GtaskletThread *thread = _gtasklet_thread_get ();

  envelope_reset (self);
  if (thread->envelope_pool_length < ENVELOPE_POOL_MAX)
    {
      pools_register ();
      self->item.next = thread->envelope_pool;
      thread->envelope_pool = self;
      thread->envelope_pool_length++;
      return;
    }
  g_slice_free (GtaskletEnvelope, self);
}

/* The envelope inside @message, holding a reference on it until the message is delivered or
 * dropped. */
GtaskletEnvelope *
_gtasklet_envelope_of_message (GtaskletMessage *message)
{
  g_object_ref (message);
  return &message->envelope;
}

void
_gtasklet_envelope_route (GtaskletEnvelope *self,
                          GtaskletTasklet  *sender,
                          GtaskletTasklet  *dest)
{
  if (self->sender != sender)
    {
      g_clear_object (&self->sender);
      if (sender != NULL)
        self->sender = g_object_ref (sender);
    }
  envelope_clear_dest (self);
  self->dest = dest;
}

void
_gtasklet_envelope_own_dest (GtaskletEnvelope *self)
{
  if (self->dest != NULL && !(self->flags & ENVELOPE_OWNS_DEST))
    {
      g_object_ref (self->dest);
      self->flags |= ENVELOPE_OWNS_DEST;
    }
}

/* For a destination going away while the message stays referenced elsewhere. */
void
_gtasklet_envelope_forget_dest (GtaskletEnvelope *self)
{
  if (!(self->flags & ENVELOPE_OWNS_DEST))
    self->dest = NULL;
}

/* Drops an envelope that will never be delivered (discarded, or its receiver finished). */
void
_gtasklet_envelope_discard (GtaskletEnvelope *self)
{
  self->flags &= ~ENVELOPE_QUEUED;
  if (self->flags & ENVELOPE_EMBEDDED)
    {
      GtaskletMessage *message = _gtasklet_envelope_get_message (self);

      /* Someone else may keep the message object: it must not point at a tasklet that is
       * not referenced. */
      if (g_atomic_int_get (&G_OBJECT (message)->ref_count) > 1)
        _gtasklet_envelope_own_dest (self);
      g_object_unref (message);
      return;
    }
  envelope_free_bare (self);
}

/* The message object a step receives for @self: the sender's own object, or a recycled one
 * that takes the bare envelope's contents. The caller owns the returned reference and gives
 * it back with _gtasklet_message_release(). */
GtaskletMessage *
_gtasklet_envelope_open (GtaskletEnvelope *self)
{
  GtaskletThread *thread;
  GtaskletMessage *message;

  self->flags &= ~ENVELOPE_QUEUED;
  if (self->flags & ENVELOPE_EMBEDDED)
    return _gtasklet_envelope_get_message (self);

  thread = _gtasklet_thread_get ();
  message = thread->message_pool;
  if (message != NULL)
    {
      thread->message_pool = message->envelope.item.next;
      thread->message_pool_length--;
      message->envelope.item.next = NULL;
    }
  else
    {
      message = g_object_new (GTASKLET_TYPE_MESSAGE, NULL);
    }

  /* A move: the bare envelope's references and value now belong to the object. */
  message->envelope.name = self->name;
  message->envelope.sender = self->sender;
  message->envelope.dest = self->dest;
  message->envelope.stamp = self->stamp;
  message->envelope.flags = ENVELOPE_EMBEDDED | (self->flags & ENVELOPE_OWNS_DEST);
  message->envelope.monitor_id = 0;
  message->envelope.value = self->value;
  self->sender = NULL;
  self->dest = NULL;
  self->flags = 0;
  self->monitor_id = 0;
  self->value = (GValue) G_VALUE_INIT;
  envelope_free_bare (self);

  return message;
}

/* Gives back the reference of a step's event. A message nobody else kept is recycled. */
void
_gtasklet_message_release (GtaskletMessage *message)
{
  GObject *object = (GObject *) message;

  /* A message queued again (a step forwarded its event) is not ours to recycle: that
   * mailbox holds its own reference. Signal handlers are not looked for: the lookup takes
   * GLib's global signal lock, which cost a fifth of a message on one thread and halved
   * what a second worker added (the class documentation tells users not to leave handlers
   * on an event they do not keep). */
  if (!(message->envelope.flags & ENVELOPE_QUEUED) &&
      g_atomic_int_get (&object->ref_count) == 1 && object->qdata == NULL)
    {
      GtaskletThread *thread = _gtasklet_thread_get ();

      if (thread->message_pool_length < MESSAGE_POOL_MAX)
        {
          pools_register ();
          envelope_reset (&message->envelope);
          message->envelope.item.next = thread->message_pool;
          thread->message_pool = message;
          thread->message_pool_length++;
          return;
        }
    }

  /* Someone else keeps it beyond the mailbox or step that kept its destination alive. */
  if (!(message->envelope.flags & ENVELOPE_QUEUED) &&
      g_atomic_int_get (&object->ref_count) > 1)
    _gtasklet_envelope_own_dest (&message->envelope);
  g_object_unref (message);
}

static void
gtasklet_message_dispose (GObject *object)
{
  GtaskletMessage *self = GTASKLET_MESSAGE (object);

  _gtasklet_tsan_disposing (object);
  g_clear_object (&self->envelope.sender);
  envelope_clear_dest (&self->envelope);

  G_OBJECT_CLASS (gtasklet_message_parent_class)->dispose (object);
}

static void
gtasklet_message_finalize (GObject *object)
{
  GtaskletMessage *self = GTASKLET_MESSAGE (object);

  _gtasklet_value_clear (&self->envelope.value);

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
      g_value_set_string (value, gtasklet_message_get_name (self));
      break;
    case PROP_VALUE:
      g_value_set_boxed (value, gtasklet_message_get_value (self));
      break;
    case PROP_SENDER:
      g_value_set_object (value, gtasklet_message_get_sender (self));
      break;
    case PROP_DEST:
      g_value_set_object (value, gtasklet_message_get_dest (self));
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
      self->envelope.name = g_intern_string (g_value_get_string (value));
      break;
    case PROP_VALUE:
      {
        const GValue *v = g_value_get_boxed (value);

        _gtasklet_value_clear (&self->envelope.value);
        if (v != NULL)
          _gtasklet_value_copy_into (&self->envelope.value, v);
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
   * The name that receive lists ([class@Gtasklet.WaitForMessages]) match.
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

}

static void
gtasklet_message_init (GtaskletMessage *self)
{
  self->envelope.flags = ENVELOPE_EMBEDDED;
}

/**
 * gtasklet_message_new:
 * @name: the message name
 * @value: (nullable): the payload, copied
 *
 * Creates a message to send with [method@Gtasklet.Tasklet.send_message].
 *
 * This function is thread-safe: build a message on any thread and send it to any tasklet.
 *
 * Returns: (transfer full): a new [class@Gtasklet.Message]
 *
 * Since: 1.0
 */
GtaskletMessage *
gtasklet_message_new (const char   *name,
                      const GValue *value)
{
  GtaskletMessage *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (value == NULL || G_IS_VALUE (value), NULL);

  self = g_object_new (GTASKLET_TYPE_MESSAGE, NULL);
  self->envelope.name = g_intern_string (name);
  if (value != NULL)
    _gtasklet_value_copy_into (&self->envelope.value, value);
  return self;
}

/**
 * gtasklet_message_new_variant:
 * @name: the message name
 * @variant: (nullable): the payload; a floating reference is sunk
 *
 * Creates a message whose value holds @variant (`G_TYPE_VARIANT`), the convenient payload
 * for messages that cross languages.
 *
 * This function is thread-safe: build a message on any thread and send it to any tasklet.
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
 * Names are interned, so a receiver can compare pointers rather than strings, against names
 * it interned once:
 *
 * ```c
 * const char *name = gtasklet_message_get_name (message);
 *
 * if (name == g_intern_static_string ("ping"))
 *   …
 * ```
 *
 * (`g_quark_from_string (name)` gives the matching #GQuark, for a `switch`.)
 *
 * This function is thread-safe: a message does not change once it has been sent.
 *
 * Returns: the name (an interned string)
 *
 * Since: 1.0
 */
const char *
gtasklet_message_get_name (GtaskletMessage *self)
{
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  return self->envelope.name;
}

/**
 * gtasklet_message_get_value:
 * @self: a [class@Gtasklet.Message]
 *
 * The payload.
 *
 * This function is thread-safe: a message does not change once it has been sent.
 *
 * Returns: (transfer none) (nullable): the value, or %NULL if the message has none
 *
 * Since: 1.0
 */
const GValue *
gtasklet_message_get_value (GtaskletMessage *self)
{
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  return G_IS_VALUE (&self->envelope.value) ? &self->envelope.value : NULL;
}

/**
 * gtasklet_message_get_variant:
 * @self: a [class@Gtasklet.Message]
 *
 * The payload as a `GVariant`, when the value holds one.
 *
 * This function is thread-safe: a message does not change once it has been sent.
 *
 * Returns: (transfer none) (nullable): the variant, or %NULL if the value is not a `GVariant`
 *
 * Since: 1.0
 */
GVariant *
gtasklet_message_get_variant (GtaskletMessage *self)
{
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  if (!G_VALUE_HOLDS_VARIANT (&self->envelope.value))
    return NULL;
  return g_value_get_variant (&self->envelope.value);
}

/**
 * gtasklet_message_get_sender:
 * @self: a [class@Gtasklet.Message]
 *
 * The tasklet whose step sent the message.
 *
 * This function is thread-safe: a message does not change once it has been sent.
 *
 * Returns: (transfer none) (nullable): the sender, or %NULL if sent from outside any step
 *
 * Since: 1.0
 */
GtaskletTasklet *
gtasklet_message_get_sender (GtaskletMessage *self)
{
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  return self->envelope.sender;
}

/**
 * gtasklet_message_get_dest:
 * @self: a [class@Gtasklet.Message]
 *
 * The tasklet the message was sent to.
 *
 * This function is thread-safe: a message does not change once it has been sent.
 *
 * Returns: (transfer none) (nullable): the destination, or %NULL if not sent yet
 *
 * Since: 1.0
 */
GtaskletTasklet *
gtasklet_message_get_dest (GtaskletMessage *self)
{
  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  return self->envelope.dest;
}
