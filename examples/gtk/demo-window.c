/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "demo-window.h"

#include "demo-file-job.h"
#include "demo-primes-job.h"
#include "demo-process-job.h"
#include "demo-tasklets-page.h"
#include "demo-timer-job.h"

/* One row per job: its widgets and, during a run, the job itself. */
typedef struct
{
  const char  *id;
  GtkWidget   *progress;
  GtkWidget   *status;
  GtkWidget   *cancel;
  DemoJob     *job;
} JobRow;

enum { ROW_TIMER, ROW_PROCESS, ROW_FILE, ROW_PRIMES, N_ROWS };

struct _DemoWindow
{
  GtkApplicationWindow  parent_instance;

  GFile                *file;
  DemoCoordinator      *coordinator;
  GtkWidget            *start;
  GtkWidget            *summary;
  GtkWidget            *stack;
  GtkWidget            *tasklets;
  JobRow                rows[N_ROWS];
};

G_DEFINE_FINAL_TYPE (DemoWindow, demo_window, GTK_TYPE_APPLICATION_WINDOW)

static JobRow *
find_row (DemoWindow *self,
          const char *id)
{
  for (guint i = 0; i < N_ROWS; i++)
    if (g_strcmp0 (self->rows[i].id, id) == 0)
      return &self->rows[i];
  return NULL;
}

static void
set_status (JobRow     *row,
            const char *css_class,
            const char *text)
{
  const char *classes[] = { "success", "warning", "error", NULL };

  for (guint i = 0; classes[i] != NULL; i++)
    gtk_widget_remove_css_class (row->status, classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (row->status, css_class);
  gtk_label_set_text (GTK_LABEL (row->status), text);
}

/* The coordinator's signals, emitted from its steps: the only place widgets change. */
static void
on_job_progress (DemoCoordinator *coordinator,
                 const char      *id,
                 double           fraction,
                 const char      *text,
                 DemoWindow      *self)
{
  JobRow *row = find_row (self, id);

  if (row == NULL)
    return;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (row->progress), fraction);
  set_status (row, NULL, text);
}

static void
on_job_finished (DemoCoordinator *coordinator,
                 const char      *id,
                 const char      *outcome,
                 const char      *detail,
                 DemoWindow      *self)
{
  JobRow *row = find_row (self, id);
  g_autofree char *text = NULL;

  if (row == NULL)
    return;
  gtk_widget_set_sensitive (row->cancel, FALSE);
  if (g_str_equal (outcome, "completed"))
    {
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (row->progress), 1.0);
      text = g_strdup_printf ("Completed: %s", detail);
      set_status (row, "success", text);
    }
  else if (g_str_equal (outcome, "cancelled"))
    {
      text = g_strdup_printf ("Cancelled: %s", detail);
      set_status (row, "warning", text);
    }
  else
    {
      text = g_strdup_printf ("Failed: %s", detail);
      set_status (row, "error", text);
    }
}

static void
on_cancel_clicked (GtkButton *button,
                   JobRow    *row)
{
  if (row->job != NULL)
    gtasklet_tasklet_cancel (GTASKLET_TASKLET (row->job));
}

static void
on_start_clicked (GtkButton  *button,
                  DemoWindow *self)
{
  static const char * const sleep_argv[] = { "sleep", "2", NULL };

  if (demo_coordinator_get_running (self->coordinator))
    return;

  for (guint i = 0; i < N_ROWS; i++)
    g_clear_object (&self->rows[i].job);
  self->rows[ROW_TIMER].job = demo_timer_job_new (DEMO_JOB_TIMER,
                                                  GTASKLET_TASKLET (self->coordinator), 20, 100);
  self->rows[ROW_PROCESS].job = demo_process_job_new (DEMO_JOB_PROCESS,
                                                      GTASKLET_TASKLET (self->coordinator),
                                                      sleep_argv, 2000);
  self->rows[ROW_FILE].job = demo_file_job_new (DEMO_JOB_FILE,
                                                GTASKLET_TASKLET (self->coordinator),
                                                self->file, 60);
  /* About a second of CPU time, in slices of a few milliseconds. */
  self->rows[ROW_PRIMES].job = demo_primes_job_new (DEMO_JOB_PRIMES,
                                                    GTASKLET_TASKLET (self->coordinator),
                                                    10000000, 200);

  for (guint i = 0; i < N_ROWS; i++)
    {
      JobRow *row = &self->rows[i];
      g_auto (GValue) value = G_VALUE_INIT;

      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (row->progress), 0.0);
      set_status (row, NULL, "starting");
      gtk_widget_set_sensitive (row->cancel, TRUE);
      /* For the Tasklets page. */
      gtasklet_tasklet_set_name (GTASKLET_TASKLET (row->job), row->id);

      /* Watched first, so the coordinator's run counts the job before its reports arrive:
       * the job's first step runs inside gtasklet_tasklet_start(), or on the worker right
       * after gtasklet_pool_start(). */
      g_value_init (&value, DEMO_TYPE_JOB);
      g_value_set_object (&value, row->job);
      gtasklet_tasklet_send (GTASKLET_TASKLET (self->coordinator), "watch", &value);
      if (i == ROW_PRIMES)
        {
          /* CPU-bound: on a worker its slices run in parallel with the main loop, which
           * stays free to draw and only handles the job's messages. */
          gtasklet_pool_start (gtasklet_pool_get_default (), GTASKLET_TASKLET (row->job));
        }
      else
        gtasklet_tasklet_start (GTASKLET_TASKLET (row->job));
    }
}

static GtkWidget *
add_row (DemoWindow *self,
         GtkGrid    *grid,
         guint       index,
         const char *id,
         const char *title)
{
  JobRow *row = &self->rows[index];
  GtkWidget *label = gtk_label_new (title);

  row->id = id;
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "heading");

  row->progress = gtk_progress_bar_new ();
  gtk_widget_set_hexpand (row->progress, TRUE);
  gtk_widget_set_valign (row->progress, GTK_ALIGN_CENTER);

  row->status = gtk_label_new ("idle");
  gtk_label_set_xalign (GTK_LABEL (row->status), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (row->status), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (row->status), 44);
  gtk_widget_add_css_class (row->status, "caption");

  row->cancel = gtk_button_new_with_label ("Cancel");
  gtk_widget_set_sensitive (row->cancel, FALSE);
  g_signal_connect (row->cancel, "clicked", G_CALLBACK (on_cancel_clicked), row);

  gtk_grid_attach (grid, label, 0, 2 * index, 1, 1);
  gtk_grid_attach (grid, row->progress, 1, 2 * index, 1, 1);
  gtk_grid_attach (grid, row->cancel, 2, 2 * index, 1, 2);
  gtk_grid_attach (grid, row->status, 1, 2 * index + 1, 1, 1);
  return label;
}

static void
demo_window_dispose (GObject *object)
{
  DemoWindow *self = DEMO_WINDOW (object);

  if (self->coordinator != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->coordinator, self);
      /* Cancels the jobs still running; the coordinator then finishes. */
      gtasklet_tasklet_send (GTASKLET_TASKLET (self->coordinator), "quit", NULL);
      g_clear_object (&self->coordinator);
    }
  for (guint i = 0; i < N_ROWS; i++)
    g_clear_object (&self->rows[i].job);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (demo_window_parent_class)->dispose (object);
}

static void
demo_window_class_init (DemoWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = demo_window_dispose;
}

static void
demo_window_init (DemoWindow *self)
{
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *grid = gtk_grid_new ();

  gtk_window_set_title (GTK_WINDOW (self), "gtasklet jobs");
  gtk_window_set_default_size (GTK_WINDOW (self), 820, -1);

  self->start = gtk_button_new_with_label ("Start");
  gtk_widget_add_css_class (self->start, "suggested-action");
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), self->start);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);
  self->stack = gtk_stack_new ();
  {
    GtkWidget *switcher = gtk_stack_switcher_new ();

    gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), GTK_STACK (self->stack));
    gtk_header_bar_set_title_widget (GTK_HEADER_BAR (header), switcher);
  }
  g_signal_connect (self->start, "clicked", G_CALLBACK (on_start_clicked), self);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  add_row (self, GTK_GRID (grid), ROW_TIMER, DEMO_JOB_TIMER, "Timer");
  add_row (self, GTK_GRID (grid), ROW_PROCESS, DEMO_JOB_PROCESS, "Subprocess");
  add_row (self, GTK_GRID (grid), ROW_FILE, DEMO_JOB_FILE, "File read");
  add_row (self, GTK_GRID (grid), ROW_PRIMES, DEMO_JOB_PRIMES, "Primes");

  self->summary = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->summary), 0.0);
  gtk_widget_add_css_class (self->summary, "heading");

  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_box_append (GTK_BOX (box), grid);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), self->summary);
  gtk_stack_add_titled (GTK_STACK (self->stack), box, "jobs", "Jobs");

  self->tasklets = demo_tasklets_page_new ();
  gtk_widget_set_margin_top (self->tasklets, 18);
  gtk_widget_set_margin_bottom (self->tasklets, 18);
  gtk_widget_set_margin_start (self->tasklets, 18);
  gtk_widget_set_margin_end (self->tasklets, 18);
  gtk_stack_add_titled (GTK_STACK (self->stack), self->tasklets, "tasklets", "Tasklets");
  gtk_window_set_child (GTK_WINDOW (self), self->stack);

  self->coordinator = demo_coordinator_new ();
  gtasklet_tasklet_set_name (GTASKLET_TASKLET (self->coordinator), "coordinator");
  g_signal_connect (self->coordinator, "job-progress", G_CALLBACK (on_job_progress), self);
  g_signal_connect (self->coordinator, "job-finished", G_CALLBACK (on_job_finished), self);
  g_object_bind_property (self->coordinator, "summary", self->summary, "label",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->coordinator, "running", self->start, "sensitive",
                          G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  gtasklet_tasklet_start (GTASKLET_TASKLET (self->coordinator));
}

DemoWindow *
demo_window_new (GtkApplication *application,
                 GFile          *file)
{
  DemoWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (DEMO_TYPE_WINDOW, "application", application, NULL);
  self->file = g_object_ref (file);
  return self;
}

DemoTaskletsPage *
demo_window_get_tasklets_page (DemoWindow *self)
{
  g_return_val_if_fail (DEMO_IS_WINDOW (self), NULL);

  return DEMO_TASKLETS_PAGE (self->tasklets);
}

void
demo_window_show_page (DemoWindow *self,
                       const char *page)
{
  g_return_if_fail (DEMO_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), page);
}

GFile *
demo_window_get_file (DemoWindow *self)
{
  g_return_val_if_fail (DEMO_IS_WINDOW (self), NULL);

  return self->file;
}

DemoCoordinator *
demo_window_get_coordinator (DemoWindow *self)
{
  g_return_val_if_fail (DEMO_IS_WINDOW (self), NULL);

  return self->coordinator;
}

GtkWidget *
demo_window_get_start_button (DemoWindow *self)
{
  g_return_val_if_fail (DEMO_IS_WINDOW (self), NULL);

  return self->start;
}

GtkWidget *
demo_window_get_cancel_button (DemoWindow *self,
                               const char *job_id)
{
  JobRow *row;

  g_return_val_if_fail (DEMO_IS_WINDOW (self), NULL);

  row = find_row (self, job_id);
  return row != NULL ? row->cancel : NULL;
}

DemoJob *
demo_window_get_job (DemoWindow *self,
                     const char *job_id)
{
  JobRow *row;

  g_return_val_if_fail (DEMO_IS_WINDOW (self), NULL);

  row = find_row (self, job_id);
  return row != NULL ? row->job : NULL;
}

double
demo_window_get_fraction (DemoWindow *self,
                          const char *job_id)
{
  JobRow *row;

  g_return_val_if_fail (DEMO_IS_WINDOW (self), 0.0);

  row = find_row (self, job_id);
  return row != NULL ? gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (row->progress)) : 0.0;
}

const char *
demo_window_get_status (DemoWindow *self,
                        const char *job_id)
{
  JobRow *row;

  g_return_val_if_fail (DEMO_IS_WINDOW (self), NULL);

  row = find_row (self, job_id);
  return row != NULL ? gtk_label_get_text (GTK_LABEL (row->status)) : NULL;
}

const char *
demo_window_get_summary (DemoWindow *self)
{
  g_return_val_if_fail (DEMO_IS_WINDOW (self), NULL);

  return gtk_label_get_text (GTK_LABEL (self->summary));
}

/* Renders the window into a PNG as it was last drawn, without a screen grab. GTK keeps what a
 * widget drew only until something in it changes: call this right after a paint (from the
 * frame clock's after-paint), or it may find nothing to render. */
gboolean
demo_window_save_png (DemoWindow  *self,
                      const char  *path,
                      GError     **error)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;

  g_return_val_if_fail (DEMO_IS_WINDOW (self), FALSE);

  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           "The window is not shown");
      return FALSE;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Nothing drawn since the window last changed");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write %s", path);
      return FALSE;
    }
  return TRUE;
}
