/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-error.h"
#include "gtasklet-tasklet-private.h"

/* Links: two tasklets that share their fate. A link is one record with two finish watches,
 * one in each tasklet's watch list (under that tasklet's lock), each owned by the other
 * tasklet: so neither side needs a list of its own, and any thread can find and take an end.
 *
 * When one of them finishes, the notify of the end in its list runs on its thread and sends
 * the partner an exit signal (an envelope flagged ENVELOPE_EXIT, through the ordinary
 * delivery path, so it comes after everything the finished tasklet sent the partner). The
 * partner's end stays in the partner's list until the signal arrives: on arrival, on the
 * partner's thread, the signal counts only if it can take that end out (so once unlink has
 * returned, a signal still on its way has no effect, as with demonitor). Then, trapping
 * exits, the partner keeps the signal as a GTASKLET_MESSAGE_EXIT message; otherwise a
 * failure fails it with GTASKLET_ERROR_LINKED and a normal end is dropped.
 *
 * Each end accounts for one reference on the record: its notify ran, or someone (the
 * arrival, unlink) took it out of its list before that. */

typedef struct
{
  /* ends[0] sits in the list of the tasklet that was linked to (owner: the caller of
   * gtasklet_tasklet_link()), ends[1] in the caller's (owner: the tasklet linked to). */
  GtaskletFinishWatch ends[2];
  int                 refs;
} GtaskletLink;

static void link_notify_0 (GtaskletFinishWatch *watch,
                           GtaskletTasklet     *finished);
static void link_notify_1 (GtaskletFinishWatch *watch,
                           GtaskletTasklet     *finished);

static void
link_unref (GtaskletLink *link)
{
  if (g_atomic_int_dec_and_test (&link->refs))
    g_slice_free (GtaskletLink, link);
}

static GtaskletLink *
link_of_end (GtaskletFinishWatch *end,
             guint               *index)
{
  *index = _gtasklet_finish_watch_get_notify (end) == link_notify_0 ? 0 : 1;
  return (GtaskletLink *) (end - *index);
}

/* Tells @partner that @finished has ended. Any thread. */
static void
send_exit (GtaskletTasklet *finished,
           GtaskletTasklet *partner)
{
  GtaskletEnvelope *envelope = _gtasklet_tasklet_end_envelope (finished, GTASKLET_MESSAGE_EXIT);

  envelope->flags |= ENVELOPE_EXIT;
  _gtasklet_envelope_route (envelope, finished, partner);
  _gtasklet_tasklet_deliver (partner, envelope);
}

/* On @finished's thread; its partner (the end's owner) is referenced across the call. */
static void
link_notify (GtaskletFinishWatch *end,
             GtaskletTasklet     *finished)
{
  guint index;

  send_exit (finished, GTASKLET_TASKLET (end->owner));
  link_unref (link_of_end (end, &index));
}

static void
link_notify_0 (GtaskletFinishWatch *watch,
               GtaskletTasklet     *finished)
{
  link_notify (watch, finished);
}

static void
link_notify_1 (GtaskletFinishWatch *watch,
               GtaskletTasklet     *finished)
{
  link_notify (watch, finished);
}

/* The end of a link with @other in @self's list (taken out of it with @take), or NULL. */
static GtaskletFinishWatch *
find_end (GtaskletTasklet *self,
          GtaskletTasklet *other,
          gboolean         take)
{
  GtaskletFinishWatch *end;

  end = _gtasklet_tasklet_find_finish_watch (self, link_notify_0, G_OBJECT (other), take);
  if (end == NULL)
    end = _gtasklet_tasklet_find_finish_watch (self, link_notify_1, G_OBJECT (other), take);
  return end;
}

gboolean
_gtasklet_tasklet_exit_arrived (GtaskletTasklet  *self,
                                GtaskletEnvelope *envelope)
{
  GtaskletTaskletExtras *extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);
  GtaskletFinishWatch *end = find_end (self, envelope->sender, TRUE);
  guint index;

  if (end == NULL)
    {
      /* Unlinked while the signal was on its way. */
      _gtasklet_envelope_discard (envelope);
      return FALSE;
    }
  link_unref (link_of_end (end, &index));

  if (extras != NULL && g_atomic_int_get (&extras->trap_exits))
    {
      envelope->flags &= ~ENVELOPE_EXIT;
      return TRUE;
    }

  if (G_VALUE_HOLDS (&envelope->value, G_TYPE_ERROR))
    {
      const GError *error = g_value_get_boxed (&envelope->value);
      GtaskletTasklet *sender = envelope->sender;
      const char *name = gtasklet_tasklet_get_name (sender);

      _gtasklet_tasklet_fail_later (self, g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_LINKED,
                                                       "Linked tasklet %s%s%s%s %p failed: %s",
                                                       G_OBJECT_TYPE_NAME (sender),
                                                       name != NULL ? " '" : "",
                                                       name != NULL ? name : "",
                                                       name != NULL ? "'" : "",
                                                       sender, error->message));
    }
  _gtasklet_envelope_discard (envelope);
  return FALSE;
}

/* An exit that will never arrive (its receiver's context is gone): the receiver's end is
 * taken now, so that it never outlives the tasklet it names. Any thread. */
void
_gtasklet_tasklet_exit_lost (GtaskletTasklet  *self,
                             GtaskletEnvelope *envelope)
{
  GtaskletFinishWatch *end = find_end (self, envelope->sender, TRUE);
  guint index;

  if (end != NULL)
    link_unref (link_of_end (end, &index));
}

static void link_make   (GtaskletTasklet *self,
                         GtaskletTasklet *other);
static void link_remove (GtaskletTasklet *self,
                         GtaskletTasklet *other);

static gboolean
check_other (GtaskletTasklet *self,
             GtaskletTasklet *other,
             const char      *function)
{
  if (!GTASKLET_IS_TASKLET (other))
    {
      _gtasklet_tasklet_misuse (self, "%s() on %s %p was given %s instead of a tasklet",
                                function, G_OBJECT_TYPE_NAME (self), self,
                                other == NULL ? "NULL" : "something else");
      return FALSE;
    }
  if (other == self)
    {
      _gtasklet_tasklet_misuse (self, "%s() was given %s %p as both tasklets: a tasklet "
                                "cannot be linked to itself", function,
                                G_OBJECT_TYPE_NAME (self), self);
      return FALSE;
    }
  return _gtasklet_tasklet_check_own_thread (self, function);
}

/**
 * gtasklet_tasklet_link:
 * @self: the running [class@Gtasklet.Tasklet]
 * @other: the [class@Gtasklet.Tasklet] to link to, on any thread
 *
 * Links @self and @other both ways: when one of them fails (finishes with an error,
 * cancellation included), the other fails with `GTASKLET_ERROR_LINKED`, unless it traps
 * exits ([property@Gtasklet.Tasklet:trap-exits]): then it receives a message named
 * [const@Gtasklet.MESSAGE_EXIT] (`"gtasklet.exit"`) whose sender is the tasklet that
 * finished and whose value holds its `GError` (`G_TYPE_ERROR`). A normal finish fails no one;
 * a tasklet that traps exits then gets the message with no value. Either way the link ends
 * with the first of the two to finish.
 *
 * The exit arrives after every message the finished tasklet sent to its partner. Linking to a
 * tasklet that has already finished acts at once, as if it finished now. Linking twice is
 * the same as linking once. Linking a tasklet to itself, or to %NULL, is a programmer error:
 * @self then fails with `GTASKLET_ERROR_MISUSE`.
 *
 * Must be called from @self's own step, or from the thread that runs its context.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_link (GtaskletTasklet *self,
                       GtaskletTasklet *other)
{
  g_return_if_fail (GTASKLET_IS_TASKLET (self));

  if (!check_other (self, other, "gtasklet_tasklet_link"))
    return;
  link_make (self, other);
}

/* The body of gtasklet_tasklet_link(), with @self checked (or a forwarding tasklet, which has
 * no thread: the node links the tasklet a remote one linked itself to with its handle). */
static void
link_make (GtaskletTasklet *self,
           GtaskletTasklet *other)
{
  GtaskletLink *link;

  if (find_end (self, other, FALSE) != NULL)
    return;

  link = g_slice_new0 (GtaskletLink);
  link->refs = 2;
  _gtasklet_finish_watch_set_notify (&link->ends[0], link_notify_0);
  link->ends[0].owner = G_OBJECT (self);
  _gtasklet_finish_watch_set_notify (&link->ends[1], link_notify_1);
  link->ends[1].owner = G_OBJECT (other);

  /* @self's end first: once @other's end is in, @other may end at any moment, and the
   * signal it sends then looks for @self's. @self cannot end meanwhile: this is its thread. */
  if (!_gtasklet_tasklet_add_finish_watch (self, &link->ends[1]))
    g_assert_not_reached ();
  if (!_gtasklet_tasklet_add_finish_watch (other, &link->ends[0]))
    {
      /* Already finished: as if it finished now. The signal takes @self's end. */
      link_unref (link);
      send_exit (other, self);
    }
  else if (_gtasklet_tasklet_is_forwarding (other))
    {
      _gtasklet_tasklet_forward_link (other, self, TRUE);
    }
}

/**
 * gtasklet_tasklet_unlink:
 * @self: the running [class@Gtasklet.Tasklet]
 * @other: a [class@Gtasklet.Tasklet] linked to @self
 *
 * Removes the link between @self and @other, if there is one, whichever of them made it.
 * Once this returns, @other's end no longer affects @self, even if it has already happened
 * and its news is on its way; an exit message that @self (trapping exits) has already
 * received in its mailbox stays there.
 *
 * Must be called from @self's own step, or from the thread that runs its context.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_unlink (GtaskletTasklet *self,
                         GtaskletTasklet *other)
{
  g_return_if_fail (GTASKLET_IS_TASKLET (self));

  if (!check_other (self, other, "gtasklet_tasklet_unlink"))
    return;
  link_remove (self, other);
}

static void
link_remove (GtaskletTasklet *self,
             GtaskletTasklet *other)
{
  GtaskletFinishWatch *end;
  GtaskletLink *link;
  guint index;

  end = find_end (self, other, TRUE);
  if (end == NULL)
    return;
  link = link_of_end (end, &index);
  if (_gtasklet_tasklet_remove_finish_watch (other, &link->ends[1 - index]))
    link_unref (link);
  link_unref (link);
  if (_gtasklet_tasklet_is_forwarding (other))
    _gtasklet_tasklet_forward_link (other, self, FALSE);
}

/* Links (or unlinks) the forwarding tasklet @self and @other, from the thread that owns
 * @self (it has no context to check). */
void
_gtasklet_tasklet_link_forwarding (GtaskletTasklet *self,
                                   GtaskletTasklet *other,
                                   gboolean         linked)
{
  g_return_if_fail (_gtasklet_tasklet_is_forwarding (self));

  if (linked)
    link_make (self, other);
  else
    link_remove (self, other);
}

/**
 * gtasklet_tasklet_get_trap_exits: (get-property trap-exits)
 * @self: a [class@Gtasklet.Tasklet]
 *
 * Gets whether @self traps exits; see [property@Gtasklet.Tasklet:trap-exits].
 *
 * This function is thread-safe.
 *
 * Returns: %TRUE if a linked tasklet's end reaches @self as a message
 *
 * Since: 1.2
 */
gboolean
gtasklet_tasklet_get_trap_exits (GtaskletTasklet *self)
{
  GtaskletTaskletExtras *extras;

  g_return_val_if_fail (GTASKLET_IS_TASKLET (self), FALSE);

  extras = g_atomic_pointer_get (&_gtasklet_tasklet_get_private (self)->extras);
  return extras != NULL && g_atomic_int_get (&extras->trap_exits);
}

/**
 * gtasklet_tasklet_set_trap_exits: (set-property trap-exits)
 * @self: a [class@Gtasklet.Tasklet]
 * @trap_exits: whether a linked tasklet's end should reach @self as a message
 *
 * Sets [property@Gtasklet.Tasklet:trap-exits]. An exit is decided when it arrives: the value
 * at that moment counts.
 *
 * Call it before starting @self, or from its own step (or the thread that runs its context);
 * on a tasklet that has finished it only changes the property.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_set_trap_exits (GtaskletTasklet *self,
                                 gboolean         trap_exits)
{
  GtaskletTaskletExtras *extras;
  GtaskletState state;

  g_return_if_fail (GTASKLET_IS_TASKLET (self));

  trap_exits = !!trap_exits;
  if (gtasklet_tasklet_get_trap_exits (self) == trap_exits)
    return;
  /* Before the start nobody else looks; after the end it no longer matters. */
  state = _gtasklet_tasklet_peek_state (self);
  if (state != GTASKLET_STATE_NEW && state != GTASKLET_STATE_FINISHED &&
      !_gtasklet_tasklet_check_own_thread (self, "gtasklet_tasklet_set_trap_exits"))
    return;

  extras = _gtasklet_tasklet_get_extras (self);
  g_atomic_int_set (&extras->trap_exits, trap_exits);
  g_object_notify_by_pspec (G_OBJECT (self), _gtasklet_tasklet_trap_exits_pspec);
}
