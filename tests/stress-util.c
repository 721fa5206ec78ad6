/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See stress-util.h. */
#include "stress-util.h"
#include "test-thread-util.h"

#include <string.h>

guint32
stress_seed (void)
{
  const char *env = g_getenv ("GTASKLET_TEST_SEED");
  guint32 seed = env != NULL ? (guint32) g_ascii_strtoull (env, NULL, 10) : g_random_int ();

  g_test_message ("seed %u (set GTASKLET_TEST_SEED to repeat)", seed);
  return seed;
}

static int logged_drops;        /* atomic, as the one below */
static int logged_drop_lines;

static void
count_drops_log_handler (const char     *domain,
                         GLogLevelFlags  level,
                         const char     *message,
                         gpointer        data)
{
  const char *undelivered = strstr (message, " undelivered");

  if (strstr (message, "dropped") == NULL)
    return;
  g_atomic_int_inc (&logged_drop_lines);
  if (undelivered != NULL)
    {
      const char *p = undelivered;

      while (p > message && g_ascii_isdigit (p[-1]))
        p--;
      g_atomic_int_add (&logged_drops, (int) g_ascii_strtoull (p, NULL, 10));
    }
  else
    {
      g_atomic_int_inc (&logged_drops);
    }
}

void
stress_count_drops_begin (void)
{
  static gsize installed;

  g_atomic_int_set (&logged_drops, 0);
  g_atomic_int_set (&logged_drop_lines, 0);
  if (g_once_init_enter (&installed))
    g_once_init_leave (&installed, g_log_set_handler ("Gtasklet", G_LOG_LEVEL_DEBUG,
                                                      count_drops_log_handler, NULL));
}

int
stress_logged_drops (int *n_lines)
{
  if (n_lines != NULL)
    *n_lines = g_atomic_int_get (&logged_drop_lines);
  return g_atomic_int_get (&logged_drops);
}

gint64
stress_deadline (guint ms)
{
  return g_get_monotonic_time () + (gint64) ms * G_TIME_SPAN_MILLISECOND;
}

void
stress_poll_until (gint64      end,
                   const char *what)
{
  if (g_get_monotonic_time () > end)
    g_error ("timed out waiting for %s", what);
  g_main_context_iteration (g_main_context_get_thread_default (), FALSE);
  g_thread_yield ();
}

/* Tokens */

static int tokens_made;      /* atomic, as the ones below */
static int tokens_freed;
static int tokens_received;
static int tokens_refused;

/* Counted with GLib's atomic macros, which expand here, rather than g_atomic_rc_box, whose
 * decrements happen inside GLib where ThreadSanitizer cannot see them order the free. */
static StressToken *
token_ref (StressToken *token)
{
  g_atomic_int_inc (&token->ref_count);
  return token;
}

static void
token_unref (StressToken *token)
{
  if (!g_atomic_int_dec_and_test (&token->ref_count))
    return;
  if (g_atomic_int_get (&token->taken))
    g_atomic_int_inc (&tokens_received);
  else if (g_atomic_int_get (&token->refused))
    g_atomic_int_inc (&tokens_refused);
  g_atomic_int_inc (&tokens_freed);
  g_free (token);
}

G_DEFINE_BOXED_TYPE (StressToken, stress_token, token_ref, token_unref)

void
stress_tokens_reset (void)
{
  g_atomic_int_set (&tokens_made, 0);
  g_atomic_int_set (&tokens_freed, 0);
  g_atomic_int_set (&tokens_received, 0);
  g_atomic_int_set (&tokens_refused, 0);
}

int
stress_tokens_made (void)
{
  return g_atomic_int_get (&tokens_made);
}

gboolean
stress_send_token (GtaskletTasklet *dest,
                   const char      *name,
                   guint            sender,
                   guint            seq,
                   gboolean         as_message)
{
  g_auto (GValue) value = G_VALUE_INIT;
  StressToken *token = g_new0 (StressToken, 1);
  gboolean ok;

  token->sender = sender;
  token->seq = seq;
  token->ref_count = 1;
  g_atomic_int_inc (&tokens_made);
  g_value_init (&value, stress_token_get_type ());
  g_value_take_boxed (&value, token);
  if (as_message)
    {
      g_autoptr (GtaskletMessage) message = gtasklet_message_new (name, &value);

      ok = gtasklet_tasklet_send_message (dest, message);
    }
  else
    {
      ok = gtasklet_tasklet_send (dest, name, &value);
    }
  /* Still alive: @value holds a reference. */
  if (!ok)
    g_atomic_int_set (&token->refused, TRUE);
  return ok;
}

StressToken *
stress_take_token (GtaskletMessage *message)
{
  StressToken *token = g_value_get_boxed (gtasklet_message_get_value (message));

  if (!g_atomic_int_compare_and_exchange (&token->taken, FALSE, TRUE))
    g_error ("message %u of sender %u delivered twice", token->seq, token->sender);
  return token;
}

void
stress_assert_tokens (guint64 received,
                      guint64 refused,
                      guint64 dropped)
{
  guint64 made = (guint64) g_atomic_int_get (&tokens_made);
  guint64 by_receivers = (guint64) g_atomic_int_get (&tokens_received);
  guint64 by_senders = (guint64) g_atomic_int_get (&tokens_refused);

  g_assert_cmpuint ((guint64) g_atomic_int_get (&tokens_freed), ==, made);
  g_assert_cmpuint (by_receivers, ==, received);
  g_assert_cmpuint (by_senders, ==, refused);
  g_assert_cmpuint (made - by_receivers - by_senders, ==, dropped);
}

gboolean
stress_is_message (GObject    *event,
                   const char *name)
{
  return event != NULL && GTASKLET_IS_MESSAGE (event) &&
         g_str_equal (gtasklet_message_get_name (GTASKLET_MESSAGE (event)), name);
}

/* Pools */

static void
on_pool_finalized (gpointer  data,
                   GObject  *where_the_object_was)
{
  StressPool *pool = data;

  g_atomic_pointer_set (&pool->where, g_thread_self ());
  g_atomic_int_set (&pool->finalized, TRUE);
}

void
stress_pool_init (StressPool *pool,
                  guint       n_workers)
{
  *pool = (StressPool) { gtasklet_pool_new (n_workers) };
  g_object_weak_ref (G_OBJECT (pool->pool), on_pool_finalized, pool);
}

guint
stress_pool_refs (GtaskletPool *pool)
{
  return (guint) g_atomic_int_get ((int *) &G_OBJECT (pool)->ref_count);
}

void
stress_pool_finish (StressPool *pool,
                    guint       n_threads)
{
  g_clear_object (&pool->pool);
  test_wait_atomic (&pool->finalized, STRESS_DEADLINE_MS);
  test_wait_for_thread_count (n_threads, STRESS_DEADLINE_MS);
}

gboolean
stress_was_cancelled (GtaskletTasklet *tasklet)
{
  const GError *error = gtasklet_tasklet_get_error (tasklet);

  g_assert_cmpint (gtasklet_tasklet_get_state (tasklet), ==, GTASKLET_STATE_FINISHED);
  if (error != NULL)
    g_assert_error ((GError *) error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  return error != NULL;
}
