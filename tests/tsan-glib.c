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
 *   every g_object_unref / g_main_context_unref  ->  every later one (the last included)
 *   every g_source_unref  ->  the one that drops the last reference
 *   g_task_return_*  ->  g_task_propagate_*, g_task_had_error
 *   g_cancellable_cancel  ->  g_cancellable_is_cancelled returning TRUE
 *   g_source_attach, g_main_context_invoke, g_idle_add(_once), g_timeout_add(_once),
 *   g_source_set_ready_time, g_main_context_wakeup  ->  the source's callbacks and vfuncs
 *   the end of a source's callback or vfunc  ->  the context's next user
 *   a class's first g_object_new (its class_init)  ->  every later g_object_new of it
 *   interning a string (g_intern_string, g_quark_from_string ...)  ->  every later lookup
 *   leaving a call that works on a GMainContext  ->  entering the next one (attach, destroy,
 *     iteration, g_main_loop_run, acquire/release, GTask returns, ...), as the context's lock
 *     and ownership order them
 *
 * It also creates the default main context before any thread exists, and has iterations own
 * their context before GLib would park them in its list of waiters (see own_context() in
 * tsan-glib-main-context.c).
 *
 * Only edges GLib really provides are added, so no real race in gtasklet is hidden, and no
 * report is suppressed here. Calls made inside GLib itself do not come here (Debian links
 * GLib with -Bsymbolic-functions), which is fine: GLib's own accesses are not instrumented.
 * Sources created by this program (g_source_new) and idle and timeout callbacks set by it get
 * trampolines that acquire before each vfunc or callback.
 *
 * This file wraps the locks, one-time initialisation, reference counts, GTask, GCancellable
 * and GLib's lazily created state; tsan-glib-main-context.c wraps the main-context hand-offs
 * (sources, their callbacks, iterations and owners); tsan-glib.h has what both share. */
#define _GNU_SOURCE
#include "tsan-glib.h"

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

/* Reference counts: what every owner did happens before the finalization. */

/* Every unref acquires too: which one drops the last reference cannot be told beforehand (one
 * that sees a count of 2 becomes the last if the other owner drops its reference first, and
 * then disposes). GLib's decrements are sequentially consistent read-modify-writes of the
 * count, so each one is ordered after the earlier ones anyway. */
void
(g_object_unref) (gpointer object)
{
  GObject *o = object;

  REAL (g_object_unref);
  if (o != NULL)
    {
      __tsan_release (&o->ref_count);
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

/* Lazily created GLib state */

/* GLib creates the default main context on first use, under a lock of its own; when a thread
 * other than the main one happens to be first (g_main_context_push_thread_default() asks for
 * it), the main thread's later use looks unordered. Create it before any thread exists. */
__attribute__ ((constructor)) static void
create_default_context (void)
{
  g_main_context_default ();
}

/* Making a GError reads GLib's table of error domains under a GRWLock whose implementation
 * GLib allocates on first use and publishes with an atomic that TSan cannot see: two threads
 * making their first errors at once look like a race on that allocation. Make one before any
 * thread exists. */
__attribute__ ((constructor)) static void
use_error_domains (void)
{
  g_error_free (g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "first"));
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

/* Interned strings and quarks: GLib copies a new string into its table under a lock of its
 * own, and later lookups on other threads compare against that copy. The real calls are
 * serialised here by a mutex TSan sees, which orders the copy before every later lookup.
 * (GLib serialises them anyway: this adds no ordering GLib does not provide.) */
static pthread_mutex_t quark_lock = PTHREAD_MUTEX_INITIALIZER;

#define QUARK_WRAPPER(ret, name, type)                              \
  ret name (type arg)                                               \
  {                                                                 \
    ret result;                                                     \
                                                                    \
    REAL (name);                                                    \
    pthread_mutex_lock (&quark_lock);                               \
    result = real_##name (arg);                                     \
    pthread_mutex_unlock (&quark_lock);                             \
    return result;                                                  \
  }

QUARK_WRAPPER (const char *, g_intern_string, const char *)
QUARK_WRAPPER (const char *, g_intern_static_string, const char *)
QUARK_WRAPPER (GQuark, g_quark_from_string, const char *)
QUARK_WRAPPER (GQuark, g_quark_from_static_string, const char *)
QUARK_WRAPPER (GQuark, g_quark_try_string, const char *)
QUARK_WRAPPER (const char *, g_quark_to_string, GQuark)
