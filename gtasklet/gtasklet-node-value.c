/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "gtasklet-error.h"
#include "gtasklet-node-value-private.h"

/* The wire format of a message value: a "(sv)", a tag and a body.
 *
 * | Tag          | GType (both sides)        | Body              | NULL value       |
 * |--------------|---------------------------|-------------------|------------------|
 * | ""           | none (an unset GValue)    | `@ay []`          |                  |
 * | "b"          | gboolean                  | b                 |                  |
 * | "c"          | gchar (G_TYPE_CHAR)       | y (two's compl.)  |                  |
 * | "y"          | guchar                    | y                 |                  |
 * | "i"          | gint                      | i                 |                  |
 * | "u"          | guint                     | u                 |                  |
 * | "l"          | glong                     | x                 |                  |
 * | "ul"         | gulong                    | t                 |                  |
 * | "x"          | gint64                    | x                 |                  |
 * | "t"          | guint64                   | t                 |                  |
 * | "f"          | gfloat                    | d                 |                  |
 * | "d"          | gdouble                   | d                 |                  |
 * | "s"          | gchararray                | s                 | `@as []`         |
 * | "v"          | GVariant                  | v (the value)     | `@av []`         |
 * | "bytes"      | GBytes                    | ay                | `@aay []`        |
 * | "strv"       | GStrv                     | as                | `@aas []`        |
 * | "fd-list"    | GUnixFDList               | ah                | `@aah []`        |
 * | "gtype"      | GType                     | s (type name)     |                  |
 * | "enum:NAME"  | enum type NAME (or gint)  | i                 |                  |
 * | "flags:NAME" | flags type NAME (or guint)| u                 |                  |
 *
 * Tags are wire names, not GType names, so they never change with GLib. A NULL string, boxed
 * value or object is an empty array of its body's type: D-Bus has no maybe types and no empty
 * structures. A GVariant goes inside a second variant so that a NULL one (`@av []`) and a
 * value that is itself an empty `av` stay apart.
 *
 * - glong and gulong travel as 64 bits; a receiver whose long is narrower refuses a value
 *   that does not fit it. gfloat travels as a double (exact), NaN and infinities included.
 * - Strings (in "s", "strv" and inside GVariants) must be UTF-8, as D-Bus requires.
 * - A GVariant must be something D-Bus can carry: no maybe types, no empty tuples, no dict
 *   entries outside arrays, no handles (a handle means nothing in another process: send a
 *   GUnixFDList), and no deeper than GTASKLET_NODE_VALUE_MAX_DEPTH.
 * - "fd-list": each handle indexes the file descriptors of the D-Bus message. The receiver
 *   gets a new GUnixFDList holding its own dups of them.
 * - "gtype": the type name, "" for G_TYPE_INVALID; a name this process has not registered
 *   is refused.
 * - "enum:NAME" and "flags:NAME": if this process has not registered NAME (its get_type()
 *   never ran: the library that defines it is not loaded, or has not used it yet), the value
 *   arrives as a plain gint or guint rather than as an error: the number is what the sender
 *   meant, and a receiver that knows the type converts it when it uses it, where failing
 *   would lose the message. A NAME registered here as something else is refused.
 *
 * A receiver refuses a body of another type than its tag's (G_DBUS_ERROR_INVALID_ARGS) and a
 * tag it does not know (GTASKLET_ERROR_NOT_SERIALIZABLE): new types need new tags.
 *
 * Errors ("(sis)"): the domain's name (g_quark_to_string()), the code and the message;
 * no error is ("", 0, ""). */

typedef enum
{
  BODY_PLAIN,
  BODY_NULLABLE,
} BodyKind;

typedef struct
{
  const char *tag;
  const char *body;
  BodyKind    kind;
  GType       fundamental;        /* for fundamental types: compile-time constants */
  GType     (*get_type) (void);   /* for the others */
} Codec;

static const Codec codecs[] = {
  { "",        "ay", BODY_PLAIN,    G_TYPE_INVALID, NULL },
  { "b",       "b",  BODY_PLAIN,    G_TYPE_BOOLEAN, NULL },
  { "c",       "y",  BODY_PLAIN,    G_TYPE_CHAR,    NULL },
  { "y",       "y",  BODY_PLAIN,    G_TYPE_UCHAR,   NULL },
  { "i",       "i",  BODY_PLAIN,    G_TYPE_INT,     NULL },
  { "u",       "u",  BODY_PLAIN,    G_TYPE_UINT,    NULL },
  { "l",       "x",  BODY_PLAIN,    G_TYPE_LONG,    NULL },
  { "ul",      "t",  BODY_PLAIN,    G_TYPE_ULONG,   NULL },
  { "x",       "x",  BODY_PLAIN,    G_TYPE_INT64,   NULL },
  { "t",       "t",  BODY_PLAIN,    G_TYPE_UINT64,  NULL },
  { "f",       "d",  BODY_PLAIN,    G_TYPE_FLOAT,   NULL },
  { "d",       "d",  BODY_PLAIN,    G_TYPE_DOUBLE,  NULL },
  { "s",       "s",  BODY_NULLABLE, G_TYPE_STRING,  NULL },
  { "v",       "v",  BODY_NULLABLE, G_TYPE_VARIANT, NULL },
  { "bytes",   "ay", BODY_NULLABLE, G_TYPE_INVALID, g_bytes_get_type },
  { "strv",    "as", BODY_NULLABLE, G_TYPE_INVALID, g_strv_get_type },
  { "fd-list", "ah", BODY_NULLABLE, G_TYPE_INVALID, g_unix_fd_list_get_type },
  { "gtype",   "s",  BODY_PLAIN,    G_TYPE_INVALID, g_gtype_get_type },
};

static GType
codec_type (const Codec *codec)
{
  return codec->get_type != NULL ? codec->get_type () : codec->fundamental;
}

static const Codec *
codec_for_type (GType type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (codec_type (&codecs[i]) == type)
      return &codecs[i];
  return NULL;
}

static const Codec *
codec_for_tag (const char *tag)
{
  for (gsize i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (strcmp (codecs[i].tag, tag) == 0)
      return &codecs[i];
  return NULL;
}

static gboolean
value_is_null (const GValue *value)
{
  GType fundamental = G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value));

  if (fundamental == G_TYPE_STRING)
    return g_value_get_string (value) == NULL;
  if (fundamental == G_TYPE_VARIANT)
    return g_value_get_variant (value) == NULL;
  if (fundamental == G_TYPE_BOXED)
    return g_value_get_boxed (value) == NULL;
  if (fundamental == G_TYPE_OBJECT)
    return g_value_get_object (value) == NULL;
  return FALSE;
}

/* A tag or a type string from a peer, cut to a length fit for an error message. */
static char *
quote_for_message (const char *text)
{
  g_autofree char *start = NULL;

  if (g_utf8_strlen (text, -1) <= 64)
    return g_strdup (text);
  start = g_utf8_substring (text, 0, 61);
  return g_strconcat (start, "...", NULL);
}

static guint
type_depth (const GVariantType *type)
{
  guint depth = 0;

  if (g_variant_type_is_array (type) || g_variant_type_is_maybe (type))
    return 1 + type_depth (g_variant_type_element (type));
  if (g_variant_type_is_variant (type))
    return 1;
  if (!g_variant_type_is_tuple (type) && !g_variant_type_is_dict_entry (type))
    return 0;
  for (const GVariantType *item = g_variant_type_first (type);
       item != NULL;
       item = g_variant_type_next (item))
    depth = MAX (depth, type_depth (item));
  return depth + 1;
}

/* Why D-Bus could not carry a value of type @type_string (not looking inside variants), or
 * NULL if it could. @in_array: the value is an element of an array, where a dict entry
 * belongs. */
static const char *
dbus_type_problem (const char *type_string,
                   gboolean    in_array)
{
  if (strchr (type_string, 'm') != NULL)
    return "holds a maybe type, which D-Bus has no equivalent for";
  if (strchr (type_string, 'h') != NULL)
    return "holds a file descriptor handle, which means nothing in another process "
           "(send a GUnixFDList instead)";
  if (strstr (type_string, "()") != NULL)
    return "holds an empty tuple, which D-Bus does not allow";
  for (const char *p = strchr (type_string, '{'); p != NULL; p = strchr (p + 1, '{'))
    if (p == type_string ? !in_array : p[-1] != 'a')
      return "holds a dict entry outside an array, which D-Bus does not allow";
  return NULL;
}

/* Checks that D-Bus can carry @value, inside any variants it holds too; fails with @domain
 * and @code. @depth: how many containers enclose it. Only containers that may hold variants
 * are walked, so a large array of numbers costs nothing. */
static gboolean
check_dbus_variant (GVariant  *value,
                    guint      depth,
                    gboolean   in_array,
                    GQuark     domain,
                    int        code,
                    GError   **error)
{
  const char *type_string = g_variant_get_type_string (value);
  const char *problem = dbus_type_problem (type_string, in_array);
  GVariantIter iter;
  GVariant *child;

  if (problem != NULL)
    {
      g_autofree char *quoted = quote_for_message (type_string);

      g_set_error (error, domain, code, "The GVariant value of type %s %s", quoted, problem);
      return FALSE;
    }

  if (strchr (type_string, 'v') == NULL)
    {
      if (depth + type_depth (g_variant_get_type (value)) <= GTASKLET_NODE_VALUE_MAX_DEPTH)
        return TRUE;
    }
  else if (depth < GTASKLET_NODE_VALUE_MAX_DEPTH)
    {
      g_variant_iter_init (&iter, value);
      while ((child = g_variant_iter_next_value (&iter)) != NULL)
        {
          gboolean ok = check_dbus_variant (child, depth + 1, type_string[0] == 'a',
                                            domain, code, error);

          g_variant_unref (child);
          if (!ok)
            return FALSE;
        }
      return TRUE;
    }

  g_set_error (error, domain, code,
               "The GVariant value nests containers more than %d deep, which D-Bus does not "
               "allow", GTASKLET_NODE_VALUE_MAX_DEPTH);
  return FALSE;
}

static gboolean
check_utf8 (const char  *text,
            const char  *what,
            GError     **error)
{
  if (g_utf8_validate (text, -1, NULL))
    return TRUE;
  g_set_error (error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE,
               "The %s value is not valid UTF-8, which D-Bus requires of strings", what);
  return FALSE;
}

static void
set_unsupported (GError **error,
                 GType    type)
{
  g_set_error (error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE,
               "A value of type %s cannot be sent to another process: only no value, "
               "numbers, booleans, strings, enums, flags, GType, GVariant, GBytes, GStrv "
               "and GUnixFDList can", g_type_name (type));
}

/* The body of a non-NULL @value of @codec's type. Handles of a GUnixFDList are numbered
 * from @first_handle: the descriptors are appended only once the whole value is known to
 * fit. */
static GVariant *
encode_body (const Codec   *codec,
             const GValue  *value,
             int            first_handle,
             GError       **error)
{
  GType type = value != NULL ? G_VALUE_TYPE (value) : G_TYPE_INVALID;

  switch (codec->fundamental)
    {
    case G_TYPE_INVALID:
      break;
    case G_TYPE_BOOLEAN:
      return g_variant_new_boolean (g_value_get_boolean (value));
    case G_TYPE_CHAR:
      return g_variant_new_byte ((guchar) g_value_get_schar (value));
    case G_TYPE_UCHAR:
      return g_variant_new_byte (g_value_get_uchar (value));
    case G_TYPE_INT:
      return g_variant_new_int32 (g_value_get_int (value));
    case G_TYPE_UINT:
      return g_variant_new_uint32 (g_value_get_uint (value));
    case G_TYPE_LONG:
      return g_variant_new_int64 (g_value_get_long (value));
    case G_TYPE_ULONG:
      return g_variant_new_uint64 (g_value_get_ulong (value));
    case G_TYPE_INT64:
      return g_variant_new_int64 (g_value_get_int64 (value));
    case G_TYPE_UINT64:
      return g_variant_new_uint64 (g_value_get_uint64 (value));
    case G_TYPE_FLOAT:
      return g_variant_new_double (g_value_get_float (value));
    case G_TYPE_DOUBLE:
      return g_variant_new_double (g_value_get_double (value));
    case G_TYPE_STRING:
      if (!check_utf8 (g_value_get_string (value), "string", error))
        return NULL;
      return g_variant_new_string (g_value_get_string (value));
    case G_TYPE_VARIANT:
      if (!check_dbus_variant (g_value_get_variant (value), 0, FALSE,
                               GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE, error))
        return NULL;
      return g_variant_new_variant (g_value_get_variant (value));
    default:
      g_assert_not_reached ();
    }

  if (type == G_TYPE_INVALID)
    return g_variant_new_array (G_VARIANT_TYPE_BYTE, NULL, 0);

  if (type == G_TYPE_BYTES)
    {
      GBytes *bytes = g_value_get_boxed (value);
      gsize size;
      gconstpointer data = g_bytes_get_data (bytes, &size);

      return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, size, 1);
    }

  if (type == G_TYPE_STRV)
    {
      const char * const *strv = g_value_get_boxed (value);

      for (gsize i = 0; strv[i] != NULL; i++)
        if (!check_utf8 (strv[i], "string array", error))
          return NULL;
      return g_variant_new_strv (strv, -1);
    }

  if (type == G_TYPE_UNIX_FD_LIST)
    {
      GUnixFDList *list = g_value_get_object (value);
      int n = g_unix_fd_list_get_length (list);
      g_autofree GVariant **handles = g_new (GVariant *, MAX (n, 1));

      for (int i = 0; i < n; i++)
        handles[i] = g_variant_new_handle (first_handle + i);
      return g_variant_new_array (G_VARIANT_TYPE_HANDLE, handles, n);
    }

  if (type == G_TYPE_GTYPE)
    {
      GType gtype = g_value_get_gtype (value);

      return g_variant_new_string (gtype == G_TYPE_INVALID ? "" : g_type_name (gtype));
    }

  g_assert_not_reached ();
}

GVariant *
_gtasklet_node_value_encode (const GValue  *value,
                             GUnixFDList   *fds,
                             gsize          max_size,
                             GError       **error)
{
  GType type = value != NULL ? G_VALUE_TYPE (value) : G_TYPE_INVALID;
  const Codec *codec = NULL;
  g_autofree char *tag = NULL;
  g_autoptr (GVariant) encoded = NULL;
  GVariant *body = NULL;
  int first_handle = 0;
  GUnixFDList *list = NULL;

  g_return_val_if_fail (fds == NULL || G_IS_UNIX_FD_LIST (fds), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (G_TYPE_IS_ENUM (type))
    {
      tag = g_strconcat ("enum:", g_type_name (type), NULL);
      body = g_variant_new_int32 (g_value_get_enum (value));
    }
  else if (G_TYPE_IS_FLAGS (type))
    {
      tag = g_strconcat ("flags:", g_type_name (type), NULL);
      body = g_variant_new_uint32 (g_value_get_flags (value));
    }
  else if ((codec = codec_for_type (type)) == NULL)
    {
      set_unsupported (error, type);
      return NULL;
    }
  else
    {
      tag = g_strdup (codec->tag);
      if (codec->kind == BODY_NULLABLE && value_is_null (value))
        body = g_variant_new_array (G_VARIANT_TYPE (codec->body), NULL, 0);
      else
        {
          if (type == G_TYPE_UNIX_FD_LIST)
            {
              list = g_value_get_object (value);
              if (fds == NULL && g_unix_fd_list_get_length (list) > 0)
                {
                  g_set_error_literal (error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE,
                                       "A GUnixFDList value cannot be sent: the connection "
                                       "does not carry file descriptors");
                  return NULL;
                }
              first_handle = fds != NULL ? g_unix_fd_list_get_length (fds) : 0;
            }
          body = encode_body (codec, value, first_handle, error);
          if (body == NULL)
            return NULL;
        }
    }

  encoded = g_variant_ref_sink (g_variant_new ("(sv)", tag, body));

  if (max_size > 0 && g_variant_get_size (encoded) > max_size)
    {
      g_set_error (error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE,
                   "A value of type %s takes %" G_GSIZE_FORMAT " bytes encoded, more than "
                   "the %" G_GSIZE_FORMAT " bytes the peer accepts",
                   g_type_name (type), g_variant_get_size (encoded), max_size);
      return NULL;
    }

  if (list != NULL)
    {
      int n = g_unix_fd_list_get_length (list);
      /* A copy: appending to @fds reallocates its array, which may be the value's own. */
      g_autofree int *sending = g_memdup2 (g_unix_fd_list_peek_fds (list, NULL),
                                           n * sizeof (int));

      for (int i = 0; i < n; i++)
        {
          g_autoptr (GError) local_error = NULL;
          int handle = g_unix_fd_list_append (fds, sending[i], &local_error);

          if (handle < 0)
            {
              g_set_error (error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE,
                           "A GUnixFDList value cannot be sent: %s", local_error->message);
              return NULL;
            }
          /* The handles were numbered from the list's length before: nothing else appends
           * in between. */
          g_assert (handle == first_handle + i);
        }
    }

  return g_steal_pointer (&encoded);
}

static gboolean
set_malformed (GError     **error,
               const char  *format,
               ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_malformed (GError     **error,
               const char  *format,
               ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                                format, args));
  va_end (args);
  return FALSE;
}

/* "enum:NAME" and "flags:NAME" (see the table at the top for why a NAME unknown here gives a
 * plain number). */
static gboolean
decode_enum_or_flags (const char  *tag,
                      GVariant    *body,
                      GValue      *out,
                      GError     **error)
{
  gboolean is_enum = g_str_has_prefix (tag, "enum:");
  const char *name = tag + (is_enum ? strlen ("enum:") : strlen ("flags:"));
  const char *body_type = is_enum ? "i" : "u";
  GType type = g_type_from_name (name);
  g_autofree char *quoted = quote_for_message (name);

  if (!g_variant_is_of_type (body, G_VARIANT_TYPE (body_type)))
    return set_malformed (error, "A value tagged with type %s came as %s, not %s", quoted,
                          g_variant_get_type_string (body), body_type);

  if (type == G_TYPE_INVALID)
    type = is_enum ? G_TYPE_INT : G_TYPE_UINT;
  else if ((is_enum ? !G_TYPE_IS_ENUM (type) : !G_TYPE_IS_FLAGS (type)) ||
           G_TYPE_IS_ABSTRACT (type))
    return set_malformed (error, "A value tagged as %s type %s, which is not a concrete %s type "
                          "here", is_enum ? "enum" : "flags", quoted, is_enum ? "enum" : "flags");

  g_value_init (out, type);
  if (type == G_TYPE_INT)
    g_value_set_int (out, g_variant_get_int32 (body));
  else if (type == G_TYPE_UINT)
    g_value_set_uint (out, g_variant_get_uint32 (body));
  else if (is_enum)
    g_value_set_enum (out, g_variant_get_int32 (body));
  else
    g_value_set_flags (out, g_variant_get_uint32 (body));
  return TRUE;
}

/* A GUnixFDList of dups of the descriptors @handles name in @fds. */
static GUnixFDList *
decode_fd_list (GVariant     *handles,
                GUnixFDList  *fds,
                GError      **error)
{
  gsize n = g_variant_n_children (handles);
  int n_fds = fds != NULL ? g_unix_fd_list_get_length (fds) : 0;
  g_autofree int *dups = NULL;

  /* Each handle an encoder writes has a descriptor of its own in the message. */
  if (n > (gsize) n_fds)
    {
      set_malformed (error, "A GUnixFDList value has %" G_GSIZE_FORMAT " handles, but %d "
                     "file descriptors came with the message", n, n_fds);
      return NULL;
    }

  dups = g_new (int, n + 1);
  for (gsize i = 0; i < n; i++)
    {
      int handle;

      g_variant_get_child (handles, i, "h", &handle);
      if (handle < 0 || handle >= n_fds)
        set_malformed (error, "A GUnixFDList value has handle %d, but %d file descriptors "
                       "came with the message", handle, n_fds);
      else
        dups[i] = g_unix_fd_list_get (fds, handle, error);

      if (handle < 0 || handle >= n_fds || dups[i] < 0)
        {
          for (gsize j = 0; j < i; j++)
            close (dups[j]);
          return NULL;
        }
    }
  return g_unix_fd_list_new_from_array (dups, n);
}

/* The value @codec's tag and a body of @codec's body type give. */
static gboolean
decode_body (const Codec  *codec,
             GVariant     *body,
             GUnixFDList  *fds,
             GValue       *out,
             GError      **error)
{
  GType type = codec_type (codec);
  GVariant *inner;

  switch (codec->fundamental)
    {
    case G_TYPE_INVALID:
      break;
    case G_TYPE_BOOLEAN:
      g_value_init (out, type);
      g_value_set_boolean (out, g_variant_get_boolean (body));
      return TRUE;
    case G_TYPE_CHAR:
      g_value_init (out, type);
      g_value_set_schar (out, (gint8) g_variant_get_byte (body));
      return TRUE;
    case G_TYPE_UCHAR:
      g_value_init (out, type);
      g_value_set_uchar (out, g_variant_get_byte (body));
      return TRUE;
    case G_TYPE_INT:
      g_value_init (out, type);
      g_value_set_int (out, g_variant_get_int32 (body));
      return TRUE;
    case G_TYPE_UINT:
      g_value_init (out, type);
      g_value_set_uint (out, g_variant_get_uint32 (body));
      return TRUE;
    case G_TYPE_LONG:
#if GLIB_SIZEOF_LONG < 8
      if (g_variant_get_int64 (body) < G_MINLONG || g_variant_get_int64 (body) > G_MAXLONG)
        return set_malformed (error, "The long value %" G_GINT64_FORMAT " does not fit a "
                              "long here", g_variant_get_int64 (body));
#endif
      g_value_init (out, type);
      g_value_set_long (out, (glong) g_variant_get_int64 (body));
      return TRUE;
    case G_TYPE_ULONG:
#if GLIB_SIZEOF_LONG < 8
      if (g_variant_get_uint64 (body) > G_MAXULONG)
        return set_malformed (error, "The unsigned long value %" G_GUINT64_FORMAT " does not "
                              "fit an unsigned long here", g_variant_get_uint64 (body));
#endif
      g_value_init (out, type);
      g_value_set_ulong (out, (gulong) g_variant_get_uint64 (body));
      return TRUE;
    case G_TYPE_INT64:
      g_value_init (out, type);
      g_value_set_int64 (out, g_variant_get_int64 (body));
      return TRUE;
    case G_TYPE_UINT64:
      g_value_init (out, type);
      g_value_set_uint64 (out, g_variant_get_uint64 (body));
      return TRUE;
    case G_TYPE_FLOAT:
      /* Converting a finite double beyond float's range is undefined behaviour in C; what an
       * encoder writes always fits. */
      if (isfinite (g_variant_get_double (body)) && fabs (g_variant_get_double (body)) > G_MAXFLOAT)
        return set_malformed (error, "The float value %g is out of a float's range",
                              g_variant_get_double (body));
      g_value_init (out, type);
      g_value_set_float (out, (float) g_variant_get_double (body));
      return TRUE;
    case G_TYPE_DOUBLE:
      g_value_init (out, type);
      g_value_set_double (out, g_variant_get_double (body));
      return TRUE;
    case G_TYPE_STRING:
      g_value_init (out, type);
      g_value_set_string (out, g_variant_get_string (body, NULL));
      return TRUE;
    case G_TYPE_VARIANT:
      inner = g_variant_get_variant (body);
      if (!check_dbus_variant (inner, 0, FALSE, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS, error))
        {
          g_variant_unref (inner);
          return FALSE;
        }
      g_value_init (out, type);
      g_value_take_variant (out, inner);
      return TRUE;
    default:
      g_assert_not_reached ();
    }

  if (type == G_TYPE_INVALID)
    {
      if (g_variant_n_children (body) != 0)
        return set_malformed (error, "A message without a value came with %" G_GSIZE_FORMAT
                              " bytes of one, not an empty array", g_variant_n_children (body));
      return TRUE;
    }

  if (type == G_TYPE_BYTES)
    {
      g_value_init (out, type);
      g_value_take_boxed (out, g_variant_get_data_as_bytes (body));
      return TRUE;
    }

  if (type == G_TYPE_STRV)
    {
      g_value_init (out, type);
      g_value_take_boxed (out, g_variant_dup_strv (body, NULL));
      return TRUE;
    }

  if (type == G_TYPE_UNIX_FD_LIST)
    {
      GUnixFDList *list = decode_fd_list (body, fds, error);

      if (list == NULL)
        return FALSE;
      g_value_init (out, type);
      g_value_take_object (out, list);
      return TRUE;
    }

  if (type == G_TYPE_GTYPE)
    {
      const char *name = g_variant_get_string (body, NULL);
      GType gtype = name[0] != '\0' ? g_type_from_name (name) : G_TYPE_INVALID;

      if (name[0] != '\0' && gtype == G_TYPE_INVALID)
        {
          g_autofree char *quoted = quote_for_message (name);

          g_set_error (error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE,
                       "A GType value names %s, which this process has not registered", quoted);
          return FALSE;
        }
      g_value_init (out, type);
      g_value_set_gtype (out, gtype);
      return TRUE;
    }

  g_assert_not_reached ();
}

gboolean
_gtasklet_node_value_decode (GVariant     *encoded,
                             GUnixFDList  *fds,
                             GValue       *out,
                             GError      **error)
{
  const char *tag;
  g_autoptr (GVariant) body = NULL;
  g_autoptr (GVariantType) null_type = NULL;
  g_autofree char *quoted = NULL;
  const Codec *codec;

  g_return_val_if_fail (encoded != NULL, FALSE);
  g_return_val_if_fail (fds == NULL || G_IS_UNIX_FD_LIST (fds), FALSE);
  g_return_val_if_fail (out != NULL && G_VALUE_TYPE (out) == G_TYPE_INVALID, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_variant_is_of_type (encoded, G_VARIANT_TYPE ("(sv)")))
    return set_malformed (error, "A message value came as %s, not (sv)",
                          g_variant_get_type_string (encoded));

  g_variant_get (encoded, "(&sv)", &tag, &body);
  quoted = quote_for_message (tag);

  if (g_str_has_prefix (tag, "enum:") || g_str_has_prefix (tag, "flags:"))
    return decode_enum_or_flags (tag, body, out, error);

  codec = codec_for_tag (tag);
  if (codec == NULL)
    {
      g_set_error (error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE,
                   "A message value came with the type tag \"%s\", which this version of "
                   "gtasklet does not know", quoted);
      return FALSE;
    }

  null_type = g_variant_type_new_array (G_VARIANT_TYPE (codec->body));
  if (codec->kind == BODY_NULLABLE && g_variant_is_of_type (body, null_type))
    {
      if (g_variant_n_children (body) != 0)
        return set_malformed (error, "A NULL value tagged \"%s\" came as %s with "
                              "%" G_GSIZE_FORMAT " items, not an empty array", quoted,
                              g_variant_get_type_string (body), g_variant_n_children (body));
      g_value_init (out, codec_type (codec));
      return TRUE;
    }

  if (!g_variant_is_of_type (body, G_VARIANT_TYPE (codec->body)))
    return set_malformed (error, "A value tagged \"%s\" came as %s, not %s", quoted,
                          g_variant_get_type_string (body), codec->body);

  return decode_body (codec, body, fds, out, error);
}

GVariant *
_gtasklet_node_error_encode (const GError *error)
{
  g_autofree char *domain = NULL;
  g_autofree char *message = NULL;

  if (error == NULL)
    return g_variant_ref_sink (g_variant_new ("(sis)", "", 0, ""));

  /* GError messages are meant to be UTF-8 but often quote file names that are not; D-Bus
   * would refuse the whole message. */
  domain = g_utf8_make_valid (error->domain != 0 ? g_quark_to_string (error->domain) : "", -1);
  message = g_utf8_make_valid (error->message != NULL ? error->message : "", -1);
  return g_variant_ref_sink (g_variant_new ("(sis)", domain, error->code, message));
}

GError *
_gtasklet_node_error_decode (GVariant *encoded)
{
  const char *domain;
  int code;
  const char *message;

  g_return_val_if_fail (encoded != NULL, NULL);

  if (!g_variant_is_of_type (encoded, G_VARIANT_TYPE ("(sis)")))
    return g_error_new (G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                        "A remote error came as %s, not (sis)",
                        g_variant_get_type_string (encoded));

  g_variant_get (encoded, "(&si&s)", &domain, &code, &message);
  if (domain[0] == '\0' && code == 0 && message[0] == '\0')
    return NULL;
  if (domain[0] == '\0')
    return g_error_new (G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                        "A remote error came without a domain (code %d): %s", code, message);
  /* Interned for good, as every error domain is: a peer could grow this process's quark
   * table, one distinct name at a time. */
  return g_error_new_literal (g_quark_from_string (domain), code, message);
}
