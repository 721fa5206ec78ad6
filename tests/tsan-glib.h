/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the two files of the ThreadSanitizer shim share (tsan-glib.c describes the shim):
 * TSan's annotations, REAL() to find GLib's definition of a wrapped function, uninstrumented
 * reads of GLib's own fields, and the acquire and release around calls that work on a
 * GMainContext. Include it first, after defining _GNU_SOURCE (for RTLD_NEXT). */
#pragma once

#include <dlfcn.h>
#include <stdlib.h>

#include <gio/gio.h>

void __tsan_acquire (void *addr);
void __tsan_release (void *addr);

static inline void
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
__attribute__ ((no_sanitize_thread)) static inline guint
peek_uint (const guint *p)
{
  return *(const volatile guint *) p;
}

__attribute__ ((no_sanitize_thread)) static inline gpointer
peek_pointer (gpointer const *p)
{
  return *(gpointer const volatile *) p;
}

/* GLib code that works on a GMainContext holds the context's lock, which orders it with the
 * context's other users (an attach on one thread, an iteration on another). A wrapped call
 * that works on a context acquires it on entry and releases it on exit. */
static inline GMainContext *
context_enter (GMainContext *context)
{
  if (context == NULL)
    context = g_main_context_default ();
  __tsan_acquire (context);
  return context;
}

static inline void
context_leave (GMainContext *context)
{
  __tsan_release (context);
}
