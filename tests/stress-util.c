/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* See stress-util.h. */
#include "stress-util.h"

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
