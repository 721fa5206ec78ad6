/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "demo-tasklets-page.h"

#include <string.h>

struct _DemoTaskletsPage
{
  GtkBox      parent_instance;

  GListModel *model;
  /* GtkListItem -> its column id, for the rows on screen: refreshed by the timer. */
  GHashTable *bound;
  guint       refresh_id;
};

G_DEFINE_FINAL_TYPE (DemoTaskletsPage, demo_tasklets_page, GTK_TYPE_BOX)

/* The wait set, from describe(): the part between "waiting for " and ", mailbox". The
 * wording is for people, which is what this column is for. */
static char *
waits_text (GtaskletTasklet *tasklet)
{
  g_autofree char *line = gtasklet_tasklet_describe (tasklet);
  const char *start = strstr (line, "waiting for [");
  const char *end;

  if (start == NULL)
    return g_strdup ("");
  start += strlen ("waiting for [");
  end = g_strrstr (start, "], mailbox");
  return end != NULL ? g_strndup (start, end - start) : g_strdup (start);
}

char *
demo_tasklets_page_cell_text (GtaskletTasklet *tasklet,
                              const char      *column)
{
  g_return_val_if_fail (GTASKLET_IS_TASKLET (tasklet), NULL);

  if (g_str_equal (column, "name"))
    {
      const char *name = gtasklet_tasklet_get_name (tasklet);

      return name != NULL ? g_strdup_printf ("%s (%s)", name, G_OBJECT_TYPE_NAME (tasklet))
                          : g_strdup (G_OBJECT_TYPE_NAME (tasklet));
    }
  if (g_str_equal (column, "state"))
    {
      g_autoptr (GEnumClass) states = g_type_class_ref (GTASKLET_TYPE_STATE);
      GEnumValue *value = g_enum_get_value (states, gtasklet_tasklet_get_state (tasklet));

      return g_strdup (value != NULL ? value->value_nick : "?");
    }
  if (g_str_equal (column, "waits"))
    return waits_text (tasklet);
  if (g_str_equal (column, "mailbox"))
    return g_strdup_printf ("%u", gtasklet_tasklet_get_n_pending_messages (tasklet));
  g_return_val_if_reached (NULL);
}

static void
update_cell (GtkListItem *item,
             const char  *column)
{
  GtaskletTasklet *tasklet = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  if (tasklet == NULL || label == NULL)
    return;
  text = demo_tasklets_page_cell_text (tasklet, column);
  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          DemoTaskletsPage         *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         DemoTaskletsPage         *self)
{
  const char *column = g_object_get_data (G_OBJECT (factory), "column");

  g_hash_table_insert (self->bound, item, (gpointer) column);
  update_cell (item, column);
}

static void
on_unbind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           DemoTaskletsPage         *self)
{
  g_hash_table_remove (self->bound, item);
}

/* Starts and finishes change the model; waits and mailboxes change without telling anyone,
 * so the rows on screen are read again now and then. */
static gboolean
refresh (gpointer data)
{
  DemoTaskletsPage *self = data;
  GHashTableIter iter;
  gpointer item, column;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &item, &column))
    update_cell (item, column);
  return G_SOURCE_CONTINUE;
}

static void
add_column (DemoTaskletsPage *self,
            GtkColumnView    *view,
            const char       *id,
            const char       *title,
            int               width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_data (G_OBJECT (factory), "column", (gpointer) id);
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), self);
  column = gtk_column_view_column_new (title, factory);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (column, width);
  else
    gtk_column_view_column_set_expand (column, TRUE);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (view, column);
  g_object_unref (column);
}

static void
demo_tasklets_page_map (GtkWidget *widget)
{
  DemoTaskletsPage *self = DEMO_TASKLETS_PAGE (widget);

  GTK_WIDGET_CLASS (demo_tasklets_page_parent_class)->map (widget);
  refresh (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (250, refresh, self);
}

static void
demo_tasklets_page_unmap (GtkWidget *widget)
{
  DemoTaskletsPage *self = DEMO_TASKLETS_PAGE (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (demo_tasklets_page_parent_class)->unmap (widget);
}

static void
demo_tasklets_page_dispose (GObject *object)
{
  DemoTaskletsPage *self = DEMO_TASKLETS_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_object (&self->model);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  G_OBJECT_CLASS (demo_tasklets_page_parent_class)->dispose (object);
}

static void
demo_tasklets_page_class_init (DemoTaskletsPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = demo_tasklets_page_dispose;
  GTK_WIDGET_CLASS (klass)->map = demo_tasklets_page_map;
  GTK_WIDGET_CLASS (klass)->unmap = demo_tasklets_page_unmap;
}

static void
demo_tasklets_page_init (DemoTaskletsPage *self)
{
  GtkWidget *caption = gtk_label_new ("Tasklets of the main context, live. The primes job "
                                      "runs on a worker of the default pool, in the "
                                      "worker's own context.");
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkSelectionModel *selection;
  GtkWidget *view;

  self->bound = g_hash_table_new (NULL, NULL);
  self->model = gtasklet_tasklet_list_model_for_context (NULL);
  selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (self->model)));
  view = gtk_column_view_new (selection);
  gtk_column_view_set_show_column_separators (GTK_COLUMN_VIEW (view), TRUE);
  add_column (self, GTK_COLUMN_VIEW (view), "name", "Tasklet", 230);
  add_column (self, GTK_COLUMN_VIEW (view), "state", "State", 90);
  add_column (self, GTK_COLUMN_VIEW (view), "waits", "Waiting for", 0);
  add_column (self, GTK_COLUMN_VIEW (view), "mailbox", "Mailbox", 70);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_label_set_xalign (GTK_LABEL (caption), 0.0);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 220);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (self), caption);
  gtk_box_append (GTK_BOX (self), scrolled);
}

GtkWidget *
demo_tasklets_page_new (void)
{
  return g_object_new (DEMO_TYPE_TASKLETS_PAGE, NULL);
}

GListModel *
demo_tasklets_page_get_model (DemoTaskletsPage *self)
{
  g_return_val_if_fail (DEMO_IS_TASKLETS_PAGE (self), NULL);

  return self->model;
}

char *
demo_tasklets_page_find_cell (DemoTaskletsPage *self,
                              const char       *name,
                              const char       *column)
{
  GHashTableIter iter;
  gpointer item, id;

  g_return_val_if_fail (DEMO_IS_TASKLETS_PAGE (self), NULL);

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &item, &id))
    {
      GtaskletTasklet *tasklet = gtk_list_item_get_item (item);
      GtkWidget *label = gtk_list_item_get_child (item);

      if (tasklet != NULL && label != NULL && g_str_equal (id, column) &&
          g_strcmp0 (gtasklet_tasklet_get_name (tasklet), name) == 0)
        return g_strdup (gtk_label_get_text (GTK_LABEL (label)));
    }
  return NULL;
}
