/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The main-context half of the ThreadSanitizer shim (tsan-glib.c describes it): attaching,
 * waking or invoking a source happens before its callbacks and vfuncs, the end of a callback
 * or vfunc happens before the context's next user, and iterations, loop runs and owners of a
 * context are ordered by it. Sources created by the program (g_source_new) and idle and
 * timeout callbacks it sets get trampolines that acquire before each vfunc or callback. */
#define _GNU_SOURCE
#include "tsan-glib.h"

#include <pthread.h>
#include <sched.h>

/* Main-context hand-offs: attaching or waking a source happens before its callbacks. */

typedef struct
{
  GSourceFunc    func;
  gpointer       data;
  GDestroyNotify notify;
  gpointer       key;      /* what the poster released: the context or the source */
} Trampoline;

/* Attaching and waking release the source or its context; GSource.context is set once, by
 * the attach that happened before. Returns the context, for release_source(). */
static GMainContext *
acquire_source (GSource *source)
{
  GMainContext *context = peek_pointer ((gpointer *) &source->context);

  __tsan_acquire (source);
  if (context != NULL)
    __tsan_acquire (context);
  return context;
}

/* After a callback or vfunc GLib takes the context's lock again (to unref or destroy the
 * source, to dispatch the next one): what the callback did happens before the context's next
 * user, on any thread. The source's memory is not read here: the callback may have ended it. */
static void
release_source (GSource      *source,
                GMainContext *context)
{
  __tsan_release (source);
  if (context != NULL)
    __tsan_release (context);
}

static gboolean
trampoline_func (gpointer data)
{
  Trampoline *t = data;
  GSource *current = g_main_current_source ();

  GMainContext *context = NULL;
  gboolean again;

  __tsan_acquire (t->key);
  if (current != NULL)
    context = acquire_source (current);
  again = t->func (t->data);
  if (current != NULL)
    release_source (current, context);
  return again;
}

static void
trampoline_free (gpointer data)
{
  Trampoline *t = data;

  if (t->notify != NULL)
    t->notify (t->data);
  g_free (t);
}

static Trampoline *
trampoline_new (GSourceFunc    func,
                gpointer       data,
                GDestroyNotify notify,
                gpointer       key)
{
  Trampoline *t = g_new0 (Trampoline, 1);

  t->func = func;
  t->data = data;
  t->notify = notify;
  t->key = key;
  return t;
}

/* Sources created here dispatch through a copy of their GSourceFuncs whose vfuncs acquire
 * first. The copy starts with the GSourceFuncs so that GLib sees an ordinary table. */
typedef struct
{
  GSourceFuncs  funcs;
  GSourceFuncs *original;
} ShadowFuncs;

static pthread_mutex_t shadow_lock = PTHREAD_MUTEX_INITIALIZER;
static GHashTable *shadows;

#define ORIGINAL(source) (((ShadowFuncs *) (source)->source_funcs)->original)

static gboolean
shadow_prepare (GSource *source,
                int     *timeout)
{
  GMainContext *context = acquire_source (source);
  gboolean ready;

  ready = ORIGINAL (source)->prepare (source, timeout);
  release_source (source, context);
  return ready;
}

static gboolean
shadow_check (GSource *source)
{
  GMainContext *context = acquire_source (source);
  gboolean ready;

  ready = ORIGINAL (source)->check (source);
  release_source (source, context);
  return ready;
}

static gboolean
shadow_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  GMainContext *context = acquire_source (source);
  gboolean again;

  again = ORIGINAL (source)->dispatch (source, callback, user_data);
  release_source (source, context);
  return again;
}

static void
shadow_finalize (GSource *source)
{
  /* The source's memory goes away after this: nothing is released. */
  acquire_source (source);
  ORIGINAL (source)->finalize (source);
}

static GSourceFuncs *
shadow_for (GSourceFuncs *original)
{
  ShadowFuncs *shadow;

  pthread_mutex_lock (&shadow_lock);
  if (shadows == NULL)
    shadows = g_hash_table_new (NULL, NULL);
  shadow = g_hash_table_lookup (shadows, original);
  if (shadow == NULL)
    {
      shadow = g_new0 (ShadowFuncs, 1);
      shadow->original = original;
      /* Leave out what the original leaves out: GLib treats a NULL check or prepare
       * specially (a source with neither is only dispatched when ready by time or fd). */
      shadow->funcs.prepare = original->prepare != NULL ? shadow_prepare : NULL;
      shadow->funcs.check = original->check != NULL ? shadow_check : NULL;
      shadow->funcs.dispatch = original->dispatch != NULL ? shadow_dispatch : NULL;
      shadow->funcs.finalize = original->finalize != NULL ? shadow_finalize : NULL;
      shadow->funcs.closure_callback = original->closure_callback;
      shadow->funcs.closure_marshal = original->closure_marshal;
      g_hash_table_insert (shadows, original, shadow);
    }
  pthread_mutex_unlock (&shadow_lock);
  return &shadow->funcs;
}

GSource *
g_source_new (GSourceFuncs *source_funcs,
              guint         struct_size)
{
  REAL (g_source_new);
  return real_g_source_new (shadow_for (source_funcs), struct_size);
}

void
g_source_set_callback (GSource        *source,
                       GSourceFunc     func,
                       gpointer        data,
                       GDestroyNotify  notify)
{
  REAL (g_source_set_callback);
  /* Only where the callback is a GSourceFunc: a child watch, an fd source or a cancellable
   * source calls its callback with other arguments. Shadowed sources acquire in dispatch. */
  if (source->source_funcs == &g_idle_funcs || source->source_funcs == &g_timeout_funcs)
    real_g_source_set_callback (source, trampoline_func,
                                trampoline_new (func, data, notify, source), trampoline_free);
  else
    real_g_source_set_callback (source, func, data, notify);
}

guint
g_source_attach (GSource      *source,
                 GMainContext *context)
{
  guint id;

  REAL (g_source_attach);
  __tsan_release (source);
  context = context_enter (context);
  id = real_g_source_attach (source, context);
  context_leave (context);
  return id;
}

void
g_source_destroy (GSource *source)
{
  GMainContext *context = peek_pointer ((gpointer *) &source->context);

  REAL (g_source_destroy);
  if (context != NULL)
    context_enter (context);
  real_g_source_destroy (source);
  if (context != NULL)
    context_leave (context);
}

/* An iteration or a loop run owns its context throughout. When another thread owns it, GLib
 * parks the caller in the context's list of waiters, whose nodes the owner frees on release,
 * under the context's lock: a hand-off TSan cannot see. Taking ownership here first (the owner
 * keeps it only for a moment) keeps iterations out of that list; GLib's own acquire inside
 * the iteration is then a recursive one. */
static GMainContext *
own_context (GMainContext *context)
{
  REAL (g_main_context_acquire);

  if (context == NULL)
    context = g_main_context_default ();
  while (!real_g_main_context_acquire (context))
    sched_yield ();
  return context_enter (context);
}

static void
disown_context (GMainContext *context)
{
  REAL (g_main_context_release);

  context_leave (context);
  real_g_main_context_release (context);
}

gboolean
g_main_context_iteration (GMainContext *context,
                          gboolean      may_block)
{
  gboolean dispatched;

  REAL (g_main_context_iteration);
  context = own_context (context);
  dispatched = real_g_main_context_iteration (context, may_block);
  disown_context (context);
  return dispatched;
}

/* Owning a context excludes its other owners (an iteration owns it throughout). */
gboolean
g_main_context_acquire (GMainContext *context)
{
  gboolean acquired;

  REAL (g_main_context_acquire);
  acquired = real_g_main_context_acquire (context);
  if (acquired)
    context_enter (context);
  return acquired;
}

void
g_main_context_release (GMainContext *context)
{
  REAL (g_main_context_release);
  context_leave (context != NULL ? context : g_main_context_default ());
  real_g_main_context_release (context);
}

gboolean
g_main_context_pending (GMainContext *context)
{
  gboolean pending;

  REAL (g_main_context_pending);
  context = context_enter (context);
  pending = real_g_main_context_pending (context);
  context_leave (context);
  return pending;
}

void
g_main_loop_run (GMainLoop *loop)
{
  GMainContext *context = own_context (g_main_loop_get_context (loop));

  REAL (g_main_loop_run);
  real_g_main_loop_run (loop);
  disown_context (context);
}

void
g_source_set_ready_time (GSource *source,
                         gint64   ready_time)
{
  GMainContext *context = peek_pointer ((gpointer *) &source->context);

  REAL (g_source_set_ready_time);
  __tsan_release (source);
  if (context != NULL)
    context_enter (context);
  real_g_source_set_ready_time (source, ready_time);
  if (context != NULL)
    context_leave (context);
}

void
g_main_context_wakeup (GMainContext *context)
{
  REAL (g_main_context_wakeup);
  __tsan_release (context != NULL ? context : g_main_context_default ());
  real_g_main_context_wakeup (context);
}

void
g_main_context_invoke_full (GMainContext   *context,
                            int             priority,
                            GSourceFunc     function,
                            gpointer        data,
                            GDestroyNotify  notify)
{
  GMainContext *key = context != NULL ? context : g_main_context_default ();

  REAL (g_main_context_invoke_full);
  __tsan_release (key);
  context_enter (key);
  real_g_main_context_invoke_full (context, priority, trampoline_func,
                                   trampoline_new (function, data, notify, key),
                                   trampoline_free);
  context_leave (key);
}

void
g_main_context_invoke (GMainContext *context,
                       GSourceFunc   function,
                       gpointer      data)
{
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, function, data, NULL);
}

guint
g_idle_add_full (int            priority,
                 GSourceFunc    function,
                 gpointer       data,
                 GDestroyNotify notify)
{
  GMainContext *key = g_main_context_default ();

  guint id;

  REAL (g_idle_add_full);
  __tsan_release (key);
  context_enter (key);
  id = real_g_idle_add_full (priority, trampoline_func,
                             trampoline_new (function, data, notify, key), trampoline_free);
  context_leave (key);
  return id;
}

guint
g_idle_add (GSourceFunc function,
            gpointer    data)
{
  return g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, function, data, NULL);
}

guint
g_timeout_add_full (int            priority,
                    guint          interval,
                    GSourceFunc    function,
                    gpointer       data,
                    GDestroyNotify notify)
{
  GMainContext *key = g_main_context_default ();

  guint id;

  REAL (g_timeout_add_full);
  __tsan_release (key);
  context_enter (key);
  id = real_g_timeout_add_full (priority, interval, trampoline_func,
                                trampoline_new (function, data, notify, key), trampoline_free);
  context_leave (key);
  return id;
}

guint
g_timeout_add (guint       interval,
               GSourceFunc function,
               gpointer    data)
{
  return g_timeout_add_full (G_PRIORITY_DEFAULT, interval, function, data, NULL);
}

typedef struct
{
  GSourceOnceFunc func;
  gpointer        data;
  gpointer        key;
} OnceTrampoline;

static void
once_trampoline_func (gpointer data)
{
  OnceTrampoline *t = data;
  GSource *current = g_main_current_source ();

  GMainContext *context = NULL;

  __tsan_acquire (t->key);
  if (current != NULL)
    context = acquire_source (current);
  t->func (t->data);
  if (current != NULL)
    release_source (current, context);
  g_free (t);
}

static OnceTrampoline *
once_trampoline_new (GSourceOnceFunc func,
                     gpointer        data)
{
  OnceTrampoline *t = g_new0 (OnceTrampoline, 1);

  t->func = func;
  t->data = data;
  t->key = g_main_context_default ();
  __tsan_release (t->key);
  return t;
}

guint
g_idle_add_once (GSourceOnceFunc function,
                 gpointer        data)
{
  GMainContext *context;
  guint id;

  REAL (g_idle_add_once);
  context = context_enter (NULL);
  id = real_g_idle_add_once (once_trampoline_func, once_trampoline_new (function, data));
  context_leave (context);
  return id;
}

guint
g_timeout_add_once (guint           interval,
                    GSourceOnceFunc function,
                    gpointer        data)
{
  GMainContext *context;
  guint id;

  REAL (g_timeout_add_once);
  context = context_enter (NULL);
  id = real_g_timeout_add_once (interval, once_trampoline_func,
                                once_trampoline_new (function, data));
  context_leave (context);
  return id;
}
