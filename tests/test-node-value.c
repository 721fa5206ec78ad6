/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "node-value-util.h"

static void
test_no_value (void)
{
  GValue unset = G_VALUE_INIT;
  g_auto (GValue) out = G_VALUE_INIT;

  round_trip (NULL, "", &out);
  g_assert_true (G_VALUE_TYPE (&out) == G_TYPE_INVALID);
  round_trip (&unset, "", &out);
  g_assert_true (G_VALUE_TYPE (&out) == G_TYPE_INVALID);
}

static void
test_numbers (void)
{
  double doubles[] = { 0.0, -0.0, 1.5, -1e300, DBL_MIN, DBL_MAX, 4.9e-324, INFINITY,
                       -INFINITY, NAN };
  float floats[] = { 0.0f, -0.0f, 0.1f, FLT_MIN, FLT_MAX, -FLT_MAX, 1e-45f, INFINITY,
                     -INFINITY, NAN };

  CHECK (G_TYPE_BOOLEAN, g_value_set_boolean, TRUE, "b");
  CHECK (G_TYPE_BOOLEAN, g_value_set_boolean, FALSE, "b");
  CHECK (G_TYPE_CHAR, g_value_set_schar, -128, "c");
  CHECK (G_TYPE_CHAR, g_value_set_schar, 127, "c");
  CHECK (G_TYPE_CHAR, g_value_set_schar, -1, "c");
  CHECK (G_TYPE_UCHAR, g_value_set_uchar, 255, "y");
  CHECK (G_TYPE_UCHAR, g_value_set_uchar, 0, "y");
  CHECK (G_TYPE_INT, g_value_set_int, G_MININT, "i");
  CHECK (G_TYPE_INT, g_value_set_int, G_MAXINT, "i");
  CHECK (G_TYPE_UINT, g_value_set_uint, G_MAXUINT, "u");
  CHECK (G_TYPE_LONG, g_value_set_long, G_MINLONG, "l");
  CHECK (G_TYPE_LONG, g_value_set_long, G_MAXLONG, "l");
  CHECK (G_TYPE_ULONG, g_value_set_ulong, G_MAXULONG, "ul");
  CHECK (G_TYPE_INT64, g_value_set_int64, G_MININT64, "x");
  CHECK (G_TYPE_INT64, g_value_set_int64, G_MAXINT64, "x");
  CHECK (G_TYPE_UINT64, g_value_set_uint64, G_MAXUINT64, "t");
  CHECK (G_TYPE_UINT64, g_value_set_uint64, 0, "t");
  for (gsize i = 0; i < G_N_ELEMENTS (doubles); i++)
    CHECK (G_TYPE_DOUBLE, g_value_set_double, doubles[i], "d");
  for (gsize i = 0; i < G_N_ELEMENTS (floats); i++)
    CHECK (G_TYPE_FLOAT, g_value_set_float, floats[i], "f");
}

static void
test_strings (void)
{
  g_autofree char *long_string = g_strnfill (100000, 'x');
  const char * const empty[] = { NULL };
  const char * const some[] = { "", "a", "\xc3\xa9t\xc3\xa9", NULL };

  CHECK (G_TYPE_STRING, g_value_set_string, "hello", "s");
  CHECK (G_TYPE_STRING, g_value_set_string, "", "s");
  CHECK (G_TYPE_STRING, g_value_set_string, NULL, "s");
  CHECK (G_TYPE_STRING, g_value_set_string, "\xe2\x82\xac \xf0\x9f\x90\x8d", "s");
  CHECK (G_TYPE_STRING, g_value_set_string, long_string, "s");
  CHECK (G_TYPE_STRV, g_value_set_boxed, NULL, "strv");
  CHECK (G_TYPE_STRV, g_value_set_boxed, empty, "strv");
  CHECK (G_TYPE_STRV, g_value_set_boxed, some, "strv");
}

static void
test_non_utf8 (void)
{
  const char * const strv[] = { "fine", "caf\xe9", NULL };
  g_auto (GValue) v = G_VALUE_INIT;
  g_auto (GValue) s = G_VALUE_INIT;

  g_value_init (&s, G_TYPE_STRING);
  g_value_set_string (&s, "caf\xe9");
  assert_encode_fails (&s, 0, "UTF-8");
  g_value_init (&v, G_TYPE_STRV);
  g_value_set_boxed (&v, strv);
  assert_encode_fails (&v, 0, "UTF-8");
}

static void
test_variant (void)
{
  GVariant *values[] = {
    g_variant_new_int32 (7),
    g_variant_new_string (""),
    g_variant_new_parsed ("{'a': <1>, 'b': <[<'x'>, <@ay []>]>}"),
    g_variant_new_parsed ("@av []"),
    g_variant_new_parsed ("@aay []"),
    g_variant_new_parsed ("<<<(1, 'x', objectpath '/a', signature 'a{sv}')>>>"),
    g_variant_new_parsed ("[(byte 1, int16 -2, uint16 3, int64 -4, 5.5, true)]"),
  };

  CHECK (G_TYPE_VARIANT, g_value_set_variant, NULL, "v");
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    CHECK (G_TYPE_VARIANT, g_value_set_variant, values[i], "v");
}

static void
test_variant_not_dbus (void)
{
  GVariant *deep = g_variant_new_int32 (1);
  g_autoptr (GVariant) ok = NULL;
  struct { const char *text; const char *problem; } cases[] = {
    { "@mi 5", "maybe" },
    { "<@ms nothing>", "maybe" },
    { "[<<@mi nothing>>]", "maybe" },
    { "handle 3", "handle" },
    { "{'a': <handle 0>}", "handle" },
    { "()", "empty tuple" },
    { "(1, ())", "empty tuple" },
    { "<()>", "empty tuple" },
    { "{1, 'a'}", "dict entry" },
    { "[{1, <{2, 3}>}]", "dict entry" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (GValue) v = G_VALUE_INIT;

      g_value_init (&v, G_TYPE_VARIANT);
      g_value_set_variant (&v, g_variant_new_parsed (cases[i].text));
      assert_encode_fails (&v, 0, cases[i].problem);
    }

  for (int i = 0; i < GTASKLET_NODE_VALUE_MAX_DEPTH; i++)
    deep = g_variant_new_variant (deep);
  ok = g_variant_ref_sink (deep);
  CHECK (G_TYPE_VARIANT, g_value_set_variant, ok, "v");
  {
    g_auto (GValue) v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_VARIANT);
    g_value_set_variant (&v, g_variant_new_variant (ok));
    assert_encode_fails (&v, 0, "deep");
  }
}

static void
test_bytes (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (13);
  gsize big_size = 4 * 1024 * 1024 + 3;
  g_autofree guint8 *big = g_malloc (big_size);
  g_autoptr (GBytes) big_bytes = NULL;
  g_autoptr (GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr (GBytes) small = g_bytes_new ("a\0b", 3);

  for (gsize i = 0; i < big_size; i++)
    big[i] = g_rand_int (rand);
  big_bytes = g_bytes_new (big, big_size);

  CHECK (G_TYPE_BYTES, g_value_set_boxed, NULL, "bytes");
  CHECK (G_TYPE_BYTES, g_value_set_boxed, empty, "bytes");
  CHECK (G_TYPE_BYTES, g_value_set_boxed, small, "bytes");
  CHECK (G_TYPE_BYTES, g_value_set_boxed, big_bytes, "bytes");
}
static void
test_enum_flags (void)
{
  g_auto (GValue) out = G_VALUE_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) unknown_enum = NULL;
  g_autoptr (GVariant) unknown_flags = NULL;

  CHECK (G_TYPE_IO_ERROR_ENUM, g_value_set_enum, G_IO_ERROR_NOT_FOUND, "enum:GIOErrorEnum");
  CHECK (G_TYPE_IO_ERROR_ENUM, g_value_set_enum, 12345, "enum:GIOErrorEnum");
  CHECK (G_TYPE_FILE_QUERY_INFO_FLAGS, g_value_set_flags, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
         "flags:GFileQueryInfoFlags");
  CHECK (G_TYPE_FILE_QUERY_INFO_FLAGS, g_value_set_flags, 0, "flags:GFileQueryInfoFlags");
  CHECK (GTASKLET_TYPE_ERROR, g_value_set_enum, GTASKLET_ERROR_NOT_SERIALIZABLE,
         "enum:GtaskletError");

  /* A type the receiver never registered arrives as the plain number. */
  unknown_enum = g_variant_ref_sink (g_variant_new_parsed ("('enum:NoSuchEnumHere', <-3>)"));
  g_assert_true (_gtasklet_node_value_decode (unknown_enum, NULL, &out, &error));
  g_assert_no_error (error);
  g_assert_true (G_VALUE_TYPE (&out) == G_TYPE_INT);
  g_assert_cmpint (g_value_get_int (&out), ==, -3);
  g_value_unset (&out);

  unknown_flags = g_variant_ref_sink (g_variant_new_parsed ("('flags:NoSuchFlags', <@u 6>)"));
  g_assert_true (_gtasklet_node_value_decode (unknown_flags, NULL, &out, &error));
  g_assert_no_error (error);
  g_assert_true (G_VALUE_TYPE (&out) == G_TYPE_UINT);
  g_assert_cmpuint (g_value_get_uint (&out), ==, 6);
}

static void
test_gtype (void)
{
  CHECK (G_TYPE_GTYPE, g_value_set_gtype, G_TYPE_STRING, "gtype");
  CHECK (G_TYPE_GTYPE, g_value_set_gtype, G_TYPE_INVALID, "gtype");
  CHECK (G_TYPE_GTYPE, g_value_set_gtype, G_TYPE_UNIX_FD_LIST, "gtype");
  assert_decode_fails (g_variant_new_parsed ("('gtype', <'NoSuchTypeHere'>)"), NULL,
                       GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE);
}

static void
test_fd_list (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUnixFDList) sent = g_unix_fd_list_new ();
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr (GUnixFDList) received = NULL;
  g_autoptr (GVariant) encoded = NULL;
  g_autoptr (GVariant) body = NULL;
  g_autofree int *stolen = NULL;
  g_auto (GValue) v = G_VALUE_INIT;
  g_auto (GValue) out = G_VALUE_INIT;
  GUnixFDList *got;
  int pipe_fds[2], devnull, write_fd, n, open_before;
  char buf[8] = { 0 };

  open_before = count_open_fds ();
  g_assert_no_errno (pipe (pipe_fds));
  /* Something already in the message's list: the value's handles must come after it. */
  devnull = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (g_unix_fd_list_append (fds, devnull, NULL), ==, 0);
  close (devnull);

  g_assert_cmpint (g_unix_fd_list_append (sent, pipe_fds[1], NULL), ==, 0);
  close (pipe_fds[1]);
  g_value_init (&v, G_TYPE_UNIX_FD_LIST);
  g_value_set_object (&v, sent);
  encoded = _gtasklet_node_value_encode (&v, fds, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_unix_fd_list_get_length (fds), ==, 2);
  g_variant_get (encoded, "(&sv)", NULL, &body);
  g_assert_cmpstr (g_variant_get_type_string (body), ==, "ah");
  g_assert_cmpuint (g_variant_n_children (body), ==, 1);
  g_clear_object (&sent);
  g_value_unset (&v);

  /* What GDBus hands the receiver: its own descriptors, in the same order. */
  stolen = g_unix_fd_list_steal_fds (fds, &n);
  received = g_unix_fd_list_new_from_array (stolen, n);
  g_assert_true (_gtasklet_node_value_decode (encoded, received, &out, &error));
  g_assert_no_error (error);
  g_clear_object (&received);

  g_assert_true (G_VALUE_TYPE (&out) == G_TYPE_UNIX_FD_LIST);
  got = g_value_get_object (&out);
  g_assert_cmpint (g_unix_fd_list_get_length (got), ==, 1);
  write_fd = g_unix_fd_list_get (got, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (write_fd, "ping", 4), ==, 4);
  close (write_fd);
  g_value_unset (&out);
  g_assert_cmpint (read (pipe_fds[0], buf, sizeof buf), ==, 4);
  g_assert_cmpstr (buf, ==, "ping");
  /* Every copy of the write end is closed: the pipe reads end of file. */
  g_assert_cmpint (read (pipe_fds[0], buf, sizeof buf), ==, 0);
  close (pipe_fds[0]);
  g_assert_cmpint (count_open_fds (), ==, open_before);

  CHECK (G_TYPE_UNIX_FD_LIST, g_value_set_object, NULL, "fd-list");
}

static void
test_fd_list_without_fds (void)
{
  g_autoptr (GUnixFDList) empty = g_unix_fd_list_new ();
  g_autoptr (GUnixFDList) one = g_unix_fd_list_new ();
  g_autoptr (GVariant) encoded = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GValue) v = G_VALUE_INIT;
  g_auto (GValue) out = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_UNIX_FD_LIST);
  g_value_set_object (&v, empty);
  encoded = _gtasklet_node_value_encode (&v, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_true (_gtasklet_node_value_decode (encoded, NULL, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_unix_fd_list_get_length (g_value_get_object (&out)), ==, 0);
  g_clear_pointer (&encoded, g_variant_unref);

  g_unix_fd_list_append (one, 0, NULL);
  g_value_set_object (&v, one);
  encoded = _gtasklet_node_value_encode (&v, NULL, 0, &error);
  g_assert_null (encoded);
  g_assert_error (error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE);
}

static void
test_unsupported (void)
{
  g_autoptr (GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (GParamSpec) pspec = g_param_spec_ref_sink (g_param_spec_int ("n", NULL, NULL,
                                                                          0, 1, 0, 0));
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_auto (GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_POINTER);
  g_value_set_pointer (&v, &v);
  assert_encode_fails (&v, 0, "gpointer");
  g_value_unset (&v);
  g_value_init (&v, G_TYPE_OBJECT);
  g_value_set_object (&v, object);
  assert_encode_fails (&v, 0, "GObject");
  g_value_unset (&v);
  g_value_init (&v, G_TYPE_CANCELLABLE);
  assert_encode_fails (&v, 0, "GCancellable");
  g_value_unset (&v);
  g_value_init (&v, G_TYPE_PARAM_INT);
  g_value_set_param (&v, pspec);
  assert_encode_fails (&v, 0, "GParamInt");
  g_value_unset (&v);
  g_value_init (&v, G_TYPE_DATE_TIME);
  g_value_set_boxed (&v, now);
  assert_encode_fails (&v, 0, "GDateTime");
  g_value_unset (&v);
  g_value_init (&v, G_TYPE_HASH_TABLE);
  assert_encode_fails (&v, 0, "GHashTable");
}

static void
test_max_size (void)
{
  g_autofree char *data = g_strnfill (1000, 'z');
  g_autoptr (GBytes) bytes = g_bytes_new (data, 1000);
  g_autoptr (GUnixFDList) list = g_unix_fd_list_new ();
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr (GVariant) encoded = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GValue) v = G_VALUE_INIT;
  gsize size;

  g_value_init (&v, G_TYPE_BYTES);
  g_value_set_boxed (&v, bytes);
  encoded = _gtasklet_node_value_encode (&v, NULL, 0, &error);
  g_assert_no_error (error);
  size = g_variant_get_size (encoded);
  g_clear_pointer (&encoded, g_variant_unref);
  encoded = _gtasklet_node_value_encode (&v, NULL, size, &error);
  g_assert_no_error (error);
  g_assert_nonnull (encoded);
  assert_encode_fails (&v, size - 1, "GBytes");
  assert_encode_fails (&v, 100, "more than the 100 bytes");
  g_value_unset (&v);

  /* Descriptors of a value too large are not appended. */
  g_unix_fd_list_append (list, 0, NULL);
  g_value_init (&v, G_TYPE_UNIX_FD_LIST);
  g_value_set_object (&v, list);
  g_clear_pointer (&encoded, g_variant_unref);
  encoded = _gtasklet_node_value_encode (&v, fds, 4, &error);
  g_assert_null (encoded);
  g_assert_error (error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE);
  g_assert_cmpint (g_unix_fd_list_get_length (fds), ==, 0);
}


static void
test_error (void)
{
  g_autoptr (GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No file");
  g_autoptr (GError) bad_utf8 = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "caf\xe9");
  g_autoptr (GVariant) encoded = NULL;
  g_autoptr (GVariant) unknown = NULL;
  g_autoptr (GVariant) wrong = NULL;
  g_autoptr (GVariant) no_domain = NULL;
  g_autoptr (GError) decoded = NULL;

  encoded = _gtasklet_node_error_encode (io);
  g_assert_false (g_variant_is_floating (encoded));
  decoded = _gtasklet_node_error_decode (encoded);
  g_assert_error (decoded, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (decoded->message, ==, "No file");
  g_clear_error (&decoded);
  g_clear_pointer (&encoded, g_variant_unref);

  encoded = _gtasklet_node_error_encode (NULL);
  g_assert_false (g_variant_is_floating (encoded));
  g_assert_cmpstr (g_variant_get_type_string (encoded), ==, "(sis)");
  g_assert_null (_gtasklet_node_error_decode (encoded));
  g_clear_pointer (&encoded, g_variant_unref);

  encoded = _gtasklet_node_error_encode (bad_utf8);
  decoded = _gtasklet_node_error_decode (encoded);
  g_assert_error (decoded, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_true (g_utf8_validate (decoded->message, -1, NULL));
  g_clear_error (&decoded);

  /* A domain this process never registered: equal by name. */
  unknown = g_variant_ref_sink (g_variant_new ("(sis)", "gtasklet-test-unknown-quark", 42,
                                               "far away"));
  decoded = _gtasklet_node_error_decode (unknown);
  g_assert_nonnull (decoded);
  g_assert_cmpstr (g_quark_to_string (decoded->domain), ==, "gtasklet-test-unknown-quark");
  g_assert_true (g_error_matches (decoded, g_quark_from_string ("gtasklet-test-unknown-quark"),
                                  42));
  g_assert_cmpstr (decoded->message, ==, "far away");
  g_clear_error (&decoded);

  wrong = g_variant_ref_sink (g_variant_new ("(ss)", "a", "b"));
  decoded = _gtasklet_node_error_decode (wrong);
  g_assert_error (decoded, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
  g_clear_error (&decoded);

  no_domain = g_variant_ref_sink (g_variant_new ("(sis)", "", 3, "lost"));
  decoded = _gtasklet_node_error_decode (no_domain);
  g_assert_error (decoded, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gtasklet/node-value/no-value", test_no_value);
  g_test_add_func ("/gtasklet/node-value/numbers", test_numbers);
  g_test_add_func ("/gtasklet/node-value/strings", test_strings);
  g_test_add_func ("/gtasklet/node-value/non-utf8", test_non_utf8);
  g_test_add_func ("/gtasklet/node-value/variant", test_variant);
  g_test_add_func ("/gtasklet/node-value/variant-not-dbus", test_variant_not_dbus);
  g_test_add_func ("/gtasklet/node-value/bytes", test_bytes);
  g_test_add_func ("/gtasklet/node-value/enum-flags", test_enum_flags);
  g_test_add_func ("/gtasklet/node-value/gtype", test_gtype);
  g_test_add_func ("/gtasklet/node-value/fd-list", test_fd_list);
  g_test_add_func ("/gtasklet/node-value/fd-list-without-fds", test_fd_list_without_fds);
  g_test_add_func ("/gtasklet/node-value/unsupported", test_unsupported);
  g_test_add_func ("/gtasklet/node-value/max-size", test_max_size);
  g_test_add_func ("/gtasklet/node-value/error", test_error);

  return g_test_run ();
}
