/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-warnings.h"

#include <stdlib.h>
#include <string.h>

#include "gtasklet-mailbox-private.h"
#include "gtasklet-stats-private.h"
#include "gtasklet-tasklet-private.h"

/* Warnings about tasklets that hog their thread or let messages pile up.
 *
 * Why g_message() (log domain "Gtasklet") and not g_warning(): these report load, not
 * programmer errors, and a test suite run with G_DEBUG=fatal-warnings must not abort
 * because a machine was slow. Why per tasklet and per kind, at most one a second: one
 * tasklet in trouble usually stays in trouble, and a log line per step would be the next
 * problem; the next line that is printed says how many were held back. */

#define N_KINDS 3

static const char *const env_names[N_KINDS] = {
  "GTASKLET_WARN_STEP_MS", "GTASKLET_WARN_MAILBOX", "GTASKLET_WARN_DEFERRED",
};
/* The defaults; 0 turns a kind off. */
static guint thresholds[N_KINDS] = { 10, 1000, 100 };
static gint64 interval_us = G_USEC_PER_SEC;

/* Under _gtasklet_stats_init_from_env()'s once: GTASKLET_DEBUG=warn turns warnings on with
 * the default thresholds; each GTASKLET_WARN_* variable sets one threshold (0: that kind
 * off) and turns warnings on. */
void
_gtasklet_warn_init_from_env (void)
{
  const char *debug = g_getenv ("GTASKLET_DEBUG");
  gboolean on = debug != NULL && strstr (debug, "warn") != NULL;

  for (guint i = 0; i < N_KINDS; i++)
    {
      const char *value = g_getenv (env_names[i]);

      if (value != NULL)
        {
          g_atomic_int_set (&thresholds[i], (guint) strtoul (value, NULL, 10));
          on = TRUE;
        }
    }
  if (on)
    _gtasklet_instrument_set (GTASKLET_INSTRUMENT_WARN, TRUE);
}

void
_gtasklet_warn_set_interval_us (gint64 interval)
{
  interval_us = interval;
}

static guint
threshold_of (GtaskletWarning kind)
{
  return g_atomic_int_get (&thresholds[kind]);
}

/* Whether to print a warning of @kind about @self now; if not, counts it as suppressed. On
 * success, *suppressed is how many were held back since the last one printed. */
static gboolean
warn_allowed (GtaskletTasklet *self,
              GtaskletWarning  kind,
              guint           *suppressed)
{
  GtaskletStatsData *data = _gtasklet_tasklet_stats_for (self);
  gint64 now = g_get_monotonic_time ();

  if (data->warned_us[kind] != 0 && now - data->warned_us[kind] < interval_us)
    {
      data->suppressed[kind]++;
      return FALSE;
    }
  data->warned_us[kind] = now;
  *suppressed = data->suppressed[kind];
  data->suppressed[kind] = 0;
  return TRUE;
}

/* Whether a warning would be held back right now, without counting it: checks that cost
 * something (counting deferred messages) are skipped while it would. */
static gboolean
warn_held_back (GtaskletTasklet *self,
                GtaskletWarning  kind)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  GtaskletStatsData *data;

  if (priv->extras == NULL || priv->extras->stats == NULL)
    return FALSE;
  data = priv->extras->stats;
  return data->warned_us[kind] != 0 &&
         g_get_monotonic_time () - data->warned_us[kind] < interval_us;
}

static void
warn_print (GtaskletTasklet *self,
            guint            suppressed,
            const char      *what)
{
  const char *name = gtasklet_tasklet_get_name (self);
  g_autofree char *held = NULL;

  if (suppressed > 0)
    held = g_strdup_printf (" (%u similar warning%s suppressed)", suppressed,
                            suppressed == 1 ? "" : "s");
  g_log (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "%s%s%s%s %p: %s%s",
         name != NULL ? "'" : "", name != NULL ? name : "", name != NULL ? "' " : "",
         G_OBJECT_TYPE_NAME (self), self, what, held != NULL ? held : "");
}

void
_gtasklet_warn_after_step (GtaskletTasklet *self,
                           guint64          elapsed_ns)
{
  GtaskletTaskletPrivate *priv = _gtasklet_tasklet_get_private (self);
  guint limit = threshold_of (GTASKLET_WARNING_LONG_STEP);
  guint suppressed;

  if (limit > 0 && elapsed_ns > (guint64) limit * 1000000 &&
      warn_allowed (self, GTASKLET_WARNING_LONG_STEP, &suppressed))
    {
      g_autofree char *what = g_strdup_printf ("a step took %.1f ms (threshold %u ms)",
                                               elapsed_ns / 1e6, limit);
      warn_print (self, suppressed, what);
    }

  limit = threshold_of (GTASKLET_WARNING_DEFERRED);
  if (limit > 0 && priv->mailbox.length > limit &&
      !warn_held_back (self, GTASKLET_WARNING_DEFERRED))
    {
      guint deferred = _gtasklet_mailbox_count_deferred (&priv->mailbox);

      if (deferred > limit && warn_allowed (self, GTASKLET_WARNING_DEFERRED, &suppressed))
        {
          g_autofree char *what = g_strdup_printf ("%u deferred messages in its mailbox "
                                                   "(threshold %u)", deferred, limit);
          warn_print (self, suppressed, what);
        }
    }
}

void
_gtasklet_warn_mailbox_push (gpointer mailbox)
{
  GtaskletMailbox *box = mailbox;
  gssize offset = G_STRUCT_OFFSET (GtaskletTaskletPrivate, mailbox);
  GtaskletTasklet *self;
  guint limit = threshold_of (GTASKLET_WARNING_MAILBOX_DEPTH);
  guint suppressed;

  if (limit == 0 || box->length <= limit)
    return;
  self = _gtasklet_tasklet_from_private (G_STRUCT_MEMBER_P (box, -offset));
  /* Before the start, other threads fill the mailbox under the tasklet's lock: the rate
   * limit's state belongs to the thread that runs the tasklet. */
  if (_gtasklet_tasklet_peek_state (self) == GTASKLET_STATE_NEW)
    return;
  if (warn_allowed (self, GTASKLET_WARNING_MAILBOX_DEPTH, &suppressed))
    {
      g_autofree char *what = g_strdup_printf ("%u messages in its mailbox (threshold %u)",
                                               box->length, limit);
      warn_print (self, suppressed, what);
    }
}

/**
 * gtasklet_tasklet_set_warnings_enabled:
 * @enabled: whether to warn
 *
 * Turns warnings about tasklets on or off for the whole process: a step that runs longer
 * than a threshold, a mailbox deeper than a threshold, deferred messages piling up (see
 * [enum@Gtasklet.Warning] and [func@Gtasklet.Tasklet.set_warning_threshold]).
 *
 * Warnings are printed with g_message() in the log domain `Gtasklet`, so they never abort a
 * program run with `G_DEBUG=fatal-warnings`; at most one of each kind per tasklet and
 * second, the next one saying how many were suppressed. They are off by default; the
 * environment variable `GTASKLET_DEBUG=warn`, or any of `GTASKLET_WARN_STEP_MS`,
 * `GTASKLET_WARN_MAILBOX` and `GTASKLET_WARN_DEFERRED`, turns them on from the start. While
 * they are off they cost what statistics cost while off: nothing but one shared branch.
 *
 * This function is thread-safe; steps running when it is called may not be checked.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_set_warnings_enabled (gboolean enabled)
{
  _gtasklet_stats_init_from_env ();
  _gtasklet_instrument_set (GTASKLET_INSTRUMENT_WARN, enabled);
}

/**
 * gtasklet_tasklet_get_warnings_enabled:
 *
 * Whether warnings about tasklets are on (see
 * [func@Gtasklet.Tasklet.set_warnings_enabled]).
 *
 * This function is thread-safe.
 *
 * Returns: %TRUE if warnings are on
 *
 * Since: 1.2
 */
gboolean
gtasklet_tasklet_get_warnings_enabled (void)
{
  _gtasklet_stats_init_from_env ();
  return (_gtasklet_instrument_flags () & GTASKLET_INSTRUMENT_WARN) != 0;
}

/**
 * gtasklet_tasklet_set_warning_threshold:
 * @kind: the kind of warning
 * @threshold: the new threshold (milliseconds for a step, messages for the others); 0
 *   turns this kind off
 *
 * Sets when a warning of @kind is printed, while warnings are on (see
 * [func@Gtasklet.Tasklet.set_warnings_enabled]). The environment variables
 * `GTASKLET_WARN_STEP_MS`, `GTASKLET_WARN_MAILBOX` and `GTASKLET_WARN_DEFERRED` set the
 * starting values.
 *
 * This function is thread-safe.
 *
 * Since: 1.2
 */
void
gtasklet_tasklet_set_warning_threshold (GtaskletWarning kind,
                                        guint           threshold)
{
  g_return_if_fail ((guint) kind < N_KINDS);

  _gtasklet_stats_init_from_env ();
  g_atomic_int_set (&thresholds[kind], threshold);
}

/**
 * gtasklet_tasklet_get_warning_threshold:
 * @kind: the kind of warning
 *
 * Gets the threshold of warnings of @kind (see
 * [func@Gtasklet.Tasklet.set_warning_threshold]).
 *
 * This function is thread-safe.
 *
 * Returns: the threshold, milliseconds for a step and messages for the others; 0 if this
 *   kind is off
 *
 * Since: 1.2
 */
guint
gtasklet_tasklet_get_warning_threshold (GtaskletWarning kind)
{
  g_return_val_if_fail ((guint) kind < N_KINDS, 0);

  _gtasklet_stats_init_from_env ();
  return threshold_of (kind);
}
