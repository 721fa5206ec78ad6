/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib-unix.h>

#include "gtasklet-wait-for-io.h"

#include "gtasklet-source-watch-private.h"
#include "gtasklet-wait-condition-private.h"

/**
 * GtaskletWaitForIO:
 *
 * Waits until a file descriptor, a [class@Gio.Socket] or a [struct@GLib.IOChannel] is ready.
 *
 * The condition watches for the [flags@GLib.IOCondition] given at construction (see
 * [method@Gtasklet.WaitForIO.get_watched]); like poll(), the main loop also reports
 * %G_IO_HUP and %G_IO_ERR. When it fires, [method@Gtasklet.WaitForIO.get_condition] tells
 * what occurred. The watch is level-triggered: kept in the wait sets of consecutive steps, the
 * condition fires again as long as the descriptor stays ready, so a step should consume what
 * is available (or stop waiting) before it waits again.
 *
 * ```c
 * static gboolean
 * reader (GtaskletTasklet *tasklet, GObject *event, gpointer user_data, GError **error)
 * {
 *   Reader *r = user_data; // r->in = gtasklet_wait_for_io_new (fd, G_IO_IN)
 *
 *   if (event != NULL &&
 *       gtasklet_wait_for_io_get_condition (GTASKLET_WAIT_FOR_IO (r->in)) & G_IO_HUP)
 *     return TRUE; // peer closed: finish
 *   if (event != NULL)
 *     reader_consume (r);
 *   gtasklet_tasklet_wait (tasklet, r->in);
 *   return TRUE;
 * }
 * ```
 *
 * The descriptor is not owned: it must stay open while the condition is armed. A socket or
 * channel given to [ctor@Gtasklet.WaitForIO.new_for_socket] or
 * [ctor@Gtasklet.WaitForIO.new_for_channel] is referenced for the condition's life.
 *
 * Since: 1.0
 */

/**
 * GtaskletWaitForIOClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.WaitForIO]. Subclasses may override the
 * [class@Gtasklet.WaitCondition] vfuncs; chain up to keep the behaviour described here.
 *
 * Since: 1.0
 */

typedef struct
{
  int                 fd;
  GIOCondition        watched;
  GIOCondition        occurred;
  GSocket            *socket;
  GIOChannel         *channel;
  GtaskletSourceWatch watch;
} GtaskletWaitForIOPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (GtaskletWaitForIO, gtasklet_wait_for_io, GTASKLET_TYPE_WAIT_CONDITION)

enum {
  PROP_0,
  PROP_FD,
  PROP_CONDITION,
  PROP_SOCKET,
  PROP_CHANNEL,
  PROP_PRIORITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Each kind of source calls back with its own signature; all of them record what occurred and
 * fire. They continue rather than remove: the source lives exactly as long as the condition is
 * armed, and if the step run by fire() dropped the condition, disarm already destroyed it and
 * the return value is ignored. No reference is held for the source: disarm always precedes
 * dispose, since the wait set holds a reference. */

static gboolean
io_occurred (GtaskletWaitForIO *self,
             GIOCondition       condition)
{
  GtaskletWaitForIOPrivate *priv = gtasklet_wait_for_io_get_instance_private (self);

  priv->occurred = condition;
  gtasklet_wait_condition_fire (GTASKLET_WAIT_CONDITION (self));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_fd_ready (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  return io_occurred (user_data, condition);
}

static gboolean
on_socket_ready (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  return io_occurred (user_data, condition);
}

static gboolean
on_channel_ready (GIOChannel   *channel,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  return io_occurred (user_data, condition);
}

static void
gtasklet_wait_for_io_arm (GtaskletWaitCondition *condition,
                          GtaskletTasklet       *tasklet)
{
  GtaskletWaitForIO *self = GTASKLET_WAIT_FOR_IO (condition);
  GtaskletWaitForIOPrivate *priv = gtasklet_wait_for_io_get_instance_private (self);
  GSource *source;
  GSourceFunc callback;

  /* Use the owner's own source type when there is one: a GSocket source honours the socket's
   * timeout, a GIOChannel watch reports data already in the channel's buffer. (A condition
   * with nothing to watch was marked invalid at construction and never gets here.) */
  if (priv->socket != NULL)
    {
      source = g_socket_create_source (priv->socket, priv->watched, NULL);
      callback = G_SOURCE_FUNC (on_socket_ready);
    }
  else if (priv->channel != NULL)
    {
      source = g_io_create_watch (priv->channel, priv->watched);
      callback = G_SOURCE_FUNC (on_channel_ready);
    }
  else
    {
      source = g_unix_fd_source_new (priv->fd, priv->watched);
      callback = G_SOURCE_FUNC (on_fd_ready);
    }

  _gtasklet_source_watch_start (&priv->watch, condition, source, callback, "GtaskletWaitForIO");
}

static void
gtasklet_wait_for_io_disarm (GtaskletWaitCondition *condition)
{
  GtaskletWaitForIOPrivate *priv =
    gtasklet_wait_for_io_get_instance_private (GTASKLET_WAIT_FOR_IO (condition));

  _gtasklet_source_watch_stop (&priv->watch);
}

static void
gtasklet_wait_for_io_constructed (GObject *object)
{
  GtaskletWaitForIO *self = GTASKLET_WAIT_FOR_IO (object);
  GtaskletWaitForIOPrivate *priv = gtasklet_wait_for_io_get_instance_private (self);

  G_OBJECT_CLASS (gtasklet_wait_for_io_parent_class)->constructed (object);

  /* The fd property always tells the watched descriptor, whichever way it was given. */
  if (priv->socket != NULL && priv->channel != NULL)
    g_critical ("GtaskletWaitForIO takes a socket or a channel, not both; watching the socket");
  if (priv->socket != NULL)
    priv->fd = g_socket_get_fd (priv->socket);
  else if (priv->channel != NULL)
    priv->fd = g_io_channel_unix_get_fd (priv->channel);
  else if (priv->fd < 0)
    _gtasklet_wait_condition_set_invalid (GTASKLET_WAIT_CONDITION (self),
                                          "GtaskletWaitForIO was given nothing to watch: no "
                                          "file descriptor (fd %d), socket or channel",
                                          priv->fd);
}

static void
gtasklet_wait_for_io_dispose (GObject *object)
{
  GtaskletWaitForIO *self = GTASKLET_WAIT_FOR_IO (object);
  GtaskletWaitForIOPrivate *priv = gtasklet_wait_for_io_get_instance_private (self);

  _gtasklet_source_watch_stop (&priv->watch);
  g_clear_object (&priv->socket);
  g_clear_pointer (&priv->channel, g_io_channel_unref);

  G_OBJECT_CLASS (gtasklet_wait_for_io_parent_class)->dispose (object);
}

static void
gtasklet_wait_for_io_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  GtaskletWaitForIO *self = GTASKLET_WAIT_FOR_IO (object);

  switch (prop_id)
    {
    case PROP_FD:
      g_value_set_int (value, gtasklet_wait_for_io_get_fd (self));
      break;
    case PROP_CONDITION:
      g_value_set_flags (value, gtasklet_wait_for_io_get_watched (self));
      break;
    case PROP_SOCKET:
      g_value_set_object (value, gtasklet_wait_for_io_get_socket (self));
      break;
    case PROP_CHANNEL:
      g_value_set_boxed (value, gtasklet_wait_for_io_get_channel (self));
      break;
    case PROP_PRIORITY:
      g_value_set_int (value, gtasklet_wait_for_io_get_priority (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_wait_for_io_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  GtaskletWaitForIO *self = GTASKLET_WAIT_FOR_IO (object);
  GtaskletWaitForIOPrivate *priv = gtasklet_wait_for_io_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_FD:
      priv->fd = g_value_get_int (value);
      break;
    case PROP_CONDITION:
      priv->watched = g_value_get_flags (value);
      break;
    case PROP_SOCKET:
      priv->socket = g_value_dup_object (value);
      break;
    case PROP_CHANNEL:
      priv->channel = g_value_dup_boxed (value);
      break;
    case PROP_PRIORITY:
      gtasklet_wait_for_io_set_priority (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static char *
gtasklet_wait_for_io_describe (GtaskletWaitCondition *condition)
{
  GtaskletWaitForIOPrivate *priv =
    gtasklet_wait_for_io_get_instance_private (GTASKLET_WAIT_FOR_IO (condition));
  static const struct { GIOCondition flag; const char *name; } flags[] = {
    { G_IO_IN, "IN" }, { G_IO_OUT, "OUT" }, { G_IO_PRI, "PRI" },
    { G_IO_ERR, "ERR" }, { G_IO_HUP, "HUP" }, { G_IO_NVAL, "NVAL" },
  };
  GString *text = g_string_new (NULL);
  gboolean first = TRUE;

  g_string_append_printf (text, "IO fd %d ", priv->fd);
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (priv->watched & flags[i].flag)
      {
        g_string_append_printf (text, "%s%s", first ? "" : "|", flags[i].name);
        first = FALSE;
      }
  if (first)
    g_string_append (text, "(nothing)");
  return g_string_free (text, FALSE);
}

static void
gtasklet_wait_for_io_class_init (GtaskletWaitForIOClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtaskletWaitConditionClass *condition_class = GTASKLET_WAIT_CONDITION_CLASS (klass);

  object_class->constructed = gtasklet_wait_for_io_constructed;
  object_class->dispose = gtasklet_wait_for_io_dispose;
  object_class->get_property = gtasklet_wait_for_io_get_property;
  object_class->set_property = gtasklet_wait_for_io_set_property;

  condition_class->arm = gtasklet_wait_for_io_arm;
  condition_class->describe = gtasklet_wait_for_io_describe;
  condition_class->disarm = gtasklet_wait_for_io_disarm;

  /**
   * GtaskletWaitForIO:fd:
   *
   * The watched file descriptor; for a condition made from a socket or a channel, theirs.
   *
   * Since: 1.0
   */
  properties[PROP_FD] =
    g_param_spec_int ("fd", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE |
                       G_PARAM_CONSTRUCT_ONLY |
                       G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletWaitForIO:condition: (getter get_watched)
   *
   * The conditions to watch for, such as %G_IO_IN.
   *
   * What occurred when the condition fired is
   * [method@Gtasklet.WaitForIO.get_condition] instead.
   *
   * Since: 1.0
   */
  properties[PROP_CONDITION] =
    g_param_spec_flags ("condition", NULL, NULL,
                        G_TYPE_IO_CONDITION, G_IO_IN,
                        (G_PARAM_READWRITE |
                         G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletWaitForIO:socket:
   *
   * The watched socket, if the condition was made for one.
   *
   * Since: 1.0
   */
  properties[PROP_SOCKET] =
    g_param_spec_object ("socket", NULL, NULL,
                         G_TYPE_SOCKET,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletWaitForIO:channel:
   *
   * The watched channel, if the condition was made for one.
   *
   * Since: 1.0
   */
  properties[PROP_CHANNEL] =
    g_param_spec_boxed ("channel", NULL, NULL,
                        G_TYPE_IO_CHANNEL,
                        (G_PARAM_READWRITE |
                         G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS));

  /**
   * GtaskletWaitForIO:priority:
   *
   * The priority of the main-loop source behind the condition, %G_PRIORITY_DEFAULT unless set.
   *
   * Since: 1.0
   */
  properties[PROP_PRIORITY] = _gtasklet_source_watch_priority_pspec (G_PRIORITY_DEFAULT);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gtasklet_wait_for_io_init (GtaskletWaitForIO *self)
{
  GtaskletWaitForIOPrivate *priv = gtasklet_wait_for_io_get_instance_private (self);

  priv->fd = -1;
  priv->watched = G_IO_IN;
  _gtasklet_source_watch_init (&priv->watch, G_PRIORITY_DEFAULT);
}

/**
 * gtasklet_wait_for_io_new:
 * @fd: a file descriptor, which must stay open while the condition is armed
 * @condition: what to watch for, such as %G_IO_IN or %G_IO_OUT
 *
 * Creates a wait condition that fires when @fd is ready for @condition.
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForIO]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_io_new (int          fd,
                          GIOCondition condition)
{
  /* A negative fd makes an invalid condition (reported, and failing its waiter), not NULL. */
  return g_object_new (GTASKLET_TYPE_WAIT_FOR_IO,
                       "fd", MAX (fd, -1),
                       "condition", condition,
                       NULL);
}

/**
 * gtasklet_wait_for_io_new_for_socket:
 * @socket: a [class@Gio.Socket]
 * @condition: what to watch for, such as %G_IO_IN or %G_IO_OUT
 *
 * Creates a wait condition that fires when @socket is ready for @condition.
 *
 * The watch is the socket's own source (see [method@Gio.Socket.create_source]), so it
 * honours the socket's timeout: when that passes, the condition fires with both %G_IO_IN
 * and %G_IO_OUT set. The condition keeps a reference on @socket.
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForIO]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_io_new_for_socket (GSocket      *socket,
                                     GIOCondition  condition)
{
  /* Not a socket makes an invalid condition (reported, and failing its waiter), not NULL. */
  if (!G_IS_SOCKET (socket))
    socket = NULL;
  return g_object_new (GTASKLET_TYPE_WAIT_FOR_IO,
                       "socket", socket,
                       "condition", condition,
                       NULL);
}

/**
 * gtasklet_wait_for_io_new_for_channel:
 * @channel: a [struct@GLib.IOChannel]
 * @condition: what to watch for, such as %G_IO_IN or %G_IO_OUT
 *
 * Creates a wait condition that fires when @channel is ready for @condition.
 *
 * The watch is the channel's own (see [func@GLib.io_create_watch]), so data already read into
 * the channel's buffer counts as readable. The condition keeps a reference on @channel.
 *
 * This function is thread-safe; the condition is then used by the tasklet that waits on it, on
 * that tasklet's thread.
 *
 * Returns: (transfer full): a new [class@Gtasklet.WaitForIO]
 *
 * Since: 1.0
 */
GtaskletWaitCondition *
gtasklet_wait_for_io_new_for_channel (GIOChannel   *channel,
                                      GIOCondition  condition)
{
  /* No channel makes an invalid condition (reported, and failing its waiter), not NULL. */
  return g_object_new (GTASKLET_TYPE_WAIT_FOR_IO,
                       "channel", channel,
                       "condition", condition,
                       NULL);
}

/**
 * gtasklet_wait_for_io_get_fd:
 * @self: a [class@Gtasklet.WaitForIO]
 *
 * Gets the watched file descriptor.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: the file descriptor (that of the socket or channel if the condition was made
 *   for one), or -1 if there is none
 *
 * Since: 1.0
 */
int
gtasklet_wait_for_io_get_fd (GtaskletWaitForIO *self)
{
  GtaskletWaitForIOPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_IO (self), -1);

  priv = gtasklet_wait_for_io_get_instance_private (self);
  return priv->fd;
}

/**
 * gtasklet_wait_for_io_get_watched: (get-property condition)
 * @self: a [class@Gtasklet.WaitForIO]
 *
 * Gets the conditions the condition watches for, as given at construction.
 *
 * This function is thread-safe: the watched conditions never change.
 *
 * Returns: the watched conditions
 *
 * Since: 1.0
 */
GIOCondition
gtasklet_wait_for_io_get_watched (GtaskletWaitForIO *self)
{
  GtaskletWaitForIOPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_IO (self), 0);

  priv = gtasklet_wait_for_io_get_instance_private (self);
  return priv->watched;
}

/**
 * gtasklet_wait_for_io_get_condition:
 * @self: a [class@Gtasklet.WaitForIO]
 *
 * Gets what occurred when the condition last fired.
 *
 * Read it in the step that the condition woke. Besides the watched conditions it may hold
 * %G_IO_HUP, %G_IO_ERR or %G_IO_NVAL, which the main loop always reports.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: the conditions that occurred at the last fire, or 0 if it has not fired yet
 *
 * Since: 1.0
 */
GIOCondition
gtasklet_wait_for_io_get_condition (GtaskletWaitForIO *self)
{
  GtaskletWaitForIOPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_IO (self), 0);

  priv = gtasklet_wait_for_io_get_instance_private (self);
  return priv->occurred;
}

/**
 * gtasklet_wait_for_io_get_socket:
 * @self: a [class@Gtasklet.WaitForIO]
 *
 * Gets the watched socket.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (transfer none) (nullable): the socket given to
 *   [ctor@Gtasklet.WaitForIO.new_for_socket], or %NULL
 *
 * Since: 1.0
 */
GSocket *
gtasklet_wait_for_io_get_socket (GtaskletWaitForIO *self)
{
  GtaskletWaitForIOPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_IO (self), NULL);

  priv = gtasklet_wait_for_io_get_instance_private (self);
  return priv->socket;
}

/**
 * gtasklet_wait_for_io_get_channel:
 * @self: a [class@Gtasklet.WaitForIO]
 *
 * Gets the watched channel.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: (transfer none) (nullable): the channel given to
 *   [ctor@Gtasklet.WaitForIO.new_for_channel], or %NULL
 *
 * Since: 1.0
 */
GIOChannel *
gtasklet_wait_for_io_get_channel (GtaskletWaitForIO *self)
{
  GtaskletWaitForIOPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_IO (self), NULL);

  priv = gtasklet_wait_for_io_get_instance_private (self);
  return priv->channel;
}

/**
 * gtasklet_wait_for_io_get_priority:
 * @self: a [class@Gtasklet.WaitForIO]
 *
 * Gets the priority of the condition's main-loop source.
 *
 * Call it from the thread of the tasklet that waits on the condition (typically in the step it
 * woke), or while no tasklet waits on it.
 *
 * Returns: the priority, such as %G_PRIORITY_DEFAULT
 *
 * Since: 1.0
 */
int
gtasklet_wait_for_io_get_priority (GtaskletWaitForIO *self)
{
  GtaskletWaitForIOPrivate *priv;

  g_return_val_if_fail (GTASKLET_IS_WAIT_FOR_IO (self), G_PRIORITY_DEFAULT);

  priv = gtasklet_wait_for_io_get_instance_private (self);
  return priv->watch.priority;
}

/**
 * gtasklet_wait_for_io_set_priority:
 * @self: a [class@Gtasklet.WaitForIO]
 * @priority: the priority of the main-loop source, such as %G_PRIORITY_HIGH
 *
 * Sets the priority of the condition's main-loop source; it applies at once if the condition
 * is armed.
 *
 * Call it from the thread of the tasklet that waits on the condition, or while no tasklet waits
 * on it.
 *
 * Since: 1.0
 */
void
gtasklet_wait_for_io_set_priority (GtaskletWaitForIO *self,
                                   int                priority)
{
  GtaskletWaitForIOPrivate *priv;

  g_return_if_fail (GTASKLET_IS_WAIT_FOR_IO (self));

  priv = gtasklet_wait_for_io_get_instance_private (self);
  if (_gtasklet_source_watch_set_priority (&priv->watch, priority))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRIORITY]);
}
