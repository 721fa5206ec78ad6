/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtk/gtk.h>
#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

/* The "Tasklets" page: the tasklets of the main context in a GtkColumnView bound to
 * gtasklet_tasklet_list_model_for_context(), with what each waits for and its mailbox depth,
 * refreshed a few times a second while the page is shown. */
#define DEMO_TYPE_TASKLETS_PAGE (demo_tasklets_page_get_type ())
G_DECLARE_FINAL_TYPE (DemoTaskletsPage, demo_tasklets_page, DEMO, TASKLETS_PAGE, GtkBox)

GtkWidget  *demo_tasklets_page_new       (void);
GListModel *demo_tasklets_page_get_model (DemoTaskletsPage *self);
/* What a column shows for @tasklet: "name", "state", "waits" or "mailbox". */
char       *demo_tasklets_page_cell_text (GtaskletTasklet  *tasklet,
                                          const char       *column);
/* The text shown in @column of the row of the tasklet named @name, or NULL if no row of it
 * is bound (on screen). */
char       *demo_tasklets_page_find_cell (DemoTaskletsPage *self,
                                          const char       *name,
                                          const char       *column);

G_END_DECLS
