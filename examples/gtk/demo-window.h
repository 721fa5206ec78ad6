/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>

#include "demo-coordinator.h"
#include "demo-tasklets-page.h"

G_BEGIN_DECLS

#define DEMO_TYPE_WINDOW (demo_window_get_type ())
G_DECLARE_FINAL_TYPE (DemoWindow, demo_window, DEMO, WINDOW, GtkApplicationWindow)

/* The ids of the four jobs, one row each. */
#define DEMO_JOB_TIMER   "timer"
#define DEMO_JOB_PROCESS "process"
#define DEMO_JOB_FILE    "file"
#define DEMO_JOB_PRIMES  "primes"

DemoWindow      *demo_window_new               (GtkApplication *application,
                                                GFile          *file);
GFile           *demo_window_get_file          (DemoWindow     *self);
DemoTaskletsPage *demo_window_get_tasklets_page (DemoWindow    *self);
/* "jobs" or "tasklets". */
void             demo_window_show_page         (DemoWindow     *self,
                                                const char     *page);
DemoCoordinator *demo_window_get_coordinator   (DemoWindow     *self);
GtkWidget       *demo_window_get_start_button  (DemoWindow     *self);
GtkWidget       *demo_window_get_cancel_button (DemoWindow     *self,
                                                const char     *job_id);
DemoJob         *demo_window_get_job           (DemoWindow     *self,
                                                const char     *job_id);
double           demo_window_get_fraction      (DemoWindow     *self,
                                                const char     *job_id);
const char      *demo_window_get_status        (DemoWindow     *self,
                                                const char     *job_id);
const char      *demo_window_get_summary       (DemoWindow     *self);
gboolean         demo_window_save_png          (DemoWindow     *self,
                                                const char     *path,
                                                GError        **error);

G_END_DECLS
