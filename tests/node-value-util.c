/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <string.h>

#include "node-value-util.h"

/* @encoded as it comes out of a D-Bus message's body: GDBus's serializer checks what D-Bus
 * allows. */
static GVariant *
through_dbus_message (GVariant *encoded)
{
  g_autoptr (GDBusMessage) message = g_dbus_message_new_signal ("/a", "org.example.A", "B");
  g_autoptr (GDBusMessage) parsed = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree guchar *blob = NULL;
  gsize size;

  g_dbus_message_set_body (message, g_variant_new_tuple (&encoded, 1));
  blob = g_dbus_message_to_blob (message, &size, G_DBUS_CAPABILITY_FLAGS_UNIX_FD_PASSING, &error);
  g_assert_no_error (error);
  parsed = g_dbus_message_new_from_blob (blob, size, G_DBUS_CAPABILITY_FLAGS_UNIX_FD_PASSING,
                                         &error);
  g_assert_no_error (error);
  return g_variant_get_child_value (g_dbus_message_get_body (parsed), 0);
}

/* Encodes @in, checks the tag, hands the descriptors over as a D-Bus connection would (a
 * new list of dups), decodes into @out. */
void
round_trip (const GValue *in,
            const char   *tag,
            GValue       *out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr (GUnixFDList) received = NULL;
  g_autoptr (GVariant) encoded = _gtasklet_node_value_encode (in, fds, 0, &error);
  g_autofree int *stolen = NULL;
  g_autoptr (GVariant) through_dbus = NULL;
  const char *got_tag;
  int n;

  g_assert_no_error (error);
  g_assert_nonnull (encoded);
  g_assert_false (g_variant_is_floating (encoded));
  g_assert_true (g_variant_is_of_type (encoded, G_VARIANT_TYPE ("(sv)")));
  g_variant_get_child (encoded, 0, "&s", &got_tag);
  g_assert_cmpstr (got_tag, ==, tag);

  stolen = g_unix_fd_list_steal_fds (fds, &n);
  received = g_unix_fd_list_new_from_array (stolen, n);
  g_clear_pointer (&stolen, g_free);
  through_dbus = through_dbus_message (encoded);
  g_assert_true (_gtasklet_node_value_decode (through_dbus, n > 0 ? received : NULL, out, &error));
  g_assert_no_error (error);
}

static void
assert_same_double (double a,
                    double b)
{
  if (isnan (a))
    g_assert_true (isnan (b));
  else
    g_assert_true (a == b && signbit (a) == signbit (b));
}

void
assert_values_equal (const GValue *a,
                     const GValue *b)
{
  GType type = G_VALUE_TYPE (a);

  g_assert_cmpstr (g_type_name (G_VALUE_TYPE (b)), ==, g_type_name (type));
  if (type == G_TYPE_INVALID)
    return;
  if (type == G_TYPE_FLOAT)
    assert_same_double (g_value_get_float (a), g_value_get_float (b));
  else if (type == G_TYPE_DOUBLE)
    assert_same_double (g_value_get_double (a), g_value_get_double (b));
  else if (type == G_TYPE_VARIANT)
    {
      GVariant *va = g_value_get_variant (a), *vb = g_value_get_variant (b);

      g_assert_true ((va == NULL) == (vb == NULL));
      g_assert_true (va == NULL || g_variant_equal (va, vb));
    }
  else if (type == G_TYPE_BYTES)
    {
      GBytes *ba = g_value_get_boxed (a), *bb = g_value_get_boxed (b);

      g_assert_true ((ba == NULL) == (bb == NULL));
      g_assert_true (ba == NULL || g_bytes_equal (ba, bb));
    }
  else if (type == G_TYPE_STRV)
    {
      const char * const *sa = g_value_get_boxed (a), * const *sb = g_value_get_boxed (b);

      g_assert_true ((sa == NULL) == (sb == NULL));
      g_assert_true (sa == NULL || g_strv_equal (sa, sb));
    }
  else if (type == G_TYPE_STRING)
    g_assert_cmpstr (g_value_get_string (a), ==, g_value_get_string (b));
  else
    {
      /* Numbers, booleans, enums, flags and GTypes print exactly. */
      g_autofree char *ca = g_strdup_value_contents (a);
      g_autofree char *cb = g_strdup_value_contents (b);

      g_assert_cmpstr (ca, ==, cb);
    }
}

/* Round trips @value and checks the result is equal and of the same type. */
void
check_round_trip (const GValue *value,
                  const char   *tag)
{
  g_auto (GValue) out = G_VALUE_INIT;

  round_trip (value, tag, &out);
  assert_values_equal (value, &out);
}

void
assert_encode_fails (const GValue *value,
                     gsize         max_size,
                     const char   *in_message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUnixFDList) fds = g_unix_fd_list_new ();
  g_autoptr (GVariant) encoded = _gtasklet_node_value_encode (value, fds, max_size, &error);

  g_assert_null (encoded);
  g_assert_error (error, GTASKLET_ERROR, GTASKLET_ERROR_NOT_SERIALIZABLE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, in_message));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpint (g_unix_fd_list_get_length (fds), ==, 0);
}

/* Decodes @encoded (floating or not), expecting an error of @domain and @code. */
void
assert_decode_fails (GVariant     *encoded,
                     GUnixFDList  *fds,
                     GQuark        domain,
                     int           code)
{
  g_autoptr (GVariant) owned = g_variant_ref_sink (encoded);
  g_auto (GValue) out = G_VALUE_INIT;
  g_autoptr (GError) error = NULL;

  g_assert_false (_gtasklet_node_value_decode (owned, fds, &out, &error));
  g_assert_error (error, domain, code);
  g_test_message ("%s", error->message);
  g_assert_true (G_VALUE_TYPE (&out) == G_TYPE_INVALID);
}

int
count_open_fds (void)
{
  DIR *dir = opendir ("/proc/self/fd");
  int n = 0;

  if (dir == NULL)
    return -1;
  while (readdir (dir) != NULL)
    n++;
  closedir (dir);
  return n;
}
