/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* dladdr() and RTLD_DEFAULT are GNU extensions (in glibc's libc itself since 2.34). */
#define _GNU_SOURCE
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include "gtasklet-error.h"
#include "gtasklet-pool.h"
#include "gtasklet-tasklet-private.h"

/**
 * GtaskletPool:
 *
 * A fixed set of worker threads, each iterating a [struct@GLib.MainContext] of its own,
 * on which tasklets run.
 *
 * [method@Gtasklet.Pool.start] places a new tasklet on the least loaded worker and starts
 * it there; the tasklet stays on that worker until it finishes. Every wait condition works
 * on a worker (timeouts, IO, signals of objects living there, child processes, GIO
 * `_async` calls), and a tasklet on a worker talks to the rest of the program the same way
 * as any tasklet: messages, joins and [class@Gtasklet.WaitForTasklet] work across
 * threads.
 *
 * ```c
 * GtaskletTasklet *job = gtasklet_tasklet_new (checksum_step, data, data_free);
 *
 * gtasklet_pool_start (gtasklet_pool_get_default (), job);
 * // later, on the main thread: join it, or let it send its progress to a UI tasklet
 * gtasklet_tasklet_join_async (job, NULL, on_checksum_done, self);
 * ```
 *
 * A tasklet whose step is written in JavaScript cannot run on a worker: GJS runs
 * JavaScript on its main thread only. [method@Gtasklet.Pool.start] fails such a tasklet at
 * once with `GTASKLET_ERROR_WRONG_THREAD` instead. Python tasklets run on workers, one at
 * a time under Python's global lock; Vala and C ones without restriction.
 *
 * A pool is not finalized while a tasklet placed on it is unfinished: each holds a reference
 * on it. Once the last reference is gone, the workers stop and their threads exit. Steps of
 * tasklets on a pool run in parallel with the rest of the program: what they share with it
 * needs the usual care.
 *
 * Since: 1.2
 */

/**
 * GtaskletPoolClass:
 * @parent_class: the parent class
 *
 * The class structure of [class@Gtasklet.Pool], a final type.
 *
 * Since: 1.2
 */

/* A worker: a thread iterating its own context. Shared by the pool and the thread, and freed
 * by whichever lets go last (the thread outlives the pool when the pool is finalized on it). */
typedef struct
{
  int           refs;         /* atomic */
  GMainContext *context;
  GThread      *thread;
  int           load;         /* atomic: unfinished tasklets placed here */
  int           quit;         /* atomic: the pool is gone and every tasklet here has ended */
} Worker;

struct _GtaskletPool
{
  GObject   parent_instance;
  guint     n_workers;
  Worker  **workers;
  guint     next;             /* atomic: where the search for the least loaded one starts */
};

G_DEFINE_FINAL_TYPE (GtaskletPool, gtasklet_pool, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_WORKERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Workers */

static void
worker_unref (Worker *worker)
{
  if (!g_atomic_int_dec_and_test (&worker->refs))
    return;
  g_main_context_unref (worker->context);
  g_free (worker);
}

static gpointer
worker_run (gpointer data)
{
  Worker *worker = data;

  g_main_context_push_thread_default (worker->context);
  while (!g_atomic_int_get (&worker->quit))
    g_main_context_iteration (worker->context, TRUE);
  /* What the ended tasklets left behind (join completions for joiners living here, sources
   * being destroyed) runs before the context goes. */
  while (g_main_context_iteration (worker->context, FALSE))
    ;
  g_main_context_pop_thread_default (worker->context);
  worker_unref (worker);
  return NULL;
}

static Worker *
worker_new (guint index)
{
  Worker *worker = g_new0 (Worker, 1);
  /* Thread names are cut at 15 bytes on Linux. */
  g_autofree char *name = g_strdup_printf ("gtasklet-w%u", index);

  worker->refs = 2;
  worker->context = g_main_context_new ();
  worker->thread = g_thread_new (name, worker_run, worker);
  return worker;
}

/* Tells the worker to stop once its loop wakes up. Joins its thread, unless this is that
 * thread (the pool's last reference went on the worker itself): then the thread ends by
 * itself when the current dispatch returns. */
static void
worker_stop (Worker *worker)
{
  GThread *thread = worker->thread;

  g_atomic_int_set (&worker->quit, TRUE);
  g_main_context_wakeup (worker->context);
  if (thread == g_thread_self ())
    g_thread_unref (thread);
  else
    g_thread_join (thread);
  worker_unref (worker);
}

/* Placement: the pool is kept while a tasklet placed on it has not ended. */

typedef struct
{
  GtaskletFinishWatch  watch;
  GtaskletPool        *pool;
  Worker              *worker;
} Placement;

static void
on_placed_finished (GtaskletFinishWatch *watch,
                    GtaskletTasklet     *tasklet)
{
  Placement *placement = (Placement *) watch;

  g_atomic_int_add (&placement->worker->load, -1);
  /* May be the pool's last reference, on this worker's own thread. */
  g_object_unref (placement->pool);
  g_free (placement);
}

static Worker *
least_loaded_worker (GtaskletPool *self)
{
  guint start = (guint) g_atomic_int_add (&self->next, 1) % self->n_workers;
  Worker *best = self->workers[start];
  int best_load = g_atomic_int_get (&best->load);

  for (guint i = 1; i < self->n_workers && best_load > 0; i++)
    {
      Worker *worker = self->workers[(start + i) % self->n_workers];
      int load = g_atomic_int_get (&worker->load);

      if (load < best_load)
        {
          best = worker;
          best_load = load;
        }
    }
  return best;
}

/* Languages. A step written in a language is run through a closure that the language's
 * binding made with libffi: its code lives in libffi's trampolines, or in memory no library
 * owns. GJS must never be entered from another thread (it aborts), so in a process running
 * GJS such a step stays on its thread. (Python's steps are closures too, and run on workers
 * under the GIL; a process embedding both GJS and Python is not told apart.) */
static gboolean
code_is_compiled (gpointer code)
{
  Dl_info info;

  if (code == NULL)
    return TRUE;
  if (dladdr (code, &info) == 0 || info.dli_fname == NULL)
    return FALSE;
  return strstr (info.dli_fname, "libffi") == NULL;
}

static gboolean
process_runs_gjs (void)
{
  static gsize runs_gjs;

  if (g_once_init_enter (&runs_gjs))
    g_once_init_leave (&runs_gjs, dlsym (RTLD_DEFAULT, "gjs_context_new") != NULL ? 2 : 1);
  return runs_gjs == 2;
}

static gboolean
may_run_on_worker (GtaskletTasklet *tasklet)
{
  return code_is_compiled (_gtasklet_tasklet_get_step_code (tasklet)) || !process_runs_gjs ();
}

/* GObject */

static void
gtasklet_pool_constructed (GObject *object)
{
  GtaskletPool *self = GTASKLET_POOL (object);

  G_OBJECT_CLASS (gtasklet_pool_parent_class)->constructed (object);

  if (self->n_workers == 0)
    self->n_workers = MAX (g_get_num_processors (), 1);
  self->workers = g_new (Worker *, self->n_workers);
  for (guint i = 0; i < self->n_workers; i++)
    self->workers[i] = worker_new (i);
}

static void
gtasklet_pool_finalize (GObject *object)
{
  GtaskletPool *self = GTASKLET_POOL (object);

  /* Every tasklet placed here has ended: each held a reference until then. */
  for (guint i = 0; i < self->n_workers; i++)
    worker_stop (self->workers[i]);
  g_free (self->workers);

  G_OBJECT_CLASS (gtasklet_pool_parent_class)->finalize (object);
}

static void
gtasklet_pool_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GtaskletPool *self = GTASKLET_POOL (object);

  switch (prop_id)
    {
    case PROP_N_WORKERS:
      g_value_set_uint (value, self->n_workers);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_pool_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GtaskletPool *self = GTASKLET_POOL (object);

  switch (prop_id)
    {
    case PROP_N_WORKERS:
      self->n_workers = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gtasklet_pool_class_init (GtaskletPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = gtasklet_pool_constructed;
  object_class->finalize = gtasklet_pool_finalize;
  object_class->get_property = gtasklet_pool_get_property;
  object_class->set_property = gtasklet_pool_set_property;

  /**
   * GtaskletPool:n-workers:
   *
   * How many worker threads the pool has. Given as 0 at construction, it becomes the number
   * of processors.
   *
   * Since: 1.2
   */
  properties[PROP_N_WORKERS] =
    g_param_spec_uint ("n-workers", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gtasklet_pool_init (GtaskletPool *self)
{
}

/* Public API */

/**
 * gtasklet_pool_new:
 * @n_workers: how many worker threads; 0 for one per processor
 *
 * Creates a pool and starts its worker threads.
 *
 * This function is thread-safe.
 *
 * Returns: (transfer full): a new [class@Gtasklet.Pool]
 *
 * Since: 1.2
 */
GtaskletPool *
gtasklet_pool_new (guint n_workers)
{
  return g_object_new (GTASKLET_TYPE_POOL, "n-workers", n_workers, NULL);
}

/**
 * gtasklet_pool_get_default:
 *
 * Gets the process-wide pool, created on first use with one worker per processor. It lives
 * as long as the process.
 *
 * This function is thread-safe.
 *
 * Returns: (transfer none): the default [class@Gtasklet.Pool]
 *
 * Since: 1.2
 */
GtaskletPool *
gtasklet_pool_get_default (void)
{
  static gsize default_pool;

  if (g_once_init_enter (&default_pool))
    g_once_init_leave (&default_pool, (gsize) gtasklet_pool_new (0));
  return (GtaskletPool *) default_pool;
}

/**
 * gtasklet_pool_get_n_workers:
 * @self: a [class@Gtasklet.Pool]
 *
 * Gets how many worker threads the pool has.
 *
 * This function is thread-safe.
 *
 * Returns: the number of workers
 *
 * Since: 1.2
 */
guint
gtasklet_pool_get_n_workers (GtaskletPool *self)
{
  g_return_val_if_fail (GTASKLET_IS_POOL (self), 0);

  return self->n_workers;
}

/**
 * gtasklet_pool_start:
 * @self: a [class@Gtasklet.Pool]
 * @tasklet: a new [class@Gtasklet.Tasklet]
 *
 * Places @tasklet on the least loaded worker of @self and starts it there. Unlike
 * [method@Gtasklet.Tasklet.start], the first step does not run inside this call: it runs
 * on the worker, after this has returned. The tasklet stays on that worker until it
 * finishes, and @self is kept until then.
 *
 * A tasklet whose step is written in JavaScript cannot run on another thread: it is
 * started on the calling thread's context instead and fails at once with
 * `GTASKLET_ERROR_WRONG_THREAD`, without running a step.
 *
 * Starting a tasklet that has already been started is a programmer error.
 *
 * This function is thread-safe.
 *
 * Since: 1.2
 */
void
gtasklet_pool_start (GtaskletPool    *self,
                     GtaskletTasklet *tasklet)
{
  Placement *placement;
  Worker *worker;

  g_return_if_fail (GTASKLET_IS_POOL (self));
  g_return_if_fail (GTASKLET_IS_TASKLET (tasklet));

  if G_UNLIKELY (!may_run_on_worker (tasklet))
    {
      /* A tasklet already started stays as it is (the start below says why). */
      if (gtasklet_tasklet_get_state (tasklet) == GTASKLET_STATE_NEW)
        _gtasklet_tasklet_fail_later (tasklet,
          g_error_new (GTASKLET_ERROR, GTASKLET_ERROR_WRONG_THREAD,
                       "%s %p cannot run on a worker thread: its step is written in "
                       "JavaScript, and GJS runs JavaScript on its main thread only",
                       G_OBJECT_TYPE_NAME (tasklet), tasklet));
      _gtasklet_tasklet_start_in (tasklet, NULL, FALSE);
      return;
    }

  worker = least_loaded_worker (self);
  placement = g_new0 (Placement, 1);
  _gtasklet_finish_watch_set_notify (&placement->watch, on_placed_finished);
  placement->watch.quiet = TRUE;
  placement->pool = g_object_ref (self);
  placement->worker = worker;
  g_atomic_int_inc (&worker->load);

  /* Watched before it starts, so that its end, however soon, releases the placement. A
   * tasklet that has already ended was started before: the start below says so. */
  if (!_gtasklet_tasklet_add_finish_watch (tasklet, &placement->watch))
    {
      g_atomic_int_add (&worker->load, -1);
      g_object_unref (placement->pool);
      g_free (placement);
      placement = NULL;
    }

  if (!_gtasklet_tasklet_start_in (tasklet, worker->context, TRUE) && placement != NULL &&
      _gtasklet_tasklet_remove_finish_watch (tasklet, &placement->watch))
    on_placed_finished (&placement->watch, tasklet);
}
