/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

/* The echo the node tests export, in this process or a child: answers each message with one
 * of the same name and value, to its sender (if it has one); "stop" ends it with the result
 * 42, "fail" fails it (G_IO_ERROR_BROKEN_PIPE, "asked to fail"), and "greet" with a string
 * also prints "greet <string>" on stdout (what a child tells its parent). */
gboolean         node_echo_step  (GtaskletTasklet  *tasklet,
                                  GObject          *event,
                                  gpointer          user_data,
                                  GError          **error);
GtaskletTasklet *node_echo_start (void);

/* @rounds of ping-pong with the echo behind @remote (ints, each answer checked and sent by
 * @remote itself), within @timeout_ms; returns the round trips per second. */
double           node_ping_pong  (GtaskletTasklet  *remote,
                                  int               rounds,
                                  guint             timeout_ms);

G_END_DECLS
