/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Linked into the test programs of a ThreadSanitizer build only (see tests/meson.build).
 *
 * Debian's GLib is not built with ThreadSanitizer, and its synchronisation is invisible to it:
 * GMutex and GCond are futex-based (no pthread call TSan could intercept), bit locks and
 * g_once use GLib's own atomics, reference counts drop inside libgobject, and a GSource
 * attached on one thread is dispatched on another through GMainContext's private lock.
 * Without help, every access that such a lock or hand-off orders would be reported as a race
 * in gtasklet's (or the tests') code.
 *
 * So this file defines the GLib entry points that gtasklet and the tests call, calls the real
 * function (found with dlsym (RTLD_NEXT)) and tells TSan about the happens-before edge that
 * GLib documents for it, with __tsan_acquire() and __tsan_release() on the object's address:
 *
 *   unlock / wait  ->  lock / trylock / wakeup      (GMutex, GRecMutex, GRWLock, GCond,
 *                                                     g_bit_lock, g_pointer_bit_lock)
 *   g_once_init_leave  ->  g_once_init_enter returning FALSE, and the macro's atomic load
 *   every g_object_unref / g_source_unref / g_main_context_unref  ->  the one that drops the
 *     last reference
 *   g_task_return_*  ->  g_task_propagate_*, g_task_had_error
 *   g_cancellable_cancel  ->  g_cancellable_is_cancelled returning TRUE
 *   g_source_attach, g_main_context_invoke, g_idle_add(_once), g_timeout_add(_once),
 *   g_source_set_ready_time, g_main_context_wakeup  ->  the source's callbacks and vfuncs
 *   the end of a source's callback or vfunc  ->  the context's next user
 *   a class's first g_object_new (its class_init)  ->  every later g_object_new of it
 *   leaving a call that works on a GMainContext  ->  entering the next one (attach, destroy,
 *     iteration, g_main_loop_run, acquire/release, GTask returns, ...), as the context's lock
 *     and ownership order them
 *
 * It also creates the default main context before any thread exists, and has iterations own
 * their context before GLib would park them in its list of waiters (see own_context()).
 *
 * Only edges GLib really provides are added, so no real race in gtasklet is hidden, and no
 * report is suppressed here. Calls made inside GLib itself do not come here (Debian links
 * GLib with -Bsymbolic-functions), which is fine: GLib's own accesses are not instrumented.
 * Sources created by this program (g_source_new) and idle and timeout callbacks set by it get
 * trampolines that acquire before each vfunc or callback. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include <gio/gio.h>

void __tsan_acquire (void *addr);
void __tsan_release (void *addr);

static void
die (const char *name)
{
  g_printerr ("tsan-glib: %s not found: %s\n", name, dlerror ());
  abort ();
}

/* Declares real_NAME, the next definition of NAME (GLib's). The cache is read and written
 * atomically: several threads may look it up at once. */
#define REAL(name) \
  static __typeof__ (name) *cached_##name; \
  __typeof__ (name) *real_##name = __atomic_load_n (&cached_##name, __ATOMIC_RELAXED); \
  if (G_UNLIKELY (real_##name == NULL)) \
    { \
      real_##name = (__typeof__ (name) *) dlsym (RTLD_NEXT, #name); \
      if (real_##name == NULL) \
        die (#name); \
      __atomic_store_n (&cached_##name, real_##name, __ATOMIC_RELAXED); \
    }

/* Reads of GLib's own fields (a reference count, GSource.context), left uninstrumented: the
 * memory may be freed next by GLib on another thread, after a synchronisation TSan cannot
 * see, and the shim must not report its own reads. */
__attribute__ ((no_sanitize_thread)) static guint
peek_uint (const guint *p)
{
  return *(const volatile guint *) p;
}

__attribute__ ((no_sanitize_thread)) static gpointer
peek_pointer (gpointer const *p)
{
  return *(gpointer const volatile *) p;
}

/* GLib code that works on a GMainContext holds the context's lock, which orders it with the
 * context's other users (an attach on one thread, an iteration on another). A wrapped call
 * that works on a context acquires it on entry and releases it on exit. */
static GMainContext *
context_enter (GMainContext *context)
{
  if (context == NULL)
    context = g_main_context_default ();
  __tsan_acquire (context);
  return context;
}

static void
context_leave (GMainContext *context)
{
  __tsan_release (context);
}

/* Locks */

#define LOCK_WRAPPERS(type, lock, trylock, unlock) \
  void lock (type *l) { REAL (lock); real_##lock (l); __tsan_acquire (l); } \
  gboolean trylock (type *l) \
  { REAL (trylock); gboolean ok = real_##trylock (l); if (ok) __tsan_acquire (l); return ok; } \
  void unlock (type *l) { REAL (unlock); __tsan_release (l); real_##unlock (l); }

LOCK_WRAPPERS (GMutex, g_mutex_lock, g_mutex_trylock, g_mutex_unlock)
LOCK_WRAPPERS (GRecMutex, g_rec_mutex_lock, g_rec_mutex_trylock, g_rec_mutex_unlock)
LOCK_WRAPPERS (GRWLock, g_rw_lock_writer_lock, g_rw_lock_writer_trylock, g_rw_lock_writer_unlock)
LOCK_WRAPPERS (GRWLock, g_rw_lock_reader_lock, g_rw_lock_reader_trylock, g_rw_lock_reader_unlock)

void
g_cond_wait (GCond  *cond,
             GMutex *mutex)
{
  REAL (g_cond_wait);
  __tsan_release (mutex);
  real_g_cond_wait (cond, mutex);
  __tsan_acquire (mutex);
}

gboolean
g_cond_wait_until (GCond  *cond,
                   GMutex *mutex,
                   gint64  end_time)
{
  gboolean ok;

  REAL (g_cond_wait_until);
  __tsan_release (mutex);
  ok = real_g_cond_wait_until (cond, mutex, end_time);
  __tsan_acquire (mutex);
  return ok;
}

void
g_bit_lock (volatile int *address,
            int           lock_bit)
{
  REAL (g_bit_lock);
  real_g_bit_lock (address, lock_bit);
  __tsan_acquire ((void *) address);
}

gboolean
g_bit_trylock (volatile int *address,
               int           lock_bit)
{
  gboolean ok;

  REAL (g_bit_trylock);
  ok = real_g_bit_trylock (address, lock_bit);
  if (ok)
    __tsan_acquire ((void *) address);
  return ok;
}

void
g_bit_unlock (volatile int *address,
              int           lock_bit)
{
  REAL (g_bit_unlock);
  __tsan_release ((void *) address);
  real_g_bit_unlock (address, lock_bit);
}

void
(g_pointer_bit_lock) (volatile void *address,
                      int            lock_bit)
{
  REAL (g_pointer_bit_lock);
  real_g_pointer_bit_lock (address, lock_bit);
  __tsan_acquire ((void *) address);
}

gboolean
(g_pointer_bit_trylock) (volatile void *address,
                         int            lock_bit)
{
  gboolean ok;

  REAL (g_pointer_bit_trylock);
  ok = real_g_pointer_bit_trylock (address, lock_bit);
  if (ok)
    __tsan_acquire ((void *) address);
  return ok;
}

void
(g_pointer_bit_unlock) (volatile void *address,
                        int            lock_bit)
{
  REAL (g_pointer_bit_unlock);
  __tsan_release ((void *) address);
  real_g_pointer_bit_unlock (address, lock_bit);
}

/* One-time initialisation (G_DEFINE_TYPE and friends) */

gboolean
(g_once_init_enter) (volatile void *location)
{
  gboolean initializing;

  REAL (g_once_init_enter);
  initializing = real_g_once_init_enter (location);
  if (!initializing)
    __tsan_acquire ((void *) location);
  return initializing;
}

void
(g_once_init_leave) (volatile void *location,
                     gsize          result)
{
  REAL (g_once_init_leave);
  /* The g_once_init_enter() macro's fast path is an instrumented atomic load of *location,
   * which acquires what is released here. */
  __tsan_release ((void *) location);
  real_g_once_init_leave (location, result);
}

/* Reference counts: what every owner did happens before the finalization. Only the holder of
 * the last reference (count 1: nobody else can drop one concurrently) acquires. */

void
(g_object_unref) (gpointer object)
{
  GObject *o = object;

  REAL (g_object_unref);
  if (o != NULL)
    {
      gboolean last = peek_uint (&o->ref_count) == 1;

      __tsan_release (&o->ref_count);
      if (last)
        __tsan_acquire (&o->ref_count);
    }
  real_g_object_unref (object);
}

void
g_source_unref (GSource *source)
{
  gboolean last = peek_uint (&source->ref_count) == 1;
  GMainContext *context = peek_pointer ((gpointer *) &source->context);

  REAL (g_source_unref);
  __tsan_release (&source->ref_count);
  if (last)
    __tsan_acquire (&source->ref_count);
  if (context != NULL)
    context_enter (context);
  real_g_source_unref (source);
  if (context != NULL)
    context_leave (context);
}

/* A context's reference count is private: every unref is ordered after the earlier ones, which
 * covers the last (the one that frees it) and only adds order GLib's atomic count provides
 * anyway to that one. */
void
g_main_context_unref (GMainContext *context)
{
  REAL (g_main_context_unref);
  __tsan_release (context);
  __tsan_acquire (context);
  real_g_main_context_unref (context);
}

gboolean
g_atomic_ref_count_dec (gatomicrefcount *arc)
{
  gboolean last;

  REAL (g_atomic_ref_count_dec);
  __tsan_release (arc);
  last = real_g_atomic_ref_count_dec (arc);
  if (last)
    __tsan_acquire (arc);
  return last;
}

/* GTask: returning happens before propagating. */

#define TASK_RETURN(name, params, args) \
  void name params \
  { \
    GMainContext *context; \
    REAL (name); \
    __tsan_release (task); \
    context = context_enter (g_task_get_context (task)); \
    real_##name args; \
    context_leave (context); \
  }

TASK_RETURN (g_task_return_pointer, (GTask *task, gpointer result, GDestroyNotify destroy),
             (task, result, destroy))
TASK_RETURN (g_task_return_boolean, (GTask *task, gboolean result), (task, result))
TASK_RETURN (g_task_return_int, (GTask *task, gssize result), (task, result))
TASK_RETURN (g_task_return_error, (GTask *task, GError *error), (task, error))
TASK_RETURN (g_task_return_value, (GTask *task, GValue *result), (task, result))

gboolean
g_task_return_error_if_cancelled (GTask *task)
{
  GMainContext *context;
  gboolean returned;

  REAL (g_task_return_error_if_cancelled);
  __tsan_release (task);
  context = context_enter (g_task_get_context (task));
  returned = real_g_task_return_error_if_cancelled (task);
  context_leave (context);
  return returned;
}

#define TASK_PROPAGATE(type, name, params, args) \
  type name params { REAL (name); __tsan_acquire (task); return real_##name args; }

TASK_PROPAGATE (gpointer, g_task_propagate_pointer, (GTask *task, GError **error), (task, error))
TASK_PROPAGATE (gboolean, g_task_propagate_boolean, (GTask *task, GError **error), (task, error))
TASK_PROPAGATE (gssize, g_task_propagate_int, (GTask *task, GError **error), (task, error))
TASK_PROPAGATE (gboolean, g_task_propagate_value, (GTask *task, GValue *value, GError **error),
                (task, value, error))
TASK_PROPAGATE (gboolean, g_task_had_error, (GTask *task), (task))

/* GCancellable: cancelling happens before seeing it cancelled. */

void
g_cancellable_cancel (GCancellable *cancellable)
{
  REAL (g_cancellable_cancel);
  if (cancellable != NULL)
    __tsan_release (cancellable);
  real_g_cancellable_cancel (cancellable);
}

gboolean
g_cancellable_is_cancelled (GCancellable *cancellable)
{
  gboolean cancelled;

  REAL (g_cancellable_is_cancelled);
  cancelled = real_g_cancellable_is_cancelled (cancellable);
  if (cancelled)
    __tsan_acquire (cancellable);
  return cancelled;
}

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

/* Lazily created GLib state */

/* GLib creates the default main context on first use, under a lock of its own; when a thread
 * other than the main one happens to be first (g_main_context_push_thread_default() asks for
 * it), the main thread's later use looks unordered. Create it before any thread exists. */
__attribute__ ((constructor)) static void
create_default_context (void)
{
  g_main_context_default ();
}

/* A class is initialised by the first g_object_new() of its type, under GObject's own lock,
 * and its class_init (instrumented code, filling static signal and property tables) happens
 * before every later use of the class on other threads. */
gpointer
g_object_new (GType       object_type,
              const char *first_property_name,
              ...)
{
  gpointer object;
  va_list args;

  REAL (g_object_new_valist);
  va_start (args, first_property_name);
  object = real_g_object_new_valist (object_type, first_property_name, args);
  va_end (args);
  __tsan_release ((gpointer) object_type);
  __tsan_acquire ((gpointer) object_type);
  return object;
}
