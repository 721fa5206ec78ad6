/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* GValue copies without the type system's round trips for the values that live in the GValue
 * itself: a message or a result that is an int costs a struct copy. */

/* The fundamental types whose GValue holds the whole value in place (numbers, booleans,
 * pointers): copying the struct copies the value, and there is nothing to free. */
static inline gboolean
_gtasklet_value_is_inline (GType type)
{
  return type >= G_TYPE_CHAR && type <= G_TYPE_DOUBLE &&
         type != G_TYPE_ENUM && type != G_TYPE_FLAGS;
}

/* Copies @src into the unset @dest. */
static inline void
_gtasklet_value_copy_into (GValue       *dest,
                           const GValue *src)
{
  GType type = G_VALUE_TYPE (src);

  if (_gtasklet_value_is_inline (type) || type == G_TYPE_POINTER)
    {
      *dest = *src;
      return;
    }
  g_value_init (dest, type);
  g_value_copy (src, dest);
}

static inline void
_gtasklet_value_clear (GValue *value)
{
  GType type = G_VALUE_TYPE (value);

  if (type == G_TYPE_INVALID)
    return;
  if (_gtasklet_value_is_inline (type) || type == G_TYPE_POINTER)
    *value = (GValue) G_VALUE_INIT;
  else
    g_value_unset (value);
}

G_END_DECLS
