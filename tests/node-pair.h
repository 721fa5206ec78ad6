/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtasklet/gtasklet.h>

G_BEGIN_DECLS

/* Two nodes in this process, on the two ends of a peer-to-peer D-Bus connection (a
 * GDBusServer on a Unix socket in a scratch directory), both on the thread-default context. */
typedef struct
{
  GDBusServer     *server;
  GDBusConnection *a_connection;
  GDBusConnection *b_connection;
  GtaskletNode    *a;
  GtaskletNode    *b;
  char            *dir;
} NodePair;

NodePair *node_pair_new  (void);
void      node_pair_free (NodePair *pair);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NodePair, node_pair_free)

G_END_DECLS
