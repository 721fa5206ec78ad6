/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>

#include "gtasklet-error.h"
#include "gtasklet-node-private.h"

/* A peer's channel: a Unix socket pair that two nodes on a peer-to-peer connection share
 * once they have met over D-Bus (the client end of the connection makes it and hands one
 * end over with OpenChannel()). Why: GDBus passes every message between its worker thread
 * and the thread that sent or receives it, on both sides, and a round trip over GDBus costs
 * four such hand-offs; a socket read and written on the nodes' own threads costs none.
 * Only peer to peer: through a bus, messages stay with the bus daemon, which applies the
 * bus's policy and lets a monitor see them.
 *
 * A frame is a 32-bit little-endian length and a serialized "(tta(usssv))" batch, the
 * arguments of Deliver(), handled the same way. A batch whose items carry file descriptors
 * still goes by Deliver(), and a switch from one path to the other waits until every item
 * sent is acknowledged, so the order holds across the two. End of file, an error, a frame
 * that is too long or malformed: the peer is lost, as when its connection closes. */

#define FRAME_MAX ((gsize) 64 * 1024 * 1024)
#define READ_CHUNK 65536

/* After a frame is written, while the conversation is lively, the node looks for the answer
 * for up to this long before going back to sleep in the main loop: a thread woken from poll()
 * on this kind of machine takes 20 to 40 µs to run again, which is most of a round trip, and
 * a peer that answers within the window is read with no sleep at all. "Lively": a frame came
 * in since the last look that found nothing, so a one-way stream or a quiet peer costs one
 * look, not one per frame. Not on a single CPU, where looking would only delay the peer. */
#define SPIN_US 50

struct _GtaskletNodeChannel
{
  GtaskletNodePeer *peer;        /* owns the channel */
  int               fd;
  GSource          *in_source;
  GSource          *out_source;
  GByteArray       *in_buf;
  GByteArray       *out_buf;
  gsize             out_pos;
  gboolean          lively;       /* a frame came in since a look found nothing */
};

/* Waits up to SPIN_US for the socket to have something to read, without sleeping. */
static void
channel_look_for_answer (GtaskletNodeChannel *self)
{
  gint64 deadline = g_get_monotonic_time () + SPIN_US;
  GPollFD poll_fd = { self->fd, G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };

  if (!self->lively || !_gtasklet_can_spin ())
    return;
  do
    {
      if (g_poll (&poll_fd, 1, 0) > 0)
        return;
    }
  while (g_get_monotonic_time () < deadline);
  self->lively = FALSE;
}

/* The channel broke: so did the peer, and the connection beside it, which is closed too
 * (a peer-to-peer connection has this one peer, and the two nodes could no longer agree on
 * what went through). */
static void
channel_lose (GtaskletNodeChannel *self,
              const char          *why)
{
  g_autoptr(GError) error = g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_NO_CONNECTION,
                                         "The channel to the peer closed: %s", why);
  GDBusConnection *connection = self->peer->node->connection;

  _gtasklet_node_peer_lose (self->peer, error);
  g_dbus_connection_close (connection, NULL, NULL, NULL);
}

static gboolean on_writable (int fd, GIOCondition condition, gpointer user_data);

/* Writes what it can; the rest waits for the socket to take it. */
static void
channel_write (GtaskletNodeChannel *self)
{
  while (self->out_pos < self->out_buf->len)
    {
      ssize_t n = send (self->fd, self->out_buf->data + self->out_pos,
                        self->out_buf->len - self->out_pos, MSG_NOSIGNAL);

      if (n > 0)
        self->out_pos += n;
      else if (n < 0 && errno == EINTR)
        continue;
      else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        {
          if (self->out_source == NULL)
            {
              self->out_source = g_unix_fd_source_new (self->fd, G_IO_OUT);
              g_source_set_static_name (self->out_source, "[gtasklet] node channel out");
              g_source_set_callback (self->out_source, G_SOURCE_FUNC (on_writable), self, NULL);
              g_source_attach (self->out_source, self->peer->node->context);
            }
          return;
        }
      else
        {
          channel_lose (self, g_strerror (errno));
          return;
        }
    }
  g_byte_array_set_size (self->out_buf, 0);
  self->out_pos = 0;
  if (self->out_source != NULL)
    {
      g_source_destroy (self->out_source);
      g_clear_pointer (&self->out_source, g_source_unref);
    }
}

static gboolean
on_writable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  GtaskletNodeChannel *self = user_data;

  channel_write (self);
  return G_SOURCE_CONTINUE;
}

/* Node thread: sends a batch "(tta(usssv))" (floating or not, taken). */
void
_gtasklet_node_channel_send (GtaskletNodeChannel *self,
                             GVariant            *batch)
{
  g_autoptr(GVariant) sunk = g_variant_ref_sink (batch);
  guint32 length = GUINT32_TO_LE ((guint32) g_variant_get_size (sunk));

  g_byte_array_append (self->out_buf, (const guint8 *) &length, sizeof length);
  g_byte_array_append (self->out_buf, g_variant_get_data (sunk), g_variant_get_size (sunk));
  if (self->out_source == NULL)
    {
      channel_write (self);
      if (self->out_buf->len == 0 && self->fd >= 0)
        channel_look_for_answer (self);
    }
}

/* Takes the whole frames out of the input; FALSE once the peer is lost. */
static gboolean
channel_parse (GtaskletNodeChannel *self)
{
  GtaskletNodePeer *peer = self->peer;
  gsize used = 0;

  while (self->in_buf->len - used >= 4)
    {
      g_autoptr(GVariant) batch = NULL;
      GBytes *bytes;
      guint32 length;

      memcpy (&length, self->in_buf->data + used, sizeof length);
      length = GUINT32_FROM_LE (length);
      if (length > FRAME_MAX)
        {
          channel_lose (self, "a frame longer than the limit");
          return FALSE;
        }
      if (self->in_buf->len - used - 4 < length)
        break;

      bytes = g_bytes_new (self->in_buf->data + used + 4, length);
      used += 4 + length;
      /* Not trusted: GVariant checks the data as it reads it. */
      batch = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE ("(tta(usssv))"),
                                                            bytes, FALSE));
      g_bytes_unref (bytes);
      _gtasklet_node_receive_batch (peer->node, peer, batch, NULL, NULL);
      if (peer->lost)
        return FALSE;
    }
  g_byte_array_remove_range (self->in_buf, 0, used);
  return TRUE;
}

static gboolean
on_readable (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  GtaskletNodeChannel *self = user_data;
  GtaskletNodePeer *peer = _gtasklet_node_peer_ref (self->peer);
  guint8 chunk[READ_CHUNK];
  gboolean keep = TRUE;

  for (;;)
    {
      ssize_t n = recv (fd, chunk, sizeof chunk, 0);

      if (n > 0)
        {
          g_byte_array_append (self->in_buf, chunk, n);
          self->lively = TRUE;
          if ((gsize) n < sizeof chunk)
            break;
        }
      else if (n < 0 && errno == EINTR)
        continue;
      else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      else
        {
          /* What arrived before the end is still delivered. */
          if (channel_parse (self))
            channel_lose (self, n == 0 ? "end of file" : g_strerror (errno));
          keep = FALSE;
          break;
        }
    }
  if (keep)
    keep = channel_parse (self);
  _gtasklet_node_peer_unref (peer);
  return keep ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Node thread: a channel on the connected socket @fd (taken). */
GtaskletNodeChannel *
_gtasklet_node_channel_new (GtaskletNodePeer *peer,
                            int               fd)
{
  GtaskletNodeChannel *self = g_new0 (GtaskletNodeChannel, 1);

  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  self->peer = peer;
  self->fd = fd;
  self->in_buf = g_byte_array_new ();
  self->out_buf = g_byte_array_new ();
  self->in_source = g_unix_fd_source_new (fd, G_IO_IN | G_IO_HUP | G_IO_ERR);
  g_source_set_static_name (self->in_source, "[gtasklet] node channel in");
  g_source_set_callback (self->in_source, G_SOURCE_FUNC (on_readable), self, NULL);
  g_source_attach (self->in_source, peer->node->context);
  return self;
}

/* Node thread: stops reading and writing and closes the socket (the other node sees the
 * end). Whatever was not written is dropped: the peer is being lost. */
void
_gtasklet_node_channel_close (GtaskletNodeChannel *self)
{
  if (self->in_source != NULL)
    {
      g_source_destroy (self->in_source);
      g_clear_pointer (&self->in_source, g_source_unref);
    }
  if (self->out_source != NULL)
    {
      g_source_destroy (self->out_source);
      g_clear_pointer (&self->out_source, g_source_unref);
    }
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
}

void
_gtasklet_node_channel_free (GtaskletNodeChannel *self)
{
  _gtasklet_node_channel_close (self);
  g_byte_array_unref (self->in_buf);
  g_byte_array_unref (self->out_buf);
  g_free (self);
}
