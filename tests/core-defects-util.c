/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "core-defects-util.h"

#include <string.h>

typedef struct
{
  DefectBody body;
} Defect;

/* Static, not allocated: GTest frees no data of the tests that -p filtered out, and memcheck
 * would count those as leaks of the test. */
static Defect defects[64];
static guint n_defects;

/* Valgrind runs its client with its preload libraries in LD_PRELOAD. */
static gboolean
defect_in_process (void)
{
  const char *preload = g_getenv ("LD_PRELOAD");

  return g_getenv ("GTASKLET_TEST_IN_PROCESS") != NULL ||
         (preload != NULL && strstr (preload, "vgpreload") != NULL);
}

static void
defect_run (gconstpointer data)
{
  const Defect *defect = data;

  if (g_test_subprocess () || defect_in_process ())
    {
      defect->body ();
      return;
    }

  /* A failed child fails this test only, the others still run and report; GTest then copies
   * the child's stderr (its assertion message or critical) into the log. */
  g_test_set_nonfatal_assertions ();
  g_test_trap_subprocess (NULL, 10 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

void
defect_add (const char *path,
            DefectBody  body)
{
  Defect *defect;

  g_assert (n_defects < G_N_ELEMENTS (defects));
  defect = &defects[n_defects++];
  defect->body = body;
  g_test_add_data_func (path, defect, defect_run);
}

guint
defect_deadline_ms (void)
{
  return defect_in_process () ? 20000 : 3000;
}

void
defect_watch_finalize (gpointer  object,
                       gboolean *flag)
{
  g_autofree char *key = g_strdup_printf ("defect-finalize-%p", (gpointer) flag);

  *flag = FALSE;
  /* Object data is cleared in g_object_finalize (), after dispose, so its destroy notify marks
   * the finalization itself. A key per flag lets one object carry several. */
  g_object_set_data_full (object, key, flag, test_set_flag);
}

static void
waiter_free (gpointer data)
{
  Waiter *w = data;

  g_clear_object (&w->condition);
  g_free (w);
}

static gboolean
waiter_step (GtaskletTasklet  *tasklet,
             GObject          *event,
             gpointer          user_data,
             GError          **error)
{
  Waiter *w = user_data;

  w->n_steps++;
  w->event = event;
  if (event == NULL)
    gtasklet_tasklet_wait (tasklet, w->condition);
  return TRUE;
}

GtaskletTasklet *
defect_waiter_new (GtaskletWaitCondition  *condition,
                   Waiter                **out_waiter)
{
  Waiter *w = g_new0 (Waiter, 1);

  w->condition = condition;
  if (out_waiter != NULL)
    *out_waiter = w;
  return gtasklet_tasklet_new (waiter_step, w, waiter_free);
}

GtaskletTasklet *
defect_sleeper_new (guint interval_ms)
{
  return defect_waiter_new (gtasklet_wait_for_timeout_new (interval_ms), NULL);
}

void
defect_cancel_and_wait (GtaskletTasklet *tasklet)
{
  if (gtasklet_tasklet_get_state (tasklet) == GTASKLET_STATE_FINISHED)
    return;
  gtasklet_tasklet_cancel (tasklet);
  test_wait_finished (tasklet, defect_deadline_ms ());
}
