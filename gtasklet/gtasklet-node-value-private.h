/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <gio/gunixfdlist.h>

G_BEGIN_DECLS

/* Message values and errors as they cross to a tasklet in another process over D-Bus. The wire
 * format (the tags and their bodies) is described at the top of gtasklet-node-value.c.
 *
 * None of these functions touches global state beyond GLib's type and quark tables: they are
 * thread-safe. */

/* How deeply a GVariant value may nest containers (arrays, tuples, dict entries, variants,
 * counted across variants). D-Bus refuses messages nesting deeper than 32 arrays, 32 structs
 * or 64 containers in all, and refuses them by dropping the connection; this leaves the
 * envelope around the value (the "(sv)" and whatever the message puts it in) room for 8 more
 * structs and 40 more containers. */
#define GTASKLET_NODE_VALUE_MAX_DEPTH 24

/* Encodes @value (NULL or unset: no value) as a "(sv)": a tag naming its type and the value.
 * The file descriptors of a GUnixFDList value are appended to @fds (dup'd) and written as
 * handles indexing it; with @fds NULL such a value cannot be sent. Fails with
 * GTASKLET_ERROR_NOT_SERIALIZABLE if the type cannot cross a process boundary or the encoded
 * size exceeds @max_size (0: no limit). On failure after some descriptors were appended,
 * they stay in @fds: the caller drops the message and its list.
 *
 * Returns: (transfer full) (nullable): a new, non-floating reference */
GVariant *_gtasklet_node_value_encode (const GValue  *value,
                                       GUnixFDList   *fds,
                                       gsize          max_size,
                                       GError       **error);

/* Decodes a "(sv)" that _gtasklet_node_value_encode() produced, or that a peer claims it did:
 * any input gives a value or an error. @fds: the descriptors that came with the message, or
 * NULL. @out must be unset (G_VALUE_INIT); it is initialized on success (left unset for "no
 * value") and left unset on failure. Malformed input fails with G_DBUS_ERROR_INVALID_ARGS, an
 * unknown tag or a GType name unknown here (a "gtype" value) with
 * GTASKLET_ERROR_NOT_SERIALIZABLE. A GUnixFDList value holds dups of the referenced
 * descriptors: @fds stays the caller's. */
gboolean  _gtasklet_node_value_decode (GVariant      *encoded,
                                       GUnixFDList   *fds,
                                       GValue        *out,
                                       GError       **error);

/* @error (or NULL) as "(sis)": domain name, code, message; NULL is ("", 0, "").
 *
 * Returns: (transfer full): a new, non-floating reference */
GVariant *_gtasklet_node_error_encode (const GError  *error);

/* The reverse: NULL for ("", 0, ""), else a new GError whose domain is the quark of the
 * domain's name (so a domain this process never registered still compares equal by name).
 * Input of another type, or an error without a domain, gives a G_DBUS_ERROR_INVALID_ARGS
 * error describing it.
 *
 * Returns: (transfer full) (nullable): the error */
GError   *_gtasklet_node_error_decode (GVariant      *encoded);

G_END_DECLS
