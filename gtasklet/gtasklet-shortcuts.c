/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-message.h"
#include "gtasklet-tasklet-private.h"

/* Shortcuts for C: payloads and results of common types without building a GValue by hand,
 * pointers that carry their destroy function with them, and a closure tasklet's data. All of
 * it goes through the general GValue calls. */

/* A pointer with the function that frees it, as a message payload or a result: the payload
 * may be copied (a result read by several joiners), so the box is reference counted and the
 * pointer freed with its last copy, also when a receiver finishes without reading it. */
typedef struct
{
  int            ref_count;  /* atomic */
  gpointer       data;
  GDestroyNotify destroy;
} PointerBox;

static PointerBox *
pointer_box_ref (PointerBox *box)
{
  g_atomic_int_inc (&box->ref_count);
  return box;
}

static void
pointer_box_unref (PointerBox *box)
{
  if (!g_atomic_int_dec_and_test (&box->ref_count))
    return;
  if (box->destroy != NULL && box->data != NULL)
    box->destroy (box->data);
  g_free (box);
}

GType _gtasklet_pointer_box_get_type (void);

G_DEFINE_BOXED_TYPE (PointerBox, _gtasklet_pointer_box, pointer_box_ref, pointer_box_unref)

static void
pointer_value_init (GValue         *value,
                    gpointer        data,
                    GDestroyNotify  destroy)
{
  PointerBox *box = g_new (PointerBox, 1);

  box->ref_count = 1;
  box->data = data;
  box->destroy = destroy;
  g_value_init (value, _gtasklet_pointer_box_get_type ());
  g_value_take_boxed (value, box);
}

/* The box in @value, or NULL (after a critical naming @what) if it holds something else. */
static PointerBox *
pointer_value_get_box (const GValue *value,
                       const char   *what)
{
  if (value == NULL || !G_VALUE_HOLDS (value, _gtasklet_pointer_box_get_type ()))
    {
      g_critical ("%s holds %s, not a pointer sent with gtasklet_tasklet_send_pointer() or "
                  "returned with gtasklet_tasklet_return_pointer()",
                  what, value != NULL ? G_VALUE_TYPE_NAME (value) : "no value");
      return NULL;
    }
  return g_value_get_boxed (value);
}

/* Sending */

/**
 * gtasklet_tasklet_send_int:
 * @dest: the receiving [class@Gtasklet.Tasklet]
 * @name: the message name
 * @value: the payload
 *
 * Sends a message named @name whose value is the `int` @value, as
 * [method@Gtasklet.Tasklet.send] does. The receiver reads it with
 * [method@Gtasklet.Message.get_int].
 *
 * This function is thread-safe.
 *
 * Returns: %TRUE if the message was queued, %FALSE if @dest has finished
 *
 * Since: 1.2
 */
gboolean
gtasklet_tasklet_send_int (GtaskletTasklet *dest,
                           const char      *name,
                           int              value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, value);
  return gtasklet_tasklet_send (dest, name, &v);
}

/**
 * gtasklet_tasklet_send_string:
 * @dest: the receiving [class@Gtasklet.Tasklet]
 * @name: the message name
 * @value: (nullable): the payload, copied
 *
 * Sends a message named @name whose value is a copy of the string @value, as
 * [method@Gtasklet.Tasklet.send] does. The receiver reads it with
 * [method@Gtasklet.Message.get_string].
 *
 * This function is thread-safe.
 *
 * Returns: %TRUE if the message was queued, %FALSE if @dest has finished
 *
 * Since: 1.2
 */
gboolean
gtasklet_tasklet_send_string (GtaskletTasklet *dest,
                              const char      *name,
                              const char      *value)
{
  g_auto (GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, value);
  return gtasklet_tasklet_send (dest, name, &v);
}

/**
 * gtasklet_tasklet_send_variant:
 * @dest: the receiving [class@Gtasklet.Tasklet]
 * @name: the message name
 * @value: the payload; a floating reference is taken
 *
 * Sends a message named @name whose value is the `GVariant` @value, as
 * [method@Gtasklet.Tasklet.send] does: the payload that every language reads alike. The
 * receiver reads it with [method@Gtasklet.Message.get_variant].
 *
 * ```c
 * gtasklet_tasklet_send_variant (logger, "line", g_variant_new ("(us)", 3, "three"));
 * ```
 *
 * This function is thread-safe.
 *
 * Returns: %TRUE if the message was queued, %FALSE if @dest has finished
 *
 * Since: 1.2
 */
gboolean
gtasklet_tasklet_send_variant (GtaskletTasklet *dest,
                               const char      *name,
                               GVariant        *value)
{
  g_auto (GValue) v = G_VALUE_INIT;

  g_return_val_if_fail (value != NULL, FALSE);

  g_value_init (&v, G_TYPE_VARIANT);
  g_value_set_variant (&v, value);
  return gtasklet_tasklet_send (dest, name, &v);
}

/**
 * gtasklet_tasklet_send_pointer: (skip)
 * @dest: the receiving [class@Gtasklet.Tasklet]
 * @name: the message name
 * @data: (transfer full): the payload
 * @destroy: (nullable): frees @data
 *
 * Sends a message named @name carrying @data, which the message owns: @destroy frees it when
 * the message goes, also if @dest finishes without reading it or has already finished (then
 * at once, and this returns %FALSE). The receiver reads it with
 * [method@Gtasklet.Message.get_pointer], or takes it over with
 * [method@Gtasklet.Message.steal_pointer].
 *
 * ```c
 * Job *job = job_new (path);
 *
 * gtasklet_tasklet_send_pointer (worker, "job", job, (GDestroyNotify) job_free);
 * ```
 *
 * This function is thread-safe.
 *
 * Returns: %TRUE if the message was queued, %FALSE if @dest has finished
 *
 * Since: 1.2
 */
gboolean
gtasklet_tasklet_send_pointer (GtaskletTasklet *dest,
                               const char      *name,
                               gpointer         data,
                               GDestroyNotify   destroy)
{
  g_auto (GValue) v = G_VALUE_INIT;

  pointer_value_init (&v, data, destroy);
  return gtasklet_tasklet_send (dest, name, &v);
}

/* Reading messages */

/**
 * gtasklet_message_get_int:
 * @self: a [class@Gtasklet.Message] whose value is an `int`
 *
 * The `int` a message carries, as sent with [method@Gtasklet.Tasklet.send_int] (or any
 * value of type `G_TYPE_INT`).
 *
 * This function is thread-safe.
 *
 * Returns: the value, or 0 (after a critical) if the message carries no `int`
 *
 * Since: 1.2
 */
int
gtasklet_message_get_int (GtaskletMessage *self)
{
  const GValue *value;

  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), 0);

  value = gtasklet_message_get_value (self);
  if (value == NULL || !G_VALUE_HOLDS_INT (value))
    {
      g_critical ("gtasklet_message_get_int(): message '%s' carries %s, not an int",
                  gtasklet_message_get_name (self),
                  value != NULL ? G_VALUE_TYPE_NAME (value) : "no value");
      return 0;
    }
  return g_value_get_int (value);
}

/**
 * gtasklet_message_get_string:
 * @self: a [class@Gtasklet.Message] whose value is a string
 *
 * The string a message carries, as sent with [method@Gtasklet.Tasklet.send_string] (or
 * any value of type `G_TYPE_STRING`).
 *
 * This function is thread-safe.
 *
 * Returns: (nullable): the string, owned by the message; %NULL if it carries a %NULL
 *   string, or (after a critical) no string at all
 *
 * Since: 1.2
 */
const char *
gtasklet_message_get_string (GtaskletMessage *self)
{
  const GValue *value;

  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  value = gtasklet_message_get_value (self);
  if (value == NULL || !G_VALUE_HOLDS_STRING (value))
    {
      g_critical ("gtasklet_message_get_string(): message '%s' carries %s, not a string",
                  gtasklet_message_get_name (self),
                  value != NULL ? G_VALUE_TYPE_NAME (value) : "no value");
      return NULL;
    }
  return g_value_get_string (value);
}

/**
 * gtasklet_message_get_pointer: (skip)
 * @self: a [class@Gtasklet.Message] sent with [method@Gtasklet.Tasklet.send_pointer]
 *
 * The pointer a message carries. It stays owned by the message (freed when the message
 * goes): keep a reference on the message, or take the pointer over with
 * [method@Gtasklet.Message.steal_pointer].
 *
 * This function is thread-safe, as long as nobody steals the pointer meanwhile.
 *
 * Returns: (nullable) (transfer none): the pointer, or %NULL (after a critical) if the
 *   message carries none
 *
 * Since: 1.2
 */
gpointer
gtasklet_message_get_pointer (GtaskletMessage *self)
{
  PointerBox *box;

  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  box = pointer_value_get_box (gtasklet_message_get_value (self),
                               "gtasklet_message_get_pointer(): the message");
  return box != NULL ? box->data : NULL;
}

/**
 * gtasklet_message_steal_pointer: (skip)
 * @self: a [class@Gtasklet.Message] sent with [method@Gtasklet.Tasklet.send_pointer]
 *
 * Takes over the pointer a message carries: the message no longer frees it, and reading it
 * again gives %NULL.
 *
 * Call it from the thread of the tasklet that received the message (one owner takes it).
 *
 * Returns: (nullable) (transfer full): the pointer, for the caller to free; %NULL if it was
 *   stolen already, or (after a critical) if the message carries none
 *
 * Since: 1.2
 */
gpointer
gtasklet_message_steal_pointer (GtaskletMessage *self)
{
  PointerBox *box;

  g_return_val_if_fail (GTASKLET_IS_MESSAGE (self), NULL);

  box = pointer_value_get_box (gtasklet_message_get_value (self),
                               "gtasklet_message_steal_pointer(): the message");
  if (box == NULL)
    return NULL;
  box->destroy = NULL;
  return g_steal_pointer (&box->data);
}

/* Results */

/**
 * gtasklet_tasklet_return_int:
 * @self: the running [class@Gtasklet.Tasklet]
 * @value: the result
 *
 * Sets the tasklet's result to the `int` @value, as [method@Gtasklet.Tasklet.return_value]
 * does. Call it from the tasklet's own step.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_return_int (GtaskletTasklet *self,
                             int              value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, value);
  gtasklet_tasklet_return_value (self, &v);
}

/**
 * gtasklet_tasklet_return_boolean:
 * @self: the running [class@Gtasklet.Tasklet]
 * @value: the result
 *
 * Sets the tasklet's result to the boolean @value, as
 * [method@Gtasklet.Tasklet.return_value] does. Call it from the tasklet's own step.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_return_boolean (GtaskletTasklet *self,
                                 gboolean         value)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_BOOLEAN);
  g_value_set_boolean (&v, value);
  gtasklet_tasklet_return_value (self, &v);
}

/**
 * gtasklet_tasklet_return_string:
 * @self: the running [class@Gtasklet.Tasklet]
 * @value: (nullable): the result, copied
 *
 * Sets the tasklet's result to a copy of the string @value, as
 * [method@Gtasklet.Tasklet.return_value] does. Call it from the tasklet's own step.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_return_string (GtaskletTasklet *self,
                                const char      *value)
{
  g_auto (GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, value);
  gtasklet_tasklet_return_value (self, &v);
}

/**
 * gtasklet_tasklet_return_object:
 * @self: the running [class@Gtasklet.Tasklet]
 * @object: (type GObject) (nullable): the result; the tasklet takes its own reference
 *
 * Sets the tasklet's result to @object, as [method@Gtasklet.Tasklet.return_value] does
 * (the value's type is @object's). Call it from the tasklet's own step.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_return_object (GtaskletTasklet *self,
                                gpointer         object)
{
  g_auto (GValue) v = G_VALUE_INIT;

  g_return_if_fail (object == NULL || G_IS_OBJECT (object));

  g_value_init (&v, object != NULL ? G_OBJECT_TYPE (object) : G_TYPE_OBJECT);
  g_value_set_object (&v, object);
  gtasklet_tasklet_return_value (self, &v);
}

/**
 * gtasklet_tasklet_return_pointer: (skip)
 * @self: the running [class@Gtasklet.Tasklet]
 * @data: (transfer full): the result
 * @destroy: (nullable): frees @data
 *
 * Sets the tasklet's result to @data, which the tasklet owns from now on: @destroy frees it
 * when the tasklet is finalized (or when the step sets another result). Read it with
 * [method@Gtasklet.Tasklet.get_result_pointer]. Call it from the tasklet's own step.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_return_pointer (GtaskletTasklet *self,
                                 gpointer         data,
                                 GDestroyNotify   destroy)
{
  g_auto (GValue) v = G_VALUE_INIT;

  pointer_value_init (&v, data, destroy);
  gtasklet_tasklet_return_value (self, &v);
}

/**
 * gtasklet_tasklet_get_result_pointer: (skip)
 * @self: a finished [class@Gtasklet.Tasklet] whose result was set with
 *   [method@Gtasklet.Tasklet.return_pointer]
 *
 * The pointer a tasklet returned. It stays owned by the tasklet: valid while the tasklet
 * lives.
 *
 * This function is thread-safe once the tasklet has finished.
 *
 * Returns: (nullable) (transfer none): the pointer; %NULL if the tasklet has no result, or
 *   (after a critical) if its result is not a pointer
 *
 * Since: 1.2
 */
gpointer
gtasklet_tasklet_get_result_pointer (GtaskletTasklet *self)
{
  const GValue *result;
  PointerBox *box;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  result = gtasklet_tasklet_get_result (self);
  if (result == NULL)
    return NULL;
  box = pointer_value_get_box (result, "gtasklet_tasklet_get_result_pointer(): the result");
  return box != NULL ? box->data : NULL;
}

/* Closure tasklets */

/**
 * gtasklet_tasklet_get_user_data:
 * @self: a [class@Gtasklet.Tasklet] made with [ctor@Gtasklet.Tasklet.new]
 *
 * The data given to [ctor@Gtasklet.Tasklet.new] for the step function: from a tasklet
 * found elsewhere (a message's sender, a [class@Gtasklet.WaitForTasklet]'s target) back to
 * the state of its closure.
 *
 * This function is thread-safe: the data stays the same until the tasklet is disposed
 * (which frees it with the destroy function given to [ctor@Gtasklet.Tasklet.new]).
 *
 * Returns: (nullable) (transfer none): the step function's data; %NULL for a tasklet made
 *   otherwise (a subclass)
 *
 * Since: 1.2
 */
gpointer
gtasklet_tasklet_get_user_data (GtaskletTasklet *self)
{
  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), NULL);

  return _gtasklet_tasklet_get_private (self)->func_data;
}
