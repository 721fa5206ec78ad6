/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "gtasklet-receive-private.h"

#include <string.h>

#include "gtasklet-thread-private.h"

static void
add_names (GtaskletReceiveEntry *entries,
           guint                *n_entries,
           int                  *wildcard,
           const char * const   *names,
           GtaskletMessageAction action)
{
  if (names == NULL)
    return;

  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_intern_string (names[i]);
      gboolean found = FALSE;

      /* Accept < defer < discard numerically, and the smaller wins: a name in several lists
       * of one receive counts as accept over defer over discard. */
      if (strcmp (name, "*") == 0)
        {
          if (*wildcard == GTASKLET_RECEIVE_UNNAMED || (int) action < *wildcard)
            *wildcard = action;
          continue;
        }

      for (guint j = 0; j < *n_entries; j++)
        {
          if (entries[j].name == name)
            {
              entries[j].action = MIN (entries[j].action, (int) action);
              found = TRUE;
              break;
            }
        }
      if (!found)
        {
          entries[*n_entries].name = name;
          entries[*n_entries].action = action;
          (*n_entries)++;
        }
    }
}

GtaskletReceiveSpec *
_gtasklet_receive_spec_new (const char * const *accept,
                            const char * const *defer,
                            const char * const *discard)
{
  guint max = 0;
  GtaskletReceiveSpec *self;

  max += accept != NULL ? g_strv_length ((char **) accept) : 0;
  max += defer != NULL ? g_strv_length ((char **) defer) : 0;
  max += discard != NULL ? g_strv_length ((char **) discard) : 0;

  self = g_malloc0 (sizeof (GtaskletReceiveSpec) + max * sizeof (GtaskletReceiveEntry));
  self->ref_count = 1;
  self->wildcard = GTASKLET_RECEIVE_UNNAMED;
  add_names (self->entries, &self->n_entries, &self->wildcard, accept, GTASKLET_MESSAGE_ACCEPT);
  add_names (self->entries, &self->n_entries, &self->wildcard, defer, GTASKLET_MESSAGE_DEFER);
  add_names (self->entries, &self->n_entries, &self->wildcard, discard, GTASKLET_MESSAGE_DISCARD);
  return self;
}

GtaskletReceiveSpec *
_gtasklet_receive_spec_ref (GtaskletReceiveSpec *self)
{
  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
_gtasklet_receive_spec_unref (GtaskletReceiveSpec *self)
{
  if (g_atomic_int_dec_and_test (&self->ref_count))
    g_free (self);
}

gboolean
_gtasklet_receive_spec_is_empty (GtaskletReceiveSpec *self)
{
  return self->n_entries == 0 && self->wildcard == GTASKLET_RECEIVE_UNNAMED;
}

GStrv
_gtasklet_receive_spec_dup_names (GtaskletReceiveSpec   *self,
                                  GtaskletMessageAction  action)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv names;

  for (guint i = 0; i < self->n_entries; i++)
    if (self->entries[i].action == (int) action)
      g_strv_builder_add (builder, self->entries[i].name);
  if (self->wildcard == (int) action)
    g_strv_builder_add (builder, "*");
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/* Appends "accept=[a,b] defer=[] discard=[*]" to @out, each list in the order given. */
void
_gtasklet_receive_spec_describe (GtaskletReceiveSpec *self,
                                 GString             *out)
{
  static const struct { GtaskletMessageAction action; const char *label; } lists[] = {
    { GTASKLET_MESSAGE_ACCEPT, "accept" },
    { GTASKLET_MESSAGE_DEFER, "defer" },
    { GTASKLET_MESSAGE_DISCARD, "discard" },
  };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    {
      g_auto(GStrv) names = _gtasklet_receive_spec_dup_names (self, lists[l].action);
      g_autofree char *joined = g_strjoinv (",", names);

      g_string_append_printf (out, "%s%s=[%s]", l > 0 ? " " : "", lists[l].label, joined);
    }
}

/* A spec built for gtasklet_tasklet_receive(), with the lists it was built from (their names
 * interned): callers from C usually pass the same static arrays at every step, bindings pass
 * new arrays with the same names, so the contents are what identifies a spec. */
typedef struct
{
  GtaskletReceiveSpec  *spec;
  const char          **lists[3];
} CachedSpec;

/* Whether the caller's list @a has the names of the cached list @b (interned). Names passed
 * interned compare as pointers; others cost a strcmp() each. */
static gboolean
strv_same (const char * const *a,
           const char * const *b)
{
  guint i;

  if (a == NULL || a[0] == NULL)
    return b == NULL || b[0] == NULL;
  if (b == NULL)
    return FALSE;
  for (i = 0; a[i] != NULL && b[i] != NULL; i++)
    if (a[i] != b[i] && strcmp (a[i], b[i]) != 0)
      return FALSE;
  return a[i] == NULL && b[i] == NULL;
}

static const char **
intern_list (const char * const *names)
{
  const char **interned;
  guint n;

  if (names == NULL)
    return NULL;
  n = g_strv_length ((char **) names);
  interned = g_new (const char *, n + 1);
  for (guint i = 0; i < n; i++)
    interned[i] = g_intern_string (names[i]);
  interned[n] = NULL;
  return interned;
}

static void
cached_spec_free (CachedSpec *cached)
{
  _gtasklet_receive_spec_unref (cached->spec);
  for (guint i = 0; i < 3; i++)
    g_free (cached->lists[i]);
  g_free (cached);
}

static void
receive_cache_clear (GtaskletThread *thread)
{
  for (guint i = 0; i < GTASKLET_THREAD_RECEIVE_SLOTS; i++)
    g_clear_pointer (&thread->receive_cache[i], cached_spec_free);
}

static inline gboolean
cached_spec_matches (CachedSpec         *cached,
                     const char * const *accept,
                     const char * const *defer,
                     const char * const *discard)
{
  return cached != NULL &&
         strv_same (accept, cached->lists[0]) &&
         strv_same (defer, cached->lists[1]) &&
         strv_same (discard, cached->lists[2]);
}

/* Returns a spec for these lists, shared with earlier calls on this thread that passed the
 * same names. The cache keeps the reference: the spec is valid until the next call on this
 * thread; take a reference to keep it longer. */
GtaskletReceiveSpec *
_gtasklet_receive_spec_get_cached (const char * const *accept,
                                   const char * const *defer,
                                   const char * const *discard)
{
  GtaskletThread *thread = _gtasklet_thread_get ();
  guint last = thread->receive_cache_last;
  CachedSpec *cached;
  guint slot;

  /* The slot that answered last time first: a tasklet usually receives the same way again. */
  if (cached_spec_matches (thread->receive_cache[last], accept, defer, discard))
    return ((CachedSpec *) thread->receive_cache[last])->spec;

  for (guint i = 0; i < GTASKLET_THREAD_RECEIVE_SLOTS; i++)
    {
      if (i != last && cached_spec_matches (thread->receive_cache[i], accept, defer, discard))
        {
          thread->receive_cache_last = i;
          return ((CachedSpec *) thread->receive_cache[i])->spec;
        }
    }

  _gtasklet_thread_add_exit_func (receive_cache_clear);

  cached = g_new0 (CachedSpec, 1);
  cached->spec = _gtasklet_receive_spec_new (accept, defer, discard);
  cached->lists[0] = intern_list (accept);
  cached->lists[1] = intern_list (defer);
  cached->lists[2] = intern_list (discard);

  slot = thread->receive_cache_next++ % GTASKLET_THREAD_RECEIVE_SLOTS;
  g_clear_pointer (&thread->receive_cache[slot], cached_spec_free);
  thread->receive_cache[slot] = cached;
  thread->receive_cache_last = slot;

  return cached->spec;
}
