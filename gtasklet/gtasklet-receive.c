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

/* A spec built for gtasklet_tasklet_receive(), with the lists it was built from: callers
 * from C usually pass the same static arrays at every step, bindings pass new arrays with
 * the same names, so the contents are what identifies a spec. */
typedef struct
{
  GtaskletReceiveSpec *spec;
  GStrv                lists[3];
} CachedSpec;

static gboolean
strv_same (const char * const *a,
           const char * const *b)
{
  guint i;

  if (a == NULL || b == NULL)
    return (a == NULL || a[0] == NULL) && (b == NULL || b[0] == NULL);
  for (i = 0; a[i] != NULL && b[i] != NULL; i++)
    if (a[i] != b[i] && strcmp (a[i], b[i]) != 0)
      return FALSE;
  return a[i] == NULL && b[i] == NULL;
}

static void
cached_spec_free (CachedSpec *cached)
{
  _gtasklet_receive_spec_unref (cached->spec);
  for (guint i = 0; i < 3; i++)
    g_strfreev (cached->lists[i]);
  g_free (cached);
}

static void
receive_cache_clear (GtaskletThread *thread)
{
  for (guint i = 0; i < GTASKLET_THREAD_RECEIVE_SLOTS; i++)
    g_clear_pointer (&thread->receive_cache[i], cached_spec_free);
}

/* Returns a new reference to a spec for these lists, shared with earlier calls on this
 * thread that passed the same names. */
GtaskletReceiveSpec *
_gtasklet_receive_spec_get_cached (const char * const *accept,
                                   const char * const *defer,
                                   const char * const *discard)
{
  GtaskletThread *thread = _gtasklet_thread_get ();
  CachedSpec *cached;
  guint slot;

  for (guint i = 0; i < GTASKLET_THREAD_RECEIVE_SLOTS; i++)
    {
      cached = thread->receive_cache[i];
      if (cached != NULL &&
          strv_same ((const char * const *) cached->lists[0], accept) &&
          strv_same ((const char * const *) cached->lists[1], defer) &&
          strv_same ((const char * const *) cached->lists[2], discard))
        return _gtasklet_receive_spec_ref (cached->spec);
    }

  _gtasklet_thread_add_exit_func (receive_cache_clear);

  cached = g_new0 (CachedSpec, 1);
  cached->spec = _gtasklet_receive_spec_new (accept, defer, discard);
  cached->lists[0] = g_strdupv ((char **) accept);
  cached->lists[1] = g_strdupv ((char **) defer);
  cached->lists[2] = g_strdupv ((char **) discard);

  slot = thread->receive_cache_next++ % GTASKLET_THREAD_RECEIVE_SLOTS;
  g_clear_pointer (&thread->receive_cache[slot], cached_spec_free);
  thread->receive_cache[slot] = cached;

  return _gtasklet_receive_spec_ref (cached->spec);
}
