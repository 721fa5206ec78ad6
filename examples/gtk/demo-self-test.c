/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "demo-self-test.h"

#include <stdio.h>
#include <string.h>

/* How long the whole test may take before it gives up. */
#define DEADLINE_MS 30000
/* How long the cancelled job may take to end after Cancel: every job ends at its next wait
 * (the primes job after its current slice, a few milliseconds); the rest is margin for a
 * loaded machine. */
#define CANCEL_MS 2000

typedef struct
{
  int                    pc;
  DemoWindow            *window;
  char                  *cancel_id;
  char                  *screenshot;
  char                  *screenshot_page;  /* "jobs" or "tasklets" */
  guint                  n_reports;        /* job-progress emissions for cancel_id */
  gboolean               cancelled_done;   /* job-finished emitted for cancel_id */
  gint64                 cancel_pressed;   /* monotonic times, in µs */
  gint64                 cancel_done;
  gulong                 handlers[2];
  guint                  n_failures;
  GtaskletWaitCondition *deadline;
  GtaskletWaitCondition *progress;
  GtaskletWaitCondition *finished;
  GtaskletWaitCondition *running;
  GtaskletWaitCondition *pause;
  /* The screenshot, saved from the frame clock's after-paint. */
  GdkFrameClock         *clock;
  gulong                 after_paint;
  gboolean               shot_saved;
  char                  *shot_error;
  GtaskletWaitCondition *painted;
} SelfTest;

static void
self_test_free (gpointer data)
{
  SelfTest *t = data;
  DemoCoordinator *coordinator = demo_window_get_coordinator (t->window);

  for (guint i = 0; i < G_N_ELEMENTS (t->handlers); i++)
    g_clear_signal_handler (&t->handlers[i], coordinator);
  if (t->clock != NULL)
    g_clear_signal_handler (&t->after_paint, t->clock);
  g_clear_object (&t->clock);
  g_clear_object (&t->painted);
  g_free (t->shot_error);
  g_clear_object (&t->deadline);
  g_clear_object (&t->progress);
  g_clear_object (&t->finished);
  g_clear_object (&t->running);
  g_clear_object (&t->pause);
  g_clear_object (&t->window);
  g_free (t->cancel_id);
  g_free (t->screenshot);
  g_free (t->screenshot_page);
  g_free (t);
}

G_GNUC_PRINTF (3, 4)
static void
check (SelfTest   *t,
       gboolean    ok,
       const char *format,
       ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_print ("%s - %s\n", ok ? "ok" : "not ok", what);
  if (!ok)
    t->n_failures++;
}

/* The number of primes below @limit, by a sieve: another algorithm than the job's. */
static guint
count_primes (guint limit)
{
  g_autofree guint8 *composite = g_malloc0 (limit);
  guint n_primes = 0;

  for (guint n = 2; n < limit; n++)
    {
      if (composite[n])
        continue;
      n_primes++;
      for (guint64 m = (guint64) n * n; m < limit; m += n)
        composite[m] = TRUE;
    }
  return n_primes;
}

/* The primes job ran on a pool worker, and counted right. */
static void
check_primes (SelfTest *t)
{
  GtaskletTasklet *job = GTASKLET_TASKLET (demo_window_get_job (t->window, DEMO_JOB_PRIMES));
  const GValue *result = gtasklet_tasklet_get_result (job);
  const char *summary = result != NULL && G_VALUE_HOLDS_STRING (result) ?
                        g_value_get_string (result) : NULL;
  guint n_primes = 0;
  guint limit = 0;
  guint expected;

  check (t, gtasklet_tasklet_get_context (job) != g_main_context_default (),
         "the primes job ran on a pool worker, not the main context");
  if (g_str_equal (t->cancel_id, DEMO_JOB_PRIMES))
    return;

  if (summary == NULL || sscanf (summary, "%u primes below %u", &n_primes, &limit) != 2)
    {
      check (t, FALSE, "the primes job's result \"%s\" reads \"N primes below LIMIT\"",
             summary);
      return;
    }
  expected = count_primes (limit);
  check (t, n_primes == expected, "the primes job counted %u primes below %u (a sieve: %u)",
         n_primes, limit, expected);
}

static void
check_window (SelfTest *t)
{
  const char *ids[] = { DEMO_JOB_TIMER, DEMO_JOB_PROCESS, DEMO_JOB_FILE, DEMO_JOB_PRIMES };
  DemoCoordinator *coordinator = demo_window_get_coordinator (t->window);
  const char *summary = "All 4 jobs finished: 3 completed, 1 cancelled, 0 failed";

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      const char *status = demo_window_get_status (t->window, ids[i]);
      double fraction = demo_window_get_fraction (t->window, ids[i]);
      gboolean cancelled = g_str_equal (ids[i], t->cancel_id);

      if (cancelled)
        {
          check (t, g_str_has_prefix (status, "Cancelled"), "%s shows \"%s\"", ids[i], status);
          check (t, fraction < 1.0, "%s stopped at %.2f", ids[i], fraction);
          check (t, t->cancel_done - t->cancel_pressed < CANCEL_MS * 1000,
                 "%s ended %.0f ms after Cancel", ids[i],
                 (t->cancel_done - t->cancel_pressed) / 1000.0);
        }
      else
        {
          check (t, g_str_has_prefix (status, "Completed"), "%s shows \"%s\"", ids[i], status);
          check (t, fraction == 1.0, "%s reached %.2f", ids[i], fraction);
        }
      check (t, !gtk_widget_get_sensitive (demo_window_get_cancel_button (t->window, ids[i])),
             "%s's Cancel button is insensitive", ids[i]);
    }

  /* The file job's checksum, against the file read in one go. */
  if (!g_str_equal (t->cancel_id, DEMO_JOB_FILE))
    {
      const GValue *result = gtasklet_tasklet_get_result (
        GTASKLET_TASKLET (demo_window_get_job (t->window, DEMO_JOB_FILE)));
      g_autofree char *contents = NULL;
      g_autofree char *sha256 = NULL;
      g_autofree char *expected = NULL;
      gsize length = 0;

      if (g_file_load_contents (demo_window_get_file (t->window), NULL, &contents, &length,
                                NULL, NULL))
        {
          sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents,
                                                length);
          expected = g_strdup_printf ("%" G_GSIZE_FORMAT " bytes, sha256 %s", length, sha256);
        }
      check (t, result != NULL && G_VALUE_HOLDS_STRING (result) &&
                g_strcmp0 (g_value_get_string (result), expected) == 0,
             "the file job read \"%s\"", expected);
    }

  check_primes (t);

  check (t, g_strcmp0 (demo_window_get_summary (t->window), summary) == 0,
         "the summary reads \"%s\"", demo_window_get_summary (t->window));
  check (t, demo_coordinator_get_count (coordinator, "completed") == 3 &&
            demo_coordinator_get_count (coordinator, "cancelled") == 1,
         "the coordinator counted 3 completed and 1 cancelled");
  check (t, gtk_widget_get_sensitive (demo_window_get_start_button (t->window)),
         "Start is sensitive again");
}

/* The names of the tasklets the main context's live model lists. */
static GHashTable *
model_names (DemoWindow *window)
{
  GListModel *model = demo_tasklets_page_get_model (demo_window_get_tasklets_page (window));
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtaskletTasklet) tasklet = g_list_model_get_item (model, i);

      if (gtasklet_tasklet_get_name (tasklet) != NULL)
        g_hash_table_add (names, g_strdup (gtasklet_tasklet_get_name (tasklet)));
    }
  return names;
}

/* Half-way through the run, on the Tasklets page: the coordinator is listed, waiting for its
 * inbox and its jobs; the cancelled job is gone; the primes job lives on a worker. */
static void
check_tasklets_page (SelfTest *t)
{
  DemoTaskletsPage *page = demo_window_get_tasklets_page (t->window);
  g_autoptr (GHashTable) names = model_names (t->window);
  g_autofree char *state = demo_tasklets_page_find_cell (page, "coordinator", "state");
  g_autofree char *waits = demo_tasklets_page_find_cell (page, "coordinator", "waits");
  g_autofree char *mailbox = demo_tasklets_page_find_cell (page, "coordinator", "mailbox");

  check (t, g_hash_table_contains (names, "coordinator"),
         "the Tasklets page lists the coordinator");
  check (t, !g_hash_table_contains (names, t->cancel_id),
         "the Tasklets page no longer lists the cancelled %s job", t->cancel_id);
  check (t, !g_hash_table_contains (names, DEMO_JOB_PRIMES),
         "the primes job, on a pool worker, is not among the main context's tasklets");
  check (t, g_strcmp0 (state, "suspended") == 0, "the coordinator's row says \"%s\"", state);
  check (t, waits != NULL && strstr (waits, "messages accept=[") != NULL,
         "the coordinator's row shows its waits: \"%s\"", waits);
  check (t, mailbox != NULL && g_ascii_isdigit (mailbox[0]),
         "the coordinator's row shows its mailbox depth: \"%s\"", mailbox);
}

/* After the run: the jobs have finished and left the model. */
static void
check_tasklets_after (SelfTest *t)
{
  const char *ids[] = { DEMO_JOB_TIMER, DEMO_JOB_PROCESS, DEMO_JOB_FILE, DEMO_JOB_PRIMES };
  g_autoptr (GHashTable) names = model_names (t->window);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    check (t, !g_hash_table_contains (names, ids[i]),
           "the %s job left the Tasklets page when it finished", ids[i]);
}

static void
on_after_paint (GdkFrameClock *clock,
                SelfTest      *t)
{
  g_autoptr (GError) error = NULL;

  if (!demo_window_save_png (t->window, t->screenshot, &error))
    {
      /* Tried again after the next paint, until the step's deadline. */
      g_free (t->shot_error);
      t->shot_error = g_strdup (error->message);
      return;
    }
  t->shot_saved = TRUE;
  g_clear_signal_handler (&t->after_paint, clock);
}

/* What the window last drew is kept only until something in it changes, and the jobs change
 * it many times a frame (the primes job reports every few milliseconds): the PNG is saved
 * right after a paint, from a handler of the frame clock's after-paint. */
static gboolean
start_screenshot (SelfTest *t)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (t->window));

  if (clock == NULL)
    {
      check (t, FALSE, "saved %s: the window is not realized", t->screenshot);
      return FALSE;
    }
  t->clock = g_object_ref (clock);
  t->after_paint = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), t);
  /* Only wakes the step, after the handler above has run. */
  t->painted = gtasklet_wait_for_signal_new (clock, "after-paint");
  gtk_widget_queue_draw (GTK_WIDGET (t->window));
  return TRUE;
}

static gboolean
self_test_step (GtaskletTasklet  *tasklet,
                GObject          *event,
                gpointer          user_data,
                GError          **error)
{
  SelfTest *t = user_data;
  DemoCoordinator *coordinator = demo_window_get_coordinator (t->window);
  g_auto (GValue) status = G_VALUE_INIT;

  GTASKLET_BEGIN (&t->pc);

  /* Let the window be mapped and drawn once. */
  GTASKLET_WAIT (tasklet, &t->pc, t->pause);

  g_print ("# pressing Start\n");
  g_signal_emit_by_name (demo_window_get_start_button (t->window), "clicked");

  /* Wait for three reports from the job to cancel, so that it is well under way. The
   * coordinator may report for several jobs before this step runs, and the condition keeps
   * only the latest emission: the handlers connected in demo_self_test_new() count them all,
   * the condition only wakes this step. */
  while (t->n_reports < 3)
    {
      gtasklet_tasklet_wait (tasklet, t->progress);
      gtasklet_tasklet_wait (tasklet, t->deadline);
      GTASKLET_SUSPEND (&t->pc);
      if (event == G_OBJECT (t->deadline))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "No progress from %s",
                       t->cancel_id);
          return FALSE;
        }
    }

  g_print ("# pressing Cancel for %s\n", t->cancel_id);
  t->cancel_pressed = g_get_monotonic_time ();
  g_signal_emit_by_name (demo_window_get_cancel_button (t->window, t->cancel_id), "clicked");

  /* Until the coordinator has seen the cancelled job finish; the others keep running. */
  while (!t->cancelled_done)
    {
      gtasklet_tasklet_wait (tasklet, t->finished);
      gtasklet_tasklet_wait (tasklet, t->deadline);
      GTASKLET_SUSPEND (&t->pc);
      if (event == G_OBJECT (t->deadline))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s never finished",
                       t->cancel_id);
          return FALSE;
        }
    }

  /* The Tasklets page, shown long enough for its rows to be bound and refreshed. */
  demo_window_show_page (t->window, "tasklets");
  GTASKLET_WAIT (tasklet, &t->pc, t->pause);
  check_tasklets_page (t);
  if (g_strcmp0 (t->screenshot_page, "tasklets") != 0)
    demo_window_show_page (t->window, "jobs");

  /* The screenshot shows the run half-way: one job cancelled, the others moving. */
  GTASKLET_WAIT (tasklet, &t->pc, t->pause);
  if (t->screenshot != NULL && start_screenshot (t))
    {
      while (!t->shot_saved)
        {
          gtasklet_tasklet_wait (tasklet, t->painted);
          gtasklet_tasklet_wait (tasklet, t->deadline);
          GTASKLET_SUSPEND (&t->pc);
          if (event == G_OBJECT (t->deadline))
            break;
        }
      check (t, t->shot_saved, "saved %s%s%s", t->screenshot, t->shot_error ? ": " : "",
             t->shot_error ? t->shot_error : "");
    }

  while (demo_coordinator_get_running (coordinator))
    {
      gtasklet_tasklet_wait (tasklet, t->running);
      gtasklet_tasklet_wait (tasklet, t->deadline);
      GTASKLET_SUSPEND (&t->pc);
      if (event == G_OBJECT (t->deadline))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The run never ended: %s",
                       demo_window_get_summary (t->window));
          return FALSE;
        }
    }
  check_window (t);
  /* The model hears of finishes from an idle of the context, after they happened. */
  GTASKLET_WAIT (tasklet, &t->pc, t->pause);
  check_tasklets_after (t);

  g_value_init (&status, G_TYPE_INT);
  g_value_set_int (&status, t->n_failures == 0 ? 0 : 1);
  gtasklet_tasklet_return_value (tasklet, &status);

  GTASKLET_END (&t->pc);
}

static void
on_job_progress (DemoCoordinator *coordinator,
                 const char      *id,
                 double           fraction,
                 const char      *text,
                 SelfTest        *t)
{
  if (g_strcmp0 (id, t->cancel_id) == 0)
    t->n_reports++;
}

static void
on_job_finished (DemoCoordinator *coordinator,
                 const char      *id,
                 const char      *outcome,
                 const char      *detail,
                 SelfTest        *t)
{
  /* Timed here rather than in the step: the step may run a while after the emission. */
  if (g_strcmp0 (id, t->cancel_id) == 0)
    {
      t->cancelled_done = TRUE;
      t->cancel_done = g_get_monotonic_time ();
    }
}

GtaskletTasklet *
demo_self_test_new (DemoWindow *window,
                    const char *cancel_id,
                    const char *screenshot,
                    const char *screenshot_page)
{
  SelfTest *t;

  g_return_val_if_fail (DEMO_IS_WINDOW (window), NULL);
  g_return_val_if_fail (demo_window_get_cancel_button (window, cancel_id) != NULL, NULL);

  t = g_new0 (SelfTest, 1);
  t->window = g_object_ref (window);
  t->cancel_id = g_strdup (cancel_id);
  t->screenshot = g_strdup (screenshot);
  t->screenshot_page = g_strdup (screenshot_page != NULL ? screenshot_page : "jobs");
  t->deadline = gtasklet_wait_for_timeout_new (DEADLINE_MS);
  t->pause = gtasklet_wait_for_timeout_new (500);
  t->progress = gtasklet_wait_for_signal_new (demo_window_get_coordinator (window),
                                              "job-progress");
  t->finished = gtasklet_wait_for_signal_new (demo_window_get_coordinator (window),
                                              "job-finished");
  t->running = gtasklet_wait_for_signal_new (demo_window_get_coordinator (window),
                                             "notify::running");
  t->handlers[0] = g_signal_connect (demo_window_get_coordinator (window), "job-progress",
                                     G_CALLBACK (on_job_progress), t);
  t->handlers[1] = g_signal_connect (demo_window_get_coordinator (window), "job-finished",
                                     G_CALLBACK (on_job_finished), t);
  return gtasklet_tasklet_new (self_test_step, t, self_test_free);
}
