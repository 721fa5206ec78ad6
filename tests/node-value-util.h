/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtasklet/gtasklet.h>

#include "gtasklet-node-value-private.h"

G_BEGIN_DECLS

/* Helpers shared by test-node-value.c and test-node-value-hostile.c. */

/* Encodes @in, checks its tag, sends it through a D-Bus message (GDBus's serializer checks
 * what D-Bus allows) with its descriptors handed over as a connection would, and decodes
 * it into @out. */
void round_trip          (const GValue *in,
                          const char   *tag,
                          GValue       *out);
/* round_trip(), then the result must equal @value, with the same GType. */
void check_round_trip    (const GValue *value,
                          const char   *tag);
void assert_values_equal (const GValue *a,
                          const GValue *b);
/* Encoding @value must fail with NOT_SERIALIZABLE, a message containing @in_message, and
 * no descriptor appended. */
void assert_encode_fails (const GValue *value,
                          gsize         max_size,
                          const char   *in_message);
/* Decoding @encoded (floating or not; consumed) must fail with @domain and @code. */
void assert_decode_fails (GVariant     *encoded,
                          GUnixFDList  *fds,
                          GQuark        domain,
                          int           code);
/* This process's open file descriptors, to check that none leaks. */
int  count_open_fds      (void);

/* Round trips a @gtype value set with @setter to @val. */
#define CHECK(gtype, setter, val, tag)          \
  G_STMT_START {                                \
    g_auto (GValue) v_ = G_VALUE_INIT;          \
    g_value_init (&v_, gtype);                  \
    setter (&v_, val);                          \
    check_round_trip (&v_, tag);                \
  } G_STMT_END


G_END_DECLS
