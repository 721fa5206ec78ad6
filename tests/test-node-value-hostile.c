/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Decoding what a hostile or broken peer may send: every "(sv)" gives a value or an error,
 * never a crash, a critical, a leak or a leaked file descriptor. */
#include "config.h"

#include <string.h>

#include "node-value-util.h"

static void
test_hostile (void)
{
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new ();
  GQuark dbus = G_DBUS_ERROR;
  int invalid = G_DBUS_ERROR_INVALID_ARGS;
  int open_before;
  struct { const char *text; gboolean with_fds; GQuark domain; int code; } cases[] = {
    { "('i', <'seven'>)", TRUE, dbus, invalid },
    { "('b', <1>)", TRUE, dbus, invalid },
    { "('s', <['a']>)", TRUE, dbus, invalid },
    { "('strv', <@aas [['a']]>)", TRUE, dbus, invalid },
    { "('', <@ay [1]>)", TRUE, dbus, invalid },
    { "('', <1>)", TRUE, dbus, invalid },
    { "('v', <5>)", TRUE, dbus, invalid },
    { "('v', <<handle 0>>)", TRUE, dbus, invalid },
    { "('v', <<@mi nothing>>)", TRUE, dbus, invalid },
    { "('v', <<[<()>]>>)", TRUE, dbus, invalid },
    { "('f', <1e300>)", TRUE, dbus, invalid },
    { "('f', <-1e39>)", TRUE, dbus, invalid },
    { "('nonsense', <1>)", TRUE, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE },
    { "('I', <1>)", TRUE, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE },
    { "('enum:GIOErrorEnum', <@u 1>)", TRUE, dbus, invalid },
    { "('enum:GObject', <1>)", TRUE, dbus, invalid },
    { "('enum:GEnum', <1>)", TRUE, dbus, invalid },
    { "('flags:GFlags', <@u 1>)", TRUE, dbus, invalid },
    { "('flags:GIOErrorEnum', <@u 1>)", TRUE, dbus, invalid },
    { "('enum:GFileQueryInfoFlags', <1>)", TRUE, dbus, invalid },
    { "('fd-list', <[handle 0, handle 1, handle 2, handle 3]>)", TRUE, dbus, invalid },
    { "('fd-list', <[handle 0, handle 3]>)", TRUE, dbus, invalid },
    { "('fd-list', <[handle 0, handle -1]>)", TRUE, dbus, invalid },
    { "('fd-list', <[handle 0]>)", FALSE, dbus, invalid },
    { "('fd-list', <@aah [[]]>)", TRUE, dbus, invalid },
    { "('fd-list', <[0]>)", TRUE, dbus, invalid },
    { "('gtype', <1>)", TRUE, dbus, invalid },
  };

  for (int i = 0; i < 2; i++)
    g_unix_fd_list_append (fds, 0, NULL);
  open_before = count_open_fds ();

  assert_decode_fails (g_variant_new_parsed ("('i', 1)"), fds, dbus, invalid);
  assert_decode_fails (g_variant_new_parsed ("('i', <1>, 2)"), fds, dbus, invalid);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].text);
      assert_decode_fails (g_variant_new_parsed (cases[i].text),
                           cases[i].with_fds ? fds : NULL, cases[i].domain, cases[i].code);
    }
  g_assert_cmpint (count_open_fds (), ==, open_before);
}

/* A random type string: mostly basic types, with containers (maybe types, empty tuples and
 * lone dict entries included: the decoder must refuse what D-Bus cannot carry). */
static void
random_type (GRand   *rand,
             int      depth,
             GString *out)
{
  static const char basics[] = "bynqiuxthdsogv";
  int r = g_rand_int_range (rand, 0, depth > 3 ? 14 : 20);

  if (r < 14)
    g_string_append_c (out, basics[r]);
  else if (r <= 15 || r == 16)
    {
      g_string_append_c (out, r == 16 ? 'm' : 'a');
      random_type (rand, depth + 1, out);
    }
  else if (r == 17)
    {
      int n = g_rand_int_range (rand, 0, 4);

      g_string_append_c (out, '(');
      for (int i = 0; i < n; i++)
        random_type (rand, depth + 1, out);
      g_string_append_c (out, ')');
    }
  else
    {
      g_string_append (out, r == 18 ? "a{" : "{");
      g_string_append_c (out, basics[g_rand_int_range (rand, 0, 13)]);
      random_type (rand, depth + 1, out);
      g_string_append_c (out, '}');
    }
}

static const char *tags[] = {
  "", "b", "c", "y", "i", "u", "l", "ul", "x", "t", "f", "d", "s", "v", "bytes", "strv",
  "fd-list", "gtype", "enum:GIOErrorEnum", "enum:NoSuchEnum", "flags:GFileQueryInfoFlags",
  "flags:NoSuchFlags", "enum:GObject", "flags:GFlags", "nonsense",
};
static const char *bodies[] = {
  "ay", "b", "y", "y", "i", "u", "x", "t", "x", "t", "d", "d", "s", "v", "ay", "as",
  "ah", "s", "i", "i", "u", "u", "i", "u", "s",
};
static const char *strings[] = {
  "", "a", "GObject", "NoSuchType", "gchararray", "GUnixFDList", "\xc3\xa9", "enum:",
};

static guint64
random_u64 (GRand *rand)
{
  return ((guint64) g_rand_int (rand) << 32) | g_rand_int (rand);
}

static GVariant *
random_value (GRand              *rand,
              const GVariantType *type,
              int                 depth)
{
  const char *t = (const char *) type;
  g_autoptr (GPtrArray) children = NULL;
  g_autoptr (GString) inner = NULL;
  g_autoptr (GVariantType) inner_type = NULL;
  int n;

  switch (t[0])
    {
    case 'b': return g_variant_new_boolean (g_rand_boolean (rand));
    case 'y': return g_variant_new_byte (g_rand_int (rand));
    case 'n': return g_variant_new_int16 (g_rand_int (rand));
    case 'q': return g_variant_new_uint16 (g_rand_int (rand));
    case 'i': return g_variant_new_int32 (g_rand_int_range (rand, -3, 3));
    case 'u': return g_variant_new_uint32 (g_rand_int (rand));
    case 'x': return g_variant_new_int64 ((gint64) random_u64 (rand));
    case 't': return g_variant_new_uint64 (random_u64 (rand));
    case 'h': return g_variant_new_handle (g_rand_int_range (rand, -2, 5));
    case 'd':
      {
        guint64 bits = random_u64 (rand);
        double d;

        memcpy (&d, &bits, sizeof d);
        return g_variant_new_double (g_rand_boolean (rand) ? d : g_rand_double_range (rand, -1e40, 1e40));
      }
    case 's': return g_variant_new_string (strings[g_rand_int_range (rand, 0, G_N_ELEMENTS (strings))]);
    case 'o': return g_variant_new_object_path (g_rand_boolean (rand) ? "/" : "/a/b");
    case 'g': return g_variant_new_signature (g_rand_boolean (rand) ? "" : "a{sv}");
    case 'v':
      inner = g_string_new (NULL);
      random_type (rand, depth + 1, inner);
      inner_type = g_variant_type_new (inner->str);
      return g_variant_new_variant (random_value (rand, inner_type, depth + 1));
    case 'm':
      if (g_rand_boolean (rand))
        return g_variant_new_maybe (g_variant_type_element (type), NULL);
      return g_variant_new_maybe (NULL, random_value (rand, g_variant_type_element (type),
                                                      depth + 1));
    case 'a':
      n = g_rand_int_range (rand, 0, 4);
      children = g_ptr_array_new ();
      for (int i = 0; i < n; i++)
        g_ptr_array_add (children, random_value (rand, g_variant_type_element (type), depth + 1));
      return g_variant_new_array (g_variant_type_element (type),
                                  (GVariant **) children->pdata, n);
    case '(':
    case '{':
      children = g_ptr_array_new ();
      for (const GVariantType *item = g_variant_type_first (type); item != NULL;
           item = g_variant_type_next (item))
        g_ptr_array_add (children, random_value (rand, item, depth + 1));
      if (t[0] == '{')
        return g_variant_new_dict_entry (children->pdata[0], children->pdata[1]);
      return g_variant_new_tuple ((GVariant **) children->pdata, children->len);
    default:
      g_assert_not_reached ();
    }
}

/* Decodes @encoded, which may be anything of type "(sv)": a value (that encodes again) or an
 * error, nothing else. Returns whether it decoded. */
static gboolean
decode_anything (GVariant    *encoded,
                 GUnixFDList *fds)
{
  g_auto (GValue) out = G_VALUE_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) again = NULL;
  g_autoptr (GUnixFDList) fds_again = g_unix_fd_list_new ();

  if (!_gtasklet_node_value_decode (encoded, fds, &out, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (G_VALUE_TYPE (&out) == G_TYPE_INVALID);
      g_assert_true (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS) ||
                     g_error_matches (error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return FALSE;
    }
  g_assert_no_error (error);
  again = _gtasklet_node_value_encode (&out, fds_again, 0, &error);
  g_assert_no_error (error);
  return TRUE;
}

#define N_RANDOM 10000

static void
test_random_bytes (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1313);
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new ();
  int decoded = 0;

  g_unix_fd_list_append (fds, 0, NULL);
  for (int i = 0; i < 2 * N_RANDOM; i++)
    {
      g_autoptr (GByteArray) data = g_byte_array_new ();
      g_autoptr (GVariant) raw = NULL;
      g_autoptr (GVariant) normal = NULL;
      gpointer bytes;
      gsize size;

      if (i < N_RANDOM)
        {
          /* Bytes, nothing more. */
          int n = g_rand_int_range (rand, 0, 80);

          for (int j = 0; j < n; j++)
            g_byte_array_append (data, (guint8[]) { g_rand_int (rand) }, 1);
        }
      else
        {
          /* The layout of a "(sv)" (the tag, padding, the body's bytes and type, the offset
           * of the tag's end) around a known tag and random body bytes, so that the decoder
           * gets past the tag. */
          gsize k = g_rand_int_range (rand, 0, G_N_ELEMENTS (tags));
          const char *type = g_rand_boolean (rand) ? bodies[k] : "ai";
          int n = g_rand_int_range (rand, 0, 24);
          guint8 tag_end;

          g_byte_array_append (data, (const guint8 *) tags[k], strlen (tags[k]) + 1);
          tag_end = data->len;
          while (data->len % 8 != 0)
            g_byte_array_append (data, (guint8[]) { 0 }, 1);
          for (int j = 0; j < n; j++)
            g_byte_array_append (data, (guint8[]) { g_rand_int_range (rand, 0, 4) }, 1);
          g_byte_array_append (data, (guint8[]) { 0 }, 1);
          g_byte_array_append (data, (const guint8 *) type, strlen (type));
          g_byte_array_append (data, &tag_end, 1);
        }

      size = data->len;
      bytes = g_byte_array_free (g_steal_pointer (&data), FALSE);
      /* Untrusted, as what a peer sends. */
      raw = g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE ("(sv)"), bytes, size,
                                                         FALSE, g_free, bytes));
      normal = g_variant_get_normal_form (raw);
      decode_anything (raw, g_rand_boolean (rand) ? fds : NULL);
      decoded += decode_anything (normal, g_rand_boolean (rand) ? fds : NULL);
    }
  g_test_message ("%d of %d decoded", decoded, 2 * N_RANDOM);
}

static void
test_random_typed (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (1313);
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new ();
  int decoded = 0, open_before;

  for (int i = 0; i < 3; i++)
    g_unix_fd_list_append (fds, 0, NULL);
  open_before = count_open_fds ();
  for (int i = 0; i < N_RANDOM; i++)
    {
      gsize k = g_rand_int_range (rand, 0, G_N_ELEMENTS (tags));
      g_autoptr (GString) type = g_string_new (NULL);
      g_autoptr (GVariantType) body_type = NULL;
      g_autoptr (GVariant) encoded = NULL;

      if (g_rand_int_range (rand, 0, 3) == 0)
        random_type (rand, 0, type);
      else
        g_string_append (type, bodies[k]);
      body_type = g_variant_type_new (type->str);
      encoded = g_variant_ref_sink (g_variant_new ("(sv)", tags[k],
                                                   random_value (rand, body_type, 0)));
      decoded += decode_anything (encoded, g_rand_boolean (rand) ? fds : NULL);
    }
  g_assert_cmpint (count_open_fds (), ==, open_before);
  g_test_message ("%d of %d decoded", decoded, N_RANDOM);
  g_assert_cmpint (decoded, >, N_RANDOM / 4);
}


int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Registered whichever tests run: the tags name them. */
  g_type_ensure (G_TYPE_IO_ERROR_ENUM);
  g_type_ensure (G_TYPE_FILE_QUERY_INFO_FLAGS);

  g_test_add_func ("/gtasklet/node-value/hostile", test_hostile);
  g_test_add_func ("/gtasklet/node-value/random-bytes", test_random_bytes);
  g_test_add_func ("/gtasklet/node-value/random-typed", test_random_typed);

  return g_test_run ();
}
