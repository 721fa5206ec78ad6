/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-live-private.h"

#include "gtasklet-tasklet-private.h"
#include "gtasklet-thread-private.h"

/* Live models: one GListStore per GMainContext, cached, that lists the context's started,
 * unfinished tasklets and changes on the context's thread only.
 *
 * Starts and finishes happen on any thread (a start into a context may come from another
 * thread; a pool places tasklets into its workers' contexts), so they are not applied where
 * they happen: each is queued, with a reference on the tasklet, in the context's entry, and
 * an idle source of that context applies the queue in one go. Applying later also keeps
 * ::items-changed handlers (which may be a GTK widget's) out of the engine's frames.
 *
 * Why a counter tested by the registry rather than a hook always called: nobody holds a
 * model in almost every program, and spawning then pays one load and one branch.
 *
 * A model made while tasklets start and finish on other threads: the counter goes up before
 * the snapshot, so a start either is in the snapshot, or is queued (or both: the set of
 * members makes an add idempotent); a finish either happened before the snapshot (then it is
 * not in it, and a queued removal of a non-member does nothing) or is queued. Queued ops are
 * applied in order, after the snapshot. */

typedef struct
{
  gatomicrefcount  ref_count;
  GMainContext    *context;
  /* Protected by models_lock: */
  GWeakRef         model;
  GQueue           ops;
  GSource         *drain;
} Entry;

typedef struct
{
  GtaskletTasklet *tasklet;
  gboolean         started;
} Op;

/* A pthread mutex, like the library's other locks: GLib 2.74's GMutex is invisible to
 * ThreadSanitizer. */
static GtaskletLock models_lock = PTHREAD_MUTEX_INITIALIZER;
/* GMainContext * -> Entry *, for contexts that have or had a model alive. */
static GHashTable *entries;

static GQuark members_quark;

static Entry *
entry_ref (Entry *entry)
{
  g_atomic_ref_count_inc (&entry->ref_count);
  return entry;
}

static void
entry_unref (gpointer data)
{
  Entry *entry = data;

  if (!g_atomic_ref_count_dec (&entry->ref_count))
    return;
  g_assert (g_queue_is_empty (&entry->ops));
  g_weak_ref_clear (&entry->model);
  g_main_context_unref (entry->context);
  g_free (entry);
}

static void
op_free (gpointer data)
{
  Op *op = data;

  g_object_unref (op->tasklet);
  g_free (op);
}

/* Removes the members of @gone from @store in one pass from the end, a splice per run of
 * neighbours: a drain that applies many finishes costs O(items), not O(items) per finish. */
static void
store_remove_all (GListStore *store,
                  GHashTable *gone)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));
  guint run = 0;

  if (g_hash_table_size (gone) == 1)
    {
      GHashTableIter iter;
      gpointer tasklet;
      guint position;

      g_hash_table_iter_init (&iter, gone);
      if (g_hash_table_iter_next (&iter, &tasklet, NULL) &&
          g_list_store_find (store, tasklet, &position))
        g_list_store_remove (store, position);
      return;
    }

  for (guint i = n; i-- > 0;)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (g_hash_table_contains (gone, item))
        {
          run++;
          continue;
        }
      if (run > 0)
        g_list_store_splice (store, i + 1, run, NULL, 0);
      run = 0;
    }
  if (run > 0)
    g_list_store_splice (store, 0, run, NULL, 0);
}

/* On the context's thread: applies the queued starts and finishes, in order, as one removal
 * pass and one splice of the newcomers at the end. */
static void
model_apply (GListStore *store,
             GQueue     *ops)
{
  GHashTable *members = g_object_get_qdata (G_OBJECT (store), members_quark);
  g_autoptr(GHashTable) gone = g_hash_table_new (NULL, NULL);
  /* Started in this batch and not finished since: what goes in at the end. */
  g_autoptr(GHashTable) fresh = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  guint kept = 0;

  for (GList *l = ops->head; l != NULL; l = l->next)
    {
      Op *op = l->data;

      if (op->started)
        {
          if (g_hash_table_add (members, op->tasklet))
            {
              g_hash_table_add (fresh, op->tasklet);
              g_ptr_array_add (added, op->tasklet);
            }
        }
      else if (g_hash_table_remove (members, op->tasklet))
        {
          /* Started and finished within this batch: it never shows. */
          if (!g_hash_table_remove (fresh, op->tasklet))
            g_hash_table_add (gone, op->tasklet);
        }
    }
  /* In order, once each (a recycled tasklet may have started twice). */
  for (guint i = 0; i < added->len; i++)
    if (g_hash_table_remove (fresh, added->pdata[i]))
      added->pdata[kept++] = added->pdata[i];
  g_ptr_array_set_size (added, kept);

  if (g_hash_table_size (gone) > 0)
    store_remove_all (store, gone);
  if (added->len > 0)
    g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0,
                         added->pdata, added->len);
}

static gboolean
drain_ops (gpointer data)
{
  Entry *entry = data;
  GQueue ops = G_QUEUE_INIT;
  g_autoptr(GListStore) store = NULL;

  _gtasklet_lock (&models_lock);
  ops = entry->ops;
  g_queue_init (&entry->ops);
  g_clear_pointer (&entry->drain, g_source_unref);
  store = g_weak_ref_get (&entry->model);
  _gtasklet_unlock (&models_lock);

  if (store != NULL)
    model_apply (store, &ops);
  g_queue_clear_full (&ops, op_free);
  return G_SOURCE_REMOVE;
}

/* Under models_lock. */
static void
entry_queue (Entry           *entry,
             GtaskletTasklet *tasklet,
             gboolean         started)
{
  Op *op = g_new (Op, 1);

  op->tasklet = g_object_ref (tasklet);
  op->started = started;
  g_queue_push_tail (&entry->ops, op);
  if (entry->drain == NULL)
    {
      entry->drain = g_idle_source_new ();
      g_source_set_priority (entry->drain, G_PRIORITY_DEFAULT);
      g_source_set_static_name (entry->drain, "[gtasklet] live model");
      g_source_set_callback (entry->drain, drain_ops, entry_ref (entry), entry_unref);
      g_source_attach (entry->drain, entry->context);
    }
}

void
_gtasklet_live_model_note (GtaskletLiveLink *link,
                           gboolean          started)
{
  gssize offset = G_STRUCT_OFFSET (GtaskletTaskletPrivate, live);
  GtaskletTasklet *tasklet = _gtasklet_tasklet_from_private (G_STRUCT_MEMBER_P (link, -offset));
  GMainContext *context = _gtasklet_live_context_of (link);
  Entry *entry;

  if (context == NULL)
    return;
  _gtasklet_lock (&models_lock);
  if (entries != NULL && (entry = g_hash_table_lookup (entries, context)) != NULL)
    entry_queue (entry, tasklet, started);
  _gtasklet_unlock (&models_lock);
}

/* Weak notify of a model, on whichever thread dropped its last reference. */
static void
model_gone (gpointer  data,
            GObject  *where_the_object_was)
{
  Entry *entry = data;
  GQueue ops = G_QUEUE_INIT;
  GSource *drain = NULL;
  gpointer newer;

  _gtasklet_lock (&models_lock);
  newer = g_weak_ref_get (&entry->model);
  if (newer == NULL)
    {
      g_hash_table_remove (entries, entry->context);
      ops = entry->ops;
      g_queue_init (&entry->ops);
      drain = g_steal_pointer (&entry->drain);
    }
  g_atomic_int_add (&_gtasklet_live_n_models, -1);
  _gtasklet_unlock (&models_lock);

  /* Outside the lock: dropping a tasklet may finalize it. */
  if (drain != NULL)
    {
      g_source_destroy (drain);
      g_source_unref (drain);
    }
  g_queue_clear_full (&ops, op_free);
  if (newer != NULL)
    g_object_unref (newer);
  entry_unref (entry);
}

/**
 * gtasklet_tasklet_list_model_for_context:
 * @context: (nullable): a [struct@GLib.MainContext], or %NULL for the global default context
 *
 * Gets a live list of the tasklets of @context: those started in it (from any thread, or
 * placed in it by a [class@Gtasklet.Pool]) that have not finished. Unlike the snapshot of
 * [func@Gtasklet.Tasklet.list_live], the model changes: [signal@Gio.ListModel::items-changed]
 * is emitted on the thread that runs @context, from an idle source of @context, shortly
 * after tasklets start and finish, so a GTK application can show its tasklets in a
 * `GtkColumnView` bound to it.
 *
 * There is one model per context, shared by every caller while any holds it; it keeps
 * @context alive (it needs it to emit there), so drop the model before the context. New tasklets
 * go to the end; the order is otherwise unspecified. While no model exists, starting and
 * finishing tasklets costs one branch more. Applying the finishes a drain of the queue
 * found takes one pass over the model: a model suits thousands of tasklets, not millions
 * (take snapshots of those with [func@Gtasklet.Tasklet.list_live]).
 *
 * This function is thread-safe; use the model itself on the thread that runs @context.
 *
 * Returns: (transfer full): a [iface@Gio.ListModel] of [class@Gtasklet.Tasklet]
 *
 * Since: 1.2
 */
GListModel *
gtasklet_tasklet_list_model_for_context (GMainContext *context)
{
  g_autoptr(GPtrArray) tasklets = NULL;
  GHashTable *members;
  GListStore *store;
  Entry *entry;

  if (context == NULL)
    context = g_main_context_default ();

  _gtasklet_lock (&models_lock);
  if (entries == NULL)
    {
      entries = g_hash_table_new_full (NULL, NULL, NULL, entry_unref);
      members_quark = g_quark_from_static_string ("gtasklet-live-model-members");
    }
  entry = g_hash_table_lookup (entries, context);
  if (entry != NULL && (store = g_weak_ref_get (&entry->model)) != NULL)
    {
      _gtasklet_unlock (&models_lock);
      return G_LIST_MODEL (store);
    }
  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      g_atomic_ref_count_init (&entry->ref_count);
      entry->context = g_main_context_ref (context);
      g_weak_ref_init (&entry->model, NULL);
      g_hash_table_insert (entries, context, entry);
    }

  /* Counted before the snapshot: see the top of this file. */
  g_atomic_int_inc (&_gtasklet_live_n_models);
  tasklets = _gtasklet_live_snapshot (context);

  store = g_list_store_new (GTASKLET_TYPE_TASKLET);
  members = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < tasklets->len; i++)
    g_hash_table_add (members, tasklets->pdata[i]);
  g_object_set_qdata_full (G_OBJECT (store), members_quark, members,
                           (GDestroyNotify) g_hash_table_unref);
  g_list_store_splice (store, 0, 0, tasklets->pdata, tasklets->len);
  g_weak_ref_set (&entry->model, store);
  g_object_weak_ref (G_OBJECT (store), model_gone, entry_ref (entry));
  _gtasklet_unlock (&models_lock);

  return G_LIST_MODEL (store);
}
